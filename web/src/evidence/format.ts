/** How the report's numbers read on the page. */
import { formatDateTime, formatDuration, zoneName } from '../time.ts';

const exact = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
  hourCycle: 'h23',
});

export const percent = (share: number) =>
  share > 0 && share < 0.001 ? '<0.1%' : `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
export const count = (n: number) => n.toLocaleString('en-US');
export const when = (ms: number | undefined) => (ms === undefined ? '—' : formatDateTime(ms));
/** To the second: an onset is told to the second. */
export const whenExact = (ms: number) => `${exact.format(ms)} ${zoneName}`;
export const lift = (value: number | null) => (value === null ? 'new' : `×${value.toFixed(1)}`);
export const ratio = (value: number | null) =>
  value === null ? 'new' : `×${value.toFixed(value < 10 ? 1 : 0)}`;
export { formatDuration };

/** "before the onset" or "after" for a change's lag (onset minus change time). */
export const lagText = (lagMs: number) =>
  lagMs >= 0 ? `${formatDuration(lagMs)} before` : `${formatDuration(-lagMs)} after`;
