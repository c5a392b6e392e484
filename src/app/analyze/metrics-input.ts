/**
 * `--metrics FILE`: server metrics from a file, in whichever shape it comes:
 *
 *   CSV, wide   timestamp,host,cpu_percent,mem_percent,disk_used_percent,load1
 *   CSV, long   timestamp,host,metric,value   (metric may be `name{label="v"}`)
 *   JSON        an array (or JSON lines) of {time, host, metric, value} or of
 *               wide objects, or Prometheus' own query_range response saved to a file
 *
 * The shape is read from the content (first character, header names), not
 * the file name. Columns that hold words rather than numbers (a mount point,
 * a device) say what the reading is about. Times are ISO 8601 or epoch
 * seconds/milliseconds. A row that cannot be read is counted and a few are
 * kept as evidence; only a file with no time column at all is refused.
 *
 * CSV is parsed by csv-parse (quoting, embedded newlines and BOMs are its
 * job), one record at a time through `on_record`, so that only the readings,
 * not the records, stay in memory.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { UserError } from '../../core/errors.js';
import { parseJsonMetrics } from './metrics-json.js';
import {
  hostKey,
  hostOfLabels,
  isNumeric,
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

export type { MetricsForm, MetricsInput, MetricsReadOptions } from './metrics-rows.js';

/** Header plus this many records decide which columns are labels. */
const SNIFF_RECORDS = 50;

/** Reads a metrics file (gzip too); `name` is how evidence will cite it. */
export async function readMetricsFile(
  path: string,
  options: MetricsReadOptions & { name?: string } = {},
): Promise<MetricsInput> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserError(
      `Cannot read metrics file ${path}: ${(error as Error).message}`,
      'not_found',
    );
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return parseMetrics(bytes.toString('utf8'), options.name ?? path, options);
}

/** Parses metrics text in any of the shapes above. */
export function parseMetrics(
  text: string,
  source: string,
  options: MetricsReadOptions = {},
): MetricsInput {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  if (first === '[' || first === '{') return parseJsonMetrics(body, source, options);
  return parseCsvMetrics(body, source, options);
}

function delimiterOf(text: string): string {
  const header = text.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
  const counts = [',', ';', '\t', '|'].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0] && counts[0][1] > 0 ? counts[0][0] : ',';
}

const CSV_OPTIONS = {
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  comment: '#',
  comment_no_infix: true,
  trim: true,
  bom: true,
} as const;

function parseCsvMetrics(text: string, source: string, options: MetricsReadOptions): MetricsInput {
  const delimiter = delimiterOf(text);
  const head = parse(text, { ...CSV_OPTIONS, delimiter, to_line: SNIFF_RECORDS + 20 });
  const header = (head[0] ?? []).map((h) => h.trim());
  const time = timeKey(header);
  if (time === undefined)
    throw new UserError(
      `${source}: no time column in the header (${header.slice(0, 8).join(delimiter)}); name one timestamp, time, ts or date`,
    );
  const at = (key: string | undefined) => (key === undefined ? -1 : header.indexOf(key));
  const timeAt = at(time);
  const hostAt = at(hostKey(header));
  const metricAt = at(metricKey(header));
  const valueAt = at(valueKey(header));
  const long = metricAt >= 0 && valueAt >= 0;
  const data = head.slice(1);
  // Columns whose cells are mostly words, not numbers: labels of the reading
  // (a stray "n/a" in a metric column does not make it one).
  const isLabelColumn = (i: number) => {
    let words = 0;
    let numbers = 0;
    for (const record of data) {
      const cell = record[i];
      if (cell === undefined || cell === '') continue;
      if (isNumeric(cell)) numbers++;
      else words++;
    }
    return words > numbers;
  };
  const labelAt = header
    .map((_, i) => i)
    .filter(
      (i) => i !== timeAt && i !== hostAt && i !== metricAt && i !== valueAt && isLabelColumn(i),
    );
  const rows = new MetricsRows(source, options);
  const onRecord = (record: string[], context: { lines: number; records: number }) => {
    if (context.records === 1) return null;
    rows.rows++;
    const line = context.lines;
    const timeMs = rows.time(record[timeAt] ?? '');
    if (Number.isNaN(timeMs)) {
      rows.bad(line, record.join(delimiter), 'no readable time');
      return null;
    }
    const labels: Record<string, string> = {};
    for (const i of labelAt) if (record[i]) labels[header[i] as string] = record[i] as string;
    const host = hostAt >= 0 ? record[hostAt] : undefined;
    if (long) {
      const value = readingOf(record[valueAt]);
      const { metric, labels: own } = splitSeriesName(record[metricAt] ?? '');
      if (value === undefined) return null;
      if (Number.isNaN(value) || metric === '') {
        rows.bad(
          line,
          record.join(delimiter),
          Number.isNaN(value) ? 'value is not a number' : 'no metric name',
        );
        return null;
      }
      const all = { ...labels, ...own };
      const ownHost = hostOfLabels(own);
      for (const key of Object.keys(own))
        if (ownHost && /^(host|hostname|instance|node)$/i.test(key)) delete all[key];
      rows.add(timeMs, ownHost ?? host, metric, value, line, resourceOf(all));
      return null;
    }
    let bad = false;
    header.forEach((name, i) => {
      if (i === timeAt || i === hostAt || labelAt.includes(i) || name === '') return;
      const value = readingOf(record[i]);
      if (value === undefined) return;
      if (Number.isNaN(value)) bad = true;
      else rows.add(timeMs, host, name, value, line, resourceOf(labels));
    });
    if (bad) rows.bad(line, record.join(delimiter), 'a value is not a number');
    return null;
  };
  try {
    parse(text, {
      ...CSV_OPTIONS,
      delimiter,
      on_record: onRecord,
      skip_records_with_error: true,
      on_skip: (error) => {
        const line = typeof error?.lines === 'number' ? error.lines : 0;
        rows.bad(line, error?.message ?? 'unreadable record', 'unreadable CSV');
        return undefined;
      },
    });
  } catch (error) {
    throw new UserError(`${source}: ${(error as Error).message}`);
  }
  return rows.result(long ? 'csv-long' : 'csv-wide');
}
