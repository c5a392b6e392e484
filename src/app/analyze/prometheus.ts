/**
 * `--prometheus URL --query PROMQL`: readings from a Prometheus server through
 * its HTTP API, `GET /api/v1/query_range?query=..&start=..&end=..&step=..`,
 * with Node's own fetch (no client library: one GET and a JSON body).
 *
 * Prometheus refuses a range of more than 11,000 points per series, so the
 * step is chosen for about 1,000 points (as fine as the analysis grid keeps)
 * and never below range / 11,000. Every failure is one line that names the
 * fix: the server cannot be reached, it is not Prometheus, it rejected the
 * query (its own message), or the query matched nothing.
 */
import { UserError } from '../../core/errors.js';
import { hostOfLabels, type MetricsInput, MetricsRows, resourceOf } from './metrics-rows.js';

/** Prometheus' limit on points per series in one query_range. */
export const MAX_POINTS = 11_000;
/** The resolution asked for when none is given: the analysis grid keeps about this many. */
const TARGET_POINTS = 1_000;
const DEFAULT_TIMEOUT_MS = 30_000;

export interface PrometheusQuery {
  /** The server, e.g. http://127.0.0.1:9090 (a path prefix such as /prometheus is kept). */
  url: string;
  /** PromQL. */
  query: string;
  /** Epoch ms. */
  start: number;
  end: number;
  /** The resolution wanted, raised when Prometheus would refuse it. */
  stepMs?: number;
  timeoutMs?: number;
  /**
   * What the series measure when the result carries no metric name (an
   * expression such as `100 * (1 - avg(rate(node_cpu_seconds_total{mode="idle"}[5m])))`):
   * name it like a metric (`cpu_percent`) so the analysis reads it right.
   * Default: the metric name of a plain selector, else the query text.
   */
  name?: string;
}

interface PrometheusSeries {
  metric: Record<string, string>;
  values?: [number, string][];
  value?: [number, string];
}

interface PrometheusResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export const isPrometheusResponse = (v: unknown): v is PrometheusResponse =>
  typeof v === 'object' && v !== null && 'status' in v && ('data' in v || 'error' in v);

export const isPrometheusSeries = (v: unknown): v is PrometheusSeries =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PrometheusSeries).metric === 'object' &&
  (Array.isArray((v as PrometheusSeries).values) || Array.isArray((v as PrometheusSeries).value));

/** Whole seconds between points: about TARGET_POINTS, at most MAX_POINTS over the range. */
export function chooseStepSeconds(startMs: number, endMs: number, wantedStepMs?: number): number {
  const rangeSeconds = Math.max(0, (endMs - startMs) / 1000);
  const least = Math.max(1, Math.ceil(rangeSeconds / MAX_POINTS));
  const wanted = wantedStepMs ? wantedStepMs / 1000 : rangeSeconds / TARGET_POINTS;
  return Math.max(least, Math.ceil(wanted));
}

const HOST_LABELS =
  /^(host|hostname|host_name|instance|node|nodename|server|machine|pod|container)$/i;
const RESOURCE_LABELS = new Set([
  'mountpoint',
  'device',
  'cpu',
  'core',
  'interface',
  'volume',
  'path',
]);
const SELECTOR = /^\s*([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?\s*$/;

/** The labels that say what a series is about: known ones, and any that differ between series. */
function resourceLabels(
  all: readonly Record<string, string>[],
): (labels: Record<string, string>) => string | undefined {
  const varying = new Set<string>();
  for (const key of new Set(all.flatMap((l) => Object.keys(l))))
    if (new Set(all.map((l) => l[key])).size > 1) varying.add(key);
  return (labels) => {
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(labels)) {
      if (key === '__name__' || key === 'job' || HOST_LABELS.test(key)) continue;
      if (RESOURCE_LABELS.has(key) || varying.has(key)) kept[key] = value;
    }
    // A mount point says it all: its device and file system type are detail.
    if (kept.mountpoint !== undefined) {
      delete kept.device;
      delete kept.fstype;
    }
    return resourceOf(kept);
  };
}

/**
 * Adds the readings of a query response (matrix, vector or scalar) to `rows`;
 * each series counts as a row and its readings cite it as line = its position.
 */
export function prometheusSamples(
  response: PrometheusResponse,
  rows: MetricsRows,
  query?: string,
  name?: string,
): void {
  if (response.status === 'error')
    throw new UserError(
      `Prometheus rejected the query${query ? ` "${query}"` : ''}: ${response.error ?? response.errorType ?? 'unknown error'}`,
    );
  for (const warning of response.warnings ?? []) rows.warnings.push(`Prometheus: ${warning}`);
  const data = response.data;
  let series: PrometheusSeries[] = [];
  if (data?.resultType === 'scalar' && Array.isArray(data.result))
    series = [{ metric: {}, value: data.result as [number, string] }];
  else if (Array.isArray(data?.result)) series = data.result.filter(isPrometheusSeries);
  const fallback = name ?? (query ? (SELECTOR.exec(query)?.[1] ?? query) : 'value');
  const resource = resourceLabels(series.map((s) => s.metric));
  series.forEach((s, index) => {
    rows.rows++;
    const labels = s.metric ?? {};
    const host = hostOfLabels(labels) ?? labels.job;
    const metric = labels.__name__ ?? fallback;
    const where = resource(labels);
    for (const [seconds, text] of s.values ?? (s.value ? [s.value] : [])) {
      const value = Number(text);
      if (Number.isFinite(value))
        rows.add(Math.round(seconds * 1000), host, metric, value, index + 1, where);
    }
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

function unreachable(base: string, error: unknown): UserError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const name = (error as Error).name;
  const reason =
    name === 'TimeoutError' || name === 'AbortError'
      ? 'no answer in time'
      : (cause?.code ?? cause?.message ?? (error as Error).message);
  return new UserError(
    `Cannot reach Prometheus at ${base}: ${reason}; check the --prometheus URL and that the server is up`,
  );
}

/** Runs a range query and returns its readings, or throws a one-line UserError. */
export async function queryPrometheus(q: PrometheusQuery): Promise<MetricsInput> {
  if (!(q.end > q.start))
    throw new UserError('The Prometheus time range is empty: its end must be after its start');
  let base: URL;
  try {
    base = new URL(q.url.endsWith('/') ? q.url : `${q.url}/`);
  } catch {
    throw new UserError(`--prometheus ${q.url} is not a URL; write it like http://prometheus:9090`);
  }
  const step = chooseStepSeconds(q.start, q.end, q.stepMs);
  const url = new URL('api/v1/query_range', base);
  url.search = new URLSearchParams({
    query: q.query,
    start: (q.start / 1000).toString(),
    end: (q.end / 1000).toString(),
    step: `${step}s`,
  }).toString();
  const shown = base.href.replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(q.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(shown, error);
  }
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  if (!isPrometheusResponse(body))
    throw new UserError(
      `${shown} did not answer like Prometheus' HTTP API (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'}); check the --prometheus URL`,
    );
  const rows = new MetricsRows(`prometheus ${q.query}`);
  prometheusSamples(body, rows, q.query, q.name);
  if (q.stepMs && step * 1000 > q.stepMs)
    rows.warnings.push(
      `Step raised to ${step}s: Prometheus returns at most ${MAX_POINTS} points per series.`,
    );
  if (rows.samples.length === 0)
    throw new UserError(
      `Prometheus returned no series for "${q.query}" between ${iso(q.start)} and ${iso(q.end)}; check the metric name, its labels and the time range`,
      'not_found',
    );
  return rows.result('prometheus');
}
