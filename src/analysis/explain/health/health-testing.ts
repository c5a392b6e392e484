/**
 * Seeded metric readings for the health tests: a quiet fleet of hosts whose
 * CPU, memory, disk and load are pure noise of a chosen kind, and helpers to
 * plant a cause in it. The same seed gives the same readings on every machine.
 */
import { normal, seededRandom } from '../../series/testing.js';
import type { MetricSample } from './health-metrics.js';
import type { TimeWindow } from './health-shift.js';

export type NoiseKind = 'gaussian' | 'ar1' | 'student-t' | 'lognormal' | 'random-walk';
export const NOISE_KINDS: readonly NoiseKind[] = [
  'gaussian',
  'ar1',
  'student-t',
  'lognormal',
  'random-walk',
];

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const MB = 1024 ** 2;
export const GB = 1024 ** 3;
/** 2026-03-14 08:00 UTC. */
export const START = Date.UTC(2026, 2, 14, 8);

/** Zero-centred noise with unit scale (standard deviation 1 where it has one). */
export function noise(random: () => number, kind: NoiseKind, n: number): number[] {
  const out: number[] = [];
  let state = normal(random);
  for (let i = 0; i < n; i++) {
    switch (kind) {
      case 'gaussian':
        out.push(normal(random));
        break;
      case 'ar1':
        state = 0.9 * state + Math.sqrt(1 - 0.81) * normal(random);
        out.push(state);
        break;
      case 'student-t': {
        const chi = normal(random) ** 2 + normal(random) ** 2 + normal(random) ** 2;
        out.push(normal(random) / Math.sqrt(chi / 3) / Math.sqrt(3));
        break;
      }
      case 'lognormal':
        out.push((Math.exp(0.5 * normal(random)) - Math.exp(0.125)) / 0.6);
        break;
      case 'random-walk':
        // A walk that wanders about one unit over a day of minutes.
        state += normal(random) / 40;
        out.push(state);
        break;
    }
  }
  return out;
}

export interface FleetOptions {
  seed: number;
  noise: NoiseKind;
  hosts?: number;
  /** Minutes of readings, one a minute. */
  minutes?: number;
}

/** Readings of `metric` on `host`, one a minute from START, value(i) for minute i. */
export function readings(
  host: string,
  metric: string,
  minutes: number,
  value: (minute: number) => number,
  resource?: string,
): MetricSample[] {
  const out: MetricSample[] = [];
  for (let i = 0; i < minutes; i++)
    out.push({
      time: START + i * MINUTE,
      host,
      metric,
      value: value(i),
      ...(resource !== undefined ? { resource } : {}),
      source: 'metrics.csv',
      line: i + 2,
    });
  return out;
}

/**
 * A fleet on a quiet day: CPU around 30% (sd 5), memory around 2 GB (sd 50 MB),
 * disk / around 60% and growing 0.2%/h (full in weeks: not news), load around 1.
 */
export function quietFleet(options: FleetOptions): MetricSample[] {
  const random = seededRandom(options.seed);
  const minutes = options.minutes ?? 150;
  const samples: MetricSample[] = [];
  for (let h = 1; h <= (options.hosts ?? 4); h++) {
    const host = `web-${h}`;
    const n = (scale: number) => noise(random, options.noise, minutes).map((v) => v * scale);
    const cpu = n(5);
    const mem = n(50 * MB);
    const disk = n(0.3);
    const load = n(0.3);
    samples.push(
      ...readings(host, 'cpu_percent', minutes, (i) => clamp(30 + (cpu[i] ?? 0), 0, 100)),
      ...readings(host, 'memory_used_bytes', minutes, (i) => 2 * GB + (mem[i] ?? 0)),
      ...readings(
        host,
        'disk_used_percent',
        minutes,
        (i) => 60 + (0.2 * i) / 60 + (disk[i] ?? 0),
        '/',
      ),
      ...readings(host, 'load1', minutes, (i) => Math.max(0, 1 + (load[i] ?? 0))),
    );
  }
  return samples;
}

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Two hours of baseline, then half an hour of incident, as quietFleet lays them out. */
export const WINDOWS: { baseline: TimeWindow; incident: TimeWindow } = {
  baseline: { from: START, to: START + 2 * HOUR },
  incident: { from: START + 2 * HOUR, to: START + 150 * MINUTE },
};

/** Replaces the readings of one host's metric. */
export function replace(
  samples: MetricSample[],
  host: string,
  metric: string,
  value: (minute: number, old: number) => number,
): MetricSample[] {
  return samples.map((s) =>
    s.host === host && s.metric === metric
      ? { ...s, value: value(Math.round((s.time - START) / MINUTE), s.value) }
      : s,
  );
}
