/**
 * Scores an analysis report against a scenario's planted truth: one result
 * per planted answer, so that "90% of the planted answers right" is the share
 * of `ok` results over every scenario and seed.
 *
 * Scored today, from the report as it is (calm.analysis/v1): the onset and
 * the hosts. A quiet control scores each of them as "nothing found".
 * TODO(lead): the other answers (suspects, cron, period, timeOfDay, health,
 * contrasts, reports, anomalies) wait for the report to carry them; until
 * then they come back `ok: false` with a detail that says so, so that a
 * harness never counts them as passed.
 */
import type { Truth } from './truth.js';

export interface ScoredAnswer {
  /** Which planted answer: `onset`, `hosts`, `suspects`, ... */
  answer: string;
  ok: boolean;
  /** What was expected and what the report said. */
  detail: string;
}

/** The parts of the report read here; anything else in it is ignored. */
interface ReportView {
  onset?: { found?: boolean; time?: number; bucketStart?: number };
  hosts?: { items?: { host: string; concentrated: boolean }[] };
}

const iso = (t: number | undefined) => (t === undefined ? 'none' : new Date(t).toISOString());

function scoreOnset(report: ReportView, truth: Truth): ScoredAnswer | undefined {
  const found = report.onset?.found === true;
  const time = report.onset?.time ?? report.onset?.bucketStart;
  if (truth.onset) {
    const off = time === undefined ? Number.POSITIVE_INFINITY : Math.abs(time - truth.onset.time);
    return {
      answer: 'onset',
      ok: found && off <= truth.onset.toleranceMs,
      detail: `planted ${iso(truth.onset.time)} (± ${truth.onset.toleranceMs / 60_000} min), reported ${found ? iso(time) : 'none'}`,
    };
  }
  if (truth.quiet)
    return { answer: 'onset', ok: !found, detail: `quiet: reported ${found ? iso(time) : 'none'}` };
  return undefined;
}

function scoreHosts(report: ReportView, truth: Truth): ScoredAnswer | undefined {
  const concentrated = (report.hosts?.items ?? []).filter((h) => h.concentrated).map((h) => h.host);
  const said = concentrated.length ? concentrated.join(', ') : 'all hosts / none singled out';
  if (truth.hosts) {
    const want = truth.hosts.concentrated;
    const ok =
      want === 'all'
        ? concentrated.length === 0
        : want.length === concentrated.length && want.every((h) => concentrated.includes(h));
    return {
      answer: 'hosts',
      ok,
      detail: `planted ${want === 'all' ? 'all hosts' : want.join(', ')}, reported ${said}`,
    };
  }
  if (truth.quiet)
    return { answer: 'hosts', ok: concentrated.length === 0, detail: `quiet: reported ${said}` };
  return undefined;
}

const PENDING: (keyof Truth)[] = [
  'suspects',
  'cron',
  'period',
  'timeOfDay',
  'health',
  'contrasts',
  'reports',
];

/** One result per planted answer (see the file comment for what is scored yet). */
export function scoreReport(report: unknown, truth: Truth): ScoredAnswer[] {
  const view = (report ?? {}) as ReportView;
  const results: ScoredAnswer[] = [];
  const onset = scoreOnset(view, truth);
  if (onset) results.push(onset);
  const hosts = scoreHosts(view, truth);
  if (hosts) results.push(hosts);
  for (const field of PENDING) {
    if (truth[field] === undefined) continue;
    results.push({
      answer: field,
      ok: false,
      detail: `not scored yet: the report does not carry ${field} (TODO lead: score it once it does)`,
    });
  }
  if (truth.quiet)
    results.push({
      answer: 'quiet',
      ok: false,
      detail:
        'not scored yet: anomalies, contrasts and metric findings are not in the report (TODO lead)',
    });
  return results;
}
