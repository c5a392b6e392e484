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
import type { LogEvent } from './event.js';
import { fingerprintStackTrace, TemplateMiner } from './mine/index.js';
import { type AnalysisReport, type Evidence, REPORT_FORMAT } from './report/model.js';
import { detectErrorOnset } from './series/index.js';
import { SeriesSet } from './series/series-set.js';

const MAX_EXAMPLES = 3;
const MAX_HOSTS = 500;
const MAX_TEMPLATE_SERIES = 300;
const MAX_FIRST_ERROR_MINUTES = 50_000;
const MAX_EVIDENCE_TEXT = 500;

interface Counted {
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  examples: Evidence[];
}

interface TemplateStats extends Counted {
  errorCount: number;
  firstError?: Evidence;
}

interface StackStats extends Counted {
  signature: string;
  exceptionType: string;
  hosts: Set<string>;
}

export interface SourceSummary {
  name: string;
  format: string;
  lines: number;
  events: number;
  unparseable: number;
  unparseableSamples: Evidence[];
}

function evidenceOf(event: LogEvent): Evidence {
  const text =
    event.message.length > MAX_EVIDENCE_TEXT
      ? `${event.message.slice(0, MAX_EVIDENCE_TEXT)}...`
      : event.message;
  return {
    source: event.source,
    line: event.line,
    text,
    ...(event.time !== undefined ? { time: event.time } : {}),
    ...(event.host !== undefined ? { host: event.host } : {}),
  };
}

function count(stats: Counted, event: LogEvent, keepExample = true): void {
  stats.count++;
  if (event.time !== undefined) {
    if (stats.firstSeen === undefined || event.time < stats.firstSeen) stats.firstSeen = event.time;
    if (stats.lastSeen === undefined || event.time > stats.lastSeen) stats.lastSeen = event.time;
  }
  if (keepExample && stats.examples.length < MAX_EXAMPLES) stats.examples.push(evidenceOf(event));
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const pct = (value: number) => `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`;

export class Analyzer {
  readonly #miner = new TemplateMiner();
  readonly #grid = new SeriesSet();
  readonly #templates = new Map<number, TemplateStats>();
  readonly #statuses = new Map<number, Counted>();
  readonly #stacks = new Map<string, StackStats>();
  readonly #hosts = new Map<string, { events: number; errors: number }>();
  readonly #firstErrorByMinute = new Map<number, Evidence>();
  readonly #sources: SourceSummary[] = [];
  #events = 0;
  #errors = 0;
  #clientErrors = 0;
  #withoutTime = 0;
  #templateSeries = 0;
  readonly #seriesOfTemplate = new Set<number>();
  #from = Number.POSITIVE_INFINITY;
  #to = Number.NEGATIVE_INFINITY;

  add(event: LogEvent): void {
    this.#events++;
    const time = event.time;
    const { templateId } = this.#miner.add(event.message);
    let template = this.#templates.get(templateId);
    if (!template) {
      template = { count: 0, errorCount: 0, examples: [] };
      this.#templates.set(templateId, template);
    }
    count(template, event, event.isError || template.examples.length === 0);

    if (time === undefined) this.#withoutTime++;
    else {
      if (time < this.#from) this.#from = time;
      if (time > this.#to) this.#to = time;
      this.#grid.add('all', time);
    }
    const status = event.http?.status;
    if (status !== undefined) {
      let stats = this.#statuses.get(status);
      if (!stats) {
        stats = { count: 0, examples: [] };
        this.#statuses.set(status, stats);
      }
      count(stats, event);
      if (time !== undefined) this.#grid.add(`status:${Math.floor(status / 100)}xx`, time);
    }
    const host = event.host ?? '(unknown)';
    let hostStats = this.#hosts.get(host);
    if (!hostStats && this.#hosts.size < MAX_HOSTS) {
      hostStats = { events: 0, errors: 0 };
      this.#hosts.set(host, hostStats);
    }
    if (hostStats) {
      hostStats.events++;
      if (time !== undefined) this.#grid.add(`host:${host}`, time);
    }
    if (event.isClientError) this.#clientErrors++;
    if (!event.isError) return;

    this.#errors++;
    template.errorCount++;
    template.firstError ??= evidenceOf(event);
    if (hostStats) hostStats.errors++;
    if (time !== undefined) {
      this.#grid.add('errors', time);
      if (this.#seriesOfTemplate.has(templateId) || this.#templateSeries < MAX_TEMPLATE_SERIES) {
        if (!this.#seriesOfTemplate.has(templateId)) {
          this.#seriesOfTemplate.add(templateId);
          this.#templateSeries++;
        }
        this.#grid.add(`template:${templateId}`, time);
      }
      const minute = Math.floor(time / 60_000);
      const first = this.#firstErrorByMinute.get(minute);
      if (
        (first === undefined && this.#firstErrorByMinute.size < MAX_FIRST_ERROR_MINUTES) ||
        (first?.time ?? 0) > time
      ) {
        this.#firstErrorByMinute.set(minute, evidenceOf(event));
      }
    }
    if (event.stack?.length) {
      const signature = fingerprintStackTrace([event.message, ...event.stack]);
      let stack = this.#stacks.get(signature.fingerprint);
      if (!stack) {
        stack = {
          count: 0,
          examples: [],
          signature: signature.signature,
          exceptionType: signature.exceptionType,
          hosts: new Set(),
        };
        this.#stacks.set(signature.fingerprint, stack);
      }
      count(stack, event);
      if (event.host && stack.hosts.size < 50) stack.hosts.add(event.host);
    }
  }

  addSource(summary: SourceSummary): void {
    this.#sources.push(summary);
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
    const groups = new Map<number, TemplateStats & { clusters: number[] }>();
    for (const [clusterId, stats] of this.#templates) {
      const groupId = this.#miner.groupOf(clusterId);
      const group = groups.get(groupId) ?? { count: 0, errorCount: 0, examples: [], clusters: [] };
      group.count += stats.count;
      group.errorCount += stats.errorCount;
      group.clusters.push(clusterId);
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
      for (const example of stats.examples)
        if (group.examples.length < MAX_EXAMPLES) group.examples.push(example);
      if (
        stats.firstError &&
        (!group.firstError || (stats.firstError.time ?? 0) < (group.firstError.time ?? 0))
      )
        group.firstError = stats.firstError;
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

  #templateSeriesByGroup(series: Map<string, number[]>): Record<string, number[]> {
    const byGroup: Record<string, number[]> = {};
    for (const [key, counts] of series) {
      if (!key.startsWith('template:')) continue;
      const template = this.#miner.templateOf(Number(key.slice(9)));
      const sum = byGroup[template];
      byGroup[template] = sum ? sum.map((v, i) => v + (counts[i] ?? 0)) : [...counts];
    }
    return byGroup;
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
