/**
 * "What changed around that time?": deploys, config changes, flags, migrations and
 * commits ranked as suspects for the error onset. Pure: the records come in as data
 * (app/analyze/changes-input.ts reads files and git) and this runs on the finished
 * analysis, so it keeps no streaming state (nothing to partial() or merge()).
 *
 * Why this method: most changes are innocent background, so each change gets the
 * probability that it caused the onset rather than landing near it by chance, from
 * a two-part model:
 * - background: changes arrive at random (Poisson), at the kind-weighted rate seen in
 *   the records of the day before the onset, plus a prior of one change a day;
 * - cause: with prior 1/2 the onset follows one change, picked in proportion to its
 *   kind's riskiness, after a delay from a mixture of exponentials (most breakage
 *   shows within minutes of a rollout, some builds up over hours).
 * A change of kind k at lag d (the onset's uncertainty smeared over d) has posterior
 * odds  prior x weight(k) x delayDensity(d) / weightedRate x scopeFactor.  They need
 * no other change's score, so moving or adding far-away changes cannot raise one's
 * own score; many commits an hour make any one commit weak evidence, while a single
 * deploy minutes before the onset on a quiet day is strong. The scope factor
 * compares where the errors are with where the change went; it counts that
 * concentration as one observation (an incident is one event, not thousands of
 * independent errors), a bounded likelihood ratio (see scopeFactor).
 *
 * Measured on pure noise (changes at random times, errors in proportion to traffic;
 * changes.property.test.ts): some change is called the likely cause (confidence >=
 * 0.7) in at most ~6% of incidents at any change rate (worst near 8 changes a day),
 * 2% at one a day; a deploy that breaks its own host within 15 minutes, amid 4-48
 * background changes a day, is named the likely cause in 93-100%. Confidences are
 * calibrated on incidents drawn from the model (a little cautious).
 */
import { localDateTime } from '../../../core/local-time.js';
import type { AnalysisReport, Evidence } from '../../report/model.js';

export type ChangeKind =
  | 'deploy'
  | 'config'
  | 'feature-flag'
  | 'migration'
  | 'rollback'
  | 'commit'
  | 'merge'
  | 'tag'
  | 'other';

/** One change, from a --changes file or git. Times are epoch ms (UTC). */
export interface ChangeRecord {
  time: number;
  kind: ChangeKind;
  /** The record's own id (a deploy id), when it has one. */
  id?: string;
  service?: string;
  version?: string;
  description: string;
  hosts?: string[];
  /** Kept for the record; never put in a sentence (reviews are blameless). */
  author?: string;
  /** Other fields (region, environment...), matched against ChangeContext.labels. */
  labels?: Record<string, string>;
  source: string;
  line: number;
}

/** Where a name (host, service, region...) stands: its share of the errors and of all events. */
export interface ScopeShare {
  errorShare: number;
  trafficShare: number;
}
export type ScopeShares = Readonly<Record<string, ScopeShare>>;

export interface ChangeContext {
  /** When the errors started (epoch ms); undefined when no onset was found. */
  onset?: number;
  /** The onset is known within +- this (the bucket size); default 1 min. */
  onsetUncertaintyMs?: number;
  /** The onset detector's confidence, in [0, 1]; default 1. */
  onsetConfidence?: number;
  /** The span of the logs: a change before they begin is only blamed within an hour. */
  span?: { from: number; to: number };
  /** Shares by host, by service, and by other fields (`labels.region`), best since the onset. */
  hosts?: ScopeShares;
  services?: ScopeShares;
  labels?: Readonly<Record<string, ScopeShares>>;
  /** Errors behind the shares: few errors pull the shares toward the traffic shares. */
  errorCount?: number;
  /** The window the records cover, when known (git lists a window): for the change rate. */
  recorded?: { from: number; to: number };
  /** "No change recorded in the N minutes before the onset"; default 60 min. */
  windowMs?: number;
}

export type SuspectVerdict = 'likely' | 'possible' | 'unlikely';

