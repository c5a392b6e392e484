/**
 * Words and numbers for anomalies.ts: which question each Analyzer series asks
 * (a share of the events or a rate), its name for a person, and the changes as
 * people read them ("0.2% -> 4.1% of events (x20)", "1,200/min -> 210/min").
 */

/** 'share': of the events in 'all' (error templates); 'rate': per minute (throughput). */
export type Measure = 'share' | 'rate';

const ENDPOINT = /^(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE) \S+ (\d{3})$/;

/** The default question per Analyzer key: error series as shares of events, the rest as rates. */
export function measureOf(key: string): Measure {
  if (key === 'errors' || key.startsWith('status:')) return 'share';
  if (!key.startsWith('template:')) return 'rate';
  // An endpoint's successes are throughput; its failures, and error templates, a share.
  const status = ENDPOINT.exec(key.slice(9))?.[1];
  return status !== undefined && Number(status) < 400 ? 'rate' : 'share';
}

export function labelOf(key: string): string {
  if (key === 'all') return 'all events';
  if (key.startsWith('status:')) return `${key.slice(7)} responses`;
  if (key.startsWith('host:')) return `events from ${key.slice(5)}`;
  if (!key.startsWith('template:')) return key;
  const text = key.slice(9);
  return ENDPOINT.test(text)
    ? measureOf(key) === 'rate'
      ? `${text} throughput`
      : text
    : `"${text}"`;
}

export const number = (v: number) => Number(v.toPrecision(3)).toLocaleString('en-US');
export const percent = (share: number) =>
  `${(share * 100).toFixed(share < 0.001 ? 2 : share < 0.1 ? 1 : 0)}%`;
export const perTime = (perMinute: number) =>
  perMinute >= 1 || perMinute === 0 ? `${number(perMinute)}/min` : `${number(perMinute * 60)}/h`;
export const duration = (ms: number) =>
  ms < 1000
    ? `${number(ms)} ms`
    : ms < 60_000
      ? `${number(ms / 1000)} s`
      : `${number(ms / 60_000)} min`;

/** x20, +50%, -82%, new. */
export function change(ratio: number): string {
  if (ratio === Number.POSITIVE_INFINITY) return 'new';
  if (ratio >= 2)
    return `x${number(ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 10) / 10)}`;
  return `${ratio >= 1 ? '+' : '-'}${Math.round(Math.abs(ratio - 1) * 100)}%`;
}
