/**
 * "Patterns in the data inputs" (issue 4, question 6), like Honeycomb's
 * BubbleUp: which attribute values are over-represented among the failing
 * events compared with the successful ones. `ContrastCollector` counts in
 * the single streaming pass (its tables: contrast-table.ts and
 * contrast-state.ts); `rankContrasts` (contrast-rank.ts) turns the counts
 * into findings with evidence.
 *
 * What is counted, per attribute and value, failures and successes:
 * endpoint (method + masked path), method, host, service, browser (family
 * and major), browser family, OS, OS version, device, region-like fields
 * (region, zone, country ...), and for every query parameter and other
 * structured field its presence, the shape of its value (value-shape.ts)
 * and, while the attribute has at most RAW_INPUT_CAP distinct values, the
 * raw values. A failure is `isError` (which includes HTTP status >= 500);
 * every other event is a success (4xx included: the server answered).
 *
 * Why counts per time stratum: failures come in bursts and the traffic mix
 * drifts (a batch endpoint at 03:00, mobile in the evening), so comparing
 * failures with all successes blames whatever was common while things
 * failed. Each count is kept in STRATA time buckets (plus one for events
 * without a time) on an epoch-aligned grid that coarsens as the span grows,
 * and failures are compared with the successes of the same buckets (a
 * Cochran-Mantel-Haenszel design; the tests are in contrast-stats.ts).
 *
 * Memory is bounded whatever the input: at most MAX_INPUT_ATTRIBUTES
 * parameters and fields each (later names are ignored and the answer says
 * so), categorical values pruned Space-Saving style (at 2 x CATEGORY_CAP
 * values the least frequent half is dropped; a value admitted later carries
 * `missed` counts, the most a dropped value had, so every count is a lower
 * bound with a known error, and the tests use the conservative end), raw
 * input values exact or not at all, and the User-Agent cache bounded. While
 * nothing overflows, counts are exact and merging partials gives exactly
 * what one pass gives.
 *
 * Evidence: each value keeps its first failing lines, with the value they
 * matched appended (`POST /api/pay 500 · amount=12.50`, or the User-Agent),
 * since an access log's message does not show its query or client.
 *
 * Cost per event: failures are always counted; successes may be sampled
 * (`successSampling`: keep 1 in N, chosen by a seeded generator, never by a
 * content hash, which would keep or drop identical requests together).
 * Sampled successes are a uniform sample, so the comparison stays valid; the
 * traffic figures are scaled back by N. The generator draws the gap to the
 * next kept success (geometric, as the gaps between independent 1-in-N
 * draws are), not one number per success: a skipped success costs one
 * decrement.
 */
import { detach } from '../../detach.js';
import type { LogEvent } from '../../event.js';
import { endpointOf } from '../../mine/endpoint.js';
import { fieldsOf } from '../../read/extra-fields.js';
import type { Evidence } from '../../report/model.js';
import { type ContrastResult, type RankOptions, rankContrasts } from './contrast-rank.js';
import {
  addToSample,
  type ContrastPartial,
  type ContrastState,
  MAX_EXAMPLE_CELLS,
  MAX_EXAMPLES,
  MAX_INPUT_ATTRIBUTES,
  MAX_REGION_ATTRIBUTES,
  mergePartial,
  newState,
  noteStatus,
  regrid,
  toPartial,
} from './contrast-state.js';
import {
  type Attribute,
  bump,
  CATEGORY_CAP,
  type Cell,
  FAILURE_SAMPLE,
  failureHash,
  gridFor,
  MAX_CELL_EXAMPLES,
  newAttribute,
  newCell,
  prune,
  RAW_INPUT_CAP,
  STRATA,
  shapeCell,
  UNTIMED,
  valueKey,
} from './contrast-table.js';
import { UserAgentCache } from './user-agent.js';
import { classifyValue, LABEL_COUNT, SHAPE_KINDS } from './value-shape.js';

export type { ContrastPartial } from './contrast-state.js';
export type { AttributeKind } from './contrast-table.js';

const MAX_RAW_LENGTH = 40;
const MAX_CATEGORY_LENGTH = 120;
const MAX_EVIDENCE_TEXT = 300;
const MAX_DETAIL = 160;
const CLIENT_KINDS = ['browser', 'browserFamily', 'os', 'osVersion', 'device'] as const;
/**
 * Successes counted in full up to about this many; beyond, sampled down to
 * it: plenty for the tests (a value on 1% of the successes is then known
 * within a tenth of that), at a fraction of the cost of counting them all.
 */
