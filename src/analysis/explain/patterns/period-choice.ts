/**
 * Which period a pattern has. One pattern shows at many periods of the
 * ladder: as strongly at its multiples (a 60 s pattern is also there every
 * 120 s, as two peaks), at its divisors in 1/k of their cycles (a 15-minute
 * job shows every 5 min in one cycle of three), and a daily window shows at
 * every period that divides a day. Periods whose peaks line up are one
 * pattern. Its period is the smallest P such that, in the folds of its
 * detected multiples kP (weighed by how well each is established), the
 * peak repeats every P (k peaks of comparable excess, not one); where that
 * cannot be checked (a daily window, bins that do not split evenly), P
 * must show in as many of its cycles, beyond chance, as the strongest
 * (within SAME_PATTERN). Why both: recurrence
 * alone is fooled by a burst astride two cycles of P, which shows in both;
 * the repeated peak is not.
 */
import type { Detected } from './periodicity-text.js';
import type { TimeOfDayWindow } from './time-of-day.js';

export const DAY_S = 86_400;
const SAME_PATTERN = 0.75;
/** The peak repeats when its copies hold, on average, at least this share of its excess errors. */
const REPEAT = 0.7;

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/** A daily window as a detected period of a day (its phase in UTC seconds, as the others'). */
export function asPeriod(w: TimeOfDayWindow, offsetS: number): Detected {
  const widthS = (w.endMinute - w.startMinute) * 60;
  return {
    periodS: DAY_S,
    binS: widthS,
    start: 0,
    size: 1,
    p: w.pValue,
    errors: w.errors,
    expected: w.expectedByTraffic,
    totalErrors: w.errors / Math.max(w.share, 1e-9),
    cycles: w.coveredDays,
    cyclesWithPeak: w.recurringDays,
    cyclesByChance: 0,
    strength: w.recurringDays / Math.max(1, w.coveredDays),
    phaseS: (((w.startMinute * 60 + widthS / 2 - offsetS) % DAY_S) + DAY_S) % DAY_S,
    jitterS: widthS / 4,
    excessByBin: [],
  };
}

/** Whether the two peak windows overlap once both are folded onto the gcd of the periods. */
function linesUp(a: Detected, b: Detected): boolean {
  const g = gcd(a.periodS, b.periodS);
  const d = (((b.phaseS - a.phaseS) % g) + g) % g;
  const halfWidths = (a.size * a.binS + b.size * b.binS) / 2;
  return Math.min(d, g - d) <= halfWidths + Math.max(a.jitterS, b.jitterS);
}

/** Whether the fold of `multiple` repeats its peak every `p.periodS`; undefined when it cannot tell. */
function repeats(multiple: Detected, p: Detected): boolean | undefined {
  const k = multiple.periodS / p.periodS;
  const bins = multiple.excessByBin.length;
  if (!Number.isInteger(k) || k < 2 || bins === 0 || bins % k !== 0) return undefined;
  // The window and a bin either side: each copy of a peak falls on the bins differently.
  const [from, to] = [multiple.start - 1, multiple.start + multiple.size + 1];
  if (to - from > bins / k) return undefined;
  // Measured from the median bin: most bins are background, whatever the peaks' share of errors.
  const baseline = [...multiple.excessByBin].sort((a, b) => a - b)[bins >> 1] as number;
  const excessAt = (shift: number) => {
    let total = 0;
    for (let b = from; b < to; b++)
      total += (multiple.excessByBin[(b + shift + bins) % bins] as number) - baseline;
    return total;
  };
  const peak = excessAt(0);
  if (!(peak > 0)) return undefined;
  // On average over the k - 1 copies: one copy alone is noisy when the multiple has few cycles.
  let copies = 0;
  for (let j = 1; j < k; j++) copies += excessAt((j * bins) / k);
  return copies / (k - 1) >= REPEAT * peak;
}

/** The fundamental period of each pattern among the periods detected (see the file comment). */
export function chooseFundamentals(detected: Detected[]): Detected[] {
  const group = detected.map((_, i) => i);
  const root = (i: number): number => (group[i] === i ? i : root(group[i] as number));
  detected.forEach((a, i) => {
    detected.forEach((b, j) => {
      if (j > i && linesUp(a, b)) group[root(j)] = root(i);
    });
  });
  const chosen: Detected[] = [];
  for (const r of new Set(detected.map((_, i) => root(i)))) {
    const members = detected.filter((_, i) => root(i) === r).sort((a, b) => a.periodS - b.periodS);
    const strongest = Math.max(...members.map((d) => d.strength));
    const fundamental = members.find((p) => {
      // The multiples vote, the better established ones louder: one may hold another pattern
      // or too few cycles, and one whose period shares only a divisor with the pattern's
      // cannot tell (a 1200 s pattern folded every 1800 s repeats every 600 s).
      let votes = 0;
      for (const q of members) {
        const check = q.periodS > p.periodS ? repeats(q, p) : undefined;
        if (check !== undefined) votes += (check ? 1 : -1) * -Math.log10(Math.max(q.p, 1e-300));
      }
      return votes !== 0 ? votes > 0 : p.strength >= SAME_PATTERN * strongest;
    });
    chosen.push(fundamental ?? (members.at(-1) as Detected));
  }
  return chosen.sort((a, b) => a.p - b.p || a.periodS - b.periodS);
}
