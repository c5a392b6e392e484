/**
 * Change records for `calm analyze --changes FILE` and `--git DIR`, as data for
 * rankSuspects (analysis/explain/changes.ts).
 *
 * Files come from many tools (CI exports, deploy bots, spreadsheets), so the reader
 * takes JSON lines, a JSON array (or an object holding one) or CSV with a header, and
 * common names for each field; a record it cannot read is counted and sampled, and
 * only a file with no readable record at all is an error. CSV goes through csv-parse
 * (quoting and embedded newlines are its job); times through the log reader's stamp
 * parser, so a change and a log line written alike get the same instant.
 *
 * Git: the real `git` (no shell): commits and merges across all refs by committer
 * date (when a commit landed on a branch, which is nearer a deploy than when it was
 * written), and tags by tagger date (a lightweight tag: its commit's date).
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import type { ChangeKind, ChangeRecord } from '../../analysis/explain/changes/changes.js';
import { Clock, epochFromNumber, parseTimeText, Zone } from '../../analysis/read/time.js';
import type { Evidence } from '../../analysis/report/model.js';
import { UserError } from '../../core/errors.js';
import { readInputText } from './input-file.js';

export interface ChangeInputOptions {
  /** Zone for times written without one: an IANA name or an offset; default UTC. */
  defaultZone?: string;
  /** Reference time, for stamps without a year. */
  now: number;
  /** Keep only changes in this window (see changeWindow); the rest are counted as skipped. */
  window?: { from: number; to: number };
  /** Most records kept, the latest; default 50,000 from a file, 5,000 from git. */
  limit?: number;
}

export interface ChangeInput {
  /** Oldest first. */
  records: ChangeRecord[];
  /** Records that could not be read, and a few of them with the reason. */
  bad: number;
  badSamples: Evidence[];
  /** Readable records outside the window or beyond the limit. */
  skipped: number;
  /** The window the records cover, when known: ChangeContext.recorded. */
  covered?: { from: number; to: number };
}

const MAX_SAMPLES = 5;
const MAX_HOSTS = 100;
const MAX_LABELS = 10;
const MAX_TEXT = 300;
/** Earlier "times" are numbers in the wrong column, not changes. */
const YEAR_2000 = 946_684_800_000;

/** Field names by role, most specific first; compared lower-case without punctuation. */
const FIELDS = {
  time: 'time timestamp ts datetime date at when deployedat deploytime deploymenttime startedat starttime start createdat occurredat appliedat changedat finishedat completedat endtime eventtime',
  kind: 'kind type event eventtype changetype category action',
  id: 'id changeid deployid deploymentid eventid uuid',
  service: 'service servicename app application appname component project repo repository system',
  version: 'version sha commit commitsha gitsha revision rev tag release image imagetag build ref',
  description:
    'description message summary title desc details detail note notes comment text subject change name',
  hosts:
    'hosts host hostname hostnames servers server targets target nodes node instances instance machines pods pod',
  author: 'author user username by deployedby actor owner who committer triggeredby',
} as const;
type Role = keyof typeof FIELDS;
const ROLES = Object.keys(FIELDS) as Role[];
const ALIASES = Object.fromEntries(ROLES.map((r) => [r, FIELDS[r].split(' ')])) as Record<
  Role,
  string[]
>;

/** Kind names as tools write them (compared like field names). */
const KIND_NAMES = new Map<string, ChangeKind>(
  Object.entries({
    deploy: 'deploy deployment deployed release rollout',
    config: 'config configuration configchange settings',
    'feature-flag': 'featureflag flag featuretoggle toggle',
    migration: 'migration dbmigration schemamigration schema',
    rollback: 'rollback revert rolledback',
    commit: 'commit',
    merge: 'merge pullrequest mergerequest',
    tag: 'tag',
  }).flatMap(([kind, names]) => names.split(' ').map((n) => [n, kind as ChangeKind] as const)),
);

/** Words in a free-text kind or description, in order of precedence. */
const KIND_WORDS: [RegExp, ChangeKind][] = [
  [/roll(ed)?[ -]?back|revert/i, 'rollback'],
  [/migrat|schema/i, 'migration'],
  [/feature[ -]?flag|\bflag|toggle/i, 'feature-flag'],
  [/deploy|release|roll(ed)?[ -]?out|\bship/i, 'deploy'],
  [/config|setting/i, 'config'],
  [/\bmerge|pull request/i, 'merge'],
];

