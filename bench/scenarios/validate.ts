/**
 * Checks that a scenario is whole and that its truth refers to things in its
 * files: every change it judges is in changes.jsonl, every cron job in the
 * cron file, every host it names has logs, the onset lies in the span. Used
 * by the tests and by `node bench/scenarios.mjs check` over many seeds.
 */
import type { Scenario } from './truth.js';

const MIN_LINES = 20_000;
const MAX_LINES = 300_000;

export function validateScenario(s: Scenario): string[] {
  const problems: string[] = [];
  const paths = new Set(s.files.map((f) => f.path));
  const hosts = new Set(
    [...paths].filter((p) => p.startsWith('logs/')).map((p) => p.split('/')[1] as string),
  );
  if (hosts.size < 2) problems.push(`only ${hosts.size} host(s) with logs`);
  for (const host of hosts)
    if (!paths.has(`logs/${host}/access.log`)) problems.push(`no access log for ${host}`);
  const cronFile = paths.has('crontab') ? 'crontab' : 'cronjobs.yaml';
  for (const side of ['changes.jsonl', 'metrics.csv', 'reports.csv', cronFile])
    if (!paths.has(side)) problems.push(`no ${side}`);
  let lines = 0;
  for (const f of s.files) {
    if (!f.content.endsWith('\n')) problems.push(`${f.path} does not end with a newline`);
    if (f.path.startsWith('logs/') && f.content.includes('\n\n'))
      problems.push(`${f.path} has a blank line`);
    lines += f.content.split('\n').length - 1;
  }
  if (lines < MIN_LINES || lines > MAX_LINES)
    problems.push(`${lines} lines, outside ${MIN_LINES}-${MAX_LINES}`);

  const t = s.truth;
  if (t.kind !== s.kind || t.seed !== s.seed) problems.push('truth names another scenario');
  if (t.onset && !(t.onset.time >= s.span.from && t.onset.time <= s.span.to))
    problems.push(`onset ${t.onset.time} outside the span`);
  const content = (path: string) => s.files.find((f) => f.path === path)?.content ?? '';
  const changeIds = new Set(
    content('changes.jsonl')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).id as string),
  );
  for (const suspect of t.suspects ?? [])
    if (!changeIds.has(suspect.changeId))
      problems.push(`suspect ${suspect.changeId} not in changes.jsonl`);
  if ((t.suspects ?? []).length !== changeIds.size)
    problems.push('some changes are not judged in the truth');
  const cron = content(cronFile);
  for (const job of t.cron ?? [])
    if (!cron.includes(job.job)) problems.push(`cron job ${job.job} not in ${cronFile}`);
  const named = [
    ...(t.hosts && t.hosts.concentrated !== 'all' ? t.hosts.concentrated : []),
    ...(t.health ?? []).map((h) => h.host),
  ];
  for (const host of named)
    if (!hosts.has(host)) problems.push(`truth names ${host}, which has no logs`);
  if (t.period && !(t.period.ms > 0 && t.period.toleranceMs > 0)) problems.push('bad period');
  const clock = /^\d\d:\d\d$/;
  if (t.timeOfDay && !(clock.test(t.timeOfDay.from) && clock.test(t.timeOfDay.to)))
    problems.push('bad time of day');
  if (t.quiet && (t.onset || t.period || t.timeOfDay || t.health || t.contrasts || t.hosts))
    problems.push('a quiet scenario plants an answer');
  return problems;
}
