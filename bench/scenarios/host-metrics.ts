/**
 * Host metrics in wide CSV form (`timestamp,host,cpu_percent,mem_percent,
 * disk_used_percent,load1`), one row per host every 30-60 s. A healthy host:
 * CPU follows the traffic's daily cycle, memory wanders around a level, the
 * disk grows a little each day, load follows CPU. Kinds replace a metric on
 * one host (a disk filling, memory climbing until restarts) or add to CPU.
 */
import type { Host } from './catalog.js';
import { DAY, isoUtc } from './clock.js';
import type { Rng } from './random.js';

export type MetricName = 'cpu_percent' | 'mem_percent' | 'disk_used_percent' | 'load1';

/** A metric's value at `time`, given what the healthy host would show. */
export type MetricOverride = (time: number, healthy: number) => number;

interface Baseline {
  idle: number;
  busy: number;
  mem: number;
  disk: number;
  diskPerDay: number;
}

export class HostMetrics {
  readonly intervalMs: number;
  readonly #overrides = new Map<string, MetricOverride>();
  readonly #cpuExtra: ((host: string, time: number) => number)[] = [];
  readonly #baselines = new Map<string, Baseline>();

  constructor(
    readonly rng: Rng,
    readonly hosts: readonly Host[],
    /** The traffic's level at a time, 1 on average. */
    readonly load: (time: number) => number,
  ) {
    this.intervalMs = rng.pick([30, 30, 60, 45]) * 1000;
  }

  /** Replaces `metric` on `host`. */
  override(host: string, metric: MetricName, value: MetricOverride): void {
    this.#overrides.set(`${host}\u0000${metric}`, value);
  }

  /** Adds CPU percent (a surge, a job). */
  addCpu(extra: (host: string, time: number) => number): void {
    this.#cpuExtra.push(extra);
  }

  /** A healthy host's disk level at `time` (for kinds that start a ramp from it). */
  diskAt(host: string, time: number, from: number): number {
    const b = this.#baselines.get(host);
    return b ? b.disk + (b.diskPerDay * (time - from)) / DAY : 50;
  }

  #baseline(host: Host): Baseline {
    let b = this.#baselines.get(host.name);
    if (!b) {
      b = {
        idle: this.rng.uniform(3, 8),
        busy: this.rng.uniform(20, 50),
        mem: this.rng.uniform(35, 65),
        disk: this.rng.uniform(25, 70),
        diskPerDay: this.rng.uniform(0.02, 0.3),
      };
      this.#baselines.set(host.name, b);
    }
    return b;
  }

  /** Draws each host's levels: call before `diskAt`. */
  prepare(): void {
    for (const host of this.hosts) this.#baseline(host);
  }

  render(from: number, to: number): string {
    const rows: string[] = ['timestamp,host,cpu_percent,mem_percent,disk_used_percent,load1'];
    const memDrift = new Map<string, number>();
    const start = Math.ceil(from / this.intervalMs) * this.intervalMs;
    for (let t = start; t <= to; t += this.intervalMs) {
      for (const host of this.hosts) {
        const b = this.#baseline(host);
        let cpu =
          b.idle +
          b.busy * this.load(t) * host.weight * this.hosts.length +
          this.rng.normal(0, 1.5);
        for (const extra of this.#cpuExtra) cpu += extra(host.name, t);
        // memory wanders: an AR(1) walk around its level (sd about 1 point)
        const drift = 0.97 * (memDrift.get(host.name) ?? 0) + this.rng.normal(0, 0.25);
        memDrift.set(host.name, drift);
        const values: Record<MetricName, number> = {
          cpu_percent: cpu,
          mem_percent: b.mem + drift,
          disk_used_percent: b.disk + (b.diskPerDay * (t - from)) / DAY + this.rng.normal(0, 0.01),
          load1: 0,
        };
        for (const metric of ['cpu_percent', 'mem_percent', 'disk_used_percent'] as const) {
          const override = this.#overrides.get(`${host.name}\u0000${metric}`);
          if (override) values[metric] = override(t, values[metric]);
        }
        const cpuNow = clamp(values.cpu_percent);
        const load = host.cores * (cpuNow / 100) * (1 + this.rng.normal(0, 0.08));
        const loadOverride = this.#overrides.get(`${host.name}\u0000load1`);
        values.load1 = loadOverride ? loadOverride(t, load) : load;
        rows.push(
          `${isoUtc(t)},${host.name},${cpuNow.toFixed(1)},${clamp(values.mem_percent).toFixed(1)},${clamp(values.disk_used_percent).toFixed(2)},${Math.max(0, values.load1).toFixed(2)}`,
        );
      }
    }
    return `${rows.join('\n')}\n`;
  }
}

const clamp = (v: number) => Math.min(100, Math.max(0.1, v));
