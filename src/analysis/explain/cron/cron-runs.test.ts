import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeCadence, expandRuns, formatDuration, MAX_RUNS_PER_JOB } from './cron-runs.js';
import { offsetMinutes, zonePieces } from './cron-zone.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Croner in zone mode all the way: slow, and the reference expandRuns must equal. */
function reference(schedule: string, zone: string, from: number, to: number): number[] {
  const cron = new Cron(schedule, { mode: '5-part', timezone: zone });
  const runs: number[] = [];
  for (const run of cron.enumerate(new Date(from - 1))) {
    if (run.getTime() > to) break;
    runs.push(run.getTime());
  }
  return runs;
}

describe('expandRuns', () => {
  it('gives the runs croner gives in zone mode, across DST transitions (property)', () => {
    const schedules = [
      '30 2 * * *',
      '*/20 * * * *',
      '0 1-3 * * *',
      '15 0 * * sun',
      '0 */6 1,15 * *',
      '@daily',
    ];
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.constantFrom(...zones),
        // Spans of up to 3 days within 2025-2027, often around the DST weekends.
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 1, max: 3 * DAY }),
        (schedule, zone, from, length) => {
          const to = from + length;
          expect(Array.from(expandRuns({ schedule, zone }, from, to).times)).toEqual(
            reference(schedule, zone, from, to),
          );
        },
      ),
      { seed: 42, numRuns: 60 },
    );
    for (const day of [
      Date.UTC(2026, 2, 28),
      Date.UTC(2026, 9, 24),
      Date.UTC(2026, 2, 7),
      Date.UTC(2026, 9, 31),
    ])
      for (const zone of zones)
        for (const schedule of schedules)
          expect(Array.from(expandRuns({ schedule, zone }, day, day + 3 * DAY).times)).toEqual(
            reference(schedule, zone, day, day + 3 * DAY),
          );
  });

  it('runs a 02:30 job at 03:00 on the day 02:30 does not exist (Europe/Berlin)', () => {
    const runs = expandRuns(
      { schedule: '30 2 * * *', zone: 'Europe/Berlin' },
      Date.UTC(2026, 2, 28),
      Date.UTC(2026, 2, 31),
    );
    expect(Array.from(runs.times, (t) => new Date(t).toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('includes both ends, uses the default zone, and has no runs for @reboot', () => {
    const from = Date.UTC(2026, 0, 5, 9);
    expect(expandRuns({ schedule: '0 * * * *' }, from, from + 2 * HOUR).times.length).toBe(3);
    expect(
      expandRuns({ schedule: '0 9 * * *' }, from, from, { defaultZone: 'Europe/Berlin' }).times
        .length,
    ).toBe(0);
    expect(
      expandRuns({ schedule: '0 10 * * *' }, from, from, { defaultZone: 'Europe/Berlin' }).times
        .length,
    ).toBe(1);
    expect(expandRuns({ schedule: '@reboot' }, from, from + DAY)).toEqual({
      times: new Float64Array(0),
      truncated: false,
    });
  });

  it('stops at the bound: an every-minute job over a year keeps 100,000 runs, quickly', () => {
    const from = Date.UTC(2026, 0, 1);
    const started = performance.now();
    const runs = expandRuns(
      { schedule: '* * * * *', zone: 'Europe/Berlin' },
      from,
      from + 365 * DAY,
    );
    expect(runs.truncated).toBe(true);
    expect(runs.times.length).toBe(MAX_RUNS_PER_JOB);
    expect(runs.times[MAX_RUNS_PER_JOB - 1]).toBe(from + (MAX_RUNS_PER_JOB - 1) * 60_000);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(
      expandRuns({ schedule: '* * * * *' }, from, from + DAY, { maxRuns: 10 }).times.length,
    ).toBe(10);
  });
});

describe('zones and cadence', () => {
  it('cuts a zone into fixed offsets with zone mode around transitions', () => {
    expect(offsetMinutes('Europe/Berlin', Date.UTC(2026, 0, 1))).toBe(60);
    expect(offsetMinutes('Europe/Berlin', Date.UTC(2026, 6, 1))).toBe(120);
    expect(offsetMinutes('Asia/Kolkata', Date.UTC(2026, 6, 1))).toBe(330);
    const pieces = zonePieces('Europe/Berlin', Date.UTC(2026, 2, 1), Date.UTC(2026, 4, 1));
    expect(pieces.map((p) => p.offsetMinutes)).toEqual([60, undefined, 120]);
    expect(pieces[1]).toMatchObject({
      from: Date.UTC(2026, 2, 29, 1) - 3 * HOUR,
      to: Date.UTC(2026, 2, 29, 1) + 3 * HOUR,
    });
    expect(zonePieces('UTC', 0, DAY)).toEqual([{ from: 0, to: DAY, offsetMinutes: 0 }]);
  });

  it('describes how often a job ran', () => {
    const at = (...hours: number[]) => Float64Array.from(hours, (h) => h * HOUR);
    expect(describeCadence(at(0, 0.25, 0.5, 0.75))).toBe('every 15 min');
    expect(describeCadence(at(0, 1, 2))).toBe('hourly');
    expect(describeCadence(at(0, 24, 47, 71))).toBe('daily');
    expect(describeCadence(at(9, 17, 33, 41))).toBe('4 runs, 8 h to 16 h apart');
    expect(describeCadence(at(3))).toBe('ran once in the span');
    expect(describeCadence(at())).toBe('no run in the span');
    expect(formatDuration(90_000)).toBe('1.5 min');
    expect(formatDuration(2 * DAY)).toBe('2 days');
  });
});
