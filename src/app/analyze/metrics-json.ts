/**
 * Metrics as JSON: an array (or JSON lines) of long readings {time, host,
 * metric, value} or wide objects {time, host, cpu_percent, mem_percent}, an
 * object that wraps such an array (`data`, `metrics`, `samples` ...), or a
 * Prometheus API response (or its `result` array) saved to a file. Nested
 * objects are read as dotted keys (`cpu.percent`); string fields other than
 * time and host are labels of the reading (a mount point, a device).
 */
import { UserError } from '../../core/errors.js';
import {
  hostKey,
  hostOfLabels,
  type MetricsInput,
  type MetricsReadOptions,
  MetricsRows,
  metricKey,
  readingOf,
  resourceOf,
  splitSeriesName,
  timeKey,
  valueKey,
} from './metrics-rows.js';
import { isPrometheusResponse, isPrometheusSeries, prometheusSamples } from './prometheus.js';

const WRAPPER_KEYS = [
  'data',
  'metrics',
  'samples',
  'points',
  'readings',
  'items',
  'results',
  'rows',
];
const MAX_DEPTH = 3;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The line each object of the items array starts on (objects opened at
 * `depth`), found by scanning the text with strings skipped: evidence points
 * at file lines, which JSON.parse does not report.
 */
function objectLines(text: string, depth: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) i++;
        else if (text.charCodeAt(i) === 10) line++;
      }
    } else if (c === 123 || c === 91) {
      level++;
      if (c === 123 && level === depth + 1) lines.push(line);
    } else if (c === 125 || c === 93) level--;
  }
  return lines;
}

function flatten(value: Json, into: Json = {}, prefix = '', depth = 0): Json {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isObject(v) && depth < MAX_DEPTH) flatten(v, into, name, depth + 1);
    else if (!Array.isArray(v)) into[name] = v;
  }
  return into;
}

function readItem(item: Json, line: number, rows: MetricsRows): 'long' | 'wide' {
  const flat = flatten(item);
  const keys = Object.keys(flat);
  const time = timeKey(keys);
  const host = hostKey(keys);
  const metric = metricKey(keys);
  const value = valueKey(keys);
  rows.rows++;
  const text = () => JSON.stringify(item);
  const timeMs = time === undefined ? Number.NaN : rows.time(flat[time]);
  if (Number.isNaN(timeMs)) {
    rows.bad(line, text(), 'no readable time');
    return 'wide';
  }
  const hostName = host === undefined ? undefined : String(flat[host] ?? '');
  const taken = new Set([time, host, metric, value]);
  // String fields that are not numbers are labels of the reading.
  const labelKeys = keys.filter(
    (k) => !taken.has(k) && typeof flat[k] === 'string' && Number.isNaN(readingOf(flat[k]) ?? 0),
  );
  const labels: Record<string, string> = {};
  for (const key of labelKeys) labels[key.replace(/^(labels|tags)\./, '')] = flat[key] as string;
  if (metric !== undefined && value !== undefined && typeof flat[metric] === 'string') {
    const reading = readingOf(flat[value]);
    if (reading === undefined) return 'long';
    const { metric: name, labels: own } = splitSeriesName(flat[metric] as string);
    if (Number.isNaN(reading)) rows.bad(line, text(), 'value is not a number');
    else
      rows.add(
        timeMs,
        hostOfLabels(own) ?? hostName,
        name,
        reading,
        line,
        resourceOf({ ...labels, ...own }),
      );
    return 'long';
  }
  let bad = false;
  for (const key of keys) {
    if (taken.has(key) || labelKeys.includes(key)) continue;
    const reading = readingOf(flat[key]);
    if (reading === undefined) continue;
    if (Number.isNaN(reading)) bad = true;
    else rows.add(timeMs, hostName, key, reading, line, resourceOf(labels));
  }
  if (bad) rows.bad(line, text(), 'a value is not a number');
  return 'wide';
}

function jsonLines(text: string): { items: unknown[]; lines: number[] } | undefined {
  const items: unknown[] = [];
  const lines: number[] = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = (all[i] as string).trim();
    if (line === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch {
      items.push(line);
    }
    lines.push(i + 1);
  }
  return items.some(isObject) ? { items, lines } : undefined;
}

export function parseJsonMetrics(
  text: string,
  source: string,
  options: MetricsReadOptions,
): MetricsInput {
  const rows = new MetricsRows(source, options);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const lines = jsonLines(text);
    if (!lines) throw new UserError(`${source}: not valid JSON (${(error as Error).message})`);
    return readItems(lines.items, lines.lines, rows);
  }
  if (isPrometheusResponse(parsed)) {
    prometheusSamples(parsed, rows);
    return rows.result('prometheus');
  }
  if (Array.isArray(parsed)) return readItems(parsed, objectLines(text, 1), rows);
  if (isObject(parsed)) {
    const wrapper = WRAPPER_KEYS.find((k) => Array.isArray(parsed[k]));
    if (wrapper) return readItems(parsed[wrapper] as unknown[], objectLines(text, 2), rows);
    return readItems([parsed], [1], rows);
  }
  throw new UserError(`${source}: JSON metrics must be an array of readings or an object`);
}

function readItems(
  items: readonly unknown[],
  lines: readonly number[],
  rows: MetricsRows,
): MetricsInput {
  if (items.length > 0 && items.every(isPrometheusSeries)) {
    prometheusSamples({ status: 'success', data: { resultType: 'matrix', result: items } }, rows);
    return rows.result('prometheus');
  }
  let long = 0;
  let wide = 0;
  let objectIndex = 0;
  items.forEach((item, i) => {
    if (!isObject(item)) {
      rows.rows++;
      rows.bad(lines[i] ?? 0, String(item), 'not an object');
      return;
    }
    const line = lines.length === items.length ? (lines[i] ?? 0) : (lines[objectIndex] ?? 0);
    objectIndex++;
    if (readItem(item, line, rows) === 'long') long++;
    else wide++;
  });
  return rows.result(long > wide ? 'json-long' : 'json-wide');
}
