/**
 * Zones, dates and the stamps each log format writes. Scenarios are placed in
 * windows of 2026 where no common zone changes its offset (no daylight-saving
 * switch), so one offset per scenario is exact and stamps are formatted with
 * plain arithmetic, not Intl (fast, and the same bytes on every machine).
 * A test checks the offsets against Intl.
 */
import type { Rng } from './random.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Offsets in minutes east of UTC: [June-August 2026, January-February 2026]. */
export const ZONES: readonly { name: string; offsets: readonly [number, number] }[] = [
  { name: 'UTC', offsets: [0, 0] },
  { name: 'Europe/Berlin', offsets: [120, 60] },
  { name: 'Europe/London', offsets: [60, 0] },
  { name: 'America/New_York', offsets: [-240, -300] },
  { name: 'America/Los_Angeles', offsets: [-420, -480] },
  { name: 'America/Sao_Paulo', offsets: [-180, -180] },
  { name: 'Asia/Kolkata', offsets: [330, 330] },
  { name: 'Asia/Tokyo', offsets: [540, 540] },
  { name: 'Australia/Sydney', offsets: [600, 660] },
];

/** Days (UTC midnights) a scenario of up to 4 days may start on: no zone above switches offset. */
const WINDOWS: readonly { from: number; days: number; season: 0 | 1 }[] = [
  { from: Date.UTC(2026, 5, 1), days: 80, season: 0 },
  { from: Date.UTC(2026, 0, 5), days: 46, season: 1 },
];

export interface Zone {
  name: string;
  /** Minutes east of UTC, for the whole scenario. */
  offsetMin: number;
}

export interface Placement {
  zone: Zone;
  /** A UTC midnight: the day the scenario starts on. */
  day: number;
}

export function placeScenario(rng: Rng): Placement {
  const zone = rng.pick(ZONES);
  const window = rng.pick(WINDOWS);
  return {
    zone: { name: zone.name, offsetMin: zone.offsets[window.season] },
    day: window.from + rng.int(0, window.days) * DAY,
  };
}

/** The UTC instant of local `hh:mm` on the local calendar day that starts at UTC `day` midnight. */
export function localTime(zone: Zone, day: number, hours: number, minutes = 0): number {
  return day + hours * HOUR + minutes * MINUTE - zone.offsetMin * MINUTE;
}

/** Local hour of day (fractional, 0-24) at `time`. */
export function localHour(zone: Zone, time: number): number {
  const local = time + zone.offsetMin * MINUTE;
  return (((local % DAY) + DAY) % DAY) / HOUR;
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `+02:00`, or `+0200` when `colon` is false. */
export function offsetText(offsetMin: number, colon = true): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/** nginx `$time_local`: `14/Jun/2026:09:00:01 +0200`. */
export function clfStamp(time: number, zone: Zone): string {
  const d = new Date(time + zone.offsetMin * MINUTE);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${offsetText(zone.offsetMin, false)}`;
}

/** ISO 8601 in local time with its offset and milliseconds (logstash-logback-encoder). */
export function isoLocal(time: number, zone: Zone): string {
  const d = new Date(time + zone.offsetMin * MINUTE);
  return `${d.toISOString().slice(0, 23)}${offsetText(zone.offsetMin)}`;
}

/** ISO 8601 UTC without milliseconds: `2026-06-14T07:00:00Z`. */
export function isoUtc(time: number): string {
  return `${new Date(time).toISOString().slice(0, 19)}Z`;
}

/** `HH:MM` of a number of minutes after local midnight. */
export function clockText(minutes: number): string {
  return `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`;
}

/** Formats a stamp once per second of log time, not once per line. */
export function perSecond(format: (secondStart: number) => string): (time: number) => string {
  let second = Number.NaN;
  let text = '';
  return (time) => {
    const s = Math.floor(time / SECOND);
    if (s !== second) {
      second = s;
      text = format(s * SECOND);
    }
    return text;
  };
}
