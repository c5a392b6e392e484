/**
 * Ranking of the contrast collector's counts (contrast.ts): which attribute
 * values are over-represented among the failures, as findings with a
 * sentence, evidence and a confidence, or the plain answer that no input
 * stands out.
 *
 * The method, and why:
 * - Each value is tested among the events that carry its attribute (a
 *   parameter's shapes among requests with that parameter, a browser among
 *   events with a User-Agent), stratum by stratum in time (see contrast.ts):
 *   under "failing is unrelated to the value", the failures of stratum t
 *   carry it in proportion to the stratum's traffic, so the expected count
 *   is E = sum_t n_t k_t / N_t (n_t failures, k_t events with the value, N_t
 *   events). Structural differences between log lines and drifts in the
 *   traffic mix then cancel instead of being blamed.
 * - The p-value is a Chernoff bound that holds at any sample size, with the
 *   counts scaled down by a dispersion factor when failures are not
 *   independent (retries): see contrast-stats.ts. Benjamini-Hochberg over
 *   every value tested controls the false discovery rate (on pure noise:
 *   the chance of any finding) at `fdr`. A finding must
 *   also matter: cover `minCoverage` of the failures, and fail `minLift`
 *   times more often than the rest of its scope at the same times (the risk
 *   ratio (x/E) / ((n-x)/(n-E))), and be `minLift` times more common among
 *   the failures than among the successes overall (the `lift` reported).
 * - Redundant findings merge (contrast-findings.ts), judged on the
 *   collector's sample of failures with the values each carried (exact up
 *   to 256 failures): findings that hold for nearly the same failures (each
 *   has 80% of the other's), or one inside the other with no more lift, are
 *   one group. It is led by the most specific finding whose wider
 *   neighbours add nothing beyond chance: starting from the largest excess
 *   of failure share over success share, the lead moves to a narrower
 *   finding inside it while the wider one's remainder is not itself
 *   over-represented. "`amount` with a decimal point" leads "POST /api/pay";
 *   "Firefox 126" leads "Firefox" unless the other versions fail too.
 */
import type { Evidence } from '../../report/model.js';
import {
  describe,
  failureNoun,
  failureSets,
  mergeRedundant,
  sentenceOf,
  trafficMix,
} from './contrast-findings.js';
import type { ContrastPartial } from './contrast-state.js';
import {
  benjaminiHochberg,
  dispersion,
  overRepresentationBound,
  stratified,
} from './contrast-stats.js';
import {
  type AttributeKind,
  type AttributePartial,
  type CellPartial,
  sumAt,
  valueKey,
} from './contrast-table.js';
import { labelOfCode } from './value-shape.js';

export interface RankOptions {
  /** False discovery rate over all values tested (on pure noise, the false-alarm rate). */
  fdr?: number;
  /** Smallest share of the failures a finding must cover. */
  minCoverage?: number;
  /**
   * Smallest lift (share among failures / share among successes) and smallest
   * risk ratio (how much more often it fails than the rest of its attribute,
   * at the same times).
   */
  minLift?: number;
  /** Fewest failures a finding must cover. */
  minFailures?: number;
  /** Most findings reported. */
  limit?: number;
}
export const RANK_DEFAULTS = Object.freeze({
  fdr: 0.01,
  minCoverage: 0.1,
  minLift: 1.5,
  minFailures: 3,
  limit: 5,
});
/** Fewer failures than this are too few to compare. */
export const MIN_FAILURES_TO_COMPARE = 5;

export type MatchKind = 'value' | 'shape' | 'present' | 'absent';

