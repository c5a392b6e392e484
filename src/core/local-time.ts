/*
 * Local times for people, in the process's time zone (TZ). Plain Date getters
 * rather than Intl formatters: `calm show` formats thousands of times and
 * Intl.DateTimeFormat#format is several times slower.
 */
const pad = (n: number) => String(n).padStart(2, '0');

export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function localClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function localDateTime(ms: number): string {
  return `${localDate(ms)} ${localClock(ms)}`;
}

/** "Europe/Berlin (UTC+01:00)" */
export function zoneLabel(at: number): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local time';
  const offset = -new Date(at).getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${zone} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}
