/**
 * Scores an analysis report (calm.analysis/v1) against a scenario's planted
 * truth: one result per planted answer, so that "90% of the planted answers
 * right" is the share of `ok` results over every scenario and seed.
 *
 * What each planted answer asks of the report:
 * - onset: `onset.found` with its time within the tolerance;
 * - suspects (one answer over the list): the `blamed: true` change is the
 *   top suspect of `changes.suspects`, with verdict likely or possible; no
 *   `blamed: false` change has either verdict;
 * - cron (one answer over the list): each `aligned: true` job has verdict
 *   aligned (or same-runs), each `aligned: false` job neither; a job is found
 *   by its name or command, exactly or as a substring of the command;
 * - period: a `patterns.periods` entry within the tolerance;
 * - timeOfDay: a `patterns.timesOfDay` window, in the truth's zone, that
 *   overlaps the planted window widened by the tolerance;
 * - hosts: the concentrated hosts are exactly the planted ones (none for all);
 * - health (one answer per finding): a `health.findings` entry of the right
 *   kind on the right host (disk-filling: filling; memory-leak: leak or
 *   climbing);
 * - contrasts (one answer per planted value): a `contrasts.findings` entry,
 *   or one named among a finding's `related` (the report says "the same
 *   failures: Mobile Safari 17"), whose attribute or name is the planted
 *   attribute and whose value (or label) holds the planted value, case aside;
 * - reports (one answer per planted value): a notable
 *   `bugReports.commonalities` entry with that attribute and value.
 * A quiet control (`quiet: true`) is scored instead as ten answers of
 * "nothing found": onset, suspects, cron, period, timeOfDay, hosts,
 * anomalies, contrasts, health and reports, each on its own so that one
 * false alarm shows where it is. Anomalies are scored on quiet days only:
 * no truth plants one.
 *
 * A section the report lacks scores `ok: false` with a detail saying it is
 * missing, so a harness never counts an answer the report does not carry.
 */
import type { AnalysisReport } from '../../src/analysis/report/model.js';
import type { HealthKind, Truth } from './truth.js';

export interface ScoredAnswer {
  /** Which planted answer: `onset`, `hosts`, `suspects`, ... */
  answer: string;
  ok: boolean;
  /** What was expected and what the report said. */
  detail: string;
}

/** The parts of the report read here; anything else in it is ignored. */
export interface ReportView {
  onset?: { found?: boolean; time?: number; bucketStart?: number };
  hosts?: { items?: { host: string; concentrated: boolean }[] };
  changes?: { suspects?: { change: { id?: string; description?: string }; verdict: string }[] };
  cron?: {
    verdict?: string;
    jobs?: { job: { name: string; command: string }; verdict: string }[];
  };
  patterns?: {
    periods?: { periodMs: number }[];
    timesOfDay?: { window: string; zone?: string; recurringDays?: number }[];
  };
  anomalies?: { found?: boolean; anomalies?: { key: string; label?: string }[] };
  contrasts?: {
    findings?: {
      attribute: string;
      name?: string;
      value: string;
      label?: string;
      related?: { attribute: string; label: string }[];
    }[];
  };
  health?: { findings?: { kind: string; host: string; label?: string }[] };
  bugReports?: { commonalities?: { attribute: string; value: string; notable: boolean }[] };
}

/** Fails to compile when the report's model drifts away from what is read here. */
type Fits<T extends ReportView> = T;
export type _ReportFits = Fits<AnalysisReport>;

type Scorer = (report: ReportView, truth: Truth) => ScoredAnswer[];

const MINUTE = 60_000;
const DAY_MIN = 24 * 60;
const iso = (t: number | undefined) => (t === undefined ? 'none' : new Date(t).toISOString());
const minutes = (ms: number) => `${+(ms / MINUTE).toFixed(2)} min`;
const norm = (s: string | undefined) =>
  (s ?? '').toLowerCase().replaceAll('`', '').replace(/\s+/g, ' ').trim();
/** The first few items, for a detail line. */
const some = (items: string[], none = 'none') =>
  items.length === 0
    ? none
    : items.length <= 6
      ? items.join(', ')
      : `${items.slice(0, 6).join(', ')} and ${items.length - 6} more`;

const missing = (answer: string, section: string, planted?: string): ScoredAnswer => ({
  answer,
  ok: false,
  detail: `the report has no ${section} section${planted ? ` (planted ${planted})` : ''}`,
});

