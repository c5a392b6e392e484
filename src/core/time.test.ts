import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from './errors.js';
import { type EpochMs, epochMs } from './ids.js';
import { formatDuration, parseDuration, parseWhen } from './time.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A local wall-clock time, in whatever zone the tests run in. */
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): EpochMs =>
  epochMs(new Date(y, mo - 1, d, h, mi, s, ms).getTime());

/** 2026-03-14 15:00 local time. */
const NOW = local(2026, 3, 14, 15, 0);

const instants = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

describe('parseWhen: relative times', () => {
  it('reads "now"', () => {
    expect(parseWhen('now', NOW)).toBe(NOW);
    expect(parseWhen('  now ', NOW)).toBe(NOW);
  });

  it.each([
    ['15m ago', 15 * MINUTE],
    ['-2h', 2 * HOUR],
    ['30s ago', 30 * SECOND],
    ['- 5 min', 5 * MINUTE],
    ['2 hrs ago', 2 * HOUR],
    ['90 secs ago', 90 * SECOND],
    ['1d ago', DAY],
    ['10M AGO', 10 * MINUTE],
    ['0m ago', 0],
  ])('reads %j as that long before now', (input, back) => {
    expect(parseWhen(input, NOW)).toBe(NOW - back);
  });

  it('reads any "<n>m ago" and "-<n>h" as n minutes or hours back', () => {
    fc.assert(
      fc.property(instants, fc.nat({ max: 100_000 }), (now, n) => {
        expect(parseWhen(`${n}m ago`, epochMs(now))).toBe(now - n * MINUTE);
        expect(parseWhen(`-${n}h`, epochMs(now))).toBe(now - n * HOUR);
      }),
    );
  });

  it('refuses a bare amount that says neither "ago" nor "-"', () => {
    expect(() => parseWhen('15m', NOW)).toThrow(UserError);
  });
});

describe('parseWhen: clock times', () => {
  it('reads a time earlier today as today', () => {
    expect(parseWhen('14:02', NOW)).toBe(local(2026, 3, 14, 14, 2));
    expect(parseWhen('14:02:30', NOW)).toBe(local(2026, 3, 14, 14, 2, 30));
    expect(parseWhen('9:05', NOW)).toBe(local(2026, 3, 14, 9, 5));
    expect(parseWhen('00:00', NOW)).toBe(local(2026, 3, 14, 0, 0));
  });

  it('reads a time later than now as yesterday', () => {
    expect(parseWhen('16:30', NOW)).toBe(local(2026, 3, 13, 16, 30));
    expect(parseWhen('23:59:59', NOW)).toBe(local(2026, 3, 13, 23, 59, 59));
  });

  it('reads 23:50 typed just after midnight as last night, across a month end', () => {
    expect(parseWhen('23:50', local(2026, 3, 1, 0, 5))).toBe(local(2026, 2, 28, 23, 50));
  });

  it('allows a minute of slack before calling a time yesterday', () => {
    expect(parseWhen('15:00:45', NOW)).toBe(local(2026, 3, 14, 15, 0, 45));
    expect(parseWhen('15:01', NOW)).toBe(local(2026, 3, 14, 15, 1));
    expect(parseWhen('15:01:01', NOW)).toBe(local(2026, 3, 13, 15, 1, 1));
  });

  it('means yesterday by the calendar, also across a daylight-saving change', () => {
    // Mornings after each change of the local zone's UTC offset in 2026 (none in UTC),
    // plus an ordinary day so that the test always checks something.
    const mornings: [number, number, number][] = [[2026, 3, 14]];
    for (let day = 1; day <= 366; day++) {
      const before = new Date(2026, 0, day - 1, 12).getTimezoneOffset();
      const noon = new Date(2026, 0, day, 12);
      if (noon.getTimezoneOffset() !== before) {
        mornings.push([noon.getFullYear(), noon.getMonth() + 1, noon.getDate()]);
      }
    }
    for (const [y, mo, d] of mornings) {
      const now = local(y, mo, d, 12, 0);
      expect(parseWhen('14:02', now)).toBe(local(y, mo, d - 1, 14, 2));
    }
  });

  it('always answers the latest such local time that is not in the future', () => {
    fc.assert(
      fc.property(
        instants,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        (now, h, mi, s) => {
          const text = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
          const date = new Date(now);
          const at = (daysBack: number) =>
            new Date(
              date.getFullYear(),
              date.getMonth(),
              date.getDate() - daysBack,
              h,
              mi,
              s,
            ).getTime();
          const expected = at(0) > now + MINUTE ? at(1) : at(0);
          expect(parseWhen(text, epochMs(now))).toBe(expected);
        },
      ),
    );
  });

  it.each(['24:00', '12:60', '12:30:60', '1:2', '123:00', '12:3o'])('refuses %j', (input) => {
    expect(() => parseWhen(input, NOW)).toThrow(
      `cannot read the time "${input}"; use 14:02, "2026-03-14 14:02", an ISO time or "15m ago"`,
    );
  });
});