const COUNTED_SUCCESSES = 100_000;

export interface CollectorOptions {
  /** Count 1 in N successes (N >= 1); failures are always counted. Default 1. */
  successSampling?: number;
  /** Seed of the sampling generator. */
  seed?: number;
}

/**
 * The `successSampling` for an input of about `bytes`: 1 up to
 * COUNTED_SUCCESSES events, else the power of two that keeps about that many.
 */
export function successSamplingFor(bytes: number, bytesPerEvent = 180): number {
  const events = bytes / bytesPerEvent;
  return events <= COUNTED_SUCCESSES ? 1 : 2 ** Math.ceil(Math.log2(events / COUNTED_SUCCESSES));
}

/** Field names that describe the outcome, not the input: they would "explain" failures trivially. */
const OUTCOME_NAMES =
  /^(level|lvl|severity|msg|message|reason|result|outcome|ok|success|code|took|took_?ms|time|timestamp|ts|bytes|size|response_?size|attempts?)$/;
const OUTCOME_PARTS =
  /error|err_|exception|stack|fail|status|latency|duration|elapsed|retr(y|ies)|level|severity/;
const IDENTIFIER_PARTS = /(^|[._])(trace|span|request|req|correlation)_?id$/;
const REGION_NAMES =
  /^(region|zone|az|availability_?zone|country|country_?code|datacenter|data_?center|dc|location|locale|cluster|pop|geo|city|continent)$/;
const FIELD_SKIP = 0;
const FIELD_REGION = 1;
const FIELD_INPUT = 2;

function fieldRole(key: string): number {
  const lower = key.toLowerCase();
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  if (OUTCOME_NAMES.test(last) || OUTCOME_PARTS.test(lower) || IDENTIFIER_PARTS.test(lower))
    return FIELD_SKIP;
  return REGION_NAMES.test(last) ? FIELD_REGION : FIELD_INPUT;
}

function evidenceOf(event: LogEvent): Evidence {
  const m = event.message;
  return {
    source: event.source,
    line: event.line,
    text: m.length > MAX_EVIDENCE_TEXT ? `${m.slice(0, MAX_EVIDENCE_TEXT)}...` : detach(m),
    ...(event.time !== undefined ? { time: event.time } : {}),
    ...(event.host !== undefined ? { host: detach(event.host) } : {}),
  };
}

const sharedAgents = new UserAgentCache();

/**
 * mulberry32: cheap, seeded, and independent of the events' content. A class
 * rather than a closure per collector: each worker piece has a collector,
 * and the compiled code calling one closure was thrown away at the next.
 */
class Mulberry32 {
  #a: number;

  constructor(seed: number) {
    this.#a = seed >>> 0;
  }

  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    const a = this.#a;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/** Counts every event it is given; see the file comment. */
export class ContrastCollector {
  readonly #s: ContrastState;
  readonly #random: Mulberry32;
  /** ln(1 - 1/N) for the gaps between kept successes (see #gap). */
  readonly #logSkip: number;
  /** Successes to go until the next one counted, this one included. */
  #skip: number;
  /** The fixed attributes, looked up once (their table never changes). */
  readonly #endpoint: Attribute | undefined;
  readonly #method: Attribute | undefined;
  readonly #host: Attribute | undefined;
  readonly #service: Attribute | undefined;
  readonly #browser: Attribute | undefined;
  readonly #browserFamily: Attribute | undefined;
  readonly #os: Attribute | undefined;
  readonly #osVersion: Attribute | undefined;
  readonly #device: Attribute | undefined;
  /** One per thread, shared by its collectors: each worker piece has a collector of its own. */
  readonly #agents = sharedAgents;
  readonly #fieldRoles = new Map<string, number>();
  /** While counting a failure: the event, its evidence once made, its sample keys if sampled. */
  #failure: LogEvent | undefined;
  #evidence: Evidence | undefined;
  #keys: string[] | undefined;
  /** What the values being counted were read from, for their examples (see `#example`). */
  #detail: string | number | boolean | undefined;

  constructor(options: CollectorOptions = {}) {
    const sampling = Math.max(1, Math.floor(options.successSampling ?? 1));
    this.#s = newState(sampling);
    this.#random = new Mulberry32(options.seed ?? 0x5eed);
    this.#logSkip = Math.log1p(-1 / sampling);
    this.#skip = this.#gap();
    const fixed = this.#s.fixed;
    this.#endpoint = fixed.get('endpoint');
    this.#method = fixed.get('method');
    this.#host = fixed.get('host');
    this.#service = fixed.get('service');
    this.#browser = fixed.get('browser');
    this.#browserFamily = fixed.get('browserFamily');
    this.#os = fixed.get('os');
    this.#osVersion = fixed.get('osVersion');
    this.#device = fixed.get('device');
  }

