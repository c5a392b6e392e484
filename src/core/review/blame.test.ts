import { describe, expect, it } from 'vitest';
import { lintBlame } from './blame.js';

const kinds = (text: string, options = {}) => lintBlame(text, options).map((f) => f.kind);

describe('lintBlame', () => {
  it('says which words blame, where, in which sentence, and how to say it instead', () => {
    const text = 'Errors began at 14:02. Bob broke checkout with his deploy. We rolled back.';
    const [finding, ...rest] = lintBlame(text);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: 'culprit',
      match: 'Bob broke',
      sentence: 'Bob broke checkout with his deploy.',
      message: '"Bob broke" names a person as the cause',
    });
    expect(text.slice(finding?.start, finding?.end)).toBe('Bob broke');
    expect(finding?.suggestion).toMatch(/the pipeline/);
  });

  it('flags judgement, culprits and hindsight', () => {
    expect(kinds('The change was careless.')).toEqual(['judgement']);
    expect(kinds('Whose fault was it?')).toEqual(['culprit']);
    expect(kinds('Root cause: human error.')).toEqual(['culprit']);
    expect(kinds('This outage was caused by Nora.')).toEqual(['culprit']);
    expect(kinds("Jorge's typo took down the API.")).toEqual(['culprit']);
    expect(kinds('We should have known the job ran at midnight.')).toEqual(['hindsight']);
    expect(kinds('Maria should have double-checked the script.')).toEqual(['hindsight']);
  });

  it('leaves alone people named for what they did, and technical faults and blame', () => {
    for (const text of [
      'Bob rolled back the deploy at 14:31.',
      'A segmentation fault crashed the workers.',
      'We ran git blame on the timeout change.',
      'The load balancer was not at fault.',
      'The database was not to blame.',
      'We should have alerting on replication lag.',
      'Tests did not cover decimal amounts.',
    ])
      expect(lintBlame(text), text).toEqual([]);
  });

  it("takes the team's own words, and words it allows", () => {
    expect(kinds('Another YOLO deploy.', { words: ['yolo'] })).toEqual(['custom']);
    expect(lintBlame('The Lazy Loader service timed out.', { allow: ['lazy loader'] })).toEqual([]);
    expect(kinds('The Lazy Loader service timed out.')).toEqual(['judgement']);
  });

  it('knows names from the log even where they could be words', () => {
    expect(lintBlame('Support broke the refund flow.')).toEqual([]);
    expect(kinds('Support broke the refund flow.', { people: ['Support'] })).toEqual(['culprit']);
  });
});
