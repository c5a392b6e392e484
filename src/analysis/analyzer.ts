/**
 * The evidence engine's single pass: events in, the checklist report out.
 * Every event is counted on one time grid (all, errors, status classes,
 * hosts, error templates), mined into a template, and errors with a stack
 * are fingerprinted; at the end the error series is searched for its onset
 * and each question of the background reading is answered with evidence.
 * Memory is bounded: the grid coarsens, the miner caps its clusters, and the
 * per-key tables below cap their sizes.
 */
import { localDateTime } from '../core/local-time.js';
import { detach } from './detach.js';
import type { LogEvent } from './event.js';
import {
  type LatencyEntry,
  type LatencyPartial,
  LatencySketch,
} from './explain/anomalies/latency.js';
import { ContrastCollector, type ContrastPartial } from './explain/contrast/contrast.js';
import { ErrorBurstCollector, type ErrorBurstsPartial } from './explain/cron/cron-bursts.js';
import { PeriodicityCollector, type PeriodicityPartial } from './explain/patterns/periodicity.js';
import { EndpointTable, endpointOf } from './mine/endpoint.js';
import { fingerprintStackTrace, TemplateMiner } from './mine/index.js';
import { type AnalysisReport, type Evidence, REPORT_FORMAT } from './report/model.js';
import { detectErrorOnset } from './series/index.js';
import { type Series, SeriesSet, type SeriesSnapshot } from './series/series-set.js';

const MAX_EXAMPLES = 3;
const MAX_HOSTS = 500;
/**
 * Templates with a series of their own on the grid: as many again for those
 * whose first event is an error as for the rest, so that a flood of routine
 * templates early on leaves room for the error templates of an incident.
 */
const MAX_TEMPLATE_SERIES = 300;
const MAX_FIRST_ERROR_MINUTES = 50_000;
const MAX_EVIDENCE_TEXT = 500;
const MAX_STACK_HOSTS = 50;
const MAX_SAMPLES = 10;

interface Counted {
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  examples: Evidence[];
}

/** A template's `examples` are its first errors; `first` is its first event, error or not. */
interface TemplateStats extends Counted {
  errorCount: number;
  first?: Evidence;
  /** Its events on the grid, while fewer than MAX_TEMPLATE_SERIES have one. */
  series?: Series;
}

interface StackStats extends Counted {
  signature: string;
  exceptionType: string;
  hosts: Set<string>;
}

interface HostStats {
  events: number;
  errors: number;
  series: Series;
}

export interface SourceSummary {
  name: string;
  format: string;
  lines: number;
  events: number;
  unparseable: number;
  unparseableSamples: Evidence[];
}

/**
 * What one Analyzer has gathered, as plain data: worker threads each analyze
 * part of the input and the main thread merges their partials. Template ids
 * are the worker's own; `text` is the cluster's masked text, which the
 * merging miner mines again (masking is idempotent) to join equal clusters.
 */
export interface AnalyzerPartial {
  events: number;
  errors: number;
  clientErrors: number;
  withoutTime: number;
  from: number;
  to: number;
  grid: SeriesSnapshot | undefined;
  /** `fixed`: an endpoint (see TemplateMiner.learnFixed). */
  templates: { id: number; text: string; fixed: boolean; stats: Omit<TemplateStats, 'series'> }[];
  statuses: [status: number, stats: Counted][];
  stacks: [fingerprint: string, stats: Omit<StackStats, 'hosts'> & { hosts: string[] }][];
  hosts: [host: string, stats: { events: number; errors: number }][];
  firstErrorByMinute: [minute: number, evidence: Evidence][];
  sources: SourceSummary[];
  bursts: ErrorBurstsPartial;
  periodicity: PeriodicityPartial;
  latency: LatencyPartial;
  contrast: ContrastPartial;
}

/**
 * What the second part of an analysis (src/app/analyze/explain.ts) needs
 * from the pass besides the report: collectors that are not part of it.
 */
export interface PassEvidence {
  /** Error counts at a fine resolution: bursts for the cron alignment. */
  bursts: ErrorBurstCollector;
  /** Errors and traffic by phase: periods and times of day. */
  periodicity: PeriodicityCollector;
  /** Request durations per endpoint and time slice: latency against a baseline. */
  latency: LatencySketch;
  /** Attribute values of failing events against successful ones: which inputs fail. */
  contrast: ContrastCollector;
  /** Example lines per grid series key ('template:<text>', 'host:web-1'), for anomalies. */
  examplesOf(key: string): Evidence[];
  /** The first error of a minute (epoch minute), as evidence. */
  firstErrorOfMinute(minute: number): Evidence | undefined;
}

