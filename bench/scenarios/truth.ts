/**
 * What a generated scenario holds: its files, how to run `calm analyze` on them,
 * and the planted truth the report is scored against (score.ts).
 *
 * A truth field that is absent is not judged, except `quiet: true`, which
 * says the report must find nothing at all (no onset, no blamed change, no
 * aligned cron job, no period or time-of-day window, no concentration on hosts,
 * no anomaly, no input contrast, no health finding, nothing common to the
 * bug reports).
 */

export const SCENARIO_KINDS = [
  'deploy-breaks-input-shape',
  'cron-periodic-timeouts',
  'disk-filling',
  'third-party-outage-innocent-deploy',
  'time-of-day-surge',
  'memory-leak-restarts',
  'browser-specific-failure',
  'region-config-change',
  'periodic-no-cron',
  'quiet-control',
] as const;

export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export function isScenarioKind(value: string): value is ScenarioKind {
  return (SCENARIO_KINDS as readonly string[]).includes(value);
}

/** A health finding on one host's metrics. */
export type HealthKind = 'disk-filling' | 'memory-leak';

export interface Truth {
  kind: ScenarioKind;
  seed: number;
  /** The scenario's IANA zone: times of day below and cron schedules are in it. */
  timeZone: string;
  /** One sentence on what was planted, for people reading a score. */
  story: string;
  /** When the planted errors start (the first planted error), epoch ms UTC. */
  onset?: { time: number; toleranceMs: number };
  /**
   * Changes (ids in changes.jsonl) the report must judge: `blamed: true` is
   * the cause and should be the top suspect; `blamed: false` must not be blamed
   * (it is innocent: too long before the onset, after it, or elsewhere).
   */
  suspects?: { changeId: string; blamed: boolean }[];
  /**
   * Cron jobs, named by their command (system crontab) or metadata.name
   * (Kubernetes CronJob): `aligned` says whether error bursts follow its runs.
   */
  cron?: { job: string; aligned: boolean }[];
  /** The period of a periodic error pattern. */
  period?: { ms: number; toleranceMs: number };
  /** A daily window of errors, local times (HH:MM) in `timeZone`, on `days` days. */
  timeOfDay?: { from: string; to: string; days: number; toleranceMs: number };
  /** Where the planted errors are: the hosts they concentrate on, or all hosts. */
  hosts?: { concentrated: string[] | 'all' };
  /** Findings on host metrics. */
  health?: { host: string; kind: HealthKind }[];
  /**
   * Attribute values over-represented among the failing requests. Attributes:
   * a query parameter's name with the shape of its value (`amount` / `decimal`),
   * `browser` (ua-parser-js name and major version, `Mobile Safari 17`), `os`,
   * `region`, `endpoint`.
   */
  contrasts?: { attribute: string; value: string }[];
  /** What the customer bug reports have in common (`browser`, `os`, `page`). */
  reports?: { attribute: string; value: string }[];
  /** Nothing happened: the report must find nothing (see above). */
  quiet?: true;
}

/** One generated file, its path relative to the scenario's folder. */
export interface ScenarioFile {
  path: string;
  content: string;
}

export interface Scenario {
  kind: ScenarioKind;
  seed: number;
  /** A short title ("payments v3.4.1 breaks decimal amounts"). */
  title: string;
  timeZone: string;
  /** The logs' span, epoch ms UTC. */
  span: { from: number; to: number };
  /** Logs under `logs/<host>/`, side inputs at the top (changes.jsonl, crontab, ...). */
  files: ScenarioFile[];
  /**
   * Arguments for `calm analyze`, relative to the scenario's folder: the logs
   * folder, then one flag per side input, then `--tz`.
   */
  args: string[];
  truth: Truth;
}
