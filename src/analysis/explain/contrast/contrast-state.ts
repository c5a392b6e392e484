/**
 * Everything a contrast collector (contrast.ts) has counted, as one state
 * object, and how it becomes plain data (`toPartial`) and takes in another
 * collector's (`mergePartial`): worker threads each count part of the input
 * and the main thread merges their partials in input order.
 */
import type { Evidence } from '../../report/model.js';
import {
  type Attribute,
  type AttributeKind,
  type AttributePartial,
  addCell,
  type Cell,
  type CellMerger,
  type CellPartial,
  cellPartial,
  FAILURE_SAMPLE,
  FIRST_STRATUM_MS,
  type Grid,
  gridFor,
  isInput,
  mergeAttribute,
  mergeSamples,
  newAttribute,
  newCell,
  regridCounts,
  type SampledFailure,
  valueKey,
} from './contrast-table.js';
import { LABEL_COUNT } from './value-shape.js';

export const MAX_INPUT_ATTRIBUTES = 64;
export const MAX_REGION_ATTRIBUTES = 16;
export const MAX_EXAMPLE_CELLS = 4000;
export const MAX_STATUSES = 64;
export const MAX_EXAMPLES = 3;

export const FIXED_KINDS = [
  'endpoint',
  'method',
  'host',
  'service',
  'browser',
  'browserFamily',
  'os',
  'osVersion',
  'device',
] as const;

export interface ContrastPartial {
  /** 1 in `sampling` successes was counted. */
  sampling: number;
  grid: { stratumMs: number; origin?: number; minTime: number; maxTime: number };
  total: CellPartial;
  attributes: AttributePartial[];
  /** Parameter, field or region names were ignored because the tables were full. */
  overflowed: boolean;
  /** HTTP statuses of the failures, to name them ("the 500s"). */
  failureStatuses: [status: number, count: number][];
  /** Failures sampled with the values they carried, smallest hash first. */
  sample: SampledFailure[];
  examples: Evidence[];
}

export interface ContrastState {
  sampling: number;
  stratumMs: number;
  /** First stratum, in units of stratumMs since the epoch; undefined before any timed event. */
  origin: number | undefined;
  minTime: number;
  maxTime: number;
  total: Cell;
  fixed: Map<string, Attribute>;
  params: Map<string, Attribute>;
  fields: Map<string, Attribute>;
  regions: Map<string, Attribute>;
  overflowed: boolean;
  statuses: Map<number, number>;
  examples: Evidence[];
  exampleCells: number;
  sample: SampledFailure[];
  /** The largest hash in a full sample: a failure hashing lower replaces it. */
  sampleMax: number;
}

export function newState(sampling: number): ContrastState {
  return {
    sampling,
    stratumMs: FIRST_STRATUM_MS,
    origin: undefined,
    minTime: Number.POSITIVE_INFINITY,
    maxTime: Number.NEGATIVE_INFINITY,
    total: newCell(),
    fixed: new Map(FIXED_KINDS.map((k) => [k, newAttribute(k, k)])),
    params: new Map(),
    fields: new Map(),
    regions: new Map(),
    overflowed: false,
    statuses: new Map(),
    examples: [],
    exampleCells: 0,
    sample: [],
    sampleMax: 0,
  };
}

export function* attributesOf(s: ContrastState): Generator<Attribute> {
  yield* s.fixed.values();
  yield* s.regions.values();
  yield* s.params.values();
  yield* s.fields.values();
}

function* cellsOf(s: ContrastState): Generator<Cell> {
  yield s.total;
  for (const attribute of attributesOf(s)) {
    yield attribute.present;
    if (attribute.values) yield* attribute.values.values();
    for (const cell of attribute.shapes ?? []) if (cell) yield cell;
  }
}

/** Moves every count onto the grid `to` (coarser, or shifted to an earlier origin). */
export function regrid(s: ContrastState, to: Grid): void {
  const from = { stratumMs: s.stratumMs, origin: s.origin ?? to.origin };
  if (from.stratumMs !== to.stratumMs || from.origin !== to.origin)
    for (const cell of cellsOf(s)) cell.counts = regridCounts(cell.counts, from, to);
  s.stratumMs = to.stratumMs;
  s.origin = to.origin;
}

export function addToSample(s: ContrastState, entry: SampledFailure): void {
  const sample = s.sample;
  if (sample.length < FAILURE_SAMPLE) {
    sample.push(entry);
    if (sample.length === FAILURE_SAMPLE)
      s.sampleMax = sample.reduce((m, [h]) => Math.max(m, h), 0);
    return;
  }
  // The (first) largest hash is replaced, and the new largest is the larger of
  // the runner-up and the new hash: one pass, where a second one recomputed it
  // (an incident's failures replace sample entries thousands of times a piece).
  let largest = 0;
  let runnerUp = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < sample.length; i++) {
    const hash = (sample[i] as SampledFailure)[0];
    const max = (sample[largest] as SampledFailure)[0];
    if (hash > max) {
      runnerUp = max;
      largest = i;
    } else if (hash > runnerUp) runnerUp = hash;
  }
  sample[largest] = entry;
  s.sampleMax = Math.max(runnerUp, entry[0], 0);
}