export interface MergeOptions {
  /** Added to every line number of the partial (it read a later part of its source). */
  lineOffset?: number;
  /** The partial's first source is the next part of the last source merged so far. */
  continuesSource?: boolean;
}

/** The event as evidence, in fresh strings (see detach): evidence outlives its chunk. */
function evidenceOf(event: LogEvent): Evidence {
  const text =
    event.message.length > MAX_EVIDENCE_TEXT
      ? `${event.message.slice(0, MAX_EVIDENCE_TEXT)}...`
      : detach(event.message);
  return {
    source: event.source,
    line: event.line,
    text,
    ...(event.time !== undefined ? { time: event.time } : {}),
    ...(event.host !== undefined ? { host: detach(event.host) } : {}),
  };
}

function count(stats: Counted, event: LogEvent, keepExample = true): void {
  stats.count++;
  const time = event.time;
  if (time !== undefined) {
    if (stats.firstSeen === undefined || time < stats.firstSeen) stats.firstSeen = time;
    if (stats.lastSeen === undefined || time > stats.lastSeen) stats.lastSeen = time;
  }
  if (keepExample && stats.examples.length < MAX_EXAMPLES) stats.examples.push(evidenceOf(event));
}

/** Adds the counts, span and examples of `from` to `into`. */
function combine(into: Counted, from: Counted, shift: (e: Evidence) => Evidence): void {
  into.count += from.count;
  if (
    from.firstSeen !== undefined &&
    !(into.firstSeen !== undefined && into.firstSeen <= from.firstSeen)
  )
    into.firstSeen = from.firstSeen;
  if (
    from.lastSeen !== undefined &&
    !(into.lastSeen !== undefined && into.lastSeen >= from.lastSeen)
  )
    into.lastSeen = from.lastSeen;
  for (const example of from.examples)
    if (into.examples.length < MAX_EXAMPLES) into.examples.push(shift(example));
}

const sameLine = (a: Evidence, b: Evidence | undefined) =>
  b !== undefined && a.source === b.source && a.line === b.line;

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const pct = (value: number) => `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`;

export interface AnalyzerLimits {
  /** Template clusters the miner keeps (default 50,000; small in tests of the memory bound). */
  maxClusters?: number;
  /**
   * Count 1 in N successful events for the input contrasts (see
   * successSamplingFor; failures are always counted). Default 1.
   */
  successSampling?: number;
  /** Seed of that sampling: each worker's part its own. */
  seed?: number;
  /**
   * False: count only what the clues need (onset, status codes, stacks,
   * messages, hosts), not the collectors of the anomalies and patterns
   * questions. For the benchmark that measures what those cost.
   */
  extras?: boolean;
  /**
   * The time grid's bucket and the latency slice to start at (see
   * `startSizes`). Both only coarsen with the span, each size dividing the
   * next, so starting at sizes no finer than the whole input ends with
   * gives the same result; and a worker's partial of a long input, held at
   * the final sizes rather than at 1 s buckets and 1 min slices, is a
   * fraction of the data for the main thread to read and merge.
   */
  start?: StartSizes;
}

/** See AnalyzerLimits.start. */
export interface StartSizes {
  gridBucketMs: number;
  latencySliceMs: number;
}

/** The endpoint of a request without its status ("GET /api/items/<*>"), from its template. */
const endpointOfTemplate = (template: string) => template.slice(0, template.lastIndexOf(' '));

