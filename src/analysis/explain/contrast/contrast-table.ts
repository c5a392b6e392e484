/**
 * The bounded count tables of the contrast collector (contrast.ts): cells of
 * [failures, successes] per time stratum, the epoch-aligned strata grid that
 * coarsens as the span grows, Space-Saving style pruning with error floors,
 * the bottom-k sample of failures, and how partials of all of these merge.
 */
import type { Evidence } from '../../report/model.js';

/**
 * Twelve strata: enough to set an outage hour apart from the rest of a day
 * and a deploy's before from its after, few enough that a cell is 26
 * numbers. Worst case, whatever the input: (9 request and client attributes
 * + 16 region fields) x 400 values + 2 x 64 inputs x (23 shapes + 48 raw
 * values), about 19,000 cells of about 350 bytes, plus 4,000 cells' two
 * examples and the User-Agent cache: under 15 MB per collector.
 */
export const STRATA = 12;
export const SLOTS = STRATA + 1;
/** The slot of events without a time. */
export const UNTIMED = STRATA;
const MINUTE = 60_000;
/** Stratum sizes: each divides the next, so coarsening merges whole strata. */
const STRATUM_MS = [1, 5, 15, 30, 60, 120, 240, 480, 1440].map((m) => m * MINUTE);
export const FIRST_STRATUM_MS = MINUTE;
const nextStratumMs = (ms: number) => STRATUM_MS.find((s) => s > ms) ?? ms * 2;

export const CATEGORY_CAP = 200;
export const RAW_INPUT_CAP = 48;
export const MAX_CELL_EXAMPLES = 2;
/** Failures sampled with the values they carry, to tell which findings are the same failures. */
export const FAILURE_SAMPLE = 256;
/** Failures weigh this much more than (sampled) successes when choosing values to keep. */
const FAILURE_WEIGHT = 16;

export type AttributeKind =
  | 'endpoint'
  | 'method'
  | 'host'
  | 'service'
  | 'browser'
  | 'browserFamily'
  | 'os'
  | 'osVersion'
  | 'device'
  | 'region'
  | 'param'
  | 'field';

/** Counts as plain data: [failures, successes] per stratum, interleaved. */
export interface CellPartial {
  counts: number[];
  /** What the cell may have missed (it was admitted after values were dropped): failures, successes. */
  missed?: [failures: number, successes: number];
  examples?: Evidence[];
}

export interface AttributePartial {
  kind: AttributeKind;
  /** The parameter or field name; for the other kinds, the kind. */
  name: string;
  /** Events carrying the attribute. */
  present: CellPartial;
  /** Values; undefined when there were too many to count raw (inputs only). */
  values?: [value: string, cell: CellPartial][];
  /** Shape labels (codes, see value-shape.ts labelOfCode): inputs only. */
  shapes?: [label: number, cell: CellPartial][];
  /** The most a dropped value had (failures, successes). */
  floor: [number, number];
  /** Some merged part could not track it (its table was full): presence is not comparable. */
  incomplete?: boolean;
}

export interface Cell {
  counts: number[];
  failures: number;
  successes: number;
  missedF: number;
  missedS: number;
  examples?: Evidence[];
}

export interface Attribute {
  kind: AttributeKind;
  name: string;
  present: Cell;
  values: Map<string, Cell> | undefined;
  shapes: (Cell | undefined)[] | undefined;
  floorF: number;
  floorS: number;
  incomplete: boolean;
}

export const isInput = (kind: AttributeKind) => kind === 'param' || kind === 'field';

/** The identity of an attribute value, shared by the failure sample and the ranking. */
export const valueKey = (kind: AttributeKind, name: string, match: string, value: string) =>
  `${kind}:${name}\0${match}\0${value}`;

export const newCell = (missedF = 0, missedS = 0): Cell => ({
  counts: new Array<number>(2 * SLOTS).fill(0),
  failures: 0,
  successes: 0,
  missedF,
  missedS,
});

export function newAttribute(kind: AttributeKind, name: string, labels = 0): Attribute {
  return {
    kind,
    name,
    present: newCell(),
    values: new Map(),
    shapes: isInput(kind) ? new Array<Cell | undefined>(labels) : undefined,
    floorF: 0,
    floorS: 0,
    incomplete: false,
  };
}

/** Failures (parity 0) or successes (1) of interleaved counts. */
export function sumAt(counts: readonly number[], parity: 0 | 1): number {
  let total = 0;
  for (let i = parity; i < counts.length; i += 2) total += counts[i] as number;
  return total;
}

export function bump(cell: Cell, at: number): void {
  cell.counts[at] = (cell.counts[at] as number) + 1;
  if (at & 1) cell.successes++;
  else cell.failures++;
}

export function cellPartial(cell: Cell): CellPartial {
  return {
    counts: [...cell.counts],
    ...(cell.missedF || cell.missedS ? { missed: [cell.missedF, cell.missedS] } : {}),
    ...(cell.examples ? { examples: [...cell.examples] } : {}),
  };
}

export interface Grid {
  stratumMs: number;
  origin: number;
}

