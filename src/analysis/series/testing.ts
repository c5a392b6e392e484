/**
 * Seeded random numbers for the series tests and synthetic traffic: the same seed
 * gives the same series on every machine, so tests are deterministic.
 */

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box-Muller). */
export function normal(random: () => number): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Poisson draw: exact (Knuth) below a mean of 30, normal approximation above. */
export function poisson(random: () => number, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

export interface TrafficOptions {
  seed: number;
  /** Number of buckets. */
  buckets: number;
  /** Buckets per day (the period of the traffic cycle). */
  perDay: number;
  /** Mean requests per bucket. */
  meanTraffic: number;
  /** Error rate per bucket index. */
  rate: (bucket: number) => number;
  /** Lognormal noise (sd of log) on each bucket's error rate: extra-Poisson noise. */
  rateNoise?: number;
}

/**
 * Synthetic traffic with a daily cycle (night trough at 20% of the peak) and Poisson
 * noise, and Poisson errors at `rate(t)` of each bucket's traffic.
 */
export function syntheticTraffic(options: TrafficOptions): { errors: number[]; totals: number[] } {
  const random = seededRandom(options.seed);
  const errors: number[] = [];
  const totals: number[] = [];
  for (let t = 0; t < options.buckets; t++) {
    const cycle = 0.6 - 0.4 * Math.cos((2 * Math.PI * t) / options.perDay);
    const total = poisson(random, options.meanTraffic * cycle * (1 / 0.6));
    const noise = options.rateNoise ? Math.exp(options.rateNoise * normal(random)) : 1;
    totals.push(total);
    errors.push(Math.min(total, poisson(random, total * options.rate(t) * noise)));
  }
  return { errors, totals };
}
