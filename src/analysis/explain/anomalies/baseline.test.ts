import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import { bucketsIn, chooseBaseline, parseTimeRange } from './baseline.js';

const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2026, 2, 14, 0, 0, 0);

describe('chooseBaseline', () => {
  it('takes the same-length stretch before the onset, leaving out a guard gap', () => {
    const choice = chooseBaseline({
      span: { from: T0, to: T0 + 6 * H },
      onset: T0 + 4 * H,
      resolutionMs: 60_000,
    });
    expect(choice.ok).toBe(true);
    if (!choice.ok) return;
    const { windows } = choice;
    expect(windows.method).toBe('before-onset');
    expect(windows.incident).toEqual({ from: T0 + 4 * H, to: T0 + 6 * H });
    expect(windows.guardMs).toBe(6 * 60_000); // 5% of the 2-hour incident
    expect(windows.baseline).toEqual([
      { from: T0 + 2 * H - 6 * 60_000, to: T0 + 4 * H - 6 * 60_000 },
    ]);
    expect(windows.description).toMatch(/^the 2h before the onset/);
  });

  it('takes the same hours on earlier days when the evidence spans days', () => {
    const choice = chooseBaseline({
      span: { from: T0, to: T0 + 3 * DAY },
      onset: T0 + 2 * DAY + 14 * H,
      incidentEnd: T0 + 2 * DAY + 16 * H,
      resolutionMs: 15 * 60_000,
    });
    expect(choice.ok && choice.windows.method).toBe('same-hours');
    if (!choice.ok) return;
    expect(choice.windows.baseline).toEqual([
      { from: T0 + 14 * H, to: T0 + 16 * H },
      { from: T0 + DAY + 14 * H, to: T0 + DAY + 16 * H },
    ]);
    expect(choice.windows.description).toMatch(/same hours on the 2 previous days/);
  });

  it('compares the last quarter when there is no onset', () => {
    const choice = chooseBaseline({ span: { from: T0, to: T0 + 8 * H } });
    expect(choice.ok && choice.windows.method).toBe('before-recent');
    if (!choice.ok) return;
    expect(choice.windows.incident).toEqual({ from: T0 + 6 * H, to: T0 + 8 * H });
    expect(choice.windows.baseline[0]?.to).toBe(T0 + 6 * H - choice.windows.guardMs);
  });

  it('says plainly when the evidence is too short for a baseline', () => {
    const early = chooseBaseline({
      span: { from: T0, to: T0 + 2 * H },
      onset: T0 + 3 * 60_000,
      resolutionMs: 60_000,
    });
    expect(early).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Only 3m of evidence before the onset/),
    });
    const tiny = chooseBaseline({ span: { from: T0, to: T0 + 90_000 }, resolutionMs: 60_000 });
    expect(tiny.ok).toBe(false);
    expect(chooseBaseline({ span: { from: T0, to: T0 } }).ok).toBe(false);
  });

  it("uses the user's baseline and compares what follows it", () => {
    const choice = chooseBaseline({
      span: { from: T0, to: T0 + 8 * H },
      userBaseline: { from: T0 + H, to: T0 + 2 * H },
    });
    expect(choice.ok && choice.windows).toMatchObject({
      method: 'user',
      baseline: [{ from: T0 + H, to: T0 + 2 * H }],
      incident: { from: T0 + 6 * H, to: T0 + 8 * H },
    });
    const outside = chooseBaseline({
      span: { from: T0, to: T0 + 8 * H },
      userBaseline: { from: T0 - 5 * H, to: T0 - 4 * H },
    });
    expect(outside.ok).toBe(false);
  });
});

describe('parseTimeRange', () => {
  const now = Date.UTC(2026, 2, 20, 12, 0, 0);

  it('reads ISO times and relative times', () => {
    expect(parseTimeRange('2026-03-14T13:00:00Z..2026-03-14T14:30:00Z', now)).toEqual({
      from: Date.UTC(2026, 2, 14, 13),
      to: Date.UTC(2026, 2, 14, 14, 30),
    });
    expect(parseTimeRange('3h ago..1h ago', now)).toEqual({ from: now - 3 * H, to: now - H });
  });

  it('reads clock times as the last such times before the end of the logs', () => {
    const logsEnd = new Date(2026, 2, 14, 10, 30).getTime();
    expect(parseTimeRange('08:00..09:00', now, logsEnd)).toEqual({
      from: new Date(2026, 2, 14, 8, 0).getTime(),
      to: new Date(2026, 2, 14, 9, 0).getTime(),
    });
    // 23:00..01:00 runs across midnight.
    expect(parseTimeRange('23:00..01:00', now, logsEnd)).toEqual({
      from: new Date(2026, 2, 13, 23, 0).getTime(),
      to: new Date(2026, 2, 14, 1, 0).getTime(),
    });
  });

  it('refuses what it cannot read, with the fix in the message', () => {
    expect(() => parseTimeRange('yesterday', now)).toThrow(UserError);
    expect(() => parseTimeRange('13:00..', now)).toThrow(/FROM\.\.TO/);
    expect(() => parseTimeRange('1h ago..3h ago', now)).toThrow(/ends before it starts/);
    expect(() => parseTimeRange('13:00..soon', now)).toThrow(/cannot read the time "soon"/);
  });
});

describe('bucketsIn', () => {
  it('takes buckets whose middle is in a range, and only whole ones of the evidence', () => {
    const grid = { start: T0, bucketMs: 60_000, length: 10 };
    expect(bucketsIn([{ from: T0 + 60_000, to: T0 + 4 * 60_000 }], grid)).toEqual([1, 2, 3]);
    const span = { from: T0 + 10_000, to: T0 + 9 * 60_000 + 5000 };
    expect(bucketsIn([{ from: T0, to: T0 + 10 * 60_000 }], grid, span)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });
});