  /**
   * How many successes until the next one counted (1: the next): geometric
   * with p = 1/N, the inverse of its distribution function at a uniform draw
   * in (0, 1]. Always 1 when every success is counted.
   */
  #gap(): number {
    if (this.#s.sampling <= 1) return 1;
    const u = (this.#random.next() + 1) / 2 ** 32;
    return 1 + Math.floor(Math.log(u) / this.#logSkip);
  }

  /**
   * Counts one event. `endpoint` is its method and masked path when the
   * caller knows them already (the Analyzer does, from the endpoint's
   * template); else they are made here, for the events that are counted.
   */
  add(event: LogEvent, endpoint?: string): void {
    const s = this.#s;
    const http = event.http;
    const failure = event.isError || (http?.status ?? 0) >= 500;
    if (!failure) {
      if (--this.#skip > 0) return;
      this.#skip = this.#gap();
    }
    const at = 2 * this.#slotOf(event.time) + (failure ? 0 : 1);
    bump(s.total, at);
    this.#failure = undefined;
    this.#keys = undefined;
    let hash = 0;
    if (failure) {
      this.#failure = event;
      this.#evidence = undefined;
      hash = failureHash(event.time, event.message, event.host);
      if (s.sample.length < FAILURE_SAMPLE || hash < s.sampleMax) this.#keys = [];
      if (s.examples.length < MAX_EXAMPLES) s.examples.push(this.#evidenceNow());
      if (http?.status !== undefined) noteStatus(s, http.status, 1);
    }
    if (http) {
      const path = http.path;
      if (path !== undefined)
        this.#category(this.#endpoint, endpoint ?? endpointOf(http.method, path), at);
      if (http.method) this.#category(this.#method, http.method, at);
      if (http.userAgent) {
        const client = this.#agents.get(http.userAgent);
        this.#detail = http.userAgent;
        // Each field by name: `client[kind]` in a loop was a generic keyed
        // lookup on every failing request of an incident.
        if (client.browser !== undefined) this.#category(this.#browser, client.browser, at);
        if (client.browserFamily !== undefined)
          this.#category(this.#browserFamily, client.browserFamily, at);
        if (client.os !== undefined) this.#category(this.#os, client.os, at);
        if (client.osVersion !== undefined) this.#category(this.#osVersion, client.osVersion, at);
        if (client.device !== undefined) this.#category(this.#device, client.device, at);
      }
      const query = http.query;
      if (query) for (const key in query) this.#input(s.params, 'param', key, query[key], at);
    }
    if (event.host) this.#category(this.#host, event.host, at);
    if (event.service) this.#category(this.#service, event.service, at);
    const fields = fieldsOf(event);
    if (fields) for (const key in fields) this.#field(key, fields[key], at);
    if (this.#keys) addToSample(s, [hash, this.#keys]);
  }

  #evidenceNow(): Evidence {
    this.#evidence ??= evidenceOf(this.#failure as LogEvent);
    return this.#evidence;
  }

  #slotOf(time: number | undefined): number {
    const s = this.#s;
    if (time === undefined || !Number.isFinite(time)) return UNTIMED;
    if (time < s.minTime) s.minTime = time;
    if (time > s.maxTime) s.maxTime = time;
    if (s.origin === undefined) s.origin = Math.floor(time / s.stratumMs);
    const slot = Math.floor(time / s.stratumMs) - s.origin;
    if (slot >= 0 && slot < STRATA) return slot;
    regrid(s, gridFor(s.minTime, s.maxTime, s.stratumMs));
    return Math.floor(time / s.stratumMs) - (s.origin as number);
  }

  /** Counts the event in `cell`, which holds `value` (`match`) of `attribute`. */
  #count(
    cell: Cell,
    at: number,
    attribute: Attribute,
    match: string,
    value: string | number,
  ): void {
    bump(cell, at);
    if (!this.#failure) return;
    const examples = cell.examples;
    if (examples) {
      if (examples.length < MAX_CELL_EXAMPLES) examples.push(this.#example(attribute));
    } else if (this.#s.exampleCells++ < MAX_EXAMPLE_CELLS)
      cell.examples = [this.#example(attribute)];
    // Kept past the event: the value is copied, so that no slice of it pins the chunk it
    // came from (the attribute's name is a copy already).
    this.#keys?.push(valueKey(attribute.kind, attribute.name, match, detach(String(value))));
  }

  /** The failing line, with what an input or client value was read from. */
  #example(attribute: Attribute): Evidence {
    const evidence = this.#evidenceNow();
    const kind = attribute.kind;
    const client = (CLIENT_KINDS as readonly string[]).includes(kind);
    if (!client && kind !== 'param' && kind !== 'field' && kind !== 'region') return evidence;
    const detail = client ? String(this.#detail) : `${attribute.name}=${String(this.#detail)}`;
    const shown = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}...` : detail;
    return { ...evidence, text: `${evidence.text} · ${detach(shown)}` };
  }

  #category(attribute: Attribute | undefined, raw: string, at: number): void {
    if (!attribute) return;
    bump(attribute.present, at);
    const value = raw.length > MAX_CATEGORY_LENGTH ? raw.slice(0, MAX_CATEGORY_LENGTH) : raw;
    const values = attribute.values as Map<string, Cell>;
    let cell = values.get(value);
    if (!cell) {
      if (values.size >= 2 * CATEGORY_CAP) prune(attribute, CATEGORY_CAP);
      cell = newCell(attribute.floorF, attribute.floorS);
      values.set(detach(value), cell);
    }
    this.#count(cell, at, attribute, 'value', value);
  }

  #field(key: string, value: string | number | boolean | undefined, at: number): void {
    let role = this.#fieldRoles.get(key);
    if (role === undefined) {
      role = fieldRole(key);
      if (this.#fieldRoles.size >= 4 * MAX_INPUT_ATTRIBUTES) this.#fieldRoles.clear();
      this.#fieldRoles.set(detach(key), role);
    }
    if (role === FIELD_INPUT) this.#input(this.#s.fields, 'field', key, value, at);
    else if (role === FIELD_REGION && value !== undefined && value !== '') {
      this.#detail = value;
      const regions = this.#s.regions;
      let attribute = regions.get(key);
      if (!attribute && regions.size < MAX_REGION_ATTRIBUTES) {
        attribute = newAttribute('region', detach(key));
        regions.set(attribute.name, attribute);
      } else if (!attribute) this.#s.overflowed = true;
      this.#category(attribute, String(value), at);
    }
  }

  #input(
    family: Map<string, Attribute>,
    kind: 'param' | 'field',
    key: string,
    value: string | number | boolean | undefined,
    at: number,
  ): void {
    if (value === undefined) return;
    let attribute = family.get(key);
    if (!attribute) {
      if (family.size >= MAX_INPUT_ATTRIBUTES) {
        this.#s.overflowed = true;
        return;
      }
      attribute = newAttribute(kind, detach(key), LABEL_COUNT);
      family.set(attribute.name, attribute);
    }
    bump(attribute.present, at);
    this.#keys?.push(valueKey(kind, attribute.name, 'present', ''));
    this.#detail = value;
    const shape = classifyValue(value);
    const shapes = attribute.shapes as (Cell | undefined)[];
    const kindCode = shape & 31;
    this.#count(shapeCell(shapes, kindCode), at, attribute, 'shape', kindCode);
    for (let bits = shape >>> 5, code = SHAPE_KINDS.length; bits; bits >>>= 1, code++)
      if (bits & 1) this.#count(shapeCell(shapes, code), at, attribute, 'shape', code);
    const values = attribute.values;
    if (!values) return;
    const raw = typeof value === 'string' ? value : String(value);
    if (raw.length > MAX_RAW_LENGTH) return;
    let cell = values.get(raw);
    if (!cell) {
      if (values.size >= RAW_INPUT_CAP) {
        attribute.values = undefined;
        return;
      }
      cell = newCell();
      values.set(detach(raw), cell);
    }
    this.#count(cell, at, attribute, 'value', raw);
  }

  /** Everything counted so far, as plain (structured-clonable) data. */
  partial(): ContrastPartial {
    return toPartial(this.#s);
  }

  /** Adds another collector's partial (see contrast-state.ts mergePartial). */
  merge(part: ContrastPartial, options: { lineOffset?: number } = {}): void {
    mergePartial(this.#s, part, options.lineOffset);
  }

  /** What stands out among the failures (see contrast-rank.ts). */
  result(options?: RankOptions): ContrastResult {
    return rankContrasts(this.partial(), options);
  }
}

export { CATEGORY_CAP, MAX_INPUT_ATTRIBUTES, MAX_REGION_ATTRIBUTES, RAW_INPUT_CAP };