const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

function kindOf(text: string): ChangeKind | undefined {
  return KIND_NAMES.get(normalize(text)) ?? KIND_WORDS.find(([re]) => re.test(text))?.[1];
}

/** Nested objects as dotted keys (`service.name`); arrays of scalars kept as lists. */
function flatten(value: Record<string, unknown>, prefix = '', into: Record<string, unknown> = {}) {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && prefix.split('.').length < 3)
      flatten(v as Record<string, unknown>, name, into);
    else into[name] = v;
  }
  return into;
}

const text = (v: unknown) =>
  typeof v === 'string'
    ? v.trim().slice(0, MAX_TEXT)
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : '';

function parseTime(value: unknown, clock: Clock): number {
  if (typeof value === 'number') return epochFromNumber(value);
  const s = text(value);
  if (/^\d+(\.\d+)?$/.test(s)) return epochFromNumber(Number(s));
  return s ? parseTimeText(s, clock) : Number.NaN;
}

/** One record from its fields, or the reason it is unreadable. */
function recordOf(
  fields: Record<string, unknown>,
  source: string,
  line: number,
  clock: Clock,
): ChangeRecord | string {
  const keys = new Map<string, string>();
  for (const key of Object.keys(fields))
    if (!keys.has(normalize(key))) keys.set(normalize(key), key);
  const used = new Set<string>();
  const get = (role: Role): unknown => {
    for (const alias of ALIASES[role]) {
      const key = keys.get(alias);
      if (key === undefined || used.has(key)) continue;
      const v = fields[key];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
        continue;
      used.add(key);
      return v;
    }
    return undefined;
  };
  const rawTime = get('time');
  if (rawTime === undefined) return 'no time';
  let time = parseTime(rawTime, clock);
  const date = fields[keys.get('date') ?? ''];
  // Spreadsheets split the date and the time of day into two columns.
  if (!(time >= YEAR_2000) && date && rawTime !== date)
    time = parseTime(`${text(date)} ${text(rawTime)}`, clock);
  if (!(time >= YEAR_2000)) return `time "${text(rawTime)}" is not a date and time`;
  const rawKind = text(get('kind'));
  const description = text(get('description'));
  if (!rawKind && !description) return 'no kind or description';
  const kind = kindOf(rawKind) ?? kindOf(description) ?? 'other';
  const rawHosts = get('hosts');
  const hosts = (Array.isArray(rawHosts) ? rawHosts.map(text) : text(rawHosts).split(/[\s,;|]+/))
    .filter(Boolean)
    .slice(0, MAX_HOSTS);
  const record: ChangeRecord = { time, kind, description: description || rawKind, source, line };
  for (const role of ['id', 'service', 'version', 'author'] as const) {
    const v = text(get(role));
    if (v) record[role] = v;
  }
  if (hosts.length) record.hosts = hosts;
  const labels = Object.entries(fields)
    .filter(([key, v]) => !used.has(key) && text(v) !== '')
    .slice(0, MAX_LABELS);
  // `labels.region` is called region, as ChangeContext.labels names it.
  const short = (key: string) => key.slice(key.lastIndexOf('.') + 1);
  if (labels.length)
    record.labels = Object.fromEntries(
      labels.map(([k, v]) => [short(k) in fields ? k : short(k), text(v)]),
    );
  return record;
}

/** The line (1-based) each element of a top-level JSON array starts on. */
function arrayElementLines(json: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let expecting = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '\n') line++;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (depth === 1 && expecting && c !== ']') lines.push(line);
    expecting = false;
    if (c === '"') {
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
    } else if (c === '[' || c === '{') expecting = ++depth === 1;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expecting = true;
  }
  return lines;
}

type Row =
  | { fields: Record<string, unknown>; line: number }
  | { error: string; line: number; raw: string };

function jsonRows(body: string): Row[] | undefined {
  let whole: unknown;
  try {
    whole = JSON.parse(body);
  } catch {
    if (body.startsWith('[')) return [{ error: 'not valid JSON', line: 1, raw: body.slice(0, 80) }];
    return undefined; // JSON lines
  }
  const list = Array.isArray(whole)
    ? whole
    : whole && typeof whole === 'object'
      ? (Object.values(whole).find((v) => Array.isArray(v)) as unknown[] | undefined)
      : undefined;
  const lines = Array.isArray(whole) ? arrayElementLines(body) : [];
  return (list ?? [whole]).map((item, i) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? { fields: flatten(item as Record<string, unknown>), line: lines[i] ?? i + 1 }
      : { error: 'not an object', line: lines[i] ?? i + 1, raw: JSON.stringify(item) ?? '' },
  );
}

