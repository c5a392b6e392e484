/**
 * "Anomalies against a baseline": every series the pass kept (error rate, status
 * classes, hosts, templates, endpoint throughput), the latency quantiles of every
 * endpoint and every metric, compared between the baseline and the incident window
 * (baseline.ts); increases AND decreases, with their size. Each series gets a test
 * fit for its noise (anomaly-stats.ts says which and why), then:
 * - Benjamini-Hochberg over all tested series keeps the expected share of false
 *   findings at `fdr` (1%); on pure noise that is the chance of reporting anything.
 *   BH holds under the positive dependence of nested series (a template within
 *   errors within all); Benjamini-Yekutieli is the option for any dependence.
 * - A finding must also be big, >= `minRatio` (x1.5 up or down; metrics
 *   `minMetricChange` of their level): a slow drift is significant over a million
 *   events and still not news.
 * - Latency: requests are not independent (one GC pause slows a thousand), so a test
 *   that counts requests as independent (Mann-Whitney, or a binomial test on them)
 *   cries wolf: on simulated quiet traffic where each minute's requests share a
 *   slowdown of sd 15%, a request-level binomial test gave p < 0.01 for 10% of the
 *   quantiles. Instead the share of requests slower than the baseline's quantile is
 *   tested per time slice like a count share, its dispersion measured from slice to
 *   slice; the size reported is the quantiles themselves, read from the sketch.
 */
import type { Evidence } from '../../report/model.js';
import { countTests, latencyTests, metricTest } from './anomaly-candidates.js';
import { adjust } from './anomaly-stats.js';
import type { Measure } from './anomaly-text.js';
import type { BaselineChoice, ComparisonWindows } from './baseline.js';
import type { LatencySketch } from './latency.js';

export type { Measure };

export interface AnomalyOptions {
  /** Expected share of false findings among those reported. */
  fdr: number;
  /** Benjamini-Hochberg, or Benjamini-Yekutieli (valid under any dependence, stricter). */
  method: 'bh' | 'by';
  /** Smallest change that is news, as a ratio (x1.5 up, or down to 1/1.5). */
  minRatio: number;
  /** Fewest events of a series in both windows together for it to be tested. */
  minCount: number;
  /** Smallest change of a metric's mean, as a share of the larger of the two means. */
  minMetricChange: number;
  /** Fewest baseline buckets (or slices, or samples) a test needs. */
  minBaselineBuckets: number;
  /** Latency quantiles compared. */
  quantiles: readonly number[];
}

export const ANOMALY_DEFAULTS: Readonly<AnomalyOptions> = Object.freeze({
  fdr: 0.01,
  method: 'bh',
  minRatio: 1.5,
  minCount: 10,
  minMetricChange: 0.2,
  minBaselineBuckets: 3,
  quantiles: [0.5, 0.95, 0.99],
});

export interface AnomalyInput {
  /** From chooseBaseline; when it found no baseline, the report says why. */
  baseline: BaselineChoice;
  /**
   * The Analyzer's finished series (FinishedSeries) and the span of the evidence.
   * Keys as the Analyzer names them ('all', 'errors', 'status:5xx', 'host:web-1'),
   * templates by their text ('template:GET /api/cart 200', 'template:timeout after
   * <*> ms'), so that measureOf and labelOf can read them; or pass your own.
   */
  counts?: {
    start: number;
    bucketMs: number;
    series: ReadonlyMap<string, readonly number[]>;
    span?: { from: number; to: number };
    measure?: (key: string) => Measure;
    label?: (key: string) => string;
  };
  latency?: LatencySketch;
  metrics?: readonly { key: string; label?: string; times: number[]; values: number[] }[];
  /** Example lines of a series, by key: asked for the reported findings only. */
  examplesOf?: (key: string) => readonly Evidence[];
  options?: Partial<AnomalyOptions>;
}

export interface Anomaly {
  key: string;
  label: string;
  kind: Measure | 'latency' | 'metric';
  direction: 'increase' | 'decrease';
  /** The compared quantity in each window: a share (0-1), events per minute, ms, or a value. */
  before: number;
  after: number;
  /** after / before; Infinity for something new. */
  ratio: number;
  pValue: number;
  /** Adjusted for the many series tested (BH or BY). */
  qValue: number;
  /** 1 - qValue. */
  confidence: number;
  /** "errors 0.2% -> 4.1% of events (x20)" */
  sentence: string;
  evidence: {
    baselineCount: number;
    incidentCount: number;
    baselineTotal?: number;
    incidentTotal?: number;
    /** Noise over plain Poisson/binomial sampling (1 = none), or the metric's autocorrelation. */
    dispersion: number;
    /** Latency: each quantile in both windows. */
    quantiles?: { q: number; before: number; after: number }[];
    examples: Evidence[];
  };
}

export interface AnomalyReport {
  found: boolean;
  windows?: ComparisonWindows;
  /** Series tested, and those with too little evidence to test. */
  tested: number;
  untestable: number;
  /** Largest changes first. */
  anomalies: Anomaly[];
  sentence: string;
}

const magnitude = (ratio: number) => Math.abs(Math.log(Math.abs(ratio))) || 0;

/** A tested series before the many-series adjustment: its sentence is made if it is reported. */
export type Candidate = Omit<Anomaly, 'qValue' | 'confidence' | 'sentence'> & {
  say: () => string;
};

export function findAnomalies(input: AnomalyInput): AnomalyReport {
  const options = { ...ANOMALY_DEFAULTS, ...input.options };
  if (!input.baseline.ok)
    return {
      found: false,
      tested: 0,
      untestable: 0,
      anomalies: [],
      sentence: `No comparison with a baseline: ${input.baseline.reason}`,
    };
  const { windows } = input.baseline;
  const tests: (Candidate | undefined)[] = [
    ...countTests(input, windows, options),
    ...latencyTests(input.latency, windows, options),
    ...(input.metrics ?? []).map((m) => metricTest(m, windows, options)),
  ];
  const tested = tests.filter((t): t is Candidate => t !== undefined);
  const qValues = adjust(
    tested.map((t) => t.pValue),
    options.method,
  );
  const big = (t: Candidate) =>
    t.kind === 'metric'
      ? Math.abs(t.after - t.before) >=
        options.minMetricChange * Math.max(Math.abs(t.before), Math.abs(t.after))
      : t.ratio >= options.minRatio || t.ratio <= 1 / options.minRatio;
  const anomalies = tested
    .map((t, i) => ({ t, q: qValues[i] as number }))
    .filter(({ t, q }) => q <= options.fdr && big(t))
    .map(({ t: { say, ...t }, q }) => ({
      ...t,
      evidence: {
        ...t.evidence,
        examples: [...(input.examplesOf?.(t.key) ?? t.evidence.examples)],
      },
      qValue: q,
      confidence: 1 - q,
      sentence: say(),
    }))
    .sort((a, b) => magnitude(b.ratio) - magnitude(a.ratio) || a.qValue - b.qValue);
  const list = anomalies
    .slice(0, 3)
    .map((a) => a.sentence)
    .join('; ');
  const more = anomalies.length > 3 ? `; and ${anomalies.length - 3} more` : '';
  const untestable = tests.length - tested.length;
  return {
    found: anomalies.length > 0,
    windows,
    tested: tested.length,
    untestable,
    anomalies,
    sentence: anomalies.length
      ? `${anomalies.length} significant change${anomalies.length > 1 ? 's' : ''} against ${windows.description}: ${list}${more}.`
      : `No significant change in ${tested.length} series against ${windows.description}${untestable ? ` (${untestable} more had too little evidence to test)` : ''}.`,
  };
}
