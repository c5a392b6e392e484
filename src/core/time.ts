import { UserError } from './errors.js';
import { type EpochMs, epochMs } from './ids.js';

/**
 * Parses the times people type during an incident, relative to `now`:
 * `14:02` or `14:02:30` (the most recent such local time, so `23:50` typed
 * just after midnight means yesterday), `2026-03-14 09:15`, full ISO 8601
 * with or without a zone, and `15m ago` / `-15m` / `2h ago`.
 * Local wall-clock times use the process time zone (TZ).
 * Times in the future are refused: an incident log records what happened.
 */
export function parseWhen(input: string, now: EpochMs): EpochMs {
  const text = input.trim();
  const parsed = parseWhenUnchecked(text, now);
  if (parsed === undefined || Number.isNaN(parsed)) {
    throw new UserError(
      `cannot read the time "${input}"; use 14:02, "2026-03-14 14:02", an ISO time or "15m ago"`,
    );
  }
  // A minute of slack for clocks of people typing "now-ish" times.
  if (parsed > now + 60_000) {
    throw new UserError(
      `the time "${input}" is in the future; log what happened with its past time, e.g. --at 14:02`,
    );
  }
  return epochMs(parsed);
}

function parseWhenUnchecked(text: string, now: number): number | undefined {
  if (text.toLowerCase() === 'now') return now;

  const relative =
    /^(?:-\s*)?(\d+)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)(?:\s+ago)?$/i.exec(
      text,
    );
  if (relative?.[1] && relative[2] && (text.startsWith('-') || /ago$/i.test(text))) {
    const unit = relative[2].toLowerCase();
    const factor = unit.startsWith('s')
      ? 1_000
      : unit.startsWith('m')
        ? 60_000
        : unit.startsWith('h')
          ? 3_600_000
          : 86_400_000;
    return now - Number(relative[1]) * factor;
  }

  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (clock) {
    const [hours, minutes, seconds] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
    const today = new Date(now);
    const at = (daysBack: number) =>
      new Date(
        today.getFullYear(),
        today.getMonth(),
        today.getDate() - daysBack,
        hours,
        minutes,
        seconds,
      ).getTime();
    // Yesterday by the calendar, not 24 hours back: a day across a DST change is 23 or 25 hours.
    const candidate = at(0);
    return candidate > now + 60_000 ? at(1) : candidate;
  }

  // "2026-03-14 14:02[:30]" in local time, or ISO 8601 with T and an optional zone.
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(
    text,
  );
  if (local) {
    const [y, mo, d, h, mi, s, ms] = local.slice(1).map((part) => Number(part ?? 0));
    if ((h ?? 0) > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59) return undefined;
    const date = new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, s, ms);
    if (date.getMonth() !== (mo ?? 1) - 1 || date.getDate() !== d) return undefined;
    return date.getTime();
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(
    text,
  );
  if (iso) {
    // Date.parse rolls 2026-02-30 over to March 2; a date that does not exist is a typo.
    const [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const day = new Date(Date.UTC(y, mo - 1, d));
    if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
    return Date.parse(text);
  }
  return undefined;
}

/** `1h 5m`, `42m`, `30s`: a duration for people. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.floor(Math.abs(ms) / 60_000);
  if (totalMinutes === 0) return `${Math.floor(Math.abs(ms) / 1000)}s`;
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes && !days) parts.push(`${minutes}m`);
  return parts.join(' ');
}

/** Parses `30m`, `1h`, `90s`, `1h30m`, `45` (minutes) into milliseconds. */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return input > 0 ? input * 60_000 : undefined;
  const text = input.trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text) > 0 ? Number(text) * 60_000 : undefined;
  // Longest unit first: with `m` before `minutes?`, "30 minutes" stopped at "30 m" and was refused.
  const pattern = /(\d+)\s*(hours?|hr|h|minutes?|min|m|seconds?|sec|s)/g;
  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(pattern)) {
    const unit = match[2] ?? '';
    total +=
      Number(match[1]) * (unit.startsWith('h') ? 3_600_000 : unit.startsWith('m') ? 60_000 : 1000);
    consumed += match[0];
  }
  if (total <= 0 || consumed.replace(/\s/g, '') !== text.replace(/\s/g, '')) return undefined;
  return total;
}