export interface InputContrast {
  attribute: AttributeKind;
  /** Parameter or field name; for the other attributes, the attribute. */
  name: string;
  match: MatchKind;
  /** The value, the shape label, or '' for presence and absence. */
  value: string;
  /** "Firefox 126", "POST /api/pay", "`amount` with a decimal point". */
  label: string;
  failures: number;
  /** Of all failures. */
  failureShare: number;
  /** Successful events with it (sampling scaled back). */
  successes: number;
  /** Of all successes. */
  successShare: number;
  /**
   * Its share among the failures that carry its attribute, were failing
   * unrelated to it: its share of the traffic at the same times.
   */
  expectedShare: number;
  /** failureShare / successShare. */
  lift: number;
  /** An upper bound on the p-value (contrast-stats.ts). */
  pValue: number;
  /** Benjamini-Hochberg adjusted. */
  qValue: number;
  confidence: number;
  sentence: string;
  /** Findings merged into this one (the same failures, or a less specific kind). */
  related: {
    attribute: AttributeKind;
    label: string;
    failureShare: number;
    successShare: number;
  }[];
  examples: Evidence[];
}

export type TrafficKind = 'endpoint' | 'browser' | 'browserFamily' | 'os' | 'osVersion' | 'device';
export interface TrafficShare {
  value: string;
  /** Events with it (successes scaled back by the sampling). */
  events: number;
  /** Of the events that carry the attribute (all requests, all with a User-Agent). */
  share: number;
}
/** The traffic mix of the logs, for comparing bug reports with (bug-reports.ts). */
export type TrafficMix = Partial<Record<TrafficKind, TrafficShare[]>>;

export interface ContrastResult {
  found: boolean;
  /** The finding(s) in sentences, or why there are none. */
  answer: string;
  confidence: number;
  failures: number;
  /** Estimated (sampling scaled back). */
  successes: number;
  /** Attribute values tested. */
  tested: number;
  /** How much more failure counts vary than independent events would (1: not at all; retries raise it). */
  dispersion: number;
  contrasts: InputContrast[];
  traffic: TrafficMix;
  notes: string[];
}

/** A value as tested, before it becomes a finding. */
export interface Tested extends InputContrast {
  key: string;
  risk: number;
}

interface Plan {
  a: AttributePartial;
  match: MatchKind;
  value: string;
  cell: CellPartial;
  scope: readonly number[];
}

/**
 * Every value and shape among the events carrying its attribute; each
 * parameter's presence and absence among the requests (not for fields:
 * which fields a line has says which statement logged it, not the input).
 */
function plansOf(part: ContrastPartial): Plan[] {
  const plans: Plan[] = [];
  const requests = part.attributes.find((a) => a.kind === 'endpoint');
  const requestScope =
    requests && sumAt(requests.present.counts, 0) > 0 ? requests.present.counts : part.total.counts;
  for (const a of part.attributes) {
    const scope = a.present.counts;
    for (const [value, cell] of a.values ?? [])
      plans.push({ a, match: 'value', value, cell, scope });
    for (const [code, cell] of a.shapes ?? [])
      plans.push({ a, match: 'shape', value: String(code), cell, scope });
    if (a.kind === 'param' && !a.incomplete) {
      plans.push({ a, match: 'present', value: '', cell: a.present, scope: requestScope });
      const absent = requestScope.map((n, i) => Math.max(0, n - (a.present.counts[i] ?? 0)));
      plans.push({ a, match: 'absent', value: '', cell: { counts: absent }, scope: requestScope });
    }
  }
  return plans;
}

interface TestContext {
  /** Failures, and successes as counted (sampled). */
  F: number;
  sampledS: number;
  /** The dispersion factor (contrast-stats.ts). */
  phi: number;
  part: ContrastPartial;
}

