import { describe, expect, it } from 'vitest';
import { ClockSeriesCollector, type ClockSeriesPartial } from './clock-series.js';
import { TimeOfDayCollector } from './time-of-day.js';
import {
  diurnal,
  feed,
  poissonErrors,
  Recording,
  randomBursts,
  type Scenario,
  T0,
} from './time-patterns.testing.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** 2026-03-09 09:00 in Berlin (CET, UTC+1) is 08:00 UTC. */
const BERLIN_OFFSET = 60 * MINUTE;

/** Errors at `share` of the traffic from `startMinute` to `endMinute` of each UTC day in `days`, else at `base`. */
const surge =
  (startMinute: number, endMinute: number, share: number, base = 0.002, days?: number[]) =>
  (time: number) => {
    const day = Math.floor((time - T0) / DAY);
    const minute = ((time - T0) % DAY) / MINUTE;
    const on = (!days || days.includes(day)) && minute >= startMinute && minute < endMinute;
    return on ? share : base;
  };

function analyze(scenario: Scenario, zone = 'UTC') {
  const collector = new TimeOfDayCollector();
  feed(collector, scenario);
  return collector.finish({ zone });
}

describe('TimeOfDayCollector: errors at a time of day', () => {
  it.each([1, 2, 3])(
    'seed %i: a 09:00-09:20 surge on each of 3 days over diurnal traffic is found, in the zone asked for',
    (seed) => {
      const scenario: Scenario = {
        seed,
        hours: 72,
        traffic: diurnal(3),
        errorShare: surge(480, 500, 0.03),
      };
      const berlin = analyze(scenario, 'Europe/Berlin');
      expect(berlin.found).toBe(true);
      expect(berlin.windows.map((w) => w.label)).toEqual(['09:00-09:20']);
      expect(berlin.windows[0]?.recurringDays).toBe(3);
      expect(berlin.answer).toMatch(
        /^Errors concentrate at 09:00-09:20 on each of the 3 days: [\d,]+ errors against [\d,]+ expected from the traffic/,
      );
      expect(berlin.answer).toContain('(Europe/Berlin)');
      expect(analyze(scenario, 'UTC').windows.map((w) => w.label)).toEqual(['08:00-08:20']);
    },
  );

  it('keeps the local time through a change to summer time', () => {
    // Berlin moves to UTC+2 on 2026-03-29: 09:00 local is 08:00 UTC on the 28th, 07:00 UTC after.
    const from = Date.UTC(2026, 2, 28);
    const result = analyze(
      {
        seed: 4,
        from,
        hours: 72,
        traffic: () => 2,
        errorShare: () => 0.002,
        extraErrors: (random) =>
          [0, 1, 2].flatMap((day) => {
            const start = from + day * DAY + (day === 0 ? 8 : 7) * 60 * MINUTE;
            return Array.from({ length: 60 }, () => start + Math.floor(random() * 20 * MINUTE));
          }),
      },
      'Europe/Berlin',
    );
    expect(result.windows.map((w) => [w.label, w.recurringDays])).toEqual([['09:00-09:20', 3]]);
  });

  it('still finds the surge among random bursts (6 a day)', () => {
    const result = analyze({
      seed: 5,
      hours: 72,
      traffic: diurnal(3),
      errorShare: surge(480 + BERLIN_OFFSET / MINUTE, 500 + BERLIN_OFFSET / MINUTE, 0.03),
      extraErrors: randomBursts(T0, 72, 6),
    });
    expect(result.found).toBe(true);
    expect(result.windows[0]?.label).toMatch(/^09:00-09:[23]0$/);
  });

  it('quotes example lines from the window, one per day', () => {
    const collector = new TimeOfDayCollector();
    feed(collector, { seed: 6, hours: 48, traffic: () => 2, errorShare: surge(600, 615, 0.2) });
    const examples = [0, 1].flatMap((day) =>
      [300, 605, 610].map((minute, i) => ({
        source: 'app.log',
        line: day * 10 + i,
        text: 'timeout',
        time: T0 + day * DAY + minute * MINUTE,
      })),
    );
    const result = collector.finish({ zone: 'UTC', examples });
    expect(result.windows[0]?.examples.map((e) => e.line)).toEqual([1, 11, 2]);
  });
});

