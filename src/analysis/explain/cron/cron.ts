/**
 * Cron jobs from crontab text: system crontabs (/etc/crontab, /etc/cron.d:
 * five fields, a user, the command), user crontabs (`crontab -l`: five fields,
 * the command), `@hourly`-style shortcuts, environment lines (`CRON_TZ=` and
 * `TZ=` set the zone of the jobs below them) and comments. Schedules are
 * checked, and later expanded, by croner (a maintained library, no I/O): cron
 * matching has many corners (day-of-month OR day-of-week, names, DST gaps)
 * that we must not get subtly wrong by hand. Kubernetes CronJobs are read in
 * app/analyze/cron-input.ts (YAML parsing is I/O-side) and checked here too.
 */
import { Cron } from 'croner';
import { commandName } from './cron-command.js';

export interface CronJob {
  /** What people call it: the script's name (`backup.sh`) or the CronJob's metadata.name. */
  name: string;
  /** Five fields (`*\/15 * * * *`) or a shortcut (`@daily`); `@reboot` has no schedule to expand. */
  schedule: string;
  /** IANA zone from CRON_TZ / TZ or spec.timeZone; undefined: the analysis's default zone. */
  zone?: string;
  command: string;
  /** The user it runs as: a system crontab's user column, or the owner of a spooled user crontab. */
  user?: string;
  /** The cron file, as evidence. */
  source: string;
  /** 1-based line of the job in its file. */
  line: number;
}

/** A line Calm could not use, with the reason in words. */
export interface CronProblem {
  source: string;
  line: number;
  text: string;
  reason: string;
}

export type CronFileForm = 'system-crontab' | 'user-crontab' | 'kubernetes';

export interface ParsedCron {
  form: CronFileForm;
  jobs: CronJob[];
  problems: CronProblem[];
}

export interface CrontabOptions {
  /**
   * What the file's path suggests (`/etc/crontab`, `cron.d/`), used only when
   * the content cannot tell (no user column is recognisable either way).
   */
  formHint?: 'system-crontab' | 'user-crontab';
}

export const REBOOT = '@reboot';
const SHORTCUTS = new Set([
  '@hourly',
  '@daily',
  '@midnight',
  '@weekly',
  '@monthly',
  '@yearly',
  '@annually',
  REBOOT,
]);
const ENVIRONMENT_LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
/** Accounts that commonly own system cron jobs: a sixth field like these marks a user column. */
const KNOWN_ACCOUNTS = new Set(
  'root daemon bin sys nobody www-data www apache nginx http postgres mysql redis backup mail news operator ubuntu admin ec2-user deploy app git jenkins smmsp'.split(
    ' ',
  ),
);
/** A user name as useradd accepts it; a command with a slash, dot or quote is no user. */
const USER_NAME = /^[a-z_][a-z0-9_-]*\$?$/i;

