import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PeriodicityCollector, type PeriodicityPartial } from './periodicity.js';
import {
  diurnal,
  feed,
  periodicErrors,
  poissonErrors,
  Recording,
  randomBursts,
  type Scenario,
  T0,
} from './time-patterns.testing.js';

const HOUR = 3_600_000;

function analyze(scenario: Scenario, zone = 'UTC') {
  const collector = new PeriodicityCollector();
  feed(collector, scenario);
  return collector.finish({ zone });
}

/** Each run of a job fails `errors` requests within `spreadMs` of its start. */
const failingRuns =
  (periodMs: number, phaseMs: number, errors: number, spreadMs: number, hours: number) =>
  (random: () => number) =>
    periodicErrors(
      T0,
      hours,
      periodMs,
      phaseMs,
      1000,
    )(random).flatMap((t) =>
      Array.from({ length: errors }, () => t + Math.floor(random() * spreadMs)),
    );

describe('PeriodicityCollector: periodic errors', () => {
  it.each([1, 2, 3, 4, 5])(
    'seed %i: one error every 60 s +- 3 s over Poisson traffic reads "every 60 s", jitter about 3 s, at :05',
    (seed) => {
      const result = analyze({
        seed,
        hours: 6,
        traffic: () => 20,
        errorShare: () => 0.002,
        extraErrors: periodicErrors(T0, 6, 60_000, 5_000, 3_000),
      });
      expect(result.found).toBe(true);
      expect(result.periods).toHaveLength(1);
      const [pattern] = result.periods;
      expect(pattern?.periodMs).toBe(60_000);
      expect(pattern?.jitterMs).toBeGreaterThan(2_000);
      expect(pattern?.jitterMs).toBeLessThan(4_500);
      expect(Math.abs((pattern?.phaseMs ?? 0) - 5_000)).toBeLessThan(1_000);
      expect(pattern?.cyclesWithPeak).toBeGreaterThan(0.7 * (pattern?.cycles ?? 0));
      expect(pattern?.confidence).toBeGreaterThan(0.99);
      expect(result.answer).toMatch(
        /^Errors recur every 60 s \(jitter 3 s\), at :05 past each minute/,
      );
    },
  );

  it.each([11, 12, 13])(
    'seed %i: a job that fails for ~20 s every 15 min reads "every 15 min", not 5 or 30',
    (seed) => {
      const result = analyze({
        seed,
        hours: 12,
        traffic: () => 5,
        errorShare: () => 0.002,
        extraErrors: failingRuns(15 * 60_000, 200_000, 15, 20_000, 12),
      });
      expect(result.periods.map((p) => p.periodMs)).toEqual([900_000]);
      expect(result.periods[0]?.phaseLabel).toMatch(
        /^at :03:[23]\d, :18:[23]\d, :33:[23]\d and :48:[23]\d past each hour$/,
      );
      expect(result.answer).toContain('every 15 min');
    },
  );

  it('finds a period of hours over days: every 6 h, and says the daily windows are that pattern', () => {
    const result = analyze({
      seed: 7,
      hours: 24 * 5,
      traffic: () => 5,
      errorShare: () => 0.002,
      extraErrors: failingRuns(6 * HOUR, HOUR, 15, 20_000, 24 * 5),
    });
    expect(result.periods.map((p) => p.periodMs)).toEqual([6 * HOUR]);
    expect(result.periods[0]?.phaseLabel).toMatch(
      /^at 01:0\d, 07:0\d, 13:0\d and 19:0\d each day$/,
    );
    expect(result.answer).toContain('That is why errors also gather at');
  });

  it('finds periods that are not cron steps (every 50 s) and says the phase in local time', () => {
    const result = analyze(
      {
        seed: 8,
        hours: 12,
        traffic: () => 5,
        errorShare: () => 0.002,
        extraErrors: periodicErrors(T0, 12, 50_000, 7_000, 2_000),
      },
      'Asia/Kathmandu',
    );
    expect(result.periods.map((p) => p.periodMs)).toEqual([50_000]);
    // T0 is midnight UTC, 05:45 in Kathmandu: 5:45 h is 414 cycles of 50 s and 0 s over.
    expect(Math.abs((result.periods[0]?.phaseMs ?? 0) - 7_000)).toBeLessThan(1_500);
  });

  it('quotes example lines from the peak', () => {
    const collector = new PeriodicityCollector();
    feed(collector, {
      seed: 9,
      hours: 2,
      traffic: () => 5,
      extraErrors: periodicErrors(T0, 2, 60_000, 30_000, 500),
    });
    const examples = [10_000, 30_200, 90_300, 150_100].map((ms, i) => ({
      source: 'app.log',
      line: i + 1,
      text: 'timeout',
      time: T0 + ms,
    }));
    const result = collector.finish({ zone: 'UTC', examples });
    expect(result.periods[0]?.examples.map((e) => e.line)).toEqual([2, 3, 4]);
  });
});