describe('parseWhen: dates', () => {
  it('reads a local date and time', () => {
    expect(parseWhen('2026-03-14 09:15', NOW)).toBe(local(2026, 3, 14, 9, 15));
    expect(parseWhen('2026-03-13 23:59:30', NOW)).toBe(local(2026, 3, 13, 23, 59, 30));
    expect(parseWhen('2026-03-14T09:15:30.250', NOW)).toBe(local(2026, 3, 14, 9, 15, 30, 250));
    expect(parseWhen('2025-12-31 7:00', NOW)).toBe(local(2025, 12, 31, 7, 0));
  });

  it('reads ISO 8601 times in UTC and with offsets', () => {
    // The day before NOW's local date is in the past in every zone.
    expect(parseWhen('2026-03-13T09:15:00Z', NOW)).toBe(Date.UTC(2026, 2, 13, 9, 15));
    expect(parseWhen('2026-03-13T09:15Z', NOW)).toBe(Date.UTC(2026, 2, 13, 9, 15));
    expect(parseWhen('2026-03-13T09:15:00.123Z', NOW)).toBe(Date.UTC(2026, 2, 13, 9, 15, 0, 123));
    expect(parseWhen('2026-03-13T10:15:00+01:00', NOW)).toBe(Date.UTC(2026, 2, 13, 9, 15));
    expect(parseWhen('2026-03-13T10:15+0100', NOW)).toBe(Date.UTC(2026, 2, 13, 9, 15));
    expect(parseWhen('2026-03-13T03:45:00-05:30', NOW)).toBe(Date.UTC(2026, 2, 13, 9, 15));
  });

  it('reads back any past instant written by toISOString, to the millisecond', () => {
    fc.assert(
      fc.property(instants, fc.nat({ max: 10 * 365 * DAY }), (t, ahead) => {
        const now = epochMs(Math.min(t + ahead, Date.UTC(2100, 0, 1)));
        expect(parseWhen(new Date(t).toISOString(), now)).toBe(t);
      }),
    );
  });

  it.each([
    '2026-02-30 10:00',
    '2026-13-01 10:00',
    '2026-03-14 10:75',
    '2026-03-14 24:00',
    '2026-03-14 10:15:61',
    '2026-02-30T10:00:00Z',
    '2026-04-31T10:00+02:00',
    '2026-03-14T25:00Z',
    '14/03/2026 10:00',
    '2026-03-14',
  ])('refuses the date %j', (input) => {
    expect(() => parseWhen(input, NOW)).toThrow(`cannot read the time "${input}"`);
  });
});

describe('parseWhen: refusals', () => {
  it.each(['', '   ', 'yesterday', 'soon', '14h', 'ago', '-'])('refuses %j', (input) => {
    const error = (() => {
      try {
        parseWhen(input, NOW);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('invalid');
    expect((error as UserError).message).toBe(
      `cannot read the time "${input}"; use 14:02, "2026-03-14 14:02", an ISO time or "15m ago"`,
    );
  });

  it('refuses times in the future, beyond a minute of slack', () => {
    const future = new Date(NOW + 5 * MINUTE).toISOString();
    expect(() => parseWhen(future, NOW)).toThrow(
      `the time "${future}" is in the future; log what happened with its past time, e.g. --at 14:02`,
    );
    expect(() => parseWhen('2026-03-15 09:00', NOW)).toThrow(UserError);
    expect(parseWhen(new Date(NOW + 59 * SECOND).toISOString(), NOW)).toBe(NOW + 59 * SECOND);
  });

  it('refuses any instant more than a minute after now', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: MINUTE + 1, max: 1000 * DAY }), (now, ahead) => {
        expect(() => parseWhen(new Date(now + ahead).toISOString(), epochMs(now))).toThrow(
          /is in the future/,
        );
      }),
    );
  });
});

describe('parseDuration', () => {
  it.each<[string | number, number]>([
    ['30m', 30 * MINUTE],
    ['1h', HOUR],
    ['90s', 90 * SECOND],
    ['1h30m', 90 * MINUTE],
    ['1h 30m', 90 * MINUTE],
    ['  2H ', 2 * HOUR],
    ['45', 45 * MINUTE],
    [45, 45 * MINUTE],
    [0.5, 30 * SECOND],
    ['30 minutes', 30 * MINUTE],
    ['1 minute', MINUTE],
    ['15min', 15 * MINUTE],
    ['1hr', HOUR],
    ['2 hours', 2 * HOUR],
    ['1 hour 15 min', 75 * MINUTE],
    ['45 sec', 45 * SECOND],
    ['10 seconds', 10 * SECOND],
  ])('reads %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each<string | number>([
    '',
    'soon',
    '0',
    '0m',
    0,
    -5,
    '-5m',
    '5d',
    '1h30',
    '30m!',
    '5ms',
    'm30',
    Number.NaN,
  ])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('reads "<n>m" as n minutes and "<n>h<m>m" as their sum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.nat({ max: 59 }), (n, m) => {
        expect(parseDuration(`${n}m`)).toBe(n * MINUTE);
        expect(parseDuration(n)).toBe(n * MINUTE);
        expect(parseDuration(`${n}h${m}m`)).toBe(n * HOUR + m * MINUTE);
      }),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [59_999, '59s'],
    [MINUTE, '1m'],
    [42 * MINUTE + 30 * SECOND, '42m'],
    [HOUR, '1h'],
    [HOUR + 5 * MINUTE, '1h 5m'],
    [DAY, '1d'],
    [DAY + 3 * HOUR + 5 * MINUTE, '1d 3h'],
    [3 * DAY + 20 * MINUTE, '3d'],
    [-90 * SECOND, '1m'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('never throws and never answers an empty string', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (ms) => {
        expect(formatDuration(ms).length).toBeGreaterThan(0);
      }),
    );
  });

  it('reads back what it writes for anything under a day, to the minute', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 * 60 - 1 }), (minutes) => {
        expect(parseDuration(formatDuration(minutes * MINUTE))).toBe(minutes * MINUTE);
      }),
    );
  });

  it('reads back what it writes for anything under a minute, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 59 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds * SECOND))).toBe(seconds * SECOND);
      }),
    );
  });
});
