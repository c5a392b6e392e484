/**
 * The burst guard of the periodicity question: for one candidate period,
 * in how many cycles did each phase window hold more than its share of
 * that cycle's errors, and how many would chance give?
 *
 * Why per cycle: folded counts let one burst of 10,000 errors (one cycle)
 * outweigh 1,000 cycles of a real pattern; a cycle that holds the burst
 * counts once here, like any other. Why "more than its share" and not "any
 * error": with a steady background every window of every cycle has some
 * error, and presence alone would then see nothing; the excess over the
 * cycle's own share still sees a periodic spike on top.
 *
 * Under the null (a cycle's errors fall anywhere in it alike, as a
 * homogeneous Poisson stream does) a window of share tau is in excess with
 * probability P(Bin(n, tau) > n tau) for a cycle of n errors, known exactly
 * (excessProbability); the count over cycles is a sum of independent
 * Bernoulli trials, so tailBound applies. Errors clustered in bursts make
 * excess rarer for narrow windows, never commoner: the test stays honest.
 *
 * Cost: the collector feeds one call per second that holds errors (not per
 * error), and a cycle is judged once, when the next one starts: O(bins x
 * sizes) per cycle with errors. The first and the last cycle stay open, so
 * a cycle cut in two by a split between worker threads joins on merge.
 *
 * A PassTally counts one pass over time (one log read in time order);
 * cycle-recurrence.ts keeps the passes of several logs apart.
 */
import { excessProbability } from './phase.js';

/** Window sizes in bins, capped at a quarter of the cycle: a pattern is a narrow peak. */
export const WINDOW_BINS = [1, 2, 3, 4, 6, 8];

export interface OpenCycle {
  cycle: number;
  counts: number[];
  total: number;
}

export interface PassTallyPartial {
  /** First and last second with errors (epoch seconds). */
  from: number;
  to: number;
  judged: number;
  /** By window: sizes.indexOf(size) * bins + start. */
  excess: number[];
  /** By size: the sum over judged cycles of the chance of an excess. */
  expected: number[];
  head?: OpenCycle;
  tail?: OpenCycle;
}

/**
 * The chance that a window of `size` bins holds more than its share of a
 * cycle's n errors. An object with a method, not a function: each period's
 * tally has its own (remembering its chances), and one call site calling
 * many closures could not be compiled to a direct call.
 */
export interface ExcessChance {
  of(sizeIndex: number, n: number, share: number): number;
}

const exactChance: ExcessChance = { of: (_, n, share) => excessProbability(n, share) };

export class PassTally {
  readonly #binSeconds: number;
  #judged = 0;
  #from = Number.POSITIVE_INFINITY;
  #to = Number.NEGATIVE_INFINITY;
  readonly #excess: Float64Array;
  readonly #expected: Float64Array;
  #head: OpenCycle | undefined;
  #tail: OpenCycle | undefined;
  /** The first second of the tail's cycle (NaN without one). */
  #tailStart = Number.NaN;
  readonly #prefix: Float64Array;
  readonly #held: Int32Array;
  readonly #stamp: Int32Array;
  #stamps = 0;

  constructor(
    readonly periodSeconds: number,
    readonly bins: number,
    readonly sizes: readonly number[],
    readonly chance: ExcessChance = exactChance,
  ) {
    this.#binSeconds = periodSeconds / bins;
    this.#excess = new Float64Array(sizes.length * bins);
    this.#expected = new Float64Array(sizes.length);
    this.#prefix = new Float64Array(2 * bins + 1);
    this.#held = new Int32Array(bins);
    this.#stamp = new Int32Array(bins);
  }

  /** The last second with errors so far (epoch seconds). */
  get to(): number {
    return this.#to;
  }