function testOf({ a, match, value, cell, scope }: Plan, c: TestContext): Tested {
  const missed = (cell.missed?.[0] ?? 0) + (cell.missed?.[1] ?? 0);
  const { n, x, expected, risk } = stratified(cell.counts, missed, scope);
  const failures = sumAt(cell.counts, 0);
  const successes = sumAt(cell.counts, 1);
  const { label, phrase } = describe(a, match, value);
  const failureShare = failures / c.F;
  const successShare = successes / c.sampledS;
  return {
    attribute: a.kind,
    name: a.name,
    match,
    value: match === 'shape' ? labelOfCode(Number(value)) : value,
    label,
    sentence: phrase,
    failures,
    failureShare,
    successes: successes * c.part.sampling,
    successShare,
    expectedShare: n > 0 ? expected / n : 0,
    lift: successShare > 0 ? failureShare / successShare : Number.POSITIVE_INFINITY,
    risk,
    pValue: overRepresentationBound(x / c.phi, n / c.phi, n > 0 ? expected / n : 0),
    qValue: 1,
    confidence: 0,
    related: [],
    examples: cell.examples ?? [],
    key: valueKey(a.kind, a.name, match, value),
  };
}

/** The findings, or why there are none, from a collector's counts. */
export function rankContrasts(part: ContrastPartial, options: RankOptions = {}): ContrastResult {
  const o = { ...RANK_DEFAULTS, ...options };
  const F = sumAt(part.total.counts, 0);
  const sampledS = sumAt(part.total.counts, 1);
  const S = sampledS * part.sampling;
  const traffic = trafficMix(part);
  const notes = part.overflowed
    ? ['Some parameter, field or region names were not tracked: the tables were full.']
    : [];
  const base = {
    failures: F,
    successes: S,
    tested: 0,
    dispersion: 1,
    contrasts: [],
    traffic,
    notes,
  };
  if (F < MIN_FAILURES_TO_COMPARE)
    return {
      ...base,
      found: false,
      confidence: 0,
      answer:
        F === 0
          ? 'No failures to compare the inputs of.'
          : `Too few failures (${F}) to compare their inputs with the successes.`,
    };
  if (sampledS === 0)
    return {
      ...base,
      found: false,
      confidence: 0,
      answer: 'Every event failed: there are no successes to compare the failures with.',
    };

  const phi = dispersion(
    part.attributes.map((a) => ({
      scope: a.present.counts,
      cells: [...(a.values ?? []), ...(a.shapes ?? [])].map(([, cell]) => cell.counts),
    })),
  );
  const tests = plansOf(part).map((plan) => testOf(plan, { F, sampledS, phi, part }));
  const qValues = benjaminiHochberg(tests.map((t) => t.pValue));
  const significant = tests.filter((t, i) => {
    t.qValue = qValues[i] as number;
    t.confidence = 1 - t.qValue;
    return (
      t.qValue <= o.fdr &&
      t.failures >= o.minFailures &&
      t.failureShare >= o.minCoverage &&
      t.risk >= o.minLift &&
      t.lift >= o.minLift
    );
  });
  const sets = failureSets(part.sample, significant);
  const counting = { failures: F, dispersion: phi };
  const findings = mergeRedundant(significant, sets, counting).slice(0, o.limit);
  const noun = failureNoun(part.failureStatuses, F);
  for (const f of findings) f.sentence = sentenceOf(f, noun);
  const result = {
    ...base,
    tested: tests.length,
    dispersion: phi,
    contrasts: findings.map(publicPart),
  };
  if (findings.length > 0)
    return {
      ...result,
      found: true,
      confidence: findings[0]?.confidence ?? 0,
      answer: findings
        .slice(0, 2)
        .map((f) => f.sentence)
        .join(' '),
    };
  // How sure "nothing" is: would a clear pattern (half the failures sharing a
  // value that 10% of the traffic has) have passed the same test?
  const clear = overRepresentationBound(F / 2 / phi, F / phi, 0.1);
  return {
    ...result,
    found: false,
    confidence: Math.max(0, Math.min(1, 1 - (clear * tests.length) / o.fdr)),
    answer: `No input stands out among the ${F.toLocaleString('en-US')} failures: no endpoint, parameter, client, region or field value is markedly more common among them than among the successes at the same times.`,
  };
}

function publicPart(t: Tested): InputContrast {
  const { key: _key, risk: _risk, ...rest } = t;
  return rest;
}