/** `needle` in `text` as a whole word or phrase, case aside ("ios" in "ios 17", not "mobile safari 17" in "... 176"). */
export function holds(text: string | undefined, needle: string): boolean {
  const t = norm(text);
  const n = norm(needle);
  if (!n) return false;
  for (let at = t.indexOf(n); at >= 0; at = t.indexOf(n, at + 1)) {
    const before = t[at - 1];
    const after = t[at + n.length];
    if (!(before && /[a-z0-9]/.test(before)) && !(after && /[a-z0-9]/.test(after))) return true;
  }
  return false;
}

// --- the planted answers ---------------------------------------------------

const scoreOnset: Scorer = (report, truth) => {
  const planted = truth.onset;
  if (!planted) return [];
  if (!report.onset) return [missing('onset', 'onset')];
  const found = report.onset.found === true;
  const time = report.onset.time ?? report.onset.bucketStart;
  const off =
    found && time !== undefined ? Math.abs(time - planted.time) : Number.POSITIVE_INFINITY;
  return [
    {
      answer: 'onset',
      ok: off <= planted.toleranceMs,
      detail: `planted ${iso(planted.time)} (± ${minutes(planted.toleranceMs)}), reported ${found ? `${iso(time)}${Number.isFinite(off) ? ` (${minutes(off)} off)` : ''}` : 'none'}`,
    },
  ];
};

const isBlame = (verdict: string) => verdict === 'likely' || verdict === 'possible';

const scoreSuspects: Scorer = (report, truth) => {
  const planted = truth.suspects ?? [];
  if (planted.length === 0) return [];
  const suspects = report.changes?.suspects;
  if (!suspects) return [missing('suspects', 'changes')];
  const idOf = (s: (typeof suspects)[number]) => s.change.id ?? s.change.description ?? '?';
  const top = suspects[0];
  const wrong: string[] = [];
  for (const { changeId, blamed } of planted) {
    const at = suspects.findIndex((s) => s.change.id === changeId);
    const verdict = suspects[at]?.verdict ?? 'not a suspect';
    if (blamed && !(at === 0 && isBlame(verdict)))
      wrong.push(
        `${changeId} should be the top suspect, is ${at < 0 ? 'not a suspect' : `#${at + 1} (${verdict})`}`,
      );
    if (!blamed && isBlame(verdict)) wrong.push(`${changeId} is innocent but ${verdict}`);
  }
  const blamed = planted.filter((s) => s.blamed).map((s) => s.changeId);
  return [
    {
      answer: 'suspects',
      ok: wrong.length === 0,
      detail: `planted ${blamed.length ? `${some(blamed)} blamed` : 'nothing blamed'} of ${planted.length}; top suspect ${top ? `${idOf(top)} (${top.verdict})` : 'none'}${wrong.length ? `; ${wrong.join('; ')}` : ''}`,
    },
  ];
};

type ReportedJob = NonNullable<NonNullable<ReportView['cron']>['jobs']>[number];

/** The report's entry for a truth job: its name or command, exactly, then its command holding it. */
export function findJob(jobs: readonly ReportedJob[], job: string): ReportedJob | undefined {
  const want = norm(job);
  return (
    jobs.find((j) => norm(j.job.name) === want || norm(j.job.command) === want) ??
    jobs.find((j) => norm(j.job.command).includes(want))
  );
}

const isLinked = (verdict: string) => verdict === 'aligned' || verdict === 'same-runs';

const scoreCron: Scorer = (report, truth) => {
  const planted = truth.cron ?? [];
  if (planted.length === 0) return [];
  const jobs = report.cron?.jobs;
  if (!jobs) return [missing('cron', 'cron')];
  const wrong: string[] = [];
  for (const { job, aligned } of planted) {
    const found = findJob(jobs, job);
    if (!found) wrong.push(`${job} is not in the report`);
    else if (aligned !== isLinked(found.verdict))
      wrong.push(`${job} should be ${aligned ? 'aligned' : 'unaligned'}, is ${found.verdict}`);
  }
  const aligned = planted.filter((c) => c.aligned).map((c) => c.job);
  return [
    {
      answer: 'cron',
      ok: wrong.length === 0,
      detail: `planted ${aligned.length ? `${some(aligned)} aligned` : 'none aligned'} of ${planted.length}${wrong.length ? `; ${wrong.join('; ')}` : '; every job judged right'}`,
    },
  ];
};

const scorePeriod: Scorer = (report, truth) => {
  const planted = truth.period;
  if (!planted) return [];
  const periods = report.patterns?.periods;
  if (!periods) return [missing('period', 'patterns')];
  const ok = periods.some((p) => Math.abs(p.periodMs - planted.ms) <= planted.toleranceMs);
  return [
    {
      answer: 'period',
      ok,
      detail: `planted ${minutes(planted.ms)} (± ${minutes(planted.toleranceMs)}), reported ${some(periods.map((p) => minutes(p.periodMs)))}`,
    },
  ];
};

