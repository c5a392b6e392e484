/**
 * "Are bug reports coming from customers? What browser, what OS, what were
 * they doing?" (issue 4, question 8): what the reports have in common, and
 * whether that is more than the traffic would give anyway.
 *
 * A shared browser means little by itself (most reports come from Chrome
 * because most users use Chrome), so each common value is compared with its
 * share of the logs' traffic (`TrafficMix` from the contrast collector):
 * under "reports come from users at random", the count of reports with a
 * value is Binomial(n, traffic share), and the exact upper tail is its
 * p-value ("9 of 11 reports are from Firefox 126, 8% of the traffic":
 * p = 1e-8). Holm's method over every value tested keeps the chance of any
 * false "in common" below `alpha`. Without traffic to compare with, a value
 * shared by most reports is still said, as a fact, with no lift.
 *
 * Facets of one client go together: when the Firefox 126 reports are also
 * the Windows 10 reports (80% of them), Windows 10 is said with Firefox 126
 * ("from Firefox 126 on Windows 10"), not as a second finding. Time: see
 * bug-report-timing.ts.
 */
import { maskPath } from '../../mine/endpoint.js';
import type { Evidence } from '../../report/model.js';
import type { TrafficMix, TrafficShare } from '../contrast/contrast-rank.js';
import { browserKey, clientFromNames, osKey, parseUserAgent } from '../contrast/user-agent.js';
import { binomialUpperTail, type ReportTiming, timingOf } from './bug-report-timing.js';

export { binomialUpperTail, type ReportTiming } from './bug-report-timing.js';

export interface BugReport {
  time?: number;
  userAgent?: string;
  /** Free text such as "Firefox 126" or "Safari on iPhone", when there is no User-Agent. */
  browser?: string;
  os?: string;
  /** The page or URL the customer was on. */
  page?: string;
  description?: string;
  /** Where it came from, for evidence: the file and its 1-based line (or record). */
  source: string;
  line: number;
}

export interface BugReportOptions {
  /** The logs' traffic mix (ContrastResult.traffic), to compare the reports with. */
  traffic?: TrafficMix;
  /** The time the evidence covers (the logs' span); widened to hold every report. */
  window?: { from: number; to: number };
  /** When the errors started, if known. */
  onset?: number;
  /** Family-wise error rate of the "in common" claims. */
  alpha?: number;
}

export type ReportAttribute = 'browser' | 'browserFamily' | 'os' | 'osVersion' | 'device' | 'page';
const CLIENT: readonly ReportAttribute[] = [
  'browser',
  'browserFamily',
  'os',
  'osVersion',
  'device',
];
/** The most specific facet first: it leads when nothing else tells them apart. */
const FACET_ORDER: readonly ReportAttribute[] = [
  'browser',
  'osVersion',
  'browserFamily',
  'os',
  'device',
];

export interface ReportCommonality {
  attribute: ReportAttribute | 'word';
  value: string;
  /** Reports with it, of the reports that say (`of`). */
  count: number;
  of: number;
  share: number;
  /** Its share of the logs' traffic, when known. */
  trafficShare?: number;
  lift?: number;
  /** Holm-adjusted, against the traffic share. */
  pValue?: number;
  /** More common than the traffic explains (or, without traffic, shared by most reports). */
  notable: boolean;
  confidence: number;
  /** Facets of the same reports said with it ("Windows 10" with "Firefox 126"). */
  related: { attribute: ReportAttribute; value: string }[];
  sentence: string;
  examples: Evidence[];
}

export interface BugReportsResult {
  reports: number;
  found: boolean;
  answer: string;
  confidence: number;
  commonalities: ReportCommonality[];
  timing?: ReportTiming;
}

const MAX_EXAMPLES = 3;
const MIN_COMMON = 2;
/** Fewest reports that share something for it to be called notable. */
const MIN_NOTABLE = 3;

/** Holm's step-down adjustment: adjusted p-values in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(pValues.length).fill(1);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, p * (pValues.length - rank)));
    out[i] = running;
  });
  return out;
}

/** The Wilson score interval's lower end (95%) of a share k/n. */
function wilsonLower(k: number, n: number): number {
  if (n === 0) return 0;
  const z2 = 1.96 * 1.96;
  const p = k / n;
  const centre = p + z2 / (2 * n);
  const spread = Math.sqrt(z2 * ((p * (1 - p)) / n + z2 / (4 * n * n)));
  return Math.max(0, (centre - spread) / (1 + z2 / n));
}