export class Analyzer {
  readonly #miner: TemplateMiner;
  readonly #endpoints: EndpointTable;
  readonly #grid: SeriesSet;
  readonly #all: Series;
  readonly #errorSeries: Series;
  /** Status-class series by hundreds digit (1-5, and others). */
  readonly #statusSeries: (Series | undefined)[] = [];
  /** Template statistics by cluster id (ids are dense). */
  readonly #templates: (TemplateStats | undefined)[] = [];
  readonly #statuses = new Map<number, Counted>();
  readonly #statusByCode: (Counted | undefined)[] = [];
  #lastHost: string | undefined;
  #lastHostStats: HostStats | undefined;
  readonly #stacks = new Map<string, StackStats>();
  readonly #hosts = new Map<string, HostStats>();
  readonly #firstErrorByMinute = new Map<number, Evidence>();
  readonly #sources: SourceSummary[] = [];
  readonly #bursts = new ErrorBurstCollector();
  readonly #periodicity = new PeriodicityCollector();
  readonly #latency: LatencySketch;
  readonly #contrast: ContrastCollector;
  /** Endpoint names (template without status) by template id, made once per endpoint. */
  readonly #endpointNames: (string | undefined)[] = [];
  /** Latency handles by template id, for endpoints' templates (forgotten on merge). */
  #latencyEntries: (LatencyEntry | undefined)[] = [];
  #events = 0;
  #errors = 0;
  #clientErrors = 0;
  #withoutTime = 0;
  #templateSeries = 0;
  #routineTemplateSeries = 0;
  readonly #extras: boolean;
  #templateStatsKept = 0;
  readonly #maxTemplateStats: number;
  /** Messages and errors of templates forgotten with their evicted clusters. */
  readonly #forgotten = { count: 0, errorCount: 0 };
  #from = Number.POSITIVE_INFINITY;
  #to = Number.NEGATIVE_INFINITY;
  /** See #templatesByText. */
  #byText: { events: number; ids: Map<string, number[]> } | undefined;

