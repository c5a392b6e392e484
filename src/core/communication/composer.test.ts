import { describe, expect, it } from 'vitest';
import type { EpochMs } from '../ids.js';
import { replayTimeline } from '../incident/incident.js';
import type { SeverityLevel } from '../severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import {
  amend,
  atMinute,
  declared,
  MINUTE,
  type Step,
  strike,
  timeline,
} from '../testing/builders.js';
import type { Audience } from '../timeline/entry.js';
import { composeUpdate, noNewsUpdate, updatesDue } from './composer.js';

const [SEV1, SEV2] = DEFAULT_FRAMEWORK.levels as [SeverityLevel, SeverityLevel];
/** Minutes after T0, so the expectations read plainly. */
const clock = (at: EpochMs) => `+${(at - atMinute(0)) / MINUTE}m`;

function scene(...steps: Step[]) {
  const entries = timeline(declared({ title: 'db-2 disk full after the reindex cron' }), ...steps);
  const state = replayTimeline(entries);
  if (!state) throw new Error('declared');
  return { state, entries };
}

const BUSY: Step[] = [
  {
    kind: 'impact',
    impact: { affected: 'subset', workaroundAvailable: false },
    text: 'card payments fail at checkout',
  },
  { kind: 'status_changed', from: 'triage', to: 'investigating' },
  { kind: 'action', text: 'paged the DBA on call, Dana' },
  { kind: 'action', text: 'failed over to db-3' },
  { kind: 'action', text: 'restarted the wrong service' },
  strike(6, 'did not happen'),
  { kind: 'finding', text: 'disk on db-2 at 100% since 09:02' },
  { kind: 'hypothesis', number: 1, status: 'proposed', text: 'the reindex cron filled the disk' },
  { kind: 'hypothesis', number: 1, status: 'testing', text: '' },
];

const draft = (audience: Audience, steps = BUSY, level: SeverityLevel | undefined = SEV2) => {
  const { state, entries } = scene(...steps);
  return composeUpdate({ state, entries, level, audience, now: atMinute(20), clock });
};

describe('composeUpdate', () => {
  it('gives responders the latest actions, findings and hypotheses under test, not struck ones', () => {
    const d = draft('responders');
    expect(d.text).toBe(
      [
        'INC-7 (SEV2 Major, investigating): Card payments fail at checkout.',
        'Some customers are affected.',
        'We are investigating the cause. Latest: failed over to db-3. paged the DBA on call, Dana. Found: disk on db-2 at 100% since 09:02. Testing: #1 the reindex cron filled the disk.',
        'Next update by +50m.',
      ].join('\n'),
    );
    expect(d.basedOn).toEqual([5, 4, 8]);
    expect(d.nextAt).toBe(atMinute(50));
  });

  it('tells support whether there is a workaround', () => {
    expect(draft('support').sections.affected).toBe(
      'Some customers are affected. There is no workaround yet.',
    );
  });

  it('tells customers only what is safe in public: no log entries, names or title', () => {
    const d = draft('customers');
    expect(d.text).toBe(
      [
        'Card payments fail at checkout.',
        'Some customers are affected.',
        'We are investigating the cause.',
        'Next update by +50m.', // no cadence for customers at SEV2: the default half hour
      ].join('\n'),
    );
    expect(d.basedOn).toEqual([]);
    const bare = draft('customers', [], SEV1);
    expect(bare.text).not.toContain('db-2');
    expect(bare.sections.happening).toBe('Some of our services are not working as expected.');
  });

  it('uses the amended text of an impact or action', () => {
    const d = draft('executives', [
      { kind: 'impact', impact: {}, text: 'checkout slow' },
      { kind: 'action', text: 'scaled up' },
      amend(2, 'checkout fails for card payments'),
    ]);
    expect(d.text.split('\n')[0]).toBe('SEV2 Major: Checkout fails for card payments.');
  });
});

describe('noNewsUpdate', () => {
  it('says since when nothing changed, and when the next word comes', () => {
    const { state } = scene({
      body: { kind: 'status_update', audience: 'support', text: 'looking' },
      at: 10,
    });
    expect(noNewsUpdate(state, SEV1, 'support', atMinute(40), clock)).toBe(
      'No new information since our update at +10m. We are assessing the problem. Next update by +70m.',
    );
    expect(noNewsUpdate(state, SEV1, 'executives', atMinute(40), clock)).toMatch(
      /^No new information yet\. .* Next update by \+100m\.$/,
    );
  });
});

describe('updatesDue', () => {
  it('reads "next update due in" or "overdue by"', () => {
    const { state } = scene({
      body: { kind: 'status_update', audience: 'support', text: 'x' },
      at: 1,
    });
    const texts = updatesDue(state, SEV1, atMinute(20)).map((d) => d.text);
    expect(texts).toEqual([
      'update to responders overdue by 5m',
      'next update to support due in 11m',
      'next update to executives due in 40m',
      'next update to customers due in 40m',
    ]);
  });
});
