import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMs } from './ids.js';
import { localClock, localDate, localDateTime, zoneLabel } from './local-time.js';
import { parseWhen } from './time.js';

/** A local wall-clock time, in whatever zone the tests run in. */
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(y, mo - 1, d, h, mi, s).getTime();

describe('local times', () => {
  it('formats the local date and clock with zero padding', () => {
    const t = local(2026, 3, 4, 9, 5, 7);
    expect(localDate(t)).toBe('2026-03-04');
    expect(localClock(t)).toBe('09:05:07');
    expect(localDateTime(t)).toBe('2026-03-04 09:05:07');
  });

  it('drops milliseconds', () => {
    expect(localClock(local(2026, 12, 31, 23, 59, 59) + 999)).toBe('23:59:59');
  });

  it('writes times that parseWhen reads back to the same wall-clock second', () => {
    const now = epochMs(Date.UTC(2100, 0, 1));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }), (t) => {
        const text = localDateTime(t);
        expect(localDateTime(parseWhen(text, now))).toBe(text);
      }),
    );
  });

  it('labels the zone with the offset in effect at that time', () => {
    const t = Date.UTC(2026, 6, 1, 12);
    const offset = -new Date(t).getTimezoneOffset() || 0; // not -0 in UTC
    const label = zoneLabel(t);
    const match = /^(.+) \(UTC([+-])(\d{2}):(\d{2})\)$/.exec(label);
    expect(match).not.toBeNull();
    const [, zone, sign, hours, minutes] = match ?? [];
    expect(zone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect((sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes))).toBe(offset);
  });
});
