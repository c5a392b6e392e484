/**
 * Reading generated scenarios back, independently of Calm's reader: strict
 * patterns for nginx lines, JSON.parse for service lines, csv-parse for CSV,
 * croner for schedules. A scenario is generated once per test file.
 */
import { Cron } from 'croner';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseAllDocuments } from 'yaml';
import {
  generateScenario,
  type Scenario,
  type ScenarioKind,
} from '../../bench/scenarios/generate.js';

const cache = new Map<string, Scenario>();

export function scenario(kind: ScenarioKind, seed: number): Scenario {
  const key = `${kind}:${seed}`;
  let found = cache.get(key);
  if (!found) {
    found = generateScenario(kind, seed);
    cache.set(key, found);
  }
  return found;
}

export function file(s: Scenario, path: string): string {
  const found = s.files.find((f) => f.path === path);
  if (!found) throw new Error(`${s.kind} ${s.seed} has no ${path}`);
  return found.content;
}

const lines = (content: string) => content.split('\n').filter((l) => l !== '');

export interface AccessRecord {
  time: number;
  host: string;
  method: string;
  path: string;
  query: Map<string, string>;
  status: number;
  ua: string;
  durationMs: number;
}

const ACCESS =
  /^(\d+\.\d+\.\d+\.\d+) - - \[(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\] "([A-Z]+) (\S+) HTTP\/1\.1" (\d{3}) (\d+) "([^"]*)" "([^"]*)" (\d+\.\d{3})$/;
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** Parses once per scenario: several checks read the same records. */
function memo<T>(parse: (s: Scenario) => T): (s: Scenario) => T {
  const done = new WeakMap<Scenario, T>();
  return (s) => {
    let value = done.get(s);
    if (value === undefined) {
      value = parse(s);
      done.set(s, value);
    }
    return value;
  };
}

/** Every access line of every host; throws on a line that is not nginx combined + request time. */
export const accessRecords = memo((s: Scenario): AccessRecord[] => {
  const out: AccessRecord[] = [];
  for (const f of s.files) {
    if (!f.path.endsWith('/access.log')) continue;
    const host = f.path.split('/')[1] as string;
    for (const line of lines(f.content)) {
      const m = ACCESS.exec(line);
      if (!m) throw new Error(`${f.path}: not an access line: ${line}`);
      const g = (i: number) => m[i] as string;
      const offset = (g(8) === '-' ? -1 : 1) * (Number(g(9)) * 60 + Number(g(10))) * 60_000;
      const local = Date.UTC(+g(4), MONTHS.indexOf(g(3)), +g(2), +g(5), +g(6), +g(7));
      const [path = '', query = ''] = g(12).split('?');
      out.push({
        time: local - offset,
        host,
        method: g(11),
        path,
        query: new Map(
          query ? query.split('&').map((kv) => kv.split('=') as [string, string]) : [],
        ),
        status: Number(g(13)),
        ua: g(16),
        durationMs: Number(g(17)) * 1000,
      });
    }
  }
  return out;
});

export interface AppRecord {
  time: number;
  host: string;
  service: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  region?: string;
  target?: string;
  status?: number;
  ua?: string;
  stack?: string;
  page?: string;
}

const PINO_LEVELS: Record<number, AppRecord['level']> = {
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
};

/** Every service line of every host, Java (logstash-logback) or Node (pino) alike. */
export const appRecords = memo((s: Scenario): AppRecord[] => {
  const out: AppRecord[] = [];
  for (const f of s.files) {
    if (!f.path.startsWith('logs/') || f.path.endsWith('/access.log')) continue;
    for (const line of lines(f.content)) {
      const o = JSON.parse(line);
      if ('@timestamp' in o)
        out.push({
          time: Date.parse(o['@timestamp']),
          host: o.host,
          service: o.service,
          level: String(o.level).toLowerCase() as AppRecord['level'],
          message: o.message,
          region: o.region,
          target: o.path,
          status: o.status,
          ua: o.user_agent,
          stack: o.stack_trace,
          page: o.page,
        });
      else
        out.push({
          time: o.time,
          host: o.hostname,
          service: o.service,
          level: PINO_LEVELS[o.level] ?? 'info',
          message: o.msg,
          region: o.region,
          target: o.req?.url,
          status: o.res?.statusCode,
          ua: o.req?.headers?.['user-agent'],
          stack: o.err?.stack,
          page: o.page,
        });
    }
  }
  return out;
});

export interface MetricRow {
  time: number;
  host: string;
  cpu: number;
  mem: number;
  disk: number;
  load: number;
}

export function metricRows(s: Scenario): MetricRow[] {
  const rows = parseCsv(file(s, 'metrics.csv'), { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({
    time: Date.parse(r.timestamp as string),
    host: r.host as string,
    cpu: Number(r.cpu_percent),
    mem: Number(r.mem_percent),
    disk: Number(r.disk_used_percent),
    load: Number(r.load1),
  }));
}

export interface ChangeRecord {
  id: string;
  time: number;
  kind: string;
  service: string;
  version?: string;
  hosts: string[];
  description: string;
}

export function changes(s: Scenario): ChangeRecord[] {
  return lines(file(s, 'changes.jsonl')).map((l) => {
    const o = JSON.parse(l);
    return { ...o, time: Date.parse(o.time) };
  });
}

export function reports(
  s: Scenario,
): { time: number; user_agent: string; page: string; description: string }[] {
  const rows = parseCsv(file(s, 'reports.csv'), { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({
    time: Date.parse(r.time as string),
    user_agent: r.user_agent as string,
    page: r.page as string,
    description: r.description as string,
  }));
}

export interface CronEntry {
  name: string;
  schedule: string;
  zone: string;
}

/** The cron jobs as written, from the system crontab or the Kubernetes CronJobs. */
export function cronEntries(s: Scenario): CronEntry[] {
  const yamlFile = s.files.find((f) => f.path === 'cronjobs.yaml');
  if (yamlFile)
    return parseAllDocuments(yamlFile.content).map((doc) => {
      const o = doc.toJS();
      return { name: o.metadata.name, schedule: o.spec.schedule, zone: o.spec.timeZone };
    });
  const out: CronEntry[] = [];
  let zone = s.timeZone;
  for (const line of lines(file(s, 'crontab'))) {
    if (line.startsWith('#')) continue;
    const env = /^([A-Z_]+)=(.*)$/.exec(line);
    if (env) {
      if (env[1] === 'CRON_TZ') zone = env[2] as string;
      continue;
    }
    const fields = line.split(/\s+/);
    const shortcut = fields[0]?.startsWith('@');
    const schedule = shortcut ? (fields[0] as string) : fields.slice(0, 5).join(' ');
    const command = fields.slice(shortcut ? 2 : 6).join(' ');
    out.push({ name: command, schedule, zone });
  }
  return out;
}

/** A job's runs in [from, to] as croner reads its schedule. */
export function cronRuns(entry: CronEntry, from: number, to: number): number[] {
  const cron = new Cron(entry.schedule, { timezone: entry.zone, paused: true });
  const runs: number[] = [];
  let previous = new Date(from - 1);
  for (;;) {
    const next = cron.nextRun(previous);
    if (!next || next.getTime() > to) return runs;
    runs.push(next.getTime());
    previous = next;
  }
}

/** Sorted copy. */
export const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
