/**
 * A time zone cut into stretches of constant UTC offset, for expanding cron
 * schedules fast. Croner's `timezone` mode converts every candidate time
 * through Intl (about 100-170 us per run here), its `utcOffset` mode does not
 * (about 12 us): a month of an every-minute job in Europe/Berlin takes 6 s
 * one way, 0.5 s the other. Away from DST transitions a zone *is* a fixed
 * offset, so croner with that offset gives the same runs; within a few hours
 * of a transition croner runs in zone mode, so its DST rules (a 02:30 job
 * runs at 03:00 when 02:30 is skipped, once when it repeats) stay exact.
 * Croner still does all the cron matching.
 */

import { Zone } from '../../read/time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Offsets are sampled this often: DST transitions are months apart. */
const SAMPLE_MS = 6 * HOUR;
/** Zone mode this long either side of a transition (wider than any DST shift). */
const CAREFUL_MS = 3 * HOUR;
const FIXED_ZONES = new Set([
  'UTC',
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
  'Z',
  'UCT',
  'Etc/UCT',
  'Universal',
  'Zulu',
]);

/** A stretch [from, to): `offsetMinutes` when the zone has one offset there, else undefined (use zone mode). */
export interface ZonePiece {
  from: number;
  to: number;
  offsetMinutes: number | undefined;
}

const zones = new Map<string, Zone>();

/** The zone's offset from UTC at `time`, in minutes (east positive, as croner's `utcOffset`). */
export function offsetMinutes(zone: string, time: number): number {
  let known = zones.get(zone);
  if (!known) {
    known = new Zone(zone);
    zones.set(zone, known);
  }
  return Math.round(known.offsetAt(time) / MINUTE);
}

/** The first minute at which the offset differs from the one at `before` (it does by `after`). */
function transitionBetween(zone: string, before: number, after: number): number {
  const offset = offsetMinutes(zone, before);
  let low = before;
  let high = after;
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (mid <= low) break;
    if (offsetMinutes(zone, mid) === offset) low = mid;
    else high = mid;
  }
  return high;
}

/** [from, to) cut into fixed-offset stretches and zone-mode stretches around DST transitions. */
export function zonePieces(zone: string, from: number, to: number): ZonePiece[] {
  if (FIXED_ZONES.has(zone)) return [{ from, to, offsetMinutes: 0 }];
  const careful: [number, number][] = [];
  let previous = from - CAREFUL_MS;
  let previousOffset = offsetMinutes(zone, previous);
  for (let t = previous + SAMPLE_MS; previous < to + CAREFUL_MS; t += SAMPLE_MS) {
    const offset = offsetMinutes(zone, t);
    if (offset !== previousOffset) {
      const transition = transitionBetween(zone, previous, t);
      const start = Math.max(from, transition - CAREFUL_MS);
      const end = Math.min(to, transition + CAREFUL_MS);
      const last = careful.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else if (start < end) careful.push([start, end]);
    }
    previous = t;
    previousOffset = offset;
  }
  const pieces: ZonePiece[] = [];
  let cursor = from;
  for (const [start, end] of careful) {
    if (start > cursor)
      pieces.push({ from: cursor, to: start, offsetMinutes: offsetMinutes(zone, cursor) });
    pieces.push({ from: start, to: end, offsetMinutes: undefined });
    cursor = end;
  }
  if (cursor < to) pieces.push({ from: cursor, to, offsetMinutes: offsetMinutes(zone, cursor) });
  return pieces;
}