export interface ScopeMatch {
  /** Errors concentrate where the change went, are spread as traffic, avoid it, or cannot tell. */
  match: 'concentrated' | 'proportional' | 'disjoint' | 'unseen' | 'none';
  /** The field that decided: host, service, or a label name. */
  dimension?: string;
  names?: string[];
  errorShare?: number;
  trafficShare?: number;
  /** The likelihood ratio it contributed, in [1/100, 10]. */
  factor: number;
}

export interface ChangeSuspect {
  /** The record; for a rollout written a record per host, its first with all hosts (joinRollouts). */
  change: ChangeRecord;
  /** onset - change time: positive before the onset, negative after. */
  lagMs: number;
  /** Probability that this change caused the onset, in [0, 1]. */
  confidence: number;
  verdict: SuspectVerdict;
  scope: ScopeMatch;
  reason: string;
  evidence: Evidence;
}

export interface ChangeAnswer {
  /** The answer in a sentence or three. */
  answer: string;
  /** Of the answer: the top suspect's confidence, or that no recorded change caused it. */
  confidence: number;
  onset?: number;
  /** Changes from the lookback before the onset to its uncertainty after, best first (<= 20). */
  suspects: ChangeSuspect[];
  /** The last change before the onset, however long before. */
  nearestBefore?: ChangeSuspect;
  /** The last deploy or rollback before the onset: "when did we last deploy?". */
  lastDeploy?: ChangeSuspect;
  /** Rollbacks after the onset: responses to it, not causes. */
  mitigations: ChangeSuspect[];
  /** Records given. */
  considered: number;
  /** How far before the onset a change may be blamed (24 h, less when the logs begin later). */
  lookbackMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const CHANGE_DEFAULTS = Object.freeze({
  maxLookbackMs: DAY,
  /** A change before the logs begin may still be blamed this close to the onset. */
  minLookbackMs: HOUR,
  windowMs: HOUR,
  onsetUncertaintyMs: MINUTE,
  /** Prior probability that a recorded change caused the incident. */
  priorCause: 0.5,
  /** Background-rate prior: one change a day, worth two hours of records (weak). */
  priorRateWeight: 1 / 12,
  priorRateSpanMs: 2 * HOUR,
  likely: 0.7,
  possible: 0.3,
  maxSuspects: 20,
  /** Records of one version within this time are one rollout. */
  rolloutMs: 30 * MINUTE,
  /** Pseudo-errors at the traffic share when shrinking error shares. */
  shrinkErrors: 10,
});

/**
 * Riskiness per change: deploys, config, flags and migrations put new behaviour into
 * production; a commit only does once deployed, and merges and tags are about as
 * close to a release as a repository tells.
 */
export const KIND_WEIGHT: Readonly<Record<ChangeKind, number>> = Object.freeze({
  deploy: 1,
  config: 1,
  'feature-flag': 1,
  migration: 1,
  rollback: 1,
  other: 0.5,
  tag: 0.3,
  merge: 0.3,
  commit: 0.1,
});

/** The assumed delay from a bad change to the onset: weights and mean delays. */
const DELAY_MIXTURE = [
  { weight: 0.7, meanMs: 10 * MINUTE },
  { weight: 0.2, meanMs: HOUR },
  { weight: 0.1, meanMs: 6 * HOUR },
] as const;

function delayCdf(ms: number): number {
  if (!(ms > 0)) return 0;
  let sum = 0;
  for (const { weight, meanMs } of DELAY_MIXTURE) sum += weight * (1 - Math.exp(-ms / meanMs));
  return sum;
}

/** Mean delay density over lag +- uncertainty (per ms), zero past the lookback. */
function delayDensity(lag: number, uncertainty: number, lookback: number): number {
  if (lag > lookback || lag < -uncertainty) return 0;
  if (uncertainty <= 0) {
    let sum = 0;
    for (const { weight, meanMs } of DELAY_MIXTURE)
      sum += (weight / meanMs) * Math.exp(-lag / meanMs);
    return sum;
  }
  const lo = Math.max(0, lag - uncertainty);
  const hi = Math.min(lookback, lag + uncertainty);
  return hi > lo ? (delayCdf(hi) - delayCdf(lo)) / (2 * uncertainty) : 0;
}

/** Kind-weighted changes per ms in the day before the onset (as far as the records cover it). */
function backgroundRate(changes: readonly ChangeRecord[], onset: number, context: ChangeContext) {
  const from = Math.max(onset - CHANGE_DEFAULTS.maxLookbackMs, context.recorded?.from ?? -Infinity);
  const to = Math.min(onset, context.recorded?.to ?? Infinity);
  // Counted per kind, then weighed: the same sum whatever the records' order.
  const counts = new Map<ChangeKind, number>();
  for (const c of changes)
    if (c.time >= from && c.time <= to) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  let weight = CHANGE_DEFAULTS.priorRateWeight;
  for (const kind of Object.keys(KIND_WEIGHT) as ChangeKind[])
    weight += (counts.get(kind) ?? 0) * KIND_WEIGHT[kind];
  return weight / (Math.max(0, to - from) + CHANGE_DEFAULTS.priorRateSpanMs);
}

const SEPARATORS = '.-_:/';

/** web-2 matches web-2.example.com and checkout matches pod checkout-7d9f-x2; web-1 not web-10. */
export function sameScopeName(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return (
    short.length > 0 && long.startsWith(short) && SEPARATORS.includes(long[short.length] ?? '')
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * From the odds ratio of error share to traffic share where the change went. Errors
 * scarcer there than elsewhere is strong evidence against the change (its code runs
 * there: it would have failed there first), so below 1 the ratio counts squared,
 * down to 1/100; errors gathered there is weaker evidence for it (a disk or a noisy
 * neighbour on the same hosts looks the same), so above 1 its square root counts, up
 * to 10. A change that reached (nearly) all the traffic tells nothing.
 */
function scopeFactor(errorShare: number, trafficShare: number): number {
  if (trafficShare >= 0.95) return 1;
  const odds = (p: number) => (p + 0.005) / (1 - p + 0.005);
  const ratio = odds(errorShare) / odds(trafficShare);
  return ratio >= 1 ? Math.min(10, Math.sqrt(ratio)) : Math.max(0.01, ratio * ratio);
}

const matchOf = (factor: number): ScopeMatch['match'] =>
  factor >= 2 ? 'concentrated' : factor <= 0.5 ? 'disjoint' : 'proportional';

/** How the change's names stand in one dimension of shares. */
function matchIn(
  dimension: string,
  wanted: readonly string[],
  shares: ScopeShares,
  errors: number | undefined,
): ScopeMatch {
  const names = Object.keys(shares).filter((n) => wanted.some((w) => sameScopeName(w, n)));
  if (names.length === 0) return { match: 'unseen', dimension, names: [...wanted], factor: 1 };
  let e = 0;
  let t = 0;
  for (const n of names) {
    e += shares[n]?.errorShare ?? 0;
    t += shares[n]?.trafficShare ?? 0;
  }
  t = clamp(t, 0, 1);
  const k = CHANGE_DEFAULTS.shrinkErrors;
  if (errors !== undefined) e = (e * errors + t * k) / (errors + k);
  e = clamp(e, 0, 1);
  const factor = scopeFactor(e, t);
  return { match: matchOf(factor), dimension, names, errorShare: e, trafficShare: t, factor };
}

/** Hosts, service and labels combined; the most telling one explains the result. */
export function scopeOf(change: ChangeRecord, context: ChangeContext): ScopeMatch {
  const found: ScopeMatch[] = [];
  const hosts = context.hosts ?? {};
  const hasHosts = Object.keys(hosts).length > 0;
  const errors = context.errorCount;
  if (change.hosts?.length && hasHosts) found.push(matchIn('host', change.hosts, hosts, errors));
  if (change.service) {
    const services = context.services ?? {};
    if (Object.keys(services).length > 0)
      found.push(matchIn('service', [change.service], services, errors));
    else if (hasHosts && !change.hosts?.length) {
      // Container and pod names start with their service's name.
      const byHost = matchIn('host', [change.service], hosts, errors);
      if (byHost.match !== 'unseen') found.push(byHost);
    }
  }
  for (const [key, value] of Object.entries(change.labels ?? {})) {
    const shares = context.labels?.[key];
    if (shares) found.push(matchIn(key, [value], shares, errors));
  }
  const seen = found.filter((m) => m.match !== 'unseen');
  if (seen.length === 0) return found[0] ?? { match: 'none', factor: 1 };
  const factor = clamp(
    seen.reduce((p, m) => p * m.factor, 1),
    0.01,
    10,
  );
  const telling = seen.reduce((a, b) =>
    Math.abs(Math.log(b.factor)) > Math.abs(Math.log(a.factor)) ? b : a,
  );
  return { ...telling, match: matchOf(factor), factor };
}

/**
 * The context an analysis report gives: its onset (the first error of the new pattern,
 * known to about two buckets), its confidence, the span, and the hosts' shares.
 */
export function changeContextOf(report: AnalysisReport): ChangeContext {
  const onset = report.onset.found ? (report.onset.time ?? report.onset.bucketStart) : undefined;
  const hosts = Object.fromEntries(
    report.hosts.items.map((h) => [
      h.host,
      { errorShare: h.errorShare, trafficShare: h.trafficShare },
    ]),
  );
  return {
    ...(onset !== undefined ? { onset, onsetConfidence: report.onset.confidence } : {}),
    // The change point may be a bucket off, and its first error anywhere in that bucket.
    ...(report.series ? { onsetUncertaintyMs: 2 * report.series.bucketMs } : {}),
    ...(report.span ? { span: report.span } : {}),
    hosts,
    errorCount: report.totals.errors,
  };
}

/** The window to list changes in for logs spanning `span` (git, filtered files). */
export function changeWindow(span: { from: number; to: number }): { from: number; to: number } {
  return { from: span.from - CHANGE_DEFAULTS.maxLookbackMs, to: span.to + HOUR };
}

/** "40 s", "4 min", "2.5 h", "3 days". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 90_000) return `${Math.round(abs / 1000)} s`;
  if (abs < 90 * MINUTE) return `${Math.round(abs / MINUTE)} min`;
  if (abs < 2 * DAY) return `${Number((abs / HOUR).toFixed(abs < 10 * HOUR ? 1 : 0))} h`;
  return `${Number((abs / DAY).toFixed(1))} days`;
}

const KIND_LABEL: Readonly<Record<ChangeKind, string>> = {
  deploy: 'deploy',
  config: 'config change',
  'feature-flag': 'feature flag change',
  migration: 'migration',
  rollback: 'rollback',
  commit: 'commit',
  merge: 'merge',
  tag: 'tag',
  other: 'change',
};

/** "deploy checkout v2.3.1 to web-2", 'commit 3f2a9c1d "fix rounding"'. */
export function describeChange(change: ChangeRecord): string {
  const words = [KIND_LABEL[change.kind]];
  if (change.service) words.push(change.service);
  if (change.version) words.push(change.version);
  const text = change.description.trim();
  const short = text.length > 70 ? `${text.slice(0, 67)}...` : text;
  const wordy = change.kind === 'commit' || change.kind === 'merge' || change.kind === 'other';
  if (short && (wordy || !(change.service || change.version)) && !words.includes(short))
    words.push(`"${short}"`);
  const hosts = change.hosts ?? [];
  if (hosts.length)
    words.push(
      `to ${hosts.slice(0, 3).join(', ')}${hosts.length > 3 ? ` +${hosts.length - 3}` : ''}`,
    );
  return words.join(' ');
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** "on the host where 96% of the errors are, with 25% of the traffic". */
function scopePhrase(scope: ScopeMatch, change: ChangeRecord): string {
  const dim = scope.dimension ?? 'host';
  const names = scope.names ?? [];
  const many = names.length > 1;
  const list =
    many && names.length > 3
      ? `${names.slice(0, 3).join(', ')} +${names.length - 3}`
      : names.join(', ');
  // Hosts the change names are in its description already.
  const where =
    dim !== 'host'
      ? `${dim} ${list}`
      : change.hosts?.length
        ? many
          ? `the ${names.length} hosts`
          : 'the host'
        : `host${many ? 's' : ''} ${list}`;
  const errors = `${pct(scope.errorShare ?? 0)} of the errors`;
  const traffic = `${pct(scope.trafficShare ?? 0)} of the traffic`;
  switch (scope.match) {
    case 'concentrated':
      return `on ${where} where ${errors} are, with ${traffic}`;
    case 'disjoint':
      return `but ${where} ${many ? 'have' : 'has'} only ${errors}, with ${traffic}`;
    case 'proportional':
      return (scope.trafficShare ?? 0) >= 0.95
        ? 'which reached all the traffic'
        : `on ${where} with ${errors} and ${traffic}, in proportion`;
    case 'unseen':
      return `${where} ${many ? 'are' : 'is'} not in the logs`;
    default:
      return '';
  }
}

function lagPhrase(lag: number, uncertainty: number): string {
  if (lag >= 0) return `${formatDuration(lag)} before the onset`;
  return `${formatDuration(lag)} after the onset (within its +-${formatDuration(uncertainty)} uncertainty)`;
}

const verdictOf = (confidence: number): SuspectVerdict =>
  confidence >= CHANGE_DEFAULTS.likely
    ? 'likely'
    : confidence >= CHANGE_DEFAULTS.possible
      ? 'possible'
      : 'unlikely';

const latest = (changes: readonly ChangeRecord[]) =>
  changes.reduce<ChangeRecord | undefined>((a, c) => (a && a.time >= c.time ? a : c), undefined);

/**
 * Deploy tools often write a record per host: records of one kind, service and version
 * within rolloutMs of the first become one change to all their hosts, at the first's
 * time (so the rate counts a rollout once). Records that join nothing are kept as is.
 */
export function joinRollouts(changes: readonly ChangeRecord[]): ChangeRecord[] {
  const sorted = [...changes].sort(
    (a, b) => a.time - b.time || a.source.localeCompare(b.source) || a.line - b.line,
  );
  const open = new Map<string, number>();
  const joined: ChangeRecord[] = [];
  for (const change of sorted) {
    const key = change.version && `${change.kind} ${change.service ?? ''} ${change.version}`;
    const at = key ? open.get(key) : undefined;
    const first = at === undefined ? undefined : joined[at];
    if (!key || !first || change.time - first.time > CHANGE_DEFAULTS.rolloutMs) {
      if (key) open.set(key, joined.length);
      joined.push(change);
      continue;
    }
    const hosts = [...new Set([...(first.hosts ?? []), ...(change.hosts ?? [])])].sort();
    joined[at as number] = { ...first, ...(hosts.length ? { hosts } : {}) };
  }
  return joined;
}

/** Ranks the changes as suspects for the onset in `context`; see the top of this file. */
export function rankSuspects(
  records: readonly ChangeRecord[],
  context: ChangeContext,
): ChangeAnswer {
  const changes = joinRollouts(records);
  const onset = context.onset;
  if (onset === undefined) {
    const last = latest(changes);
    const answer = last
      ? `The evidence cannot tell: no onset of errors was found to compare the ${changes.length} recorded change${changes.length > 1 ? 's' : ''} with (the latest: ${describeChange(last)} at ${localDateTime(last.time)}).`
      : 'The evidence cannot tell: no onset of errors was found, and no change was recorded.';
    const base = { suspects: [], mitigations: [], considered: records.length };
    return { ...base, answer, confidence: 0, lookbackMs: CHANGE_DEFAULTS.maxLookbackMs };
  }
  const uncertainty = Math.max(0, context.onsetUncertaintyMs ?? CHANGE_DEFAULTS.onsetUncertaintyMs);
  const seen = context.span ? onset - context.span.from : Infinity;
  const lookback = clamp(seen, CHANGE_DEFAULTS.minLookbackMs, CHANGE_DEFAULTS.maxLookbackMs);
  const rate = backgroundRate(changes, onset, context);
  const onsetConfidence = clamp(context.onsetConfidence ?? 1, 0, 1);

  const judge = (change: ChangeRecord): ChangeSuspect => {
    const lagMs = onset - change.time;
    const scope = scopeOf(change, context);
    const density = delayDensity(lagMs, uncertainty, lookback);
    const odds =
      (CHANGE_DEFAULTS.priorCause * KIND_WEIGHT[change.kind] * density * scope.factor) / rate;
    const confidence = clamp((odds / (1 + odds)) * onsetConfidence, 0, 1);
    const where = scopePhrase(scope, change);
    const host = change.hosts?.[0];
    return {
      change,
      lagMs,
      confidence,
      verdict: verdictOf(confidence),
      scope,
      reason: `${describeChange(change)}, ${lagPhrase(lagMs, uncertainty)}${where ? `, ${where}` : ''}`,
      evidence: {
        source: change.source,
        line: change.line,
        text: describeChange(change),
        time: change.time,
        ...(host !== undefined ? { host } : {}),
      },
    };
  };

  const suspects = changes
    .filter((c) => c.time >= onset - lookback && c.time <= onset + uncertainty)
    .map(judge)
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        Number(a.lagMs < 0) - Number(b.lagMs < 0) ||
        Math.abs(a.lagMs) - Math.abs(b.lagMs) ||
        a.change.line - b.change.line,
    )
    .slice(0, CHANGE_DEFAULTS.maxSuspects);
  const before = changes.filter((c) => c.time <= onset);
  const nearest = latest(before);
  const deploy = latest(before.filter((c) => c.kind === 'deploy' || c.kind === 'rollback'));
  const mitigations = changes
    .filter((c) => c.kind === 'rollback' && c.time > onset + uncertainty)
    .sort((a, b) => a.time - b.time)
    .slice(0, 5)
    .map((c) => ({
      ...judge(c),
      reason: `${describeChange(c)}, ${formatDuration(c.time - onset)} after the onset`,
    }));
  const window = context.windowMs ?? CHANGE_DEFAULTS.windowMs;
  const recent = before.filter((c) => c.time >= onset - window).length;
  const named = new Set<ChangeRecord>();
  const sentences: string[] = [];
  const top = suspects[0];
  let confidence: number;
  if (top && top.verdict !== 'unlikely') {
    confidence = top.confidence;
    named.add(top.change);
    const label = top.verdict === 'likely' ? 'Likely' : 'Possible';
    sentences.push(`${label} cause: ${top.reason} (confidence ${pct(top.confidence)}).`);
    const second = suspects[1];
    if (second && second.verdict !== 'unlikely') {
      named.add(second.change);
      sentences.push(`Also possible: ${second.reason} (${pct(second.confidence)}).`);
    }
  } else {
    // That no recorded change caused it, if the suspects' chances were independent.
    confidence = suspects.reduce((p, s) => p * (1 - s.confidence), 1);
    const span = formatDuration(window);
    if (recent > 0 && top) {
      named.add(top.change);
      sentences.push(
        `${recent} change${recent > 1 ? 's' : ''} in the ${span} before the onset, none a likely cause; the most suspect: ${top.reason} (confidence ${pct(top.confidence)}).`,
      );
    } else if (nearest) {
      named.add(nearest);
      const lag = onset - nearest.time;
      sentences.push(
        `No change recorded in the ${span} before the onset (the nearest: ${describeChange(nearest)}, ${formatDuration(lag)} before${lag > lookback ? ', too long before to blame' : ''}).`,
      );
    } else sentences.push(`No change recorded before the onset (${changes.length} records).`);
  }
  if (deploy && !named.has(deploy))
    sentences.push(
      `The last deploy before it: ${describeChange(deploy)} at ${localDateTime(deploy.time)}, ${formatDuration(onset - deploy.time)} before.`,
    );
  for (const m of mitigations.slice(0, 2)) sentences.push(`Mitigation: ${m.reason}.`);

  return {
    answer: sentences.join(' '),
    confidence,
    onset,
    suspects,
    ...(nearest ? { nearestBefore: judge(nearest) } : {}),
    ...(deploy ? { lastDeploy: judge(deploy) } : {}),
    mitigations,
    considered: records.length,
    lookbackMs: lookback,
  };
}