/** Counts of one grid on another whose strata are whole multiples of the first's. */
export function regridCounts(counts: readonly number[], from: Grid, to: Grid): number[] {
  const out = new Array<number>(2 * SLOTS).fill(0);
  for (let j = 0; j < STRATA; j++) {
    const f = counts[2 * j] as number;
    const s = counts[2 * j + 1] as number;
    if (f === 0 && s === 0) continue;
    const k = Math.floor(((from.origin + j) * from.stratumMs) / to.stratumMs) - to.origin;
    out[2 * k] = (out[2 * k] as number) + f;
    out[2 * k + 1] = (out[2 * k + 1] as number) + s;
  }
  out[2 * UNTIMED] = counts[2 * UNTIMED] as number;
  out[2 * UNTIMED + 1] = counts[2 * UNTIMED + 1] as number;
  return out;
}

/**
 * The finest grid (from `stratumMs` up) on which [lo, hi] fits. It depends
 * on the span only, so one pass and any merge of its parts end on the same.
 */
export function gridFor(lo: number, hi: number, stratumMs: number): Grid {
  let size = stratumMs;
  while (Math.floor(hi / size) - Math.floor(lo / size) >= STRATA) size = nextStratumMs(size);
  return { stratumMs: size, origin: Math.floor(lo / size) };
}

/** Keeps the `keep` values with the most (weighted) counts; raises the floor to what was dropped. */
export function prune(attribute: Attribute, keep: number): void {
  const values = attribute.values;
  if (!values || values.size <= keep) return;
  const score = (c: Cell) => c.failures * FAILURE_WEIGHT + c.successes;
  const ranked = [...values].sort((a, b) => score(b[1]) - score(a[1]));
  for (const [value, cell] of ranked.slice(keep)) {
    attribute.floorF = Math.max(attribute.floorF, cell.failures + cell.missedF);
    attribute.floorS = Math.max(attribute.floorS, cell.successes + cell.missedS);
    values.delete(value);
  }
}

export interface CellMerger {
  align: (counts: number[]) => number[];
  shift: (e: Evidence) => Evidence;
  /** Whether another cell may start keeping examples (a global budget). */
  takeExampleCell: () => boolean;
}

export function addCell(into: Cell, from: CellPartial, m: CellMerger): void {
  const counts = m.align(from.counts);
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] as number;
    if (n === 0) continue;
    into.counts[i] = (into.counts[i] as number) + n;
    if (i & 1) into.successes += n;
    else into.failures += n;
  }
  into.missedF += from.missed?.[0] ?? 0;
  into.missedS += from.missed?.[1] ?? 0;
  for (const e of from.examples ?? []) {
    if ((into.examples?.length ?? 0) >= MAX_CELL_EXAMPLES) break;
    if (!into.examples && !m.takeExampleCell()) break;
    into.examples = [...(into.examples ?? []), m.shift(e)];
  }
}

/** The cell of shape label `code`, made on first use. */
export function shapeCell(shapes: (Cell | undefined)[], code: number): Cell {
  let cell = shapes[code];
  if (!cell) {
    cell = newCell();
    shapes[code] = cell;
  }
  return cell;
}

export function mergeAttribute(into: Attribute, from: AttributePartial, m: CellMerger): void {
  addCell(into.present, from.present, m);
  const shapes = into.shapes;
  if (shapes)
    for (const [code, cell] of from.shapes ?? []) addCell(shapeCell(shapes, code), cell, m);
  if (from.incomplete) into.incomplete = true;
  const input = isInput(from.kind);
  if (input && (!from.values || !into.values)) {
    into.values = undefined;
    return;
  }
  const values = into.values as Map<string, Cell>;
  const [floorF, floorS] = from.floor;
  const theirs = new Set<string>();
  for (const [value, cell] of from.values ?? []) {
    theirs.add(value);
    let mine = values.get(value);
    if (!mine) {
      if (input && values.size >= RAW_INPUT_CAP) {
        into.values = undefined;
        return;
      }
      mine = newCell(into.floorF, into.floorS);
      values.set(value, mine);
    }
    addCell(mine, cell, m);
  }
  // A value they dropped may have had up to their floor there.
  if (floorF || floorS)
    for (const [value, cell] of values)
      if (!theirs.has(value)) {
        cell.missedF += floorF;
        cell.missedS += floorS;
      }
  into.floorF += floorF;
  into.floorS += floorS;
  if (!input && values.size >= 2 * CATEGORY_CAP) prune(into, CATEGORY_CAP);
}

/** One sampled failure: its hash (the sample keeps the smallest) and the values it carried. */
export type SampledFailure = [hash: number, keys: string[]];

/** A hash of what a failure says, independent of where it was read (line numbers differ by thread). */
export function failureHash(time: number | undefined, message: string, host?: string): number {
  const t = time ?? 0;
  let h = Math.imul((t >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ ((t / 4294967296) >>> 0);
  for (let i = 0; i < message.length; i++) h = Math.imul(h ^ message.charCodeAt(i), 0x01000193);
  if (host) for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** One comparator for every sort (a closure made per call is compiled per call). */
const byHash = (x: SampledFailure, y: SampledFailure) => x[0] - y[0];

/** The FAILURE_SAMPLE smallest hashes of two samples: what one pass over both keeps. */
export function mergeSamples(
  a: readonly SampledFailure[],
  b: readonly SampledFailure[],
): SampledFailure[] {
  return [...a, ...b].sort(byHash).slice(0, FAILURE_SAMPLE);
}
