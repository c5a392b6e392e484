import { describe, expect, it } from 'vitest';
import { replayTimeline } from '../incident/incident.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { atMinute, declared, MINUTE, type Step, strike, timeline } from '../testing/builders.js';
import type { Audience, EntryBody } from '../timeline/entry.js';
import { reviewStages, updateSummary } from './stages.js';
import { bar, renderStageReview } from './stages-text.js';

const update = (audience: Audience): EntryBody => ({
  kind: 'status_update',
  audience,
  text: 'news',
});
const at = (minute: number, body: EntryBody): Step => ({ body, at: minute });

/** SEV2 (responders and support every 30m, executives every 2h), declared at T0. */
function review(steps: Step[], options: { gapMinutes?: number; now?: number } = {}) {
  const entries = timeline(declared(), ...steps);
  const state = replayTimeline(entries);
  if (!state) throw new Error('declared');
  return reviewStages({
    state,
    entries,
    framework: DEFAULT_FRAMEWORK,
    now: atMinute(options.now ?? 500),
    ...(options.gapMinutes !== undefined ? { gapMinutes: options.gapMinutes } : {}),
  });
}

const WHOLE: Step[] = [
  at(-20, { kind: 'milestone', milestone: 'impact_started' }),
  at(-5, { kind: 'milestone', milestone: 'detected' }),
  at(0, { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'subset of customers' }),
  at(5, { kind: 'role_changed', role: 'commander', person: 'alice', change: 'assigned' }),
  at(10, { kind: 'hypothesis', number: 1, status: 'proposed', text: 'the deploy at 13:40' }),
  at(20, { kind: 'hypothesis', number: 2, status: 'proposed', text: 'a full disk on db-2' }),
  at(25, update('support')),
  at(28, update('responders')),
  at(40, {
    kind: 'hypothesis',
    number: 1,
    status: 'eliminated',
    text: 'H1',
    reason: 'rollback changed nothing',
  }),
  at(80, update('support')),
  at(90, {
    kind: 'hypothesis',
    number: 2,
    status: 'confirmed',
    text: 'H2',
    reason: 'df says 100%',
  }),
  at(100, { kind: 'status_changed', from: 'triage', to: 'monitoring' }),
  at(120, { kind: 'status_changed', from: 'monitoring', to: 'resolved' }),
];

describe('reviewStages', () => {
  it('measures each stage between the milestones it names', () => {
    const stages = review(WHOLE).stages.map((s) => [s.stage, s.from, s.to, s.ms]);
    expect(stages).toEqual([
      ['detect', 'impact_started', 'detected', 15 * MINUTE],
      ['acknowledge', 'detected', 'acknowledged', 10 * MINUTE],
      ['declare', 'detected', 'declared', 5 * MINUTE],
      ['mitigate', 'detected', 'mitigated', 105 * MINUTE],
      ['resolve', 'detected', 'resolved', 125 * MINUTE],
    ]);
    expect(review(WHOLE).impact).toEqual({
      from: atMinute(-20),
      to: atMinute(100),
      ms: 120 * MINUTE,
      ongoing: false,
    });
  });

  it('falls back to the declaration where detection was not recorded, and leaves unknown stages open', () => {
    const stages = review([at(30, { kind: 'status_changed', from: 'triage', to: 'resolved' })], {
      now: 60,
    }).stages;
    expect(stages.find((s) => s.stage === 'detect')).toEqual({
      stage: 'detect',
      label: 'Time to detect',
      from: 'impact_started',
      to: 'detected',
    });
    expect(stages.find((s) => s.stage === 'resolve')).toMatchObject({
      from: 'declared',
      ms: 30 * MINUTE,
    });
  });

  it('says how long each hypothesis stayed open, and why it was decided', () => {
    expect(review(WHOLE).hypotheses).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'eliminated',
        openMs: 30 * MINUTE,
        reason: 'rollback changed nothing',
      }),
      expect.objectContaining({
        number: 2,
        status: 'confirmed',
        openMs: 70 * MINUTE,
        reason: 'df says 100%',
      }),
    ]);
    // still open: counted to now while the incident is active
    const open = review(
      [at(10, { kind: 'hypothesis', number: 1, status: 'proposed', text: 'dns' })],
      { now: 70 },
    );
    expect(open.hypotheses[0]).toMatchObject({ status: 'proposed', openMs: 60 * MINUTE });
    expect(open.hypotheses[0]?.decidedAt).toBeUndefined();
  });

  it('finds silences in the log longer than the threshold until mitigation, struck entries not counting', () => {
    expect(review(WHOLE).gaps.map((g) => [g.from, g.ms])).toEqual([[atMinute(40), 40 * MINUTE]]);
    expect(review(WHOLE, { gapMinutes: 15 }).gaps.map((g) => g.ms / MINUTE)).toEqual([40]);
    const struck = review(
      [
        at(10, { kind: 'note', text: 'looking' }),
        at(50, { kind: 'note', text: 'wrong incident' }),
        at(55, strike(3)),
      ],
      { now: 60 },
    );
    expect(struck.gaps.map((g) => [g.afterSeq, g.beforeSeq, g.ms / MINUTE])).toEqual([[2, 4, 45]]);
  });

  it("judges each update by the level's cadence per audience, and names the ones missed", () => {
    const updates = review(WHOLE).updates.map((u) => [
      u.audience,
      u.at,
      u.dueAt,
      u.lateByMs / MINUTE,
    ]);
    expect(updates).toEqual([
      ['support', atMinute(25), atMinute(30), 0],
      ['responders', atMinute(28), atMinute(30), 0],
      ['support', atMinute(80), atMinute(55), 25],
      // at resolution (16:00) responders had waited since 14:58 and support since 15:50
      ['responders', undefined, atMinute(58), 62],
      ['support', undefined, atMinute(110), 10],
    ]);
    expect(updateSummary(review(WHOLE).updates)).toEqual([
      { audience: 'responders', sent: 1, late: 0, missed: 1, worstMs: 0 },
      { audience: 'support', sent: 2, late: 1, missed: 1, worstMs: 25 * MINUTE },
    ]);
  });

  it('uses the severity the incident had when each update went out', () => {
    const steps = [
      at(0, { kind: 'severity_changed', from: null, to: 'SEV3', reason: 'minor' }),
      at(100, update('responders')),
      at(110, { kind: 'severity_changed', from: 'SEV3', to: 'SEV1', reason: 'worse' }),
      at(130, update('responders')),
      at(140, { kind: 'status_changed', from: 'triage', to: 'resolved' }),
    ] as Step[];
    // under SEV3 (every 2h) 100 is on time; under SEV1 (every 15m) 130 is 15m late
    expect(
      review(steps)
        .updates.filter((u) => u.audience === 'responders')
        .map((u) => u.lateByMs / MINUTE),
    ).toEqual([0, 15]);
  });

  it('renders a bar per stage and hypothesis, scaled to the longest', () => {
    expect(bar(50, 100, 10)).toBe('█████');
    expect(bar(1, 1000, 10)).toBe('█');
    expect(bar(0, 1000, 10)).toBe('');
    const text = renderStageReview(review(WHOLE), (t) => new Date(t).toISOString().slice(11, 16));
    expect(text).toContain(
      '  Time to resolve      ██████████████████████████████  2h 5m   detected -> resolved',
    );
    expect(text).toContain(
      '  Time to detect       ████                            15m     impact started -> detected',
    );
    expect(text).toContain('late: support at 15:20, due 14:55, 25m late');
    expect(text).toContain('missed: responders, due 14:58, none before the end');
    expect(text).toContain('14:40 -> 15:20  40m (after #10)');
  });
});
