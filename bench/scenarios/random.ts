/**
 * Seeded draws for the generator. Every part of a scenario draws from its own
 * stream (traffic, metrics, the kind's choices...), named by a label: adding a
 * draw to one part does not shift the numbers of the others, so a change to
 * one kind does not silently reshape every scenario.
 */
import { normal, poisson, seededRandom } from '../../src/analysis/series/testing.js';

export class Rng {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** A stream of its own for `label`, fixed by the scenario seed and the label. */
  static stream(seed: number, label: string): Rng {
    // FNV-1a over the label, mixed with the seed: distinct labels, distinct streams.
    let hash = 0x811c9dc5 ^ (seed >>> 0);
    for (let i = 0; i < label.length; i++) {
      hash ^= label.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= Math.imul(seed >>> 0, 0x9e3779b1);
    return new Rng(hash >>> 0);
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** An item with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weight(item);
    let x = this.next() * total;
    for (const item of items) {
      x -= weight(item);
      if (x < 0) return item;
    }
    return items[items.length - 1] as T;
  }

  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, count);
  }

  normal(mean = 0, sd = 1): number {
    return mean + sd * normal(this.next);
  }

  /** Lognormal with the given median and spread (sd of the log). */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * normal(this.next));
  }

  poisson(mean: number): number {
    return poisson(this.next, mean);
  }

  /** Exponential waiting time with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length)
      out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}

/** Draws ids quickly from a fixed table: formatting a fresh number per line was slow. */
export class HexTable {
  readonly #table: string[];

  constructor(rng: Rng, size = 4096) {
    this.#table = Array.from({ length: size }, () => rng.hex(8));
  }

  /** 8 hex digits. */
  hex8(rng: Rng): string {
    return this.#table[Math.floor(rng.next() * this.#table.length)] as string;
  }

  /** A W3C trace id (32 hex digits). */
  traceId(rng: Rng): string {
    return this.hex8(rng) + this.hex8(rng) + this.hex8(rng) + this.hex8(rng);
  }
}
