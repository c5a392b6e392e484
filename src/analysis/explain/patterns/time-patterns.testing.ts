/**
 * Seeded synthetic evidence for the periodicity and time-of-day tests:
 * traffic as per-second Poisson counts (fed with addTraffic, one call per
 * second), errors as individual times. Same seed, same data, everywhere.
 */
import { normal, poisson, seededRandom } from '../../series/testing.js';

export const T0 = Date.UTC(2026, 2, 9); // a Monday, 00:00 UTC

export interface PatternSink {
  add(time: number, isError: boolean): void;
  addTraffic(time: number, weight: number): void;
}

export interface Scenario {
  seed: number;
  from?: number;
  hours: number;
  /** Mean events per second at a time (errors included). */
  traffic: (time: number) => number;
  /** Share of events that are errors at a time (errors proportional to traffic). */
  errorShare?: (time: number) => number;
  /** Extra errors, placed by the scenario (a period, a surge, a burst). */
  extraErrors?: (random: () => number) => number[];
}

/** Feeds a scenario into `sink` in time order; returns the number of errors. */
export function feed(sink: PatternSink, scenario: Scenario): number {
  const random = seededRandom(scenario.seed);
  const from = scenario.from ?? T0;
  const seconds = Math.round(scenario.hours * 3600);
  const extra = (scenario.extraErrors?.(random) ?? []).filter(
    (t) => t >= from && t < from + seconds * 1000,
  );
  extra.sort((a, b) => a - b);
  let next = 0;
  let errors = 0;
  for (let s = 0; s < seconds; s++) {
    const t = from + s * 1000;
    const events = poisson(random, scenario.traffic(t));
    const failed = scenario.errorShare
      ? Math.min(events, poisson(random, events * scenario.errorShare(t)))
      : 0;
    if (events - failed > 0) sink.addTraffic(t + Math.floor(random() * 1000), events - failed);
    for (let e = 0; e < failed; e++) sink.add(t + Math.floor(random() * 1000), true);
    errors += failed;
    while (next < extra.length && (extra[next] as number) < t + 1000) {
      sink.add(extra[next] as number, true);
      next++;
      errors++;
    }
  }
  return errors;
}

/** One error per cycle at `phaseMs` into each cycle, with normal jitter of sd `jitterMs`. */
export function periodicErrors(
  from: number,
  hours: number,
  periodMs: number,
  phaseMs: number,
  jitterMs: number,
) {
  return (random: () => number) => {
    const times: number[] = [];
    for (let t = from; t < from + hours * 3_600_000; t += periodMs)
      times.push(Math.round(t + phaseMs + jitterMs * normal(random)));
    return times;
  };
}

/** Homogeneous Poisson errors at `perHour`. */
export function poissonErrors(from: number, hours: number, perHour: number) {
  return (random: () => number) => {
    const times: number[] = [];
    const meanGap = 3_600_000 / perHour;
    const gap = () => -meanGap * Math.log(1 - random());
    for (let t = from + gap(); t < from + hours * 3_600_000; t += gap()) times.push(Math.floor(t));
    return times;
  };
}

/** A daily curve: night trough at 20% of the afternoon peak, `mean` on average. */
export const diurnal = (mean: number) => (time: number) => {
  const hour = (((time / 3_600_000) % 24) + 24) % 24;
  return (mean * (0.6 - 0.4 * Math.cos((2 * Math.PI * (hour - 3)) / 24))) / 0.6;
};

/** Random bursts (retry storms): `perDay` of them, 10-310 errors each within 1-61 s. */
export function randomBursts(from: number, hours: number, perDay: number) {
  return (random: () => number) => {
    const times: number[] = [];
    for (let b = 0; b < Math.round((hours / 24) * perDay); b++) {
      const at = from + random() * hours * 3_600_000;
      const size = 10 + Math.floor(random() * 300);
      const length = 1000 + random() * 60_000;
      for (let i = 0; i < size; i++) times.push(Math.floor(at + random() * length));
    }
    return times;
  };
}

/** Records what a collector is fed, to feed it again in parts. */
export class Recording implements PatternSink {
  readonly events: [time: number, isError: boolean, weight: number][] = [];
  add(time: number, isError: boolean): void {
    this.events.push([time, isError, 1]);
  }
  addTraffic(time: number, weight: number): void {
    this.events.push([time, false, weight]);
  }
  replay(sink: PatternSink, from = 0, to = this.events.length): void {
    for (const [time, isError, weight] of this.events.slice(from, to)) {
      if (isError) sink.add(time, true);
      else sink.addTraffic(time, weight);
    }
  }
}
