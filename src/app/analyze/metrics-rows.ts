/**
 * What the metrics inputs share: the result they produce, readings of times,
 * numbers, hosts and label sets, and the tally of rows that could not be read
 * (counted, with a few kept as evidence, never a reason to stop reading).
 */
import type { MetricSample } from '../../analysis/explain/health/health.js';
import { Clock, epochFromNumber, parseTimeText, Zone } from '../../analysis/read/time.js';
import type { Evidence } from '../../analysis/report/model.js';

export type MetricsForm = 'csv-wide' | 'csv-long' | 'json-wide' | 'json-long' | 'prometheus';

export interface MetricsInput {
  /** The file or URL, as evidence names it. */
  source: string;
  form: MetricsForm;
  samples: MetricSample[];
  /** Rows (CSV records, JSON objects, Prometheus series) read. */
  rows: number;
  /** Rows without a readable time, or with a value that is not a number. */
  badRows: number;
  badSamples: Evidence[];
  /** Things the user should know (Prometheus' warnings, a coarser step than asked). */
  warnings: string[];
}

export interface MetricsReadOptions {
  /** Zone of times written without one (default UTC). */
  timeZone?: string;
  /** Completes times without a year (default: now). */
  referenceTime?: number;
  /** Host of readings that name none (default "(unknown)"). */
  defaultHost?: string;
}

const MAX_BAD_SAMPLES = 10;
const MAX_SAMPLE_TEXT = 200;
export const UNKNOWN_HOST = '(unknown)';

/** Collects a source's readings and its unreadable rows. */
export class MetricsRows {
  readonly samples: MetricSample[] = [];
  readonly badSamples: Evidence[] = [];
  readonly warnings: string[] = [];
  readonly clock: Clock;
  readonly defaultHost: string;
  rows = 0;
  badRows = 0;

  constructor(
    readonly source: string,
    options: MetricsReadOptions = {},
  ) {
    this.clock = new Clock(
      new Zone(options.timeZone ?? 'UTC'),
      options.referenceTime ?? Date.now(),
    );
    this.defaultHost = options.defaultHost ?? UNKNOWN_HOST;
  }

  bad(line: number, text: string, why: string): void {
    this.badRows++;
    if (this.badSamples.length < MAX_BAD_SAMPLES) {
      const shown = text.length > MAX_SAMPLE_TEXT ? `${text.slice(0, MAX_SAMPLE_TEXT)}...` : text;
      this.badSamples.push({ source: this.source, line, text: `${why}: ${shown}` });
    }
  }

  add(
    time: number,
    host: string | undefined,
    metric: string,
    value: number,
    line: number,
    resource?: string,
  ) {
    this.samples.push({
      time,
      host: host || this.defaultHost,
      metric,
      value,
      ...(resource ? { resource } : {}),
      source: this.source,
      line,
    });
  }

  /** Epoch ms of a time cell (ISO 8601, epoch s/ms/us/ns, common log formats); NaN if none. */
  time(cell: unknown): number {
    if (typeof cell === 'number') return epochFromNumber(cell);
    if (typeof cell !== 'string') return Number.NaN;
    return parseTimeText(cell.trim(), this.clock);
  }

  result(form: MetricsForm): MetricsInput {
    return {
      source: this.source,
      form,
      samples: this.samples,
      rows: this.rows,
      badRows: this.badRows,
      badSamples: this.badSamples,
      warnings: this.warnings,
    };
  }
}

/** A reading: a number, "95.2", "95.2%", true/false; undefined when empty; NaN when not a number. */
export function readingOf(cell: unknown): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (cell === null || cell === undefined) return undefined;
  if (typeof cell !== 'string') return Number.NaN;
  let text = cell.trim();
  if (text === '' || text === '-' || /^(null|none|n\/a|na)$/i.test(text)) return undefined;
  if (text.endsWith('%')) text = text.slice(0, -1).trim();
  return text === '' ? Number.NaN : Number(text);
}

/** A cell that holds a number (or nothing): what tells metric columns from label columns. */
export const isNumeric = (cell: unknown) => {
  const value = readingOf(cell);
  return value === undefined || !Number.isNaN(value);
};

const HOST_KEYS = [
  'host.name',
  'host.hostname',

  'host',
  'hostname',
  'host_name',
  'instance',
  'node',
  'nodename',
  'server',
  'machine',
  'pod',
  'container',
];
const TIME_KEYS = [
  'timestamp',
  'time',
  'ts',
  'date',
  'datetime',
  '@timestamp',
  'epoch',
  'time_utc',
  't',
];
const METRIC_KEYS = ['metric', 'metric_name', 'name', '__name__', 'series', 'measurement', 'key'];
const VALUE_KEYS = ['value', 'val', 'reading', 'y', 'gauge'];

const findKey = (keys: readonly string[], wanted: readonly string[]) => {
  const lower = keys.map((k) => k.trim().toLowerCase());
  for (const w of wanted) {
    const at = lower.indexOf(w);
    if (at >= 0) return keys[at];
  }
  return undefined;
};

export const timeKey = (keys: readonly string[]) =>
  findKey(keys, TIME_KEYS) ?? keys.find((k) => /time|date/i.test(k));
export const hostKey = (keys: readonly string[]) => findKey(keys, HOST_KEYS);
export const metricKey = (keys: readonly string[]) => findKey(keys, METRIC_KEYS);
export const valueKey = (keys: readonly string[]) => findKey(keys, VALUE_KEYS);

/** "web-1:9100" -> "web-1", "[::1]:9100" -> "::1": a Prometheus instance is host and port. */
export function hostOf(instance: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (bracketed) return bracketed[1] as string;
  const colons = instance.split(':').length - 1;
  return colons === 1 ? instance.replace(/:\d+$/, '') : instance;
}

/** The host named by a set of labels, if any. */
export function hostOfLabels(labels: Record<string, string>): string | undefined {
  const key = hostKey(Object.keys(labels));
  const value = key === undefined ? undefined : labels[key];
  return value ? hostOf(value) : undefined;
}

/**
 * What a reading is about besides its host, from its other labels: one label
 * gives its value ("/"), several give "mountpoint=/,device=sda1".
 */
export function resourceOf(labels: Record<string, string>): string | undefined {
  const entries = Object.entries(labels).filter(([, v]) => v !== '');
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return entries[0]?.[1];
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** `node_filesystem_avail_bytes{mountpoint="/",instance="db-1:9100"}` -> name and labels. */
export function splitSeriesName(name: string): { metric: string; labels: Record<string, string> } {
  const open = name.indexOf('{');
  if (open < 0 || !name.endsWith('}')) return { metric: name.trim(), labels: {} };
  const labels: Record<string, string> = {};
  for (const match of name.slice(open + 1, -1).matchAll(/([\w.]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g))
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, '$1');
  return { metric: name.slice(0, open).trim(), labels };
}
