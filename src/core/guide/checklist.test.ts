import { describe, expect, it } from 'vitest';
import type { SeverityLevel } from '../severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { incident, note, strike } from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import { evaluateChecklist, STEPS, type StepKey, untold } from './checklist.js';

const [SEV1, SEV2] = DEFAULT_FRAMEWORK.levels as [SeverityLevel, SeverityLevel];

const told = (to: string): EntryBody => ({ kind: 'communication', to, via: 'email' });
const hypothesis = (
  number: number,
  to: 'proposed' | 'testing' | 'eliminated' | 'confirmed',
  text = `cause ${number}`,
): EntryBody => ({ kind: 'hypothesis', number, status: to, text });

/** The checklist as `{ step: [done, detail] }`, for compact expectations. */
function judge(steps: EntryBody[], level: SeverityLevel | undefined) {
  return Object.fromEntries(
    evaluateChecklist(incident(...steps), level).map((step) => [
      step.key,
      [step.done, step.detail],
    ]),
  ) as Record<StepKey, [boolean, string]>;
}

describe('evaluateChecklist', () => {
  it('has the seven steps of the practice, in order, with their titles', () => {
    const checklist = evaluateChecklist(incident(), undefined);
    expect(checklist.map((step) => [step.key, step.title])).toEqual([
      ['assess', 'Assess the impact'],
      ['log', 'Start the log'],
      ['report', 'Report the problem'],
      ['severity', 'Determine the severity'],
      ['root_cause', 'Find the root cause'],
      ['resolve', 'Resolve the problem'],
      ['review', 'Review the log'],
    ]);
    expect(checklist.map((step) => step.key)).toEqual(STEPS.map((step) => step.key));
  });

  it('marks nothing done for a fresh incident', () => {
    expect(judge([], undefined)).toEqual({
      assess: [false, 'who is affected? is it as bad as it looks? can you roll back?'],
      log: [false, 'write down what happened and what you see'],
      report: [false, 'nobody has been told yet'],
      severity: [false, 'not rated yet'],
      root_cause: [false, '0 hypotheses, 0 eliminated'],
      resolve: [false, 'status triage'],
      review: [false, 'look back at each stage before closing'],
    });
  });

  it('marks the impact assessed once any impact is recorded', () => {
    expect(judge([{ kind: 'impact', impact: { canRollBack: false } }], undefined).assess).toEqual([
      true,
      'impact recorded',
    ]);
  });

  it('marks the impact not assessed again once its only entry is struck', () => {
    const steps: EntryBody[] = [{ kind: 'impact', impact: { affected: 'all' } }, strike(2)];
    expect(judge(steps, undefined).assess[0]).toBe(false);
  });

  it('counts the log as started by written entries or by a hypothesis', () => {
    expect(judge([note(), { kind: 'action', text: 'rollback' }], undefined).log).toEqual([
      true,
      '2 entries written',
    ]);
    expect(judge([hypothesis(1, 'proposed')], undefined).log).toEqual([
      true,
      'write down what happened and what you see',
    ]);
  });

  it('marks the report done only when everyone the level names is told', () => {
    expect(judge([told('Responders')], SEV1).report).toEqual([
      false,
      'told responders; still to tell: support, executives',
    ]);
    expect(judge([told('responders'), told('support'), told('executives')], SEV1).report).toEqual([
      true,
      'told responders, support, executives',
    ]);
    expect(judge([told('responders'), told('support')], SEV2).report[0]).toBe(true);
  });

  it('counts telling anyone as reporting when there is no level yet', () => {
    expect(judge([told('alice'), told('alice')], undefined).report).toEqual([true, 'told alice']);
  });

  it('shows the severity with the name of its level', () => {
    const rated: EntryBody = { kind: 'severity_changed', from: null, to: 'SEV1', reason: 'r' };
    expect(judge([rated], SEV1).severity).toEqual([true, 'SEV1 (Critical)']);
    expect(judge([rated], undefined).severity).toEqual([true, 'SEV1']);
  });

  it('counts the root cause found from a root link or a confirmed hypothesis', () => {
    expect(
      judge([{ kind: 'root_cause', text: 'a loop computing pi', categories: [], root: true }], SEV1)
        .root_cause,
    ).toEqual([true, 'a loop computing pi']);
    expect(
      judge(
        [hypothesis(1, 'proposed', 'the deploy'), hypothesis(1, 'confirmed', 'the deploy')],
        SEV1,
      ).root_cause,
    ).toEqual([true, 'confirmed: H1 the deploy']);
    expect(
      judge(
        [hypothesis(1, 'proposed'), hypothesis(2, 'proposed'), hypothesis(1, 'eliminated')],
        SEV1,
      ).root_cause,
    ).toEqual([false, '2 hypotheses, 1 eliminated']);
  });

  it('does not count a link that is not the root as the root cause', () => {
    const link: EntryBody = { kind: 'root_cause', text: '500s', categories: [], root: false };
    expect(judge([link], SEV1).root_cause[0]).toBe(false);
  });

  it('marks resolve done when resolved and review done only when closed', () => {
    const resolved: EntryBody = { kind: 'status_changed', from: 'triage', to: 'resolved' };
    const closed: EntryBody = { kind: 'status_changed', from: 'resolved', to: 'closed' };
    const monitoring: EntryBody = { kind: 'status_changed', from: 'triage', to: 'monitoring' };
    expect(judge([monitoring], SEV1).resolve).toEqual([false, 'status monitoring']);
    expect(judge([resolved], SEV1)).toMatchObject({
      resolve: [true, 'status resolved'],
      review: [false, 'SEV1 requires a postmortem'],
    });
    expect(judge([resolved, closed], SEV1)).toMatchObject({
      resolve: [true, 'status closed'],
      review: [true, 'reviewed and closed'],
    });
  });

  it('marks every step done for a worked and closed incident', () => {
    const steps: EntryBody[] = [
      { kind: 'impact', impact: { affected: 'subset' } },
      note(),
      { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'subset' },
      told('responders'),
      { kind: 'status_update', audience: 'support', text: 'investigating' },
      { kind: 'root_cause', text: 'bad config', categories: ['bad-configuration'], root: true },
      { kind: 'status_changed', from: 'triage', to: 'resolved' },
      { kind: 'status_changed', from: 'resolved', to: 'closed' },
    ];
    const checklist = evaluateChecklist(incident(...steps), SEV2);
    expect(checklist.every((step) => step.done)).toBe(true);
  });
});

describe('untold', () => {
  it('lists the audiences the level names that nobody has told, in the level order', () => {
    expect(untold(incident(), SEV1)).toEqual(['responders', 'support', 'executives']);
    expect(untold(incident(told('SUPPORT')), SEV1)).toEqual(['responders', 'executives']);
    expect(untold(incident(), undefined)).toEqual([]);
  });
});
