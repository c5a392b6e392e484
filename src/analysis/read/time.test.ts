import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clock, daysFromCivil, epochFromNumber, parseStamp, stampOut, Zone } from './time.js';

const REFERENCE = Date.UTC(2026, 5, 1);
const utc = new Clock(new Zone('UTC'), REFERENCE);
const at = (iso: string) => Date.parse(iso);

/** Wall-clock time (read as UTC) of an instant in a zone, by Intl, for checking. */
function wallOf(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) +
    (instant % 1000)
  );
}

describe('parseStamp', () => {
  const cases: [string, string, number][] = [
    // ISO 8601 with and without zone, fraction, separators
    ['2026-03-14T09:15:02Z', '2026-03-14T09:15:02.000Z', 20],
    ['2026-03-14T09:15:02.123Z rest', '2026-03-14T09:15:02.123Z', 24],
    ['2026-03-14T09:15:02.123456789Z', '2026-03-14T09:15:02.123Z', 30],
    ['2026-03-14T09:15:02.5+01:00', '2026-03-14T08:15:02.500Z', 27],
    ['2026-03-14T09:15:02+0100', '2026-03-14T08:15:02.000Z', 24],
    ['2026-03-14T09:15:02-05', '2026-03-14T14:15:02.000Z', 22],
    ['2026-03-14T09:15:02+05:45', '2026-03-14T03:30:02.000Z', 25],
    ['2026-03-14 09:15:02,123 INFO', '2026-03-14T09:15:02.123Z', 23],
    ['2026-03-14 09:15:02 +0200 x', '2026-03-14T07:15:02.000Z', 25],
    ['2026-03-14 09:15:02 UTC', '2026-03-14T09:15:02.000Z', 23],
    ['2026-03-14 09:15:02 - x', '2026-03-14T09:15:02.000Z', 19],
    ['2026/03/14 09:15:02 msg', '2026-03-14T09:15:02.000Z', 19],
    ['2026-03-14T09:15 x', '2026-03-14T09:15:00.000Z', 16],
    // syslog, no year: from the reference time
    ['Mar 14 09:15:02 host', '2026-03-14T09:15:02.000Z', 15],
    ['Mar  4 09:15:02 host', '2026-03-04T09:15:02.000Z', 15],
    ['mar 4 09:15:02.250 x', '2026-03-04T09:15:02.250Z', 18],
    ['Mar 14 2026 09:15:02 x', '2026-03-14T09:15:02.000Z', 20],
    // common log format
    ['14/Mar/2026:09:15:02 +0000]', '2026-03-14T09:15:02.000Z', 26],
    ['14/Mar/2026:09:15:02 -0700', '2026-03-14T16:15:02.000Z', 26],
    ['14/Mar/2026:09:15:02.123 +0000', '2026-03-14T09:15:02.123Z', 30],
    // day first, RFC 2822, ctime
    ['14-Mar-2026 09:15:02.123 INFO', '2026-03-14T09:15:02.123Z', 24],
    ['14 Mar 2026 09:15:02 GMT', '2026-03-14T09:15:02.000Z', 24],
    ['Sat, 14 Mar 2026 09:15:02 +0100', '2026-03-14T08:15:02.000Z', 31],
    ['Sat Mar 14 09:15:02 2026 x', '2026-03-14T09:15:02.000Z', 24],
    ['Sat Mar 14 09:15:02 UTC 2026', '2026-03-14T09:15:02.000Z', 28],
    ['Sat Mar 14 09:15:02.123456 2026', '2026-03-14T09:15:02.123Z', 31],
    // epoch seconds, millis, micros, nanos
    ['1773479702 x', '2026-03-14T09:15:02.000Z', 10],
    ['1773479702.123 x', '2026-03-14T09:15:02.123Z', 14],
    ['1773479702123', '2026-03-14T09:15:02.123Z', 13],
    ['1773479702123456', '2026-03-14T09:15:02.123Z', 16],
    ['1773479702123456789 x', '2026-03-14T09:15:02.123Z', 19],
    // bracketed
    ['[2026-03-14 09:15:02] x', '2026-03-14T09:15:02.000Z', 21],
    ['[14/Mar/2026:09:15:02 +0000] x', '2026-03-14T09:15:02.000Z', 28],
    ['[1773479702] x', '2026-03-14T09:15:02.000Z', 12],
  ];
  for (const [text, iso, end] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => {
      expect(new Date(parseStamp(text, 0, utc)).toISOString()).toBe(iso);
      expect(stampOut.end).toBe(end);
    });
  }

  it('reads a stamp in the middle of a line', () => {
    expect(parseStamp('x [14/Mar/2026:09:15:02 +0000]', 2, utc)).toBe(at('2026-03-14T09:15:02Z'));
  });

  it('refuses what is not a stamp', () => {
    for (const text of [
      '',
      'hello',
      'Mar',
      '2026-13-01T00:00:00',
      '2026-03-14',
      '2026-03-14T25:00:00',
      '2026-03-14T09:61:00',
      '12345',
      '17734797021',
      '1773479702x',
      '10.0.0.1 - -',
      'Mar 32 09:15:02',
      'March 14 09:15:02',
      '14/Foo/2026:09:15:02 +0000',
      '[2026-03-14 09:15:02',
      'Saturday',
    ]) {
      expect(parseStamp(text, 0, utc), text).toBeNaN();
    }
  });

  it('reads stamps without a zone in the clock zone', () => {
    const berlin = new Clock(new Zone('Europe/Berlin'), REFERENCE);
    expect(parseStamp('2026-01-14 09:15:02', 0, berlin)).toBe(at('2026-01-14T08:15:02Z'));
    expect(parseStamp('2026-07-14 09:15:02', 0, berlin)).toBe(at('2026-07-14T07:15:02Z'));
    expect(parseStamp('May 14 09:15:02', 0, berlin)).toBe(at('2026-05-14T07:15:02Z'));
    // an explicit zone wins
    expect(parseStamp('2026-07-14 09:15:02Z', 0, berlin)).toBe(at('2026-07-14T09:15:02Z'));
    expect(parseStamp('1773479702', 0, berlin)).toBe(at('2026-03-14T09:15:02Z'));
  });

  it('infers a missing year from the reference time', () => {
    const january = new Clock(new Zone('UTC'), Date.UTC(2027, 0, 10));
    expect(parseStamp('Dec 31 23:59:59', 0, january)).toBe(at('2026-12-31T23:59:59Z'));
    expect(parseStamp('Jan  9 08:00:00', 0, january)).toBe(at('2027-01-09T08:00:00Z'));
    expect(parseStamp('Feb  5 08:00:00', 0, january)).toBe(at('2027-02-05T08:00:00Z'));
    expect(parseStamp('Feb 20 08:00:00', 0, january)).toBe(at('2026-02-20T08:00:00Z'));
  });
});

