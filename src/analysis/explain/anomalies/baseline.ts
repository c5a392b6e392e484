/**
 * "Try to determine a baseline for your system under normal conditions": which
 * stretch of the evidence is the incident, and which stretch is normal to compare
 * it with. The choice, in order:
 *
 * 1. The user's `--baseline FROM..TO`, when given (they know their system best).
 * 2. Same hours on earlier days, when the evidence reaches back at least one full
 *    day before the incident window: traffic has a daily cycle, and 14:00-15:00
 *    today is only comparable with 14:00-15:00 on earlier days (up to 7 of them, so
 *    one odd day weighs less). Days are 24 h of UTC: across a DST change the
 *    comparison is an hour off, which a daily cycle barely notices.
 * 3. The same-length stretch just before the onset: the nearest normal evidence
 *    there is (less drift than anything earlier), at least 10 buckets long when the
 *    logs allow it, since a test needs a few buckets to measure the noise.
 *
 * The incident window is onset..end of the logs (or `incidentEnd`). A guard gap
 * before the onset is left out of the baseline: the onset is only known to a bucket
 * or two, and failures often start with a slow ramp that would count as "normal".
 *
 * Without an onset the question is "what is different now?": the last quarter of
 * the evidence is compared with a baseline chosen the same way (people run the
 * analysis during or just after the trouble). When the evidence is too short for
 * either window, the choice says so in a sentence rather than comparing noise.
 */
import { UserError } from '../../../core/errors.js';
import { epochMs } from '../../../core/ids.js';
import { localDateTime } from '../../../core/local-time.js';
import { formatDuration, parseWhen } from '../../../core/time.js';

const DAY = 86_400_000;
const MAX_EARLIER_DAYS = 7;
/** Fewest grid buckets a window may span: fewer cannot show the noise level. */
const MIN_WINDOW_BUCKETS = 2;
const MIN_BASELINE_BUCKETS = 5;
const TARGET_BASELINE_BUCKETS = 10;

/** A stretch of time, [from, to) in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

export type BaselineMethod = 'user' | 'same-hours' | 'before-onset' | 'before-recent';

export interface ComparisonWindows {
  method: BaselineMethod;
  incident: TimeRange;
  /** Disjoint, ascending; several ranges for same hours on earlier days. */
  baseline: TimeRange[];
  /** Left out between the baseline and the incident. */
  guardMs: number;
  /** The choice for a person: "the same hours on the 2 previous days". */
  description: string;
}

export type BaselineChoice =
  | { ok: true; windows: ComparisonWindows }
  | { ok: false; reason: string };

export interface BaselineInput {
  /** First and last event times of the evidence. */
  span: TimeRange;
  /** Start of the incident (the error onset), when one was found. */
  onset?: number;
  /** End of the incident window; default: the end of the evidence. */
  incidentEnd?: number;
  /** The user's `--baseline`, from parseTimeRange. */
  userBaseline?: TimeRange;
  /** Bucket size of the series that will be compared (default 1 minute). */
  resolutionMs?: number;
}

const length = (r: TimeRange) => r.to - r.from;
const when = (ms: number) => localDateTime(ms).slice(0, 16);

/** Picks the incident and baseline windows (see the file comment for the rules). */
export function chooseBaseline(input: BaselineInput): BaselineChoice {
  const { span } = input;
  const resolution = Math.max(1, input.resolutionMs ?? 60_000);
  if (!(span.to > span.from))
    return { ok: false, reason: 'The evidence has no time span to compare over.' };
  const end = Math.min(span.to, input.incidentEnd ?? span.to);
  const hasOnset = input.onset !== undefined && input.onset > span.from && input.onset < end;
  const start = hasOnset ? (input.onset as number) : end - (end - span.from) / 4;
  const incident = { from: start, to: end };
  if (length(incident) < MIN_WINDOW_BUCKETS * resolution)
    return {
      ok: false,
      reason: `The incident window (${formatDuration(length(incident))} from ${when(start)}) is shorter than ${MIN_WINDOW_BUCKETS} buckets of ${formatDuration(resolution)}: too short to compare.`,
    };
  const guardMs = Math.min(3_600_000, Math.max(2 * resolution, length(incident) / 20));
  const what = hasOnset ? `the onset (${when(start)})` : `the last quarter (from ${when(start)})`;

  if (input.userBaseline) return userChoice(input.userBaseline, span, incident, resolution);

  const days: TimeRange[] = [];
  for (let k = MAX_EARLIER_DAYS; k >= 1; k--) {
    const day = { from: incident.from - k * DAY, to: incident.to - k * DAY };
    if (day.from >= span.from - resolution && day.to <= incident.from - guardMs) days.push(day);
  }
  if (days.length > 0) {
    const description = `the same hours on the ${days.length === 1 ? 'previous day' : `${days.length} previous days`}, against ${hasOnset ? 'the incident' : 'the last quarter'} from ${when(start)}`;
    return {
      ok: true,
      windows: { method: 'same-hours', incident, baseline: days, guardMs, description },
    };
  }

  const available = incident.from - guardMs - span.from;
  const wanted = Math.max(length(incident), TARGET_BASELINE_BUCKETS * resolution);
  const needed = Math.max(MIN_BASELINE_BUCKETS * resolution, length(incident) / 4);
  if (available < needed)
    return {
      ok: false,
      reason: `Only ${formatDuration(Math.max(0, available + guardMs))} of evidence before ${what}: a baseline needs at least ${formatDuration(needed + guardMs)}. Give one with --baseline FROM..TO.`,
    };
  const used = Math.min(wanted, available);
  const baseline = { from: incident.from - guardMs - used, to: incident.from - guardMs };
  return {
    ok: true,
    windows: {
      method: hasOnset ? 'before-onset' : 'before-recent',
      incident,
      baseline: [baseline],
      guardMs,
      description: `the ${formatDuration(used)} before ${what}, leaving out ${formatDuration(guardMs)} just before it`,
    },
  };
}