export function noteStatus(s: ContrastState, status: number, count: number): void {
  if (s.statuses.has(status) || s.statuses.size < MAX_STATUSES)
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + count);
}

/*
 * The two functions below are written as plain loops, not with closures
 * passed to filter and map: a worker thread makes a partial per piece, and
 * closures made anew per call were compiled anew per piece.
 */

/** Raw values of an attribute that turned out to have too many are forgotten in the sample too. */
function sampleWithoutDroppedValues(s: ContrastState): SampledFailure[] {
  const dropped = new Set<string>();
  for (const a of attributesOf(s))
    if (!a.values) dropped.add(valueKey(a.kind, a.name, 'value', ''));
  const sample = mergeSamples(s.sample, []);
  const out: SampledFailure[] = [];
  for (const [h, keys] of sample) {
    const kept: string[] = [];
    for (const key of keys)
      if (!dropped.has(key.slice(0, key.lastIndexOf('\0') + 1))) kept.push(key);
    out.push([h, kept]);
  }
  return out;
}

export function toPartial(s: ContrastState): ContrastPartial {
  const attributes: AttributePartial[] = [];
  for (const a of attributesOf(s)) {
    let shapes: [number, CellPartial][] | undefined;
    if (a.shapes) {
      shapes = [];
      for (let code = 0; code < a.shapes.length; code++) {
        const c = a.shapes[code];
        if (c) shapes.push([code, cellPartial(c)]);
      }
    }
    let values: [string, CellPartial][] | undefined;
    if (a.values) {
      values = [];
      for (const [v, c] of a.values) values.push([v, cellPartial(c)]);
    }
    attributes.push({
      kind: a.kind,
      name: a.name,
      present: cellPartial(a.present),
      ...(values ? { values } : {}),
      ...(shapes ? { shapes } : {}),
      floor: [a.floorF, a.floorS],
      ...(a.incomplete ? { incomplete: true } : {}),
    });
  }
  return {
    sampling: s.sampling,
    grid: {
      stratumMs: s.stratumMs,
      ...(s.origin !== undefined ? { origin: s.origin } : {}),
      minTime: s.minTime,
      maxTime: s.maxTime,
    },
    total: cellPartial(s.total),
    attributes,
    overflowed: s.overflowed,
    failureStatuses: [...s.statuses],
    sample: sampleWithoutDroppedValues(s),
    examples: [...s.examples],
  };
}

function familyOf(s: ContrastState, kind: AttributeKind): Map<string, Attribute> {
  if (kind === 'param') return s.params;
  if (kind === 'field') return s.fields;
  if (kind === 'region') return s.regions;
  return s.fixed;
}

/**
 * Adds another collector's partial. Merging the parts of an input in order
 * gives what one pass over all of it gives: exactly while no table
 * overflowed (the grid depends only on the span, the sample keeps the
 * smallest hashes, raw values are kept exactly or not at all), and within
 * the stated error bounds otherwise.
 */
export function mergePartial(s: ContrastState, part: ContrastPartial, lineOffset = 0): void {
  if (part.sampling !== s.sampling)
    throw new Error(`cannot merge contrasts sampled 1 in ${part.sampling} into 1 in ${s.sampling}`);
  const merger: CellMerger = {
    align: (counts) => counts,
    shift: (e) => (lineOffset ? { ...e, line: e.line + lineOffset } : e),
    takeExampleCell: () => s.exampleCells++ < MAX_EXAMPLE_CELLS,
  };
  const theirs = part.grid;
  if (theirs.origin !== undefined) {
    s.minTime = Math.min(s.minTime, theirs.minTime);
    s.maxTime = Math.max(s.maxTime, theirs.maxTime);
    const to = gridFor(s.minTime, s.maxTime, Math.max(s.stratumMs, theirs.stratumMs));
    regrid(s, to);
    const from = { stratumMs: theirs.stratumMs, origin: theirs.origin };
    merger.align = (counts) => regridCounts(counts, from, to);
  }
  addCell(s.total, part.total, merger);
  for (const e of part.examples)
    if (s.examples.length < MAX_EXAMPLES) s.examples.push(merger.shift(e));
  for (const [status, n] of part.failureStatuses) noteStatus(s, status, n);
  s.sample = mergeSamples(s.sample, part.sample);
  if (s.sample.length === FAILURE_SAMPLE)
    s.sampleMax = s.sample.reduce((m, [h]) => Math.max(m, h), 0);

  const seen = new Set<Attribute>();
  for (const from of part.attributes) {
    const family = familyOf(s, from.kind);
    let into = family.get(from.name);
    if (!into) {
      const cap = from.kind === 'region' ? MAX_REGION_ATTRIBUTES : MAX_INPUT_ATTRIBUTES;
      if (family.size >= cap) {
        s.overflowed = true;
        continue;
      }
      into = newAttribute(from.kind, from.name, LABEL_COUNT);
      // Had this collector ignored the name, its own events with it are missing.
      into.incomplete = s.overflowed;
      family.set(from.name, into);
    }
    seen.add(into);
    mergeAttribute(into, from, merger);
  }
  if (part.overflowed)
    for (const a of attributesOf(s))
      if (!seen.has(a) && (isInput(a.kind) || a.kind === 'region')) a.incomplete = true;
  s.overflowed ||= part.overflowed;
}