describe('Zone', () => {
  it('knows fixed offsets and UTC without Intl', () => {
    expect(new Zone('UTC').toEpoch(0)).toBe(0);
    expect(new Zone('Etc/UTC').offsetAt(0)).toBe(0);
    expect(new Zone('+05:30').toEpoch(5.5 * 3_600_000)).toBe(0);
    expect(new Zone('-0800').offsetAt(0)).toBe(-8 * 3_600_000);
  });

  it('refuses an unknown zone', () => {
    expect(() => new Zone('Europe/Atlantis')).toThrow(/unknown time zone "Europe\/Atlantis"/);
    expect(() => new Zone('+25:00')).toThrow(RangeError);
  });

  it('moves a time in the spring-forward gap ahead, and takes the later of a fall-back repeat', () => {
    const berlin = new Zone('Europe/Berlin');
    // 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist
    expect(berlin.toEpoch(at('2026-03-29T02:30:00Z'))).toBe(at('2026-03-29T01:30:00Z'));
    expect(berlin.toEpoch(at('2026-03-29T01:59:00Z'))).toBe(at('2026-03-29T00:59:00Z'));
    expect(berlin.toEpoch(at('2026-03-29T03:00:00Z'))).toBe(at('2026-03-29T01:00:00Z'));
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice
    expect(berlin.toEpoch(at('2026-10-25T02:30:00Z'))).toBe(at('2026-10-25T01:30:00Z'));
    expect(berlin.toEpoch(at('2026-10-25T01:30:00Z'))).toBe(at('2026-10-24T23:30:00Z'));
  });

  for (const name of [
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
  ]) {
    it(`turns wall-clock times in ${name} back into the instants they name`, () => {
      const zone = new Zone(name);
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2037, 0, 1) }), (t) => {
          const wall = wallOf(name, t);
          const epoch = zone.toEpoch(wall);
          // the same instant, or (in a fall-back repeat) one with the same wall-clock time
          expect(wallOf(name, epoch)).toBe(wall);
          if (epoch !== t) expect(Math.abs(epoch - t)).toBeLessThanOrEqual(3_600_000);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('numbers', () => {
  it('counts days like Date.UTC, across eras', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (y, m, d) => {
          const date = new Date(0);
          date.setUTCFullYear(y, m - 1, d);
          expect(daysFromCivil(y, m, d) * 86_400_000).toBe(date.getTime());
        },
      ),
    );
  });

  it('reads an epoch number in any unit by its size', () => {
    const t = at('2026-03-14T09:15:02.123Z');
    expect(epochFromNumber(1773479702.123)).toBe(t);
    expect(epochFromNumber(1773479702123)).toBe(t);
    expect(epochFromNumber(1773479702123456)).toBe(t);
    expect(epochFromNumber(1773479702123456800)).toBe(t);
    expect(epochFromNumber(0)).toBeNaN();
    expect(epochFromNumber(-5)).toBeNaN();
    expect(epochFromNumber(Number.POSITIVE_INFINITY)).toBeNaN();
    // past what a Date holds (year 275760): no date, whatever its unit
    expect(epochFromNumber(8.64e21)).toBe(8.64e15);
    expect(epochFromNumber(8.64e21 + 2e6)).toBeNaN();
    expect(epochFromNumber(1.2345678901234568e29)).toBeNaN();
  });
});
