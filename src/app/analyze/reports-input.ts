/**
 * `calm analyze --reports FILE`: customer bug reports as CSV (with a header
 * row), a JSON array (or an object holding one, as exports from support
 * tools often are), or JSON lines. Columns are found by name, in any case
 * and spelling (`created_at`, `Created At`, `createdAt`); a record with
 * nothing usable, or a line that does not parse, is counted as bad and
 * shown, never guessed at. CSV is read with csv-parse (maintained, MIT): its
 * quoting rules (quoted newlines, doubled quotes, BOMs) are not worth
 * redoing by hand for a file of a few thousand rows.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { BugReport } from '../../analysis/explain/reports/bug-reports.js';
import { Clock, parseTimeText, Zone } from '../../analysis/read/time.js';

export interface ReportsInput {
  format: 'csv' | 'json' | 'jsonl';
  reports: BugReport[];
  /** Records (or lines) with nothing usable, or that did not parse. */
  bad: number;
  badSamples: { line: number; reason: string }[];
  /** Reports kept without a time because theirs could not be read. */
  unreadableTimes: number;
}

export interface ReportsOptions {
  /** Zone for times written without one (IANA name or offset); default UTC. */
  defaultZone?: string;
  /** Reference for times without a year; default now. */
  referenceTime?: number;
}

const COLUMNS: Record<Exclude<keyof BugReport, 'source' | 'line'>, string[]> = {
  time: [
    'time',
    'timestamp',
    'created_at',
    'created',
    'date',
    'datetime',
    'reported_at',
    'submitted_at',
    'opened_at',
    'received_at',
    'ts',
  ],
  userAgent: ['user_agent', 'useragent', 'ua', 'http_user_agent', 'agent'],
  browser: ['browser', 'browser_name', 'client'],
  os: ['os', 'operating_system', 'platform', 'os_name', 'system'],
  page: ['page', 'url', 'page_url', 'path', 'location', 'route', 'screen', 'uri'],
  description: [
    'description',
    'text',
    'body',
    'summary',
    'title',
    'message',
    'details',
    'comment',
    'steps',
    'subject',
  ],
};
const VERSION_COLUMNS = { browser: ['browser_version'], os: ['os_version', 'platform_version'] };
const MAX_BAD_SAMPLES = 10;

/** "Created At", "createdAt", "created-at" -> "created_at". */
const normalizeName = (name: string) =>
  name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** The record's value for the first known name present, as text. */
function pick(record: Map<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = record.get(name);
    if (v === undefined || v === null) continue;
    const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
    if (text) return text;
  }
  return undefined;
}

/** Flattens one level of nesting (`{"browser": {"name": "Firefox", "version": "126"}}`). */
function flatten(record: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) {
    const name = normalizeName(key);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const inner = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(inner)) out.set(`${name}_${normalizeName(k)}`, v);
      const own = inner.name ?? inner.value;
      if (own !== undefined) out.set(name, own);
    } else out.set(name, value);
  }
  return out;
}

export function parseReports(
  text: string,
  source: string,
  options: ReportsOptions = {},
): ReportsInput {
  const clock = new Clock(
    new Zone(options.defaultZone ?? 'UTC'),
    options.referenceTime ?? Date.now(),
  );
  const out: ReportsInput = {
    format: 'csv',
    reports: [],
    bad: 0,
    badSamples: [],
    unreadableTimes: 0,
  };
  const bad = (line: number, reason: string) => {
    out.bad++;
    if (out.badSamples.length < MAX_BAD_SAMPLES) out.badSamples.push({ line, reason });
  };
  const take = (record: unknown, line: number) => {
    if (!record || typeof record !== 'object' || Array.isArray(record))
      return bad(line, 'not an object');
    const read = toReport(flatten(record as Record<string, unknown>), source, line, clock);
    if (!read) return bad(line, 'no time, browser, OS, page or description');
    if (read.unreadableTime) out.unreadableTimes++;
    out.reports.push(read.report);
  };
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  if (start.startsWith('[') || (start.startsWith('{') && isWholeJson(start))) {
    out.format = 'json';
    let parsed: unknown;
    try {
      parsed = JSON.parse(start);
    } catch (error) {
      bad(1, `not JSON: ${(error as Error).message}`);
      return out;
    }
    const list = Array.isArray(parsed) ? parsed : arrayInside(parsed);
    if (!list) take(parsed, 1);
    else for (const [i, record] of list.entries()) take(record, i + 1);
  } else if (start.startsWith('{')) {
    out.format = 'jsonl';
    for (const [i, line] of body.split('\n').entries()) {
      if (!line.trim()) continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        bad(i + 1, 'not JSON');
        continue;
      }
      take(record, i + 1);
    }
  } else readCsv(body, take, bad);
  return out;
}

function isWholeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `{ "reports": [...] }`, `{ "data": [...] }`: the one array of objects inside. */
function arrayInside(value: unknown): unknown[] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const arrays = Object.values(value).filter(Array.isArray);
  return arrays.length === 1 ? (arrays[0] as unknown[]) : undefined;
}

/** Comma, semicolon (spreadsheets in many locales) or tab: whichever the header row uses most. */
function delimiterOf(body: string): string {
  const end = body.indexOf('\n');
  const header = body.slice(0, end < 0 ? undefined : end).replace(/"[^"]*"/g, '');
  const count = (c: string) => header.split(c).length - 1;
  return [',', ';', '\t'].reduce((best, c) => (count(c) > count(best) ? c : best));
}

function readCsv(
  body: string,
  take: (record: unknown, line: number) => void,
  bad: (line: number, reason: string) => void,
): void {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(body, {
      delimiter: delimiterOf(body),
      columns: (header: string[]) => header.map(normalizeName),
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
    }) as typeof records;
  } catch (error) {
    bad(1, `not CSV: ${(error as Error).message}`);
    return;
  }
  for (const { record, info } of records) take(record, info.lines);
}

function toReport(
  record: Map<string, unknown>,
  source: string,
  line: number,
  clock: Clock,
): { report: BugReport; unreadableTime: boolean } | undefined {
  const get = (key: keyof typeof COLUMNS) => pick(record, COLUMNS[key]);
  const withVersion = (name: string | undefined, columns: string[]) => {
    const version = pick(record, columns);
    return name && version && !/\d/.test(name) ? `${name} ${version}` : name;
  };
  const timeText = get('time');
  const userAgent = get('userAgent');
  const browser = withVersion(
    get('browser') ?? pick(record, ['browser_name']),
    VERSION_COLUMNS.browser,
  );
  const os = withVersion(get('os'), VERSION_COLUMNS.os);
  const page = get('page');
  const description = get('description');
  const time = timeText === undefined ? Number.NaN : parseTimeText(timeText, clock);
  if (!timeText && !userAgent && !browser && !os && !page && !description) return undefined;
  const report: BugReport = {
    source,
    line,
    ...(Number.isNaN(time) ? {} : { time }),
    ...(userAgent ? { userAgent } : {}),
    ...(browser ? { browser } : {}),
    ...(os ? { os } : {}),
    ...(page ? { page } : {}),
    ...(description ? { description } : {}),
  };
  // A report whose time does not read is still worth its browser and page: kept, and counted.
  return { report, unreadableTime: timeText !== undefined && Number.isNaN(time) };
}

/** Reads and parses a reports file (see parseReports). */
export async function readReportsFile(
  path: string,
  options: ReportsOptions = {},
): Promise<ReportsInput> {
  return parseReports(await readFile(path, 'utf8'), path, options);
}