/** Why `schedule` cannot be expanded, or undefined when croner accepts it (5 fields or a shortcut). */
export function scheduleProblem(schedule: string): string | undefined {
  if (schedule === REBOOT) return undefined;
  try {
    new Cron(schedule, { mode: '5-part' });
    return undefined;
  } catch (error) {
    return `not a valid schedule: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** Why `zone` is not a usable IANA zone name, or undefined when it is. */
export function zoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `"${zone}" is not a time zone name (write it like Europe/Berlin or UTC)`;
  }
}

const unquote = (value: string) => value.trim().replace(/^(["'])(.*)\1$/, '$2');

/** Cron's `%`: unescaped, it ends the command (the rest is standard input); `\%` is a percent sign. */
function commandOf(rest: string): string {
  const cut = rest.search(/(?<!\\)%/);
  return (cut >= 0 ? rest.slice(0, cut) : rest).replace(/\\%/g, '%').trim();
}

interface JobLine {
  line: number;
  text: string;
  schedule: string;
  /** Whitespace-separated words after the schedule, with their start offsets in `text`. */
  words: { word: string; at: number }[];
}

/** A job line's schedule and the words after it; undefined when it is no job line. */
function splitJobLine(text: string, line: number): JobLine | undefined {
  const words = [...text.matchAll(/\S+/g)].map((m) => ({ word: m[0], at: m.index }));
  const first = words[0]?.word ?? '';
  const fields = first.startsWith('@') ? 1 : 5;
  if (words.length < fields) return undefined;
  const schedule = words
    .slice(0, fields)
    .map((w) => w.word)
    .join(' ');
  return { line, text, schedule, words: words.slice(fields) };
}

/**
 * Is there a user column? Decided by the content: a sixth field that is a
 * known account (root, www-data) says yes; one that cannot be a user name
 * (a path, a quote, an assignment, or a command with nothing after it) says
 * no. A header comment naming the user column ("m h dom mon dow user
 * command", "* * * * * user-name command") and then the path's hint break
 * a tie; otherwise it is a user crontab.
 */
function detectForm(
  jobs: JobLine[],
  headerNamesUser: boolean,
  hint: CrontabOptions['formHint'],
): 'system-crontab' | 'user-crontab' {
  let accounts = 0;
  let commands = 0;
  for (const job of jobs) {
    const sixth = job.words[0]?.word ?? '';
    if (KNOWN_ACCOUNTS.has(sixth) && job.words.length > 1) accounts++;
    else if (!USER_NAME.test(sixth) || job.words.length < 2) commands++;
  }
  if (accounts !== commands) return accounts > commands ? 'system-crontab' : 'user-crontab';
  if (headerNamesUser) return 'system-crontab';
  return hint ?? 'user-crontab';
}

/** The jobs of a crontab, with the lines that could not be used and why. */
export function parseCrontab(
  text: string,
  source: string,
  options: CrontabOptions = {},
): ParsedCron {
  const problems: CronProblem[] = [];
  const lines = text.split(/\r?\n/);
  // First pass: which lines are jobs, so the form is decided before any job is built.
  const jobLines: JobLine[] = [];
  let headerNamesUser = false;
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      if (/\buser(?:-?name)?\s+command\b/i.test(trimmed)) headerNamesUser = true;
      continue;
    }
    if (trimmed === '' || ENVIRONMENT_LINE.test(trimmed)) continue;
    const job = splitJobLine(trimmed, index + 1);
    if (job) jobLines.push(job);
    else problems.push({ source, line: index + 1, text: trimmed, reason: 'not a cron line' });
  }
  const form = detectForm(jobLines, headerNamesUser, options.formHint);

  const jobs: CronJob[] = [];
  const byLine = new Map(jobLines.map((j) => [j.line, j]));
  let zone: string | undefined;
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    const environment = ENVIRONMENT_LINE.exec(trimmed);
    if (environment && !trimmed.startsWith('#')) {
      const [, name, value] = environment;
      if (name !== 'CRON_TZ' && name !== 'TZ') continue;
      const wanted = unquote(value ?? '');
      const problem = wanted ? zoneProblem(wanted) : undefined;
      if (problem) problems.push({ source, line: index + 1, text: trimmed, reason: problem });
      // An empty or unknown zone leaves the jobs below in the default zone, as cron does.
      zone = wanted && !problem ? wanted : undefined;
      continue;
    }
    const job = byLine.get(index + 1);
    if (!job) continue;
    const built = buildJob(job, form, zone, source);
    if ('reason' in built) problems.push(built);
    else jobs.push(built);
  }
  return { form, jobs, problems: problems.sort((a, b) => a.line - b.line) };
}

function buildJob(
  job: JobLine,
  form: 'system-crontab' | 'user-crontab',
  zone: string | undefined,
  source: string,
): CronJob | CronProblem {
  const fail = (reason: string): CronProblem => ({
    source,
    line: job.line,
    text: job.text,
    reason,
  });
  const lowered = job.schedule.startsWith('@') ? job.schedule.toLowerCase() : job.schedule;
  if (lowered.startsWith('@') && !SHORTCUTS.has(lowered))
    return fail(
      `unknown shortcut ${job.schedule} (use @hourly, @daily, @weekly, @monthly, @yearly or @reboot)`,
    );
  const problem = scheduleProblem(lowered);
  if (problem) return fail(problem);
  const userColumn = form === 'system-crontab';
  const user = userColumn ? job.words[0]?.word : undefined;
  const commandStart = job.words[userColumn ? 1 : 0]?.at;
  if (commandStart === undefined)
    return fail(
      userColumn ? 'no user and command after the schedule' : 'no command after the schedule',
    );
  const command = commandOf(job.text.slice(commandStart));
  if (!command) return fail('no command after the schedule');
  return {
    name: commandName(command),
    schedule: lowered,
    ...(zone ? { zone } : {}),
    command,
    ...(user ? { user } : {}),
    source,
    line: job.line,
  };
}