describe('TimeOfDayCollector: no pattern', () => {
  it('diurnal traffic with errors in proportion to it, 20 seeded datasets: no time-of-day window', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const result = analyze({ seed, hours: 72, traffic: diurnal(2), errorShare: () => 0.005 });
      if (result.found || result.oneOff) falseAlarms++;
    }
    expect(falseAlarms).toBe(0);
  });

  it('errors at a steady rate while traffic follows the day are not a time of day either', () => {
    const result = analyze({
      seed: 7,
      hours: 72,
      traffic: diurnal(2),
      extraErrors: poissonErrors(T0, 72, 40),
    });
    expect(result.found).toBe(false);
    expect(result.answer).toBe(
      'No time-of-day pattern over the 3 days. The errors spread over the day like the traffic.',
    );
  });

  it('random bursts (6 a day) over 3 days, 20 seeded datasets: at most one false alarm', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const result = analyze({
        seed,
        hours: 72,
        traffic: diurnal(3),
        errorShare: () => 0.002,
        extraErrors: randomBursts(T0, 72, 6),
      });
      if (result.found) falseAlarms++;
    }
    console.log(`time of day: ${falseAlarms} false alarms in 20 bursty datasets`);
    expect(falseAlarms).toBeLessThanOrEqual(1);
  });

  it('a surge on one day only is reported as that, not as a daily pattern', () => {
    const result = analyze({
      seed: 8,
      hours: 72,
      traffic: () => 2,
      errorShare: surge(840, 900, 0.05, 0.002, [1]),
    });
    expect(result.found).toBe(false);
    expect(result.windows).toEqual([]);
    expect(result.oneOff?.recurringDays).toBe(1);
    expect(result.answer).toMatch(
      /^No time-of-day pattern over the 3 days\. Errors concentrated at 14:\d\d-1[45]:\d\d on 2026-03-10 only: .*not a daily pattern\.$/,
    );
  });

  it('says one day of evidence cannot tell', () => {
    const result = analyze({
      seed: 9,
      hours: 20,
      traffic: () => 2,
      errorShare: surge(540, 560, 0.05),
    });
    expect(result.found).toBe(false);
    expect(result.answer).toMatch(/^The evidence covers one day: too short to tell/);
  });
});

describe('ClockSeriesCollector', () => {
  it('merging partials of consecutive parts gives the one-pass counts', () => {
    const recording = new Recording();
    feed(recording, { seed: 10, hours: 30, traffic: () => 1, errorShare: () => 0.01 });
    const onePass = new ClockSeriesCollector();
    recording.replay(onePass);
    const merged = new ClockSeriesCollector();
    const n = recording.events.length;
    for (const [from, to] of [
      [0, 1000],
      [1000, Math.floor(n / 2)],
      [Math.floor(n / 2), n],
    ]) {
      const part = new ClockSeriesCollector();
      recording.replay(part, from, to);
      merged.merge(structuredClone(part.partial()) as ClockSeriesPartial);
    }
    expect(merged.series()).toEqual(onePass.series());
  });

  it('stays bounded over a long span: the buckets grow, still dividing a day', () => {
    const collector = new ClockSeriesCollector();
    for (let day = 0; day < 400; day++)
      collector.add(T0 + day * DAY + 9 * 60 * MINUTE, day % 2 === 0);
    collector.add(T0 - 3 * DAY, true);
    const series = collector.series();
    expect(series.errors.length).toBeLessThanOrEqual(128 * 288);
    expect(DAY % series.bucketMs).toBe(0);
    expect(series.errors.reduce((a, b) => a + b, 0)).toBe(201);
    expect(series.traffic.reduce((a, b) => a + b, 0)).toBe(401);
  });
});
