/**
 * Per-cycle recurrence (cycle-tally.ts) over several logs. Logs of several
 * hosts cover the same hours, and the collector reads them one after the
 * other; counting their cycles together would count one burst on twelve
 * hosts as twelve cycles, which the test takes as independent: a burst
 * would fake a period. So each pass over time (a log read in time order; a
 * step back of more than REWIND_S starts the next) is tallied on its own,
 * each window keeps its best pass, and the p-value is corrected for the
 * number of passes (Bonferroni). A pattern in one host's log of twelve is
 * then as visible as if that log were alone, and no burst counts twice.
 *
 * The first and the current pass stay open, so a log split between worker
 * threads joins on merge into one pass.
 */

import { type ExcessChance, PassTally, type PassTallyPartial, WINDOW_BINS } from './cycle-tally.js';
import { excessProbability, logTailBound } from './phase.js';

/** A step back in time longer than this starts another pass. */
const REWIND_S = 600;
/** Cycles with fewer errors than this take their chance of an excess from a table. */
const MEMO = 512;

/** Each window's best pass: its p-value and the counts behind it. */
export interface BestPasses {
  /** log of the window's p-value in its best pass. */
  logP: number[];
  cyclesWithPeak: number[];
  cyclesByChance: number[];
  /** Cycles the pass covers, from its first to its last error. */
  cycles: number[];
}

export interface CycleTallyPartial {
  passes: number;
  best: BestPasses;
  first?: PassTallyPartial;
  current?: PassTallyPartial;
}

/** excessProbability by window size and error count, each computed once (see ExcessChance). */
class RememberedChance implements ExcessChance {
  readonly #memo: Float64Array;

  constructor(sizes: number) {
    this.#memo = new Float64Array(sizes * MEMO).fill(Number.NaN);
  }

  of(s: number, n: number, share: number): number {
    if (n >= MEMO) return excessProbability(n, share);
    const at = s * MEMO + n;
    let chance = this.#memo[at] as number;
    if (Number.isNaN(chance)) {
      chance = excessProbability(n, share);
      this.#memo[at] = chance;
    }
    return chance;
  }
}

export class CycleTally {
  readonly sizes: readonly number[];
  readonly #best: BestPasses;
  #closed = 0;
  #first: PassTally | undefined;
  #current: PassTally | undefined;

  constructor(
    readonly periodSeconds: number,
    readonly bins: number,
  ) {
    this.sizes = WINDOW_BINS.filter((size) => 4 * size <= bins);
    this.#chance = new RememberedChance(this.sizes.length);
    const windows = this.sizes.length * bins;
    this.#best = {
      logP: new Array<number>(windows).fill(0),
      cyclesWithPeak: new Array<number>(windows).fill(0),
      cyclesByChance: new Array<number>(windows).fill(0),
      cycles: new Array<number>(windows).fill(0),
    };
  }

  /** excessProbability, remembered: cycles mostly hold a handful of errors. */
  readonly #chance: ExcessChance;

  #pass(part?: PassTallyPartial): PassTally {
    const pass = new PassTally(this.periodSeconds, this.bins, this.sizes, this.#chance);
    if (part) pass.merge(part);
    return pass;
  }

  /** `counts[i]` errors in the second `seconds[i]`, for the first `n` entries, in input order. */
  addSeconds(seconds: ArrayLike<number>, counts: ArrayLike<number>, n: number): void {
    this.#current ??= this.#pass();
    let from = 0;
    let top = this.#current.to;
    for (let i = 0; i < n; i++) {
      const second = seconds[i] as number;
      if (second > top) top = second;
      else if (second < top - REWIND_S) {
        this.#current.addSeconds(seconds, counts, from, i);
        this.#close();
        this.#current = this.#pass();
        from = i;
        top = second;
      }
    }
    this.#current.addSeconds(seconds, counts, from, n);
  }

  /** The current pass is done: the first stays open (for merge), later ones keep their best windows. */
  #close(): void {
    if (!this.#current) return;
    if (this.#first) this.#fold(this.#current.result(), this.#best);
    else this.#first = this.#current;
    this.#closed++;
    this.#current = undefined;
  }

  #fold(pass: ReturnType<PassTally['result']>, best: BestPasses): void {
    const cycles =
      pass.judged > 0
        ? Math.floor(pass.to / this.periodSeconds) - Math.floor(pass.from / this.periodSeconds) + 1
        : 0;
    this.sizes.forEach((_, s) => {
      const chance = pass.expected[s] as number;
      for (let start = 0; start < this.bins; start++) {
        const w = s * this.bins + start;
        const withPeak = pass.excess[w] as number;
        const logP = logTailBound(withPeak, pass.judged, pass.judged ? chance / pass.judged : 0);
        if (
          logP > (best.logP[w] as number) ||
          (logP === best.logP[w] && withPeak <= (best.cyclesWithPeak[w] as number))
        )
          continue;
        best.logP[w] = logP;
        best.cyclesWithPeak[w] = withPeak;
        best.cyclesByChance[w] = chance;
        best.cycles[w] = Math.max(cycles, withPeak);
      }
    });
  }

  partial(): CycleTallyPartial {
    const first = this.#first?.partial();
    const current = this.#current?.partial();
    return {
      passes: this.#closed - (this.#first ? 1 : 0),
      best: structuredClone(this.#best),
      ...(first ? { first } : {}),
      ...(current ? { current } : {}),
    };
  }

  /** Adds a later part of the input: its first pass continues ours unless time stepped back. */
  merge(part: CycleTallyPartial): void {
    const lead = part.first ?? part.current;
    if (lead) {
      const current = this.#current;
      if (current && lead.from >= current.to - REWIND_S) current.merge(lead);
      else {
        this.#close();
        this.#current = this.#pass(lead);
      }
      if (part.first && part.current) {
        this.#close();
        this.#current = this.#pass(part.current);
      }
    }
    this.#closed += part.passes;
    const best = this.#best;
    part.best.logP.forEach((logP, w) => {
      if (logP > (best.logP[w] as number)) return;
      best.logP[w] = logP;
      best.cyclesWithPeak[w] = part.best.cyclesWithPeak[w] as number;
      best.cyclesByChance[w] = part.best.cyclesByChance[w] as number;
      best.cycles[w] = part.best.cycles[w] as number;
    });
  }

  /** Each window's best pass over all passes, and how many passes there were (for Bonferroni). */
  result(): BestPasses & { passes: number } {
    const best = structuredClone(this.#best);
    for (const pass of [this.#first, this.#current]) if (pass) this.#fold(pass.result(), best);
    return { ...best, passes: this.#closed + (this.#current ? 1 : 0) };
  }
}