  add(event: LogEvent): void {
    this.#events++;
    const time = event.time;
    const grid = this.#grid;
    let slot = -1;
    if (time === undefined) this.#withoutTime++;
    else {
      if (time < this.#from) this.#from = time;
      if (time > this.#to) this.#to = time;
      slot = grid.slot(time);
      grid.bump(this.#all, slot);
      if (this.#extras) this.#periodicity.add(time, event.isError);
    }
    const http = event.http;
    const templateId =
      event.fromRequest && http?.path !== undefined
        ? this.#endpoints.learn(http.method, http.path, http.status)
        : this.#miner.learn(event.message);
    const template = this.#templateStats(templateId);
    count(template, event, event.isError);
    template.first ??= event.isError ? template.examples[0] : evidenceOf(event);
    if (slot >= 0 && (this.#extras || event.isError)) {
      const series = this.#templateSeriesOf(templateId, template, event.isError);
      if (series) grid.bump(series, slot);
    }
    if (this.#extras) this.#addExtras(event, templateId);

    const status = http?.status;
    if (status !== undefined) {
      count(this.#statusStats(status), event);
      if (slot >= 0) grid.bump(this.#statusClass(status), slot);
    }
    const hostStats = this.#hostStats(event.host ?? '(unknown)');
    if (hostStats) {
      hostStats.events++;
      if (slot >= 0) grid.bump(hostStats.series, slot);
    }
    if (event.isClientError) this.#clientErrors++;
    if (!event.isError) return;

    this.#errors++;
    template.errorCount++;
    if (hostStats) hostStats.errors++;
    if (time !== undefined) {
      grid.bump(this.#errorSeries, slot);
      if (this.#extras) this.#bursts.add(time);
      this.#noteFirstError(Math.floor(time / 60_000), event.time ?? 0, () => evidenceOf(event));
    }
    if (event.stack?.length) {
      const signature = fingerprintStackTrace([event.message, ...event.stack]);
      const stack = this.#stackStats(signature.fingerprint, signature);
      count(stack, event);
      if (event.host && stack.hosts.size < MAX_STACK_HOSTS && !stack.hosts.has(event.host))
        stack.hosts.add(detach(event.host));
    }
  }

  /** Latency per endpoint, and the failing inputs against the successful ones. */
  #addExtras(event: LogEvent, templateId: number): void {
    const http = event.http;
    const endpoint =
      http?.path === undefined
        ? undefined
        : event.fromRequest
          ? this.#endpointName(templateId)
          : endpointOf(http.method, http.path);
    const time = event.time;
    if (endpoint !== undefined && time !== undefined && http?.durationMs !== undefined) {
      if (event.fromRequest) {
        let entry = this.#latencyEntries[templateId];
        if (!entry) {
          entry = this.#latency.entryFor(endpoint);
          this.#latencyEntries[templateId] = entry;
        }
        this.#latency.addTo(entry, time, http.durationMs);
      } else this.#latency.add(endpoint, time, http.durationMs);
    }
    this.#contrast.add(event, endpoint);
  }

  addSource(summary: SourceSummary): void {
    this.#sources.push(summary);
  }

  constructor(limits: AnalyzerLimits = {}) {
    this.#grid = new SeriesSet(2000, limits.start?.gridBucketMs);
    this.#all = this.#grid.series('all');
    this.#errorSeries = this.#grid.series('errors');
    this.#latency = new LatencySketch(50, 200, limits.start?.latencySliceMs);
    this.#miner = new TemplateMiner(
      limits.maxClusters !== undefined ? { maxClusters: limits.maxClusters } : {},
    );
    this.#endpoints = new EndpointTable(this.#miner);
    this.#contrast = new ContrastCollector({
      successSampling: limits.successSampling ?? 1,
      ...(limits.seed !== undefined ? { seed: limits.seed } : {}),
    });
    this.#extras = limits.extras ?? true;
    this.#maxTemplateStats = 2 * Math.max(16, limits.maxClusters ?? 50_000);
  }

  #templateStats(id: number): TemplateStats {
    let stats = this.#templates[id];
    if (!stats) {
      stats = { count: 0, errorCount: 0, examples: [] };
      this.#templates[id] = stats;
      if (++this.#templateStatsKept > this.#maxTemplateStats) this.#forgetEvictedTemplates();
    }
    return stats;
  }

  /**
   * The miner forgets clusters it has not seen for long (its memory bound);
   * their statistics go too, into one count, or input of endless distinct
   * messages would grow this table without end.
   */
  #forgetEvictedTemplates(): void {
    let kept = 0;
    for (const [id, stats] of this.#templates.entries()) {
      if (!stats) continue;
      if (this.#miner.isKept(id)) kept++;
      else {
        this.#forgotten.count += stats.count;
        this.#forgotten.errorCount += stats.errorCount;
        delete this.#templates[id];
      }
    }
    this.#templateStatsKept = kept;
  }

  #templateSeriesOf(id: number, stats: TemplateStats, isError: boolean): Series | undefined {
    if (stats.series) return stats.series;
    if (
      isError
        ? this.#templateSeries >= MAX_TEMPLATE_SERIES
        : this.#routineTemplateSeries >= MAX_TEMPLATE_SERIES
    )
      return undefined;
    stats.series = this.#grid.series(`template:${id}`);
    if (isError) this.#templateSeries++;
    else this.#routineTemplateSeries++;
    return stats.series;
  }

  #endpointName(templateId: number): string {
    let name = this.#endpointNames[templateId];
    if (name === undefined) {
      name = endpointOfTemplate(this.#miner.clusterText(templateId));
      this.#endpointNames[templateId] = name;
    }
    return name;
  }

  #statusClass(status: number): Series {
    const digit = Math.floor(status / 100);
    const index = digit >= 1 && digit <= 5 ? digit : 0;
    let series = this.#statusSeries[index];
    if (!series) {
      series = this.#grid.series(`status:${digit}xx`);
      this.#statusSeries[index] = series;
    }
    return series;
  }

  #statusStats(status: number): Counted {
    // Most statuses are 100-599: an array lookup instead of a map's.
    let stats = status >= 0 && status < 600 ? this.#statusByCode[status] : undefined;
    if (stats) return stats;
    stats = this.#statuses.get(status);
    if (!stats) {
      stats = { count: 0, examples: [] };
      this.#statuses.set(status, stats);
    }
    if (status >= 0 && status < 600) this.#statusByCode[status] = stats;
    return stats;
  }

  #hostStats(host: string): HostStats | undefined {
    // A file's events usually share one host: remember the last.
    if (host === this.#lastHost) return this.#lastHostStats;
    let stats = this.#hosts.get(host);
    if (!stats && this.#hosts.size < MAX_HOSTS) {
      const key = detach(host);
      stats = { events: 0, errors: 0, series: this.#grid.series(`host:${key}`) };
      this.#hosts.set(key, stats);
    }
    this.#lastHost = host;
    this.#lastHostStats = stats;
    return stats;
  }

  #stackStats(
    fingerprint: string,
    signature: { signature: string; exceptionType: string },
  ): StackStats {
    let stack = this.#stacks.get(fingerprint);
    if (!stack) {
      stack = {
        count: 0,
        examples: [],
        signature: detach(signature.signature),
        exceptionType: detach(signature.exceptionType),
        hosts: new Set(),
      };
      this.#stacks.set(detach(fingerprint), stack);
    }
    return stack;
  }

  #noteFirstError(minute: number, time: number, evidence: () => Evidence): void {
    const first = this.#firstErrorByMinute.get(minute);
    if (
      (first === undefined && this.#firstErrorByMinute.size < MAX_FIRST_ERROR_MINUTES) ||
      (first !== undefined && (first.time ?? 0) > time)
    )
      this.#firstErrorByMinute.set(minute, evidence());
  }

  /** Everything gathered so far, as plain data for `merge` in another thread. */
  partial(): AnalyzerPartial {
    const templates: AnalyzerPartial['templates'] = [];
    for (const [id, stats] of this.#templates.entries()) {
      if (!stats) continue;
      const { series: _series, ...rest } = stats;
      templates.push({
        id,
        text: this.#miner.clusterText(id),
        fixed: this.#miner.isFixed(id),
        stats: rest,
      });
    }
    return {
      events: this.#events,
      errors: this.#errors,
      clientErrors: this.#clientErrors,
      withoutTime: this.#withoutTime,
      from: this.#from,
      to: this.#to,
      grid: this.#grid.snapshot(),
      templates,
      statuses: [...this.#statuses],
      stacks: [...this.#stacks].map(([fp, s]) => [fp, { ...s, hosts: [...s.hosts] }]),
      hosts: [...this.#hosts].map(([host, h]) => [host, { events: h.events, errors: h.errors }]),
      firstErrorByMinute: [...this.#firstErrorByMinute],
      sources: this.#sources,
      bursts: this.#bursts.partial(),
      periodicity: this.#periodicity.partial(),
      latency: this.#latency.partial(),
      contrast: this.#contrast.partial(),
    };
  }

  /**
   * Adds what another Analyzer gathered (see `partial`). Merging the parts of
   * an input in order gives the report one pass over all of it would give,
   * but for the miner's choices, which depend a little on the order messages
   * come in.
   */
  merge(part: AnalyzerPartial, options: MergeOptions = {}): void {
    const offset = options.lineOffset ?? 0;
    const shift = (e: Evidence): Evidence => (offset ? { ...e, line: e.line + offset } : e);
    this.#events += part.events;
    this.#errors += part.errors;
    this.#clientErrors += part.clientErrors;
    this.#withoutTime += part.withoutTime;
    this.#from = Math.min(this.#from, part.from);
    this.#to = Math.max(this.#to, part.to);

    const ids = new Map<number, number>();
    for (const { id, text, fixed, stats } of part.templates) {
      const mine = fixed ? this.#miner.learnFixed(text) : this.#miner.learn(text);
      ids.set(id, mine);
      const into = this.#templateStats(mine);
      combine(into, stats, shift);
      into.errorCount += stats.errorCount;
      if (stats.first) into.first ??= shift(stats.first);
    }
    if (part.grid) {
      this.#grid.merge(part.grid, (key) => {
        if (!key.startsWith('template:')) return key;
        const mine = ids.get(Number(key.slice(9)));
        if (mine === undefined) return undefined;
        const stats = this.#templateStats(mine);
        return this.#templateSeriesOf(mine, stats, stats.errorCount > 0)?.key;
      });
    }
    for (const [status, stats] of part.statuses) {
      let into = this.#statuses.get(status);
      if (!into) {
        into = { count: 0, examples: [] };
        this.#statuses.set(status, into);
      }
      combine(into, stats, shift);
    }
    for (const [fingerprint, stats] of part.stacks) {
      const into = this.#stackStats(fingerprint, stats);
      combine(into, stats, shift);
      for (const host of stats.hosts) if (into.hosts.size < MAX_STACK_HOSTS) into.hosts.add(host);
    }
    for (const [host, stats] of part.hosts) {
      const into = this.#hostStats(host);
      if (!into) continue;
      into.events += stats.events;
      into.errors += stats.errors;
    }
    this.#bursts.merge(part.bursts);
    this.#periodicity.merge(part.periodicity);
    this.#latency.merge(part.latency);
    this.#latencyEntries = [];
    this.#contrast.merge(part.contrast, { lineOffset: offset });
    for (const [minute, evidence] of part.firstErrorByMinute)
      this.#noteFirstError(minute, evidence.time ?? 0, () => shift(evidence));

    const sources = part.sources.map((s) => ({
      ...s,
      unparseableSamples: s.unparseableSamples.map(shift),
    }));
    const last = this.#sources.at(-1);
    const next = sources[0];
    if (options.continuesSource && last && next && last.name === next.name) {
      last.lines += next.lines;
      last.events += next.events;
      last.unparseable += next.unparseable;
      for (const sample of next.unparseableSamples)
        if (last.unparseableSamples.length < MAX_SAMPLES) last.unparseableSamples.push(sample);
      sources.shift();
    }
    this.#sources.push(...sources);
  }

  /**
   * The grid's bucket and the latency slice reached so far: on a sample of
   * the input's events (the ends of its files), sizes that a pass over all
   * of it reaches too, since its span holds the sample's (AnalyzerLimits.start).
   */
  startSizes(): StartSizes {
    return { gridBucketMs: this.#grid.bucketMs, latencySliceMs: this.#latency.sliceMs };
  }

  /** The collectors the report does not carry (see PassEvidence). */
  evidence(): PassEvidence {
    return {
      bursts: this.#bursts,
      periodicity: this.#periodicity,
      latency: this.#latency,
      contrast: this.#contrast,
      firstErrorOfMinute: (minute) => this.#firstErrorByMinute.get(minute),
      examplesOf: (key) => this.#examplesOf(key),
    };
  }

  finish(now: number): AnalysisReport {
    const grid = this.#grid.finish();
    const bucketMs = grid?.bucketMs ?? 1000;
    const all = grid?.series.get('all') ?? [];
    const errors = grid?.series.get('errors') ?? new Array<number>(all.length).fill(0);
    const onset = this.#errors > 0 && all.length > 2 ? detectErrorOnset(errors, all) : undefined;
    const onsetStart =
      onset?.onset !== undefined && grid ? grid.start + onset.onset * bucketMs : undefined;

    // Merge clusters into their final groups (the miner generalizes as it learns).
    const groups = new Map<number, Counted & { errorCount: number; firstError?: Evidence }>();
    for (const [clusterId, stats] of this.#templates.entries()) {
      if (!stats) continue;
      const groupId = this.#miner.groupOf(clusterId);
      const group = groups.get(groupId) ?? { count: 0, errorCount: 0, examples: [] };
      group.count += stats.count;
      group.errorCount += stats.errorCount;
      if (
        stats.firstSeen !== undefined &&
        (group.firstSeen === undefined || stats.firstSeen < group.firstSeen)
      )
        group.firstSeen = stats.firstSeen;
      if (
        stats.lastSeen !== undefined &&
        (group.lastSeen === undefined || stats.lastSeen > group.lastSeen)
      )
        group.lastSeen = stats.lastSeen;
      // Its first event, then its first errors (the first event may be one of them).
      const examples =
        stats.first && !sameLine(stats.first, stats.examples[0])
          ? [stats.first, ...stats.examples]
          : stats.examples;
      for (const example of examples)
        if (group.examples.length < MAX_EXAMPLES) group.examples.push(example);
      const firstError = stats.examples[0];
      if (
        firstError &&
        (!group.firstError || (firstError.time ?? 0) < (group.firstError.time ?? 0))
      )
        group.firstError = firstError;
      groups.set(groupId, group);
    }
    const isNew = (firstSeen: number | undefined) =>
      onsetStart !== undefined && firstSeen !== undefined && firstSeen >= onsetStart - bucketMs;

    const errorMessages = [...groups.entries()]
      .filter(([, g]) => g.errorCount > 0)
      .sort((a, b) => b[1].errorCount - a[1].errorCount)
      .slice(0, 50)
      .map(([id, g]) => ({
        template: this.#miner.templateOf(id),
        count: g.count,
        errorCount: g.errorCount,
        ...(g.firstSeen !== undefined ? { firstSeen: g.firstSeen } : {}),
        ...(g.lastSeen !== undefined ? { lastSeen: g.lastSeen } : {}),
        examples: g.firstError
          ? [
              g.firstError,
              ...g.examples.filter(
                (e) => e.line !== g.firstError?.line || e.source !== g.firstError?.source,
              ),
            ].slice(0, MAX_EXAMPLES)
          : g.examples,
        newSinceOnset: isNew(g.firstSeen),
      }));

    // The first error of the new pattern: the earliest first error of a template
    // new since the onset, else the first error in the onset's bucket.
    let firstError: Evidence | undefined;
    if (onsetStart !== undefined) {
      for (const g of groups.values()) {
        if (g.errorCount === 0 || !isNew(g.firstSeen) || !g.firstError) continue;
        if (!firstError || (g.firstError.time ?? 0) < (firstError.time ?? 0))
          firstError = g.firstError;
      }
      if (!firstError) {
        for (
          let minute = Math.floor(onsetStart / 60_000);
          minute < Math.floor((onsetStart + bucketMs) / 60_000) + 1;
          minute++
        ) {
          firstError = this.#firstErrorByMinute.get(minute);
          if (firstError) break;
        }
      }
    }

    const statusCodes = [...this.#statuses.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([status, s]) => ({ status, ...s }));
    const stackTraces = [...this.#stacks.entries()]
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 50)
      .map(([fingerprint, s]) => ({
        fingerprint,
        signature: s.signature,
        exceptionType: s.exceptionType,
        count: s.count,
        ...(s.firstSeen !== undefined ? { firstSeen: s.firstSeen } : {}),
        ...(s.lastSeen !== undefined ? { lastSeen: s.lastSeen } : {}),
        examples: s.examples,
        hosts: [...s.hosts].sort(),
        newSinceOnset: isNew(s.firstSeen),
      }));
    const hosts = this.#hostVerdict();

    const series = grid && {
      start: grid.start,
      bucketMs,
      all,
      errors,
      statusClasses: Object.fromEntries(
        [...grid.series.entries()]
          .filter(([k]) => k.startsWith('status:'))
          .map(([k, v]) => [k.slice(7), v]),
      ),
      hosts: Object.fromEntries(
        [...grid.series.entries()]
          .filter(([k]) => k.startsWith('host:'))
          .map(([k, v]) => [k.slice(5), v]),
      ),
      templates: this.#templateSeriesByGroup(grid.series),
    };

    const onsetReport = onset
      ? {
          found: onset.onset !== undefined,
          ...(firstError?.time !== undefined
            ? { time: firstError.time }
            : onsetStart !== undefined
              ? { time: onsetStart }
              : {}),
          ...(onsetStart !== undefined ? { bucketStart: onsetStart } : {}),
          rateBefore: onset.before,
          rateAfter: onset.after,
          confidence: Math.max(0, Math.min(1, onset.confidence)),
          reason:
            onset.onset !== undefined && onsetStart !== undefined
              ? `Errors rose from ${pct(onset.before)} to ${pct(onset.after)} of events at ${localDateTime(firstError?.time ?? onsetStart)} (confidence ${pct(onset.confidence)}).`
              : `No significant change: ${onset.reason}`,
          ...(firstError ? { firstError } : {}),
        }
      : {
          found: false,
          confidence: 0,
          reason:
            this.#errors === 0
              ? 'No errors in the evidence.'
              : 'Too little timed evidence to tell when the errors started.',
        };

    const report: AnalysisReport = {
      format: REPORT_FORMAT,
      generatedAt: now,
      sources: this.#sources,
      totals: {
        events: this.#events,
        errors: this.#errors,
        clientErrors: this.#clientErrors,
        unparseable: this.#sources.reduce((sum, s) => sum + s.unparseable, 0),
        withoutTime: this.#withoutTime,
      },
      ...(this.#from <= this.#to ? { span: { from: this.#from, to: this.#to } } : {}),
      ...(series ? { series } : {}),
      onset: onsetReport,
      statusCodes,
      stackTraces,
      errorMessages,
      hosts,
      answers: [],
    };
    report.answers = answersFor(report);
    return report;
  }

  /** Example lines of a grid series, by the key the finished grid gives it. */
  #examplesOf(key: string): Evidence[] {
    const out: Evidence[] = [];
    if (key.startsWith('template:')) {
      for (const id of this.#templatesByText().get(key.slice(9)) ?? []) {
        const stats = this.#templates[id] as TemplateStats;
        for (const e of stats.first ? [stats.first, ...stats.examples] : stats.examples)
          if (out.length < MAX_EXAMPLES && !out.some((o) => sameLine(e, o))) out.push(e);
      }
    } else if (key.startsWith('status:')) {
      const digit = Number(key.charAt(7));
      for (const [status, stats] of this.#statuses)
        if (Math.floor(status / 100) === digit)
          for (const e of stats.examples) if (out.length < MAX_EXAMPLES) out.push(e);
    }
    return out;
  }

  /**
   * Template ids by their group's text, made once for all the anomalies
   * asking for examples (a scan of every template per anomaly took tens of
   * ms on a large access log's hundreds of anomalies); made again if events
   * were counted since, as they may have made or regrouped templates.
   */
  #templatesByText(): Map<string, number[]> {
    if (this.#byText?.events === this.#events) return this.#byText.ids;
    const ids = new Map<string, number[]>();
    for (const [id, stats] of this.#templates.entries()) {
      if (!stats) continue;
      const text = this.#miner.templateOf(this.#miner.groupOf(id));
      const list = ids.get(text);
      if (list) list.push(id);
      else ids.set(text, [id]);
    }
    this.#byText = { events: this.#events, ids };
    return ids;
  }

  #templateSeriesByGroup(series: Map<string, number[]>): Record<string, number[]> {
    // A Map, not an object: a template may be any text, "__proto__" included.
    const byGroup = new Map<string, number[]>();
    for (const [key, counts] of series) {
      if (!key.startsWith('template:')) continue;
      const template = this.#miner.templateOf(Number(key.slice(9)));
      const sum = byGroup.get(template);
      byGroup.set(template, sum ? sum.map((v, i) => v + (counts[i] ?? 0)) : [...counts]);
    }
    return Object.fromEntries(byGroup);
  }

  /**
   * A host "concentrates" errors when its share of the errors is well above
   * its share of the traffic, by more than chance would give (a binomial
   * z-score above 3) and by at least half again.
   */
  #hostVerdict(): AnalysisReport['hosts'] {
    const items = [...this.#hosts.entries()]
      .map(([host, h]) => {
        const trafficShare = share(h.events, this.#events);
        const errorShare = share(h.errors, this.#errors);
        const expected = trafficShare * this.#errors;
        const z =
          expected > 0 ? (h.errors - expected) / Math.sqrt(expected * (1 - trafficShare) || 1) : 0;
        return {
          host,
          events: h.events,
          errors: h.errors,
          errorShare,
          trafficShare,
          concentrated: this.#hosts.size > 1 && z > 3 && errorShare >= 1.5 * trafficShare,
        };
      })
      .sort((a, b) => b.errors - a.errors || b.events - a.events);
    const concentrated = items.filter((h) => h.concentrated);
    const withErrors = items.filter((h) => h.errors > 0);
    const verdict =
      this.#errors === 0
        ? 'No errors, on any host.'
        : items.length === 1
          ? `Only one host in the evidence (${items[0]?.host}): the logs cannot tell whether other servers are affected.`
          : concentrated.length
            ? `Errors concentrate on ${concentrated.map((h) => `${h.host} (${pct(h.errorShare)} of errors, ${pct(h.trafficShare)} of traffic)`).join(', ')}.`
            : `All hosts: errors on ${withErrors.length} of ${items.length} hosts, in proportion to their traffic.`;
    return { verdict, items };
  }
}

function answersFor(report: AnalysisReport): AnalysisReport['answers'] {
  const statuses = report.statusCodes;
  const server = statuses.filter((s) => s.status >= 500);
  const client = statuses.filter((s) => s.status >= 400 && s.status < 500);
  const list = (items: typeof statuses) =>
    items
      .slice(0, 4)
      .map((s) => `${s.status} (${s.count.toLocaleString('en-US')})`)
      .join(', ');
  const topStack = report.stackTraces[0];
  const topMessage = report.errorMessages[0];
  return [
    { question: 'When did the errors first start?', answer: report.onset.reason },
    {
      question: 'Which HTTP status codes?',
      answer: statuses.length
        ? `${server.length ? `server errors ${list(server)}` : 'no 5xx'}; ${client.length ? `client errors ${list(client)}` : 'no 4xx'}.`
        : 'The evidence has no HTTP status codes.',
    },
    {
      question: 'Which stack traces?',
      answer: topStack
        ? `${report.stackTraces.length} distinct; most frequent: ${topStack.signature} (${topStack.count.toLocaleString('en-US')} times${topStack.newSinceOnset ? ', new since the onset' : ''}).`
        : 'No stack traces in the evidence.',
    },
    {
      question: 'What do the error messages say?',
      answer: topMessage
        ? `${report.errorMessages.length} kinds; most frequent: "${topMessage.template}" (${topMessage.errorCount.toLocaleString('en-US')} times${topMessage.newSinceOnset ? ', new since the onset' : ''}).`
        : 'No error messages.',
    },
    { question: 'Are errors coming from specific servers or all?', answer: report.hosts.verdict },
  ];
}