function jsonLineRows(body: string): Row[] {
  return body.split('\n').flatMap((raw, i): Row[] => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('//')) return [];
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value))
        return [{ fields: flatten(value), line: i + 1 }];
      return [{ error: 'not an object', line: i + 1, raw: line }];
    } catch {
      return [{ error: 'not valid JSON', line: i + 1, raw: line }];
    }
  });
}

function csvRows(body: string): { rows: Row[]; columns: string[] } {
  const end = body.indexOf('\n');
  const header = (end < 0 ? body : body.slice(0, end)).replace(/"[^"]*"/g, '');
  const count = (d: string) => header.split(d).length;
  const delimiter = [',', '\t', ';', '|'].reduce((a, b) => (count(b) > count(a) ? b : a));
  const rows: Row[] = [];
  const parsed = parseCsv(body, {
    columns: (names: string[]) => names.map((n) => n.trim()),
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: true,
    on_skip: (error, raw) => {
      rows.push({
        error: error?.message ?? 'unreadable CSV',
        line: typeof error?.lines === 'number' ? error.lines : 0,
        raw: raw ?? '',
      });
    },
  }) as { record: Record<string, string>; info: { lines: number } }[];
  for (const { record, info } of parsed) rows.push({ fields: record, line: info.lines });
  const columns = header
    .split(delimiter)
    .map((c) => c.trim())
    .filter(Boolean);
  return { rows: rows.sort((a, b) => a.line - b.line), columns };
}

/** Oldest first, within the window, the latest `limit` kept. */
function finish(
  records: ChangeRecord[],
  bad: Evidence[],
  badCount: number,
  options: ChangeInputOptions,
  limit: number,
): ChangeInput {
  const window = options.window;
  const inWindow = window
    ? records.filter((r) => r.time >= window.from && r.time <= window.to)
    : records;
  inWindow.sort((a, b) => a.time - b.time || a.source.localeCompare(b.source) || a.line - b.line);
  const kept = inWindow.slice(Math.max(0, inWindow.length - limit));
  const first = kept[0];
  const covered =
    window && first && kept.length < inWindow.length ? { from: first.time, to: window.to } : window;
  return {
    records: kept,
    bad: badCount,
    badSamples: bad,
    skipped: records.length - kept.length,
    ...(covered ? { covered } : {}),
  };
}

function clockFor(options: ChangeInputOptions, flag: string): Clock {
  try {
    return new Clock(new Zone(options.defaultZone ?? 'UTC'), options.now);
  } catch (error) {
    throw new UserError(`${flag}: ${(error as Error).message}`);
  }
}

/**
 * Change records from the text of a --changes file called `name` (JSON lines, a JSON
 * array, or CSV with a header). Throws a UserError only when no record is readable.
 */
export function parseChanges(body: string, name: string, options: ChangeInputOptions): ChangeInput {
  const clock = clockFor(options, `--changes ${name}`);
  const trimmed = body.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return finish([], [], 0, options, 0);
  let rows: Row[];
  let columns: string[] = [];
  if (trimmed.startsWith('[') || trimmed.startsWith('{'))
    rows = jsonRows(trimmed) ?? jsonLineRows(trimmed);
  else ({ rows, columns } = csvRows(trimmed));
  const records: ChangeRecord[] = [];
  const samples: Evidence[] = [];
  let bad = 0;
  for (const row of rows) {
    const result = 'fields' in row ? recordOf(row.fields, name, row.line, clock) : row.error;
    if (typeof result !== 'string') {
      records.push(result);
      continue;
    }
    bad++;
    const raw = 'raw' in row ? row.raw : JSON.stringify(row.fields);
    if (samples.length < MAX_SAMPLES)
      samples.push({ source: name, line: row.line, text: `${result}: ${raw.slice(0, 200)}` });
    if (!columns.length && 'fields' in row) columns = Object.keys(row.fields);
  }
  const headerOnly = rows.length === 0 && columns.some((c) => ALIASES.time.includes(normalize(c)));
  if (records.length === 0 && !headerOnly) {
    const found = columns.length ? `; found ${columns.slice(0, 12).join(', ')}` : '';
    const first = samples[0] ? ` (line ${samples[0].line}: ${samples[0].text.split(':')[0]})` : '';
    throw new UserError(
      `--changes ${name}: no change records found; expected columns time and kind (or description)${found}${first}`,
    );
  }
  return finish(records, samples, bad, options, options.limit ?? 50_000);
}