describe('PeriodicityCollector: no pattern', () => {
  it('pure Poisson errors, 100 seeded datasets: no more false alarms than the stated 1% allows', () => {
    let falseAlarms = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const result = analyze({
        seed,
        hours: 4,
        traffic: () => 5,
        extraErrors: poissonErrors(T0, 4, 100 + seed),
      });
      if (result.periods.length) falseAlarms++;
      if (seed === 1)
        expect(result.answer).toMatch(
          /^No pattern: the errors look random in time \(tested periods 10 s to 30 min/,
        );
    }
    console.log(`periodicity: ${falseAlarms} false alarms in 100 pure-noise datasets (level 1%)`);
    expect(falseAlarms).toBeLessThanOrEqual(5);
  });

  it('random bursts (retry storms, 6 a day) over 3 days, 10 datasets: no period', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const result = analyze({
        seed,
        hours: 72,
        traffic: diurnal(1),
        errorShare: () => 0.002,
        extraErrors: randomBursts(T0, 72, 6),
      });
      expect(result.periods).toEqual([]);
    }
  });

  it('one huge burst is not a period', () => {
    const result = analyze({
      seed: 3,
      hours: 6,
      traffic: () => 5,
      extraErrors: (random) => [
        ...poissonErrors(T0, 6, 60)(random),
        ...Array.from({ length: 20_000 }, () => T0 + 2 * HOUR + Math.floor(random() * 20_000)),
      ],
    });
    expect(result.periods).toEqual([]);
    expect(result.answer).toMatch(/^No pattern/);
  });

  it('errors in proportion to a rhythmic traffic (a poller at the top of each minute) are no error pattern', () => {
    const result = analyze({
      seed: 4,
      hours: 6,
      traffic: (t) => ((t / 1000) % 60 < 5 ? 40 : 4),
      errorShare: () => 0.01,
    });
    expect(result.periods).toEqual([]);
  });

  it('says so when there are too few errors to tell', () => {
    const result = analyze({
      seed: 5,
      hours: 1,
      traffic: () => 1,
      extraErrors: () => [T0 + 5_000],
    });
    expect(result.found).toBe(false);
    expect(result.answer).toBe('Too few timed errors (1) to look for patterns in time.');
  });
});

describe('PeriodicityCollector: partial and merge', () => {
  const recording = new Recording();
  feed(recording, {
    seed: 21,
    hours: 3,
    traffic: () => 3,
    errorShare: () => 0.01,
    extraErrors: periodicErrors(T0, 3, 30_000, 12_000, 1_000),
  });
  const round = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)),
    );
  const onePass = new PeriodicityCollector();
  recording.replay(onePass);
  const expected = round(onePass.finish({ zone: 'UTC' }));

  it('parts analyzed apart and merged in order give the one-pass result, wherever the cuts fall', () => {
    const n = recording.events.length;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { minLength: 1, maxLength: 3 }),
        (cuts) => {
          const bounds = [0, ...cuts.sort((a, b) => a - b), n];
          const merged = new PeriodicityCollector();
          for (let i = 0; i + 1 < bounds.length; i++) {
            const part = new PeriodicityCollector();
            recording.replay(part, bounds[i], bounds[i + 1]);
            merged.merge(structuredClone(part.partial()) as PeriodicityPartial);
          }
          expect(round(merged.finish({ zone: 'UTC' }))).toEqual(expected);
        },
      ),
      { numRuns: 15, seed: 42 },
    );
    expect(expected.periods[0].periodMs).toBe(30_000);
  });
});

it('add() costs a few ns per event (printed, not asserted)', () => {
  const n = 3_000_000;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = T0 + i * 50 + ((i * 7919) % 50);
  const nsPerEvent = (errorEvery: number) => {
    const collector = new PeriodicityCollector();
    // CPU time, not wall time: other processes on a busy machine would inflate the figure.
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) collector.add(times[i] as number, i % errorEvery === 0);
    const used = process.cpuUsage(start);
    const ns = ((used.user + used.system) * 1e3) / n;
    expect(collector.finish({ zone: 'UTC' }).errors).toBe(Math.ceil(n / errorEvery));
    return ns;
  };
  nsPerEvent(50); // warm-up
  const costs = [1e9, 50, 2].map((every) => nsPerEvent(every).toFixed(1));
  console.log(
    `PeriodicityCollector.add at 20 events/s (CPU time): ${costs[0]} ns per event without errors, ${costs[1]} with 2% errors, ${costs[2]} with 50%`,
  );
});