/** Minutes after midnight of "HH:MM". */
const clockMinutes = (h: string, m: string) => Number(h) * 60 + Number(m);

/** "09:00-09:20" as [from, to] minutes after midnight, `to` past 24 h when it wraps. */
export function parseWindow(window: string): [number, number] | undefined {
  const m = /(\d{1,2}):(\d\d)\s*[-–]\s*(\d{1,2}):(\d\d)/.exec(window);
  if (!m) return undefined;
  const from = clockMinutes(m[1] as string, m[2] as string);
  const to = clockMinutes(m[3] as string, m[4] as string);
  return [from, to < from ? to + DAY_MIN : to];
}

/** Whether two daily windows overlap, on the clock's circle. */
export function windowsOverlap(a: [number, number], b: [number, number]): boolean {
  return [-DAY_MIN, 0, DAY_MIN].some((shift) => a[0] + shift <= b[1] && b[0] <= a[1] + shift);
}

const scoreTimeOfDay: Scorer = (report, truth) => {
  const planted = truth.timeOfDay;
  if (!planted) return [];
  const windows = report.patterns?.timesOfDay;
  if (!windows) return [missing('timeOfDay', 'patterns')];
  const at = parseWindow(`${planted.from}-${planted.to}`) as [number, number];
  const tolerance = planted.toleranceMs / MINUTE;
  const widened: [number, number] = [at[0] - tolerance, at[1] + tolerance];
  const ok = windows.some((w) => {
    const span = parseWindow(w.window);
    return (w.zone ?? truth.timeZone) === truth.timeZone && !!span && windowsOverlap(span, widened);
  });
  const said = windows.map(
    (w) => `${w.window}${w.zone && w.zone !== truth.timeZone ? ` ${w.zone}` : ''}`,
  );
  return [
    {
      answer: 'timeOfDay',
      ok,
      detail: `planted ${planted.from}-${planted.to} ${truth.timeZone} (± ${minutes(planted.toleranceMs)}), reported ${some(said)}`,
    },
  ];
};

const concentratedHosts = (report: ReportView) =>
  (report.hosts?.items ?? []).filter((h) => h.concentrated).map((h) => h.host);

const scoreHosts: Scorer = (report, truth) => {
  const planted = truth.hosts;
  if (!planted) return [];
  if (!report.hosts) return [missing('hosts', 'hosts')];
  const said = concentratedHosts(report);
  const want = planted.concentrated;
  const ok =
    want === 'all'
      ? said.length === 0
      : want.length === said.length && want.every((h) => said.includes(h));
  return [
    {
      answer: 'hosts',
      ok,
      detail: `planted ${want === 'all' ? 'all hosts' : want.join(', ')}, reported ${some(said, 'all hosts / none singled out')}`,
    },
  ];
};

const HEALTH_KINDS: Record<HealthKind, string[]> = {
  'disk-filling': ['filling'],
  'memory-leak': ['leak', 'climbing'],
};

const scoreHealth: Scorer = (report, truth) => {
  const planted = truth.health ?? [];
  if (planted.length === 0) return [];
  const findings = report.health?.findings;
  if (!findings) return planted.map((p) => missing('health', 'health', `${p.kind} on ${p.host}`));
  const said = some(findings.map((f) => `${f.kind} on ${f.host}`));
  return planted.map(({ host, kind }) => ({
    answer: 'health',
    ok: findings.some((f) => HEALTH_KINDS[kind].includes(f.kind) && norm(f.host) === norm(host)),
    detail: `planted ${kind} on ${host} (${HEALTH_KINDS[kind].join(' or ')}), reported ${said}`,
  }));
};

type Finding = NonNullable<NonNullable<ReportView['contrasts']>['findings']>[number];

/** Whether a contrast finding is the planted attribute value (see the file comment). */
export function contrastMatches(f: Finding, attribute: string, value: string): boolean {
  const attr = norm(attribute);
  const named = norm(f.attribute).startsWith(attr) || norm(f.name) === attr;
  return named && (holds(f.value, value) || holds(f.label, value));
}