/** "/checkout/4521?step=2" or "https://shop.example/checkout/4521" -> "/checkout/<*>". */
export function normalizePage(page: string): string {
  let path = page.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  path = path.replace(/[?#].*$/, '');
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1) path = path.replace(/\/+$/, '');
  return maskPath(path);
}

/** The report's browser, OS, device and page: the User-Agent first, the text columns fill gaps. */
function valuesOf(report: BugReport): Partial<Record<ReportAttribute, string>> {
  const values: Partial<Record<ReportAttribute, string>> = clientFromNames(
    report.browser,
    report.os,
  );
  const parsed = report.userAgent ? parseUserAgent(report.userAgent) : {};
  for (const [key, value] of Object.entries(parsed))
    if (value !== undefined) values[key as ReportAttribute] = value;
  if (report.page?.trim()) values.page = normalizePage(report.page);
  return values;
}

/** A value's key for matching reports with each other and with the traffic's own names. */
function matchKey(attribute: ReportAttribute, value: string): string {
  const version = value.match(/ (\d+(?:\.\d+)?)$/)?.[1] ?? '';
  if (attribute === 'browser') return `${browserKey(value.replace(/ \d+$/, ''))} ${version}`.trim();
  if (attribute === 'browserFamily') return browserKey(value);
  if (attribute === 'os') return osKey(value);
  if (attribute === 'osVersion') return `${osKey(value)} ${version}`.trim();
  return value.toLowerCase();
}

/** The traffic share of a value: matching names summed (pages: over every method). */
function trafficShareOf(
  traffic: TrafficMix | undefined,
  attribute: ReportAttribute,
  value: string,
): number | undefined {
  const shares: TrafficShare[] | undefined =
    attribute === 'page' ? traffic?.endpoint : traffic?.[attribute];
  if (!shares?.length) return undefined;
  const key = matchKey(attribute, value);
  const matching = shares.filter(
    (s) =>
      matchKey(
        attribute,
        attribute === 'page' ? s.value.slice(s.value.indexOf(' ') + 1) : s.value,
      ) === key,
  );
  return matching.length ? matching.reduce((sum, s) => sum + s.share, 0) : undefined;
}

function evidenceOf(r: BugReport): Evidence {
  const text = [r.page, r.browser ?? r.userAgent, r.os, r.description].filter(Boolean).join(' | ');
  return {
    source: r.source,
    line: r.line,
    text: text.length > 300 ? `${text.slice(0, 300)}...` : text,
    ...(r.time !== undefined ? { time: r.time } : {}),
  };
}

interface Candidate extends ReportCommonality {
  members: Set<number>;
}

/** Values shared by at least MIN_COMMON reports, each attribute counted among the reports that say it. */
function candidatesOf(reports: readonly BugReport[], traffic: TrafficMix | undefined): Candidate[] {
  const values = reports.map(valuesOf);
  const out: Candidate[] = [];
  for (const attribute of [...CLIENT, 'page'] as const) {
    const groups = new Map<string, number[]>();
    let of = 0;
    values.forEach((v, i) => {
      const value = v[attribute];
      if (value === undefined) return;
      of++;
      const key = matchKey(attribute, value);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const members of groups.values()) {
      if (members.length < MIN_COMMON) continue;
      const value = values[members[0] as number]?.[attribute] as string;
      const trafficShare = trafficShareOf(traffic, attribute, value);
      const share = members.length / of;
      out.push({
        attribute,
        value,
        count: members.length,
        of,
        share,
        ...(trafficShare !== undefined
          ? {
              trafficShare,
              lift: trafficShare > 0 ? share / trafficShare : Number.POSITIVE_INFINITY,
              pValue: binomialUpperTail(members.length, of, trafficShare),
            }
          : {}),
        notable: false,
        confidence: 0,
        related: [],
        sentence: '',
        examples: members.slice(0, MAX_EXAMPLES).map((i) => evidenceOf(reports[i] as BugReport)),
        members: new Set(members),
      });
    }
  }
  return out;
}

const STOP_WORDS = new Set(
  'the and for with that this when after from have has was were are not but you your our its they them then than there their what which while into onto about just also can cant could would should does did doesnt dont get got page site app error errors bug issue problem please help work works working'.split(
    ' ',
  ),
);

/** Words most descriptions share: facts, as there is no baseline for words. */
function commonWords(reports: readonly BugReport[]): Candidate[] {
  const described = reports.flatMap((r, i) => (r.description?.trim() ? [i] : []));
  if (described.length < 3) return [];
  const byWord = new Map<string, number[]>();
  for (const i of described) {
    const words = reports[i]?.description?.toLowerCase().match(/\p{L}[\p{L}\p{N}'-]{2,}/gu) ?? [];
    for (const w of new Set(words))
      if (!STOP_WORDS.has(w)) byWord.set(w, [...(byWord.get(w) ?? []), i]);
  }
  return [...byWord]
    .filter(([, members]) => members.length >= 3 && members.length >= 0.5 * described.length)
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, 3)
    .map(([word, members]) => ({
      attribute: 'word' as const,
      value: word,
      count: members.length,
      of: described.length,
      share: members.length / described.length,
      notable: false,
      confidence: 0,
      related: [],
      sentence: '',
      examples: members.slice(0, MAX_EXAMPLES).map((i) => evidenceOf(reports[i] as BugReport)),
      members: new Set(members),
    }));
}

/** Client facets of (80% of) the same reports join the most specific one. */
function joinFacets(candidates: Candidate[]): Candidate[] {
  const specificity = (c: Candidate) => FACET_ORDER.indexOf(c.attribute as ReportAttribute);
  const clients = candidates
    .filter((c) => c.attribute !== 'word' && CLIENT.includes(c.attribute))
    .sort(
      (a, b) =>
        Number(b.notable) - Number(a.notable) ||
        (b.lift ?? 0) - (a.lift ?? 0) ||
        specificity(a) - specificity(b) ||
        b.share - a.share,
    );
  const leaders: Candidate[] = [];
  const joined = new Set<Candidate>();
  for (const c of clients) {
    const leader = leaders.find((l) => {
      let shared = 0;
      for (const i of c.members) if (l.members.has(i)) shared++;
      return shared >= 0.8 * c.members.size && c.notable <= l.notable;
    });
    if (!leader) leaders.push(c);
    else {
      leader.related.push({ attribute: c.attribute as ReportAttribute, value: c.value });
      joined.add(c);
    }
  }
  return candidates.filter((c) => !joined.has(c));
}

function sentenceOf(c: ReportCommonality): string {
  const head = `${c.count === c.of ? `All ${c.of}` : `${c.count} of ${c.of}`} reports`;
  if (c.attribute === 'word') return `${head} mention "${c.value}".`;
  const os =
    c.related.find((r) => r.attribute === 'osVersion') ??
    c.related.find((r) => r.attribute === 'os');
  const on =
    (c.attribute === 'browser' || c.attribute === 'browserFamily') && os ? ` on ${os.value}` : '';
  const what =
    c.attribute === 'page'
      ? `are about ${c.value}`
      : c.attribute === 'device'
        ? `are from ${c.value} devices`
        : `are from ${c.value}${on}`;
  const pct = (v: number) => `${v < 0.1 ? (v * 100).toFixed(1) : Math.round(v * 100)}%`;
  const traffic =
    c.trafficShare === undefined
      ? ''
      : ` (${pct(c.trafficShare)} of the traffic${c.notable ? '' : ', so no more than expected'})`;
  return `${head} ${what}${traffic}.`;
}

/** What the reports have in common, compared with the traffic where it is known. */
export function analyzeBugReports(
  reports: readonly BugReport[],
  options: BugReportOptions = {},
): BugReportsResult {
  const n = reports.length;
  if (n === 0)
    return {
      reports: 0,
      found: false,
      confidence: 0,
      answer: 'No bug reports.',
      commonalities: [],
    };
  const alpha = options.alpha ?? 0.01;
  const candidates = [...candidatesOf(reports, options.traffic), ...commonWords(reports)];
  const tested = candidates.filter((c) => c.pValue !== undefined);
  const adjusted = holm(tested.map((c) => c.pValue as number));
  tested.forEach((c, i) => {
    c.pValue = adjusted[i] as number;
    // Two reports do not make a pattern, however rare what they share.
    c.notable = c.count >= MIN_NOTABLE && c.pValue <= alpha && (c.lift ?? 0) >= 1.5;
    c.confidence = 1 - c.pValue;
  });
  for (const c of candidates)
    if (c.pValue === undefined) {
      c.notable = c.count >= MIN_NOTABLE && c.share >= 0.5;
      c.confidence = wilsonLower(c.count, c.of);
    }
  const commonalities = joinFacets(candidates)
    .sort(
      (a, b) =>
        Number(b.notable) - Number(a.notable) || b.confidence - a.confidence || b.share - a.share,
    )
    .map(({ members: _members, ...c }) => ({ ...c, sentence: sentenceOf(c) }));
  const times = reports.flatMap((r) => (r.time === undefined ? [] : [r.time]));
  const timing = timingOf(times, { ...options, alpha });
  const notable = commonalities.filter((c) => c.notable);
  const timed = timing?.cluster || timing?.afterOnset ? [timing.sentence] : [];
  const found = notable.length > 0 || timed.length > 0;
  const first = commonalities[0]?.sentence;
  const answer = found
    ? [...notable.slice(0, 3).map((c) => c.sentence), ...timed].join(' ')
    : `The ${n} reports have nothing clear in common${first ? `; the most shared: ${first.charAt(0).toLowerCase()}${first.slice(1)}` : '.'}${timing ? ` ${timing.sentence}` : ''}`;
  const timingConfidence = 1 - (timing?.cluster?.pValue ?? timing?.afterOnset?.pValue ?? 1);
  return {
    reports: n,
    found,
    answer,
    confidence: notable[0]?.confidence ?? (timed.length ? timingConfidence : 0),
    commonalities,
    ...(timing ? { timing } : {}),
  };
}