/** Reads a --changes file; `name` is how evidence cites it (default: the path). */
export async function readChangeFile(
  path: string,
  options: ChangeInputOptions & { name?: string },
): Promise<ChangeInput> {
  const name = options.name ?? path;
  const body = await readInputText(path, `--changes ${name}`);
  return parseChanges(body, name, options);
}

const execFileAsync = promisify(execFile);
const US = '\x1f';
const RS = '\x1e';

async function git(dir: string, args: string[], flag: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', ['-C', dir, ...args], {
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new UserError(`${flag}: git is not installed (or not on PATH)`);
    const why =
      e.stderr
        ?.split('\n')
        .find((l) => l.trim())
        ?.replace(/^fatal: /, '') ?? e.message;
    if (/not a git repository/i.test(why))
      throw new UserError(`${flag}: not a git repository; give the folder of a clone`);
    throw new UserError(`${flag}: git failed: ${why}`);
  }
}

/**
 * Commits, merges and tags of the repository at `dir` within `options.window`
 * (required: the analysis span plus a margin, see changeWindow), the latest
 * `limit` (default 5,000). Run on a subfolder, it lists the commits touching it.
 */
export async function listGitChanges(
  dir: string,
  options: ChangeInputOptions & { window: { from: number; to: number }; name?: string },
): Promise<ChangeInput> {
  const flag = `--git ${options.name ?? dir}`;
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new UserError(`${flag}: no such folder`);
  const prefix = (await git(dir, ['rev-parse', '--show-prefix'], flag)).trim();
  const limit = options.limit ?? 5000;
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const source = options.name ?? dir;
  const { from, to } = options.window;
  const walk = `log --all --date-order --max-count=${limit} --since=@${seconds(from)} --until=@${seconds(to) + 1}`;
  const format = `--format=%H${US}%P${US}%ct${US}%at${US}%an${US}%s${RS}`;
  const log = await git(dir, [...walk.split(' '), format, ...(prefix ? ['--', '.'] : [])], flag);
  const records: ChangeRecord[] = [];
  for (const [i, entry] of log.split(RS).entries()) {
    const [sha, parents, committed, authored, author, subject] = entry.trim().split(US);
    if (!sha || committed === undefined) continue;
    const time = Number(committed) * 1000;
    const record: ChangeRecord = {
      time,
      kind: (parents ?? '').split(' ').filter(Boolean).length > 1 ? 'merge' : 'commit',
      version: sha.slice(0, 12),
      description: subject ?? '',
      source,
      line: i + 1,
    };
    if (author) record.author = author;
    const authoredMs = Number(authored) * 1000;
    if (Math.abs(authoredMs - time) > 60_000)
      record.labels = { authored: new Date(authoredMs).toISOString() };
    records.push(record);
  }
  const tagFormat = `--format=%(refname:short)${US}%(taggerdate:unix)${US}%(committerdate:unix)${US}%(taggername)${US}%(contents:subject)`;
  const tags = await git(dir, ['for-each-ref', 'refs/tags', tagFormat], flag);
  for (const [i, entry] of tags.split('\n').entries()) {
    const [tag, tagged, committed, tagger, subject] = entry.split(US);
    const time = Number(tagged || committed) * 1000;
    if (!tag || !(time > 0)) continue;
    const record: ChangeRecord = {
      time,
      kind: 'tag',
      version: tag,
      description: subject ?? '',
      source: `${source} tags`,
      line: i + 1,
    };
    if (tagger) record.author = tagger;
    records.push(record);
  }
  const truncated = records.filter((r) => r.kind !== 'tag').length >= limit;
  const result = finish(records, [], 0, options, limit);
  const first = result.records[0];
  // Fewer commits listed than there were: the records cover only the latest part.
  if (truncated && first) result.covered = { from: first.time, to: options.window.to };
  return result;
}