const scoreContrasts: Scorer = (report, truth) => {
  const planted = truth.contrasts ?? [];
  if (planted.length === 0) return [];
  const reported = report.contrasts?.findings;
  if (!reported)
    return planted.map((p) => missing('contrasts', 'contrasts', `${p.attribute}=${p.value}`));
  const findings: Finding[] = reported.flatMap((f) => [
    f,
    ...(f.related ?? []).map((r) => ({ attribute: r.attribute, value: r.label, label: r.label })),
  ]);
  const said = some(
    findings.map(
      (f) => `${f.attribute}${f.name && f.name !== f.attribute ? ` ${f.name}` : ''}=${f.value}`,
    ),
  );
  return planted.map(({ attribute, value }) => ({
    answer: 'contrasts',
    ok: findings.some((f) => contrastMatches(f, attribute, value)),
    detail: `planted ${attribute}=${value}, reported ${said}`,
  }));
};

const scoreReports: Scorer = (report, truth) => {
  const planted = truth.reports ?? [];
  if (planted.length === 0) return [];
  const common = report.bugReports?.commonalities;
  if (!common)
    return planted.map((p) => missing('reports', 'bugReports', `${p.attribute}=${p.value}`));
  const notable = common.filter((c) => c.notable);
  const said = some(
    notable.map((c) => `${c.attribute}=${c.value}`),
    'nothing notable',
  );
  return planted.map(({ attribute, value }) => ({
    answer: 'reports',
    ok: notable.some((c) => norm(c.attribute).startsWith(norm(attribute)) && holds(c.value, value)),
    detail: `planted ${attribute}=${value}, reported ${said}`,
  }));
};

// --- a quiet control: nothing found, section by section -------------------

type QuietCheck = (report: ReportView) => ScoredAnswer;

/** "Nothing found" when `found` lists nothing; a missing section is a miss. */
function nothing(answer: string, section: string, found: string[] | undefined): ScoredAnswer {
  if (!found) return missing(answer, section);
  return { answer, ok: found.length === 0, detail: `quiet: reported ${some(found)}` };
}

const QUIET_CHECKS: QuietCheck[] = [
  (r) =>
    nothing(
      'onset',
      'onset',
      r.onset && (r.onset.found ? [iso(r.onset.time ?? r.onset.bucketStart)] : []),
    ),
  (r) =>
    nothing(
      'suspects',
      'changes',
      r.changes?.suspects
        ?.filter((s) => isBlame(s.verdict))
        .map((s) => `${s.change.id ?? s.change.description} ${s.verdict}`),
    ),
  (r) => {
    if (!r.cron?.jobs) return missing('cron', 'cron');
    const linked = r.cron.jobs
      .filter((j) => isLinked(j.verdict))
      .map((j) => `${j.job.name} ${j.verdict}`);
    if (r.cron.verdict === 'ran-before-onset') linked.push('a job ran just before the onset');
    return nothing('cron', 'cron', linked);
  },
  (r) =>
    nothing(
      'period',
      'patterns',
      r.patterns?.periods?.map((p) => minutes(p.periodMs)),
    ),
  (r) =>
    nothing(
      'timeOfDay',
      'patterns',
      r.patterns?.timesOfDay?.map((w) => w.window),
    ),
  (r) => nothing('hosts', 'hosts', r.hosts && concentratedHosts(r).map((h) => `${h} concentrated`)),
  (r) =>
    nothing(
      'health',
      'health',
      r.health?.findings?.map((f) => `${f.kind} on ${f.host}`),
    ),
  (r) =>
    nothing(
      'contrasts',
      'contrasts',
      r.contrasts?.findings?.map((f) => `${f.attribute}=${f.value}`),
    ),
  (r) =>
    nothing(
      'reports',
      'bugReports',
      r.bugReports?.commonalities?.filter((c) => c.notable).map((c) => `${c.attribute}=${c.value}`),
    ),
  (r) =>
    nothing(
      'anomalies',
      'anomalies',
      r.anomalies && [
        ...(r.anomalies.anomalies ?? []).map((a) => a.label ?? a.key),
        ...(r.anomalies.found && !r.anomalies.anomalies?.length ? ['found, none listed'] : []),
      ],
    ),
];

const SCORERS: Scorer[] = [
  scoreOnset,
  scoreSuspects,
  scoreCron,
  scorePeriod,
  scoreTimeOfDay,
  scoreHosts,
  scoreHealth,
  scoreContrasts,
  scoreReports,
];

/** The answers in the order scoreReport gives them (for tables). */
export const ANSWERS = [
  'onset',
  'suspects',
  'cron',
  'period',
  'timeOfDay',
  'hosts',
  'health',
  'contrasts',
  'reports',
  'anomalies',
] as const;

/** One result per planted answer (see the file comment). */
export function scoreReport(report: unknown, truth: Truth): ScoredAnswer[] {
  const view = (report ?? {}) as ReportView;
  if (truth.quiet) return QUIET_CHECKS.map((check) => check(view));
  return SCORERS.flatMap((score) => score(view, truth));
}