function userChoice(
  user: TimeRange,
  span: TimeRange,
  incident: TimeRange,
  resolution: number,
): BaselineChoice {
  const baseline = { from: Math.max(user.from, span.from), to: Math.min(user.to, span.to) };
  const given = `${when(user.from)}..${when(user.to)}`;
  if (length(baseline) < MIN_BASELINE_BUCKETS * resolution)
    return {
      ok: false,
      reason: `The baseline ${given} covers ${formatDuration(Math.max(0, length(baseline)))} of the evidence (${when(span.from)}..${when(span.to)}); it needs at least ${formatDuration(MIN_BASELINE_BUCKETS * resolution)}.`,
    };
  // The incident window (onset..end, or the last quarter) after the baseline; when the
  // baseline reaches into it, the part before the baseline instead.
  let compared = { from: Math.max(incident.from, baseline.to), to: incident.to };
  if (length(compared) < MIN_WINDOW_BUCKETS * resolution && incident.from < baseline.from)
    compared = { from: incident.from, to: Math.min(incident.to, baseline.from) };
  if (length(compared) < MIN_WINDOW_BUCKETS * resolution)
    return {
      ok: false,
      reason: `The baseline ${given} leaves no incident window to compare with it; choose a baseline before the trouble.`,
    };
  return {
    ok: true,
    windows: {
      method: 'user',
      incident: compared,
      baseline: [baseline],
      guardMs: 0,
      description: `the given baseline ${given}, against ${when(compared.from)}..${when(compared.to)}`,
    },
  };
}

const CLOCK_ONLY = /^\d{1,2}:\d{2}(:\d{2})?$/;

/**
 * Reads `--baseline FROM..TO`: each side as `calm` reads times elsewhere
 * (parseWhen: `14:00`, `2026-03-14 14:00`, ISO 8601, `3h ago`). A bare clock time
 * means the last such time before `reference` (the end of the logs, which may be
 * days old) rather than before now; a FROM clock later than TO is the day before.
 * Throws a UserError that names the fix.
 */
export function parseTimeRange(text: string, now: number, reference = now): TimeRange {
  const parts = text.split('..');
  if (parts.length !== 2 || !parts[0]?.trim() || !parts[1]?.trim())
    throw new UserError(
      `cannot read the range "${text}"; write it as FROM..TO, e.g. 13:00..14:00 or "2h ago..1h ago"`,
    );
  const read = (side: string) =>
    Number(parseWhen(side, epochMs(CLOCK_ONLY.test(side.trim()) ? Math.min(now, reference) : now)));
  const to = read(parts[1]);
  let from = read(parts[0]);
  if (CLOCK_ONLY.test(parts[0].trim())) while (from >= to) from -= DAY;
  if (!(from < to))
    throw new UserError(`the range "${text}" ends before it starts; write FROM..TO, earlier first`);
  return { from, to };
}

/**
 * The grid buckets a set of ranges covers: those whose middle lies in a range, and,
 * when `span` is given, that the evidence covers whole (the first and last buckets
 * of the logs are partly empty and would look like a drop in throughput).
 */
export function bucketsIn(
  ranges: readonly TimeRange[],
  grid: { start: number; bucketMs: number; length: number },
  span?: TimeRange,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < grid.length; i++) {
    const from = grid.start + i * grid.bucketMs;
    const middle = from + grid.bucketMs / 2;
    if (span && (from < span.from || from + grid.bucketMs > span.to + 1)) continue;
    if (ranges.some((r) => middle >= r.from && middle < r.to)) out.push(i);
  }
  return out;
}