  /** `counts[i]` errors in the second `seconds[i]` (since the epoch), for i in [from, to). */
  addSeconds(
    seconds: ArrayLike<number>,
    counts: ArrayLike<number>,
    from: number,
    to: number,
  ): void {
    const period = this.periodSeconds;
    const binSeconds = this.#binSeconds;
    // The cycle's start is kept, not computed from the tail here: code that
    // the first call skips (it has no tail yet) would be compiled without
    // knowing its types and thrown away at the second.
    let open = this.#tail;
    let start = this.#tailStart;
    for (let i = from; i < to; i++) {
      const second = seconds[i] as number;
      if (second > this.#to) this.#to = second;
      if (second < this.#from) this.#from = second;
      const count = counts[i] as number;
      if (open === undefined || !(second >= start && second < start + period)) {
        open = this.#open(Math.floor(second / period));
        start = open.cycle * period;
        this.#tailStart = start;
      }
      const bin = Math.floor((second - start) / binSeconds);
      open.counts[bin] = (open.counts[bin] as number) + count;
      open.total += count;
    }
  }

  #open(cycle: number): OpenCycle {
    let fresh: OpenCycle | undefined;
    if (this.#tail) {
      if (this.#head) {
        this.#judgeCounted(this.#tail);
        fresh = this.#tail;
        fresh.counts.fill(0);
      } else this.#head = this.#tail;
    }
    fresh ??= { cycle, counts: new Array<number>(this.bins).fill(0), total: 0 };
    fresh.cycle = cycle;
    fresh.total = 0;
    this.#tail = fresh;
    return fresh;
  }

  #judge(open: OpenCycle, excess: Float64Array, expected: Float64Array): void {
    const total = open.total;
    if (total <= 0) return;
    const bins = this.bins;
    const counts = open.counts;
    const prefix = this.#prefix;
    const held = this.#held;
    let binsHeld = 0;
    for (let i = 0; i < 2 * bins; i++) {
      const count = counts[i < bins ? i : i - bins] as number;
      prefix[i + 1] = (prefix[i] as number) + count;
      if (i < bins && count !== 0) held[binsHeld++] = i;
    }
    const stamp = this.#stamp;
    for (let s = 0; s < this.sizes.length; s++) {
      const size = this.sizes[s] as number;
      const share = size / bins;
      expected[s] = (expected[s] as number) + this.chance.of(s, total, share);
      const threshold = total * share + 1e-9;
      const row = s * bins;
      const dense = binsHeld * size >= bins;
      // Few busy bins (the usual cycle): only the windows over them can be in excess.
      const candidates = dense ? bins : binsHeld * size;
      const mark = ++this.#stamps;
      for (let c = 0; c < candidates; c++) {
        const start = dense ? c : ((held[(c / size) | 0] as number) - (c % size) + bins) % bins;
        if (!dense) {
          if (stamp[start] === mark) continue;
          stamp[start] = mark;
        }
        if ((prefix[start + size] as number) - (prefix[start] as number) > threshold)
          excess[row + start] = (excess[row + start] as number) + 1;
      }
    }
  }

  partial(): PassTallyPartial {
    const copy = (c: OpenCycle | undefined) => c && { ...c, counts: [...c.counts] };
    const head = copy(this.#head);
    const tail = copy(this.#tail);
    return {
      from: this.#from,
      to: this.#to,
      judged: this.#judged,
      excess: [...this.#excess],
      expected: [...this.#expected],
      ...(head ? { head } : {}),
      ...(tail ? { tail } : {}),
    };
  }

  /** Adds a later part of the input (see `partial`); the cycle the split cut joins again. */
  merge(part: PassTallyPartial): void {
    this.#from = Math.min(this.#from, part.from);
    this.#to = Math.max(this.#to, part.to);
    this.#judged += part.judged;
    for (let i = 0; i < this.#excess.length; i++)
      this.#excess[i] = (this.#excess[i] as number) + (part.excess[i] ?? 0);
    for (let i = 0; i < this.#expected.length; i++)
      this.#expected[i] = (this.#expected[i] as number) + (part.expected[i] ?? 0);
    const joined: OpenCycle[] = [];
    for (const open of [this.#head, this.#tail, part.head, part.tail]) {
      if (!open) continue;
      const last = joined.at(-1);
      if (last && last.cycle === open.cycle) {
        for (let b = 0; b < this.bins; b++)
          last.counts[b] = (last.counts[b] as number) + (open.counts[b] ?? 0);
        last.total += open.total;
      } else joined.push({ ...open, counts: [...open.counts] });
    }
    for (const open of joined.slice(1, -1)) this.#judgeCounted(open);
    this.#head = joined.length > 1 ? joined[0] : undefined;
    this.#tail = joined.at(-1);
    this.#tailStart = this.#tail ? this.#tail.cycle * this.periodSeconds : Number.NaN;
  }

  #judgeCounted(open: OpenCycle): void {
    if (open.total > 0) this.#judged++;
    this.#judge(open, this.#excess, this.#expected);
  }

  /** Everything tallied, the open cycles judged too (the tally itself is left as it is). */
  result(): {
    judged: number;
    excess: Float64Array;
    expected: Float64Array;
    from: number;
    to: number;
  } {
    const excess = this.#excess.slice();
    const expected = this.#expected.slice();
    let judged = this.#judged;
    for (const open of [this.#head, this.#tail]) {
      if (!open || open.total <= 0) continue;
      judged++;
      this.#judge(open, excess, expected);
    }
    return { judged, excess, expected, from: this.#from, to: this.#to };
  }
}
