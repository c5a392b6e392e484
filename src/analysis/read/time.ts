/*
 * Timestamps in log lines, read by hand (char codes, no regexes, no Date
 * parsing): this runs once per line, millions of times.
 *
 * A stamp without a zone is wall-clock time in the reader's default zone
 * (UTC unless told otherwise); the zone's offset comes from
 * Intl.DateTimeFormat, cached per quarter hour (every real offset change falls
 * on a quarter hour in UTC). A stamp without a year (syslog's `Mar 14
 * 09:15:02`) takes the reference time's year, or the year before when that
 * would put it more than 30 days after the reference.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const QUARTER_HOUR = 900_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (any year, month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** "+02:00", "-0530", "+05", "UTC", "Z", "GMT": the offset in ms, else NaN. */
function fixedOffset(name: string): number {
  const upper = name.toUpperCase();
  if (upper === 'UTC' || upper === 'Z' || upper === 'GMT' || upper === 'ETC/UTC') return 0;
  if (upper === 'ETC/GMT' || upper === 'UNIVERSAL' || upper === 'ZULU') return 0;
  const sign = name.charCodeAt(0);
  if (sign !== 43 && sign !== 45) return Number.NaN;
  const off = offsetMinutes(name, 1, true);
  if (Number.isNaN(off) || zoneEnd !== name.length) return Number.NaN;
  return (sign === 45 ? -off : off) * MINUTE;
}

/** A time zone: converts wall-clock times in it to epoch milliseconds. */
export class Zone {
  readonly name: string;
  private readonly fixed: number;
  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly cache = new Map<number, number>();
  private lastKey = Number.NaN;
  private lastOffset = 0;

  /** Throws a RangeError for a name that is neither an IANA zone nor a fixed offset. */
  constructor(name: string) {
    this.name = name;
    const fixed = fixedOffset(name);
    if (!Number.isNaN(fixed)) {
      this.fixed = fixed;
      this.format = undefined;
      return;
    }
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${name}": use an IANA name such as Europe/Berlin`);
    }
    const resolved = format.resolvedOptions().timeZone;
    if (resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'Etc/GMT') {
      this.fixed = 0;
      this.format = undefined;
    } else {
      this.fixed = Number.NaN;
      this.format = format;
    }
  }

  /** The zone's offset from UTC, in ms, at an instant. */
  offsetAt(instant: number): number {
    if (!Number.isNaN(this.fixed)) return this.fixed;
    const key = Math.floor(instant / QUARTER_HOUR);
    if (key === this.lastKey) return this.lastOffset;
    let offset = this.cache.get(key);
    if (offset === undefined) {
      offset = this.compute(key * QUARTER_HOUR);
      if (this.cache.size >= 65_536) this.cache.clear();
      this.cache.set(key, offset);
    }
    this.lastKey = key;
    this.lastOffset = offset;
    return offset;
  }

  /**
   * Epoch ms of a wall-clock time in this zone (`wall` is that wall-clock
   * time read as if it were UTC). In a gap (spring forward) the time is
   * moved forward by the gap; in an overlap (fall back) the later one wins.
   */
  toEpoch(wall: number): number {
    if (!Number.isNaN(this.fixed)) return wall - this.fixed;
    const first = this.offsetAt(wall);
    const guess = wall - first;
    const second = this.offsetAt(guess);
    return second === first ? guess : wall - second;
  }

  private compute(instant: number): number {
    const format = this.format;
    if (format === undefined || !(Math.abs(instant) < 8.64e15)) return 0;
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of format.formatToParts(instant)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value) % 24;
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    if (!(year > 0 && month > 0 && day > 0)) return 0;
    const wall =
      daysFromCivil(year, month, day) * DAY + ((hour * 60 + minute) * 60 + second) * 1000;
    return wall - instant;
  }
}

/** The zone and reference time the stamps of one source are read against. */
export class Clock {
  readonly zone: Zone;
  readonly reference: number;
  readonly referenceYear: number;

  constructor(zone: Zone, reference: number) {
    this.zone = zone;
    this.reference = reference;
    this.referenceYear = new Date(reference).getUTCFullYear();
  }

  /** Wall time (as if UTC) of a stamp without a year. */
  wallWithoutYear(month: number, day: number, msOfDay: number): number {
    const wall = daysFromCivil(this.referenceYear, month, day) * DAY + msOfDay;
    if (wall - this.reference <= 30 * DAY) return wall;
    return daysFromCivil(this.referenceYear - 1, month, day) * DAY + msOfDay;
  }
}

/** Where the last successful stamp read ended (index just past it). */
export const stampOut = { end: 0 };

/** Where the last offsetMinutes() read ended. */
let zoneEnd = 0;

const isDigit = (c: number) => c >= 48 && c <= 57;

function num2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

function num4(s: string, i: number): number {
  const a = num2(s, i);
  const b = num2(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** Three letters naming a month (any case), followed by a non-letter: 1-12, else 0. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  const after = s.charCodeAt(i + 3) | 32;
  if (after >= 97 && after <= 122) return 0;
  switch (a) {
    case 106: // j
      if (b === 97 && c === 110) return 1;
      if (b === 117 && c === 110) return 6;
      if (b === 117 && c === 108) return 7;
      return 0;
    case 102: // f
      return b === 101 && c === 98 ? 2 : 0;
    case 109: // m
      if (b === 97 && c === 114) return 3;
      if (b === 97 && c === 121) return 5;
      return 0;
    case 97: // a
      if (b === 112 && c === 114) return 4;
      if (b === 117 && c === 103) return 8;
      return 0;
    case 115: // s
      return b === 101 && c === 112 ? 9 : 0;
    case 111: // o
      return b === 99 && c === 116 ? 10 : 0;
    case 110: // n
      return b === 111 && c === 118 ? 11 : 0;
    case 100: // d
      return b === 101 && c === 99 ? 12 : 0;
    default:
      return 0;
  }
}

/** Three letters naming a weekday (any case). */
function isWeekdayAt(s: string, i: number): boolean {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  switch (a) {
    case 109:
      return b === 111 && c === 110; // mon
    case 116:
      return (b === 117 && c === 101) || (b === 104 && c === 117); // tue thu
    case 119:
      return b === 101 && c === 100; // wed
    case 102:
      return b === 114 && c === 105; // fri
    case 115:
      return b === 97 ? c === 116 : b === 117 && c === 110; // sat sun
    default:
      return false;
  }
}

/**
 * "HH:MM", "HHMM" (or, when `loose`, "HH" alone) after a sign at i: minutes
 * (zoneEnd set), else NaN.
 */
function offsetMinutes(s: string, i: number, loose: boolean): number {
  const h = num2(s, i);
  if (h < 0 || h > 18) return Number.NaN;
  let j = i + 2;
  let m = 0;
  if (s.charCodeAt(j) === 58) {
    m = num2(s, j + 1);
    if (m < 0) return Number.NaN;
    j += 3;
  } else if (isDigit(s.charCodeAt(j))) {
    m = num2(s, j);
    if (m < 0) return Number.NaN;
    j += 2;
  } else if (!loose) {
    return Number.NaN;
  }
  if (m > 59 || isDigit(s.charCodeAt(j))) return Number.NaN;
  zoneEnd = j;
  return h * 60 + m;
}

const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;

/**
 * A zone designator right after a time at j: "Z", "+01:00", "-0500", "+01",
 * " UTC", " GMT", " +0000". Returns the offset in minutes (zoneEnd set), or
 * NaN when there is none (zoneEnd = j).
 */
function zoneAt(s: string, j: number): number {
  const c = s.charCodeAt(j);
  if (c === 90 || c === 122) {
    // Z
    if (!isLetter(s.charCodeAt(j + 1))) {
      zoneEnd = j + 1;
      return 0;
    }
  } else if (c === 43 || c === 45) {
    const off = offsetMinutes(s, j + 1, true);
    if (!Number.isNaN(off)) return c === 45 ? -off : off;
  } else if (c === 32) {
    const d = s.charCodeAt(j + 1);
    if (d === 43 || d === 45) {
      const off = offsetMinutes(s, j + 2, false);
      if (!Number.isNaN(off)) return d === 45 ? -off : off;
    } else if (
      ((d === 85 && s.charCodeAt(j + 2) === 84 && s.charCodeAt(j + 3) === 67) ||
        (d === 71 && s.charCodeAt(j + 2) === 77 && s.charCodeAt(j + 3) === 84)) &&
      !isLetter(s.charCodeAt(j + 4))
    ) {
      // " UTC" / " GMT", optionally followed by an offset ("GMT+0100")
      const e = s.charCodeAt(j + 4);
      if (e === 43 || e === 45) {
        const off = offsetMinutes(s, j + 5, true);
        if (!Number.isNaN(off)) return e === 45 ? -off : off;
      }
      zoneEnd = j + 4;
      return 0;
    } else if (d === 90 && !isLetter(s.charCodeAt(j + 2))) {
      zoneEnd = j + 2;
      return 0;
    }
  }
  zoneEnd = j;
  return Number.NaN;
}

/** HH:MM[:SS][.fff] at j: ms of day (stampOut.end set), else NaN. */
function clockAt(s: string, j: number): number {
  const h = num2(s, j);
  if (h < 0 || h > 23 || s.charCodeAt(j + 2) !== 58) return Number.NaN;
  const mi = num2(s, j + 3);
  if (mi < 0 || mi > 59) return Number.NaN;
  j += 5;
  let sec = 0;
  if (s.charCodeAt(j) === 58) {
    sec = num2(s, j + 1);
    if (sec < 0 || sec > 60) return Number.NaN;
    if (sec === 60) sec = 59;
    j += 3;
  }
  let ms = 0;
  const f = s.charCodeAt(j);
  if ((f === 46 || f === 44) && isDigit(s.charCodeAt(j + 1))) {
    j++;
    let k = 0;
    let c = s.charCodeAt(j);
    while (c >= 48 && c <= 57) {
      if (k < 3) ms = ms * 10 + (c - 48);
      k++;
      c = s.charCodeAt(++j);
    }
    if (k === 1) ms *= 100;
    else if (k === 2) ms *= 10;
  }
  if (isDigit(s.charCodeAt(j))) return Number.NaN;
  stampOut.end = j;
  return ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

/** Applies an explicit zone found at stampOut.end, else the clock's zone. */
function finish(s: string, wall: number, clock: Clock): number {
  const off = zoneAt(s, stampOut.end);
  stampOut.end = zoneEnd;
  return !Number.isNaN(off) ? wall - off * MINUTE : clock.zone.toEpoch(wall);
}

/** ISO 8601 / "2026-03-14 09:15:02,123" / "2026/03/14 09:15:02" at i. */
function isoAt(s: string, i: number, clock: Clock): number {
  const y = num4(s, i);
  const sep = s.charCodeAt(i + 4);
  if (y < 0 || (sep !== 45 && sep !== 47 && sep !== 46)) return Number.NaN;
  const mo = num2(s, i + 5);
  const d = num2(s, i + 8);
  if (s.charCodeAt(i + 7) !== sep || mo < 1 || mo > 12 || d < 1 || d > 31) return Number.NaN;
  const t = s.charCodeAt(i + 10);
  if (t !== 84 && t !== 32 && t !== 116 && t !== 95) return Number.NaN;
  const tod = clockAt(s, i + 11);
  if (Number.isNaN(tod)) return Number.NaN;
  return finish(s, daysFromCivil(y, mo, d) * DAY + tod, clock);
}

/** Common log format "14/Mar/2026:09:15:02 +0000" at i. */
export function clfAt(s: string, i: number, clock: Clock): number {
  const d = num2(s, i);
  const mo = monthAt(s, i + 3);
  if (d < 1 || d > 31 || s.charCodeAt(i + 2) !== 47 || mo === 0 || s.charCodeAt(i + 6) !== 47) {
    return Number.NaN;
  }
  const y = num4(s, i + 7);
  if (y < 0 || s.charCodeAt(i + 11) !== 58) return Number.NaN;
  const tod = clockAt(s, i + 12);
  if (Number.isNaN(tod)) return Number.NaN;
  return finish(s, daysFromCivil(y, mo, d) * DAY + tod, clock);
}

/** "14 Mar 2026 09:15:02" / "14-Mar-2026 09:15:02.123" at i (day first). */
function dayFirstAt(s: string, i: number, clock: Clock): number {
  const d = num2(s, i);
  const sep = s.charCodeAt(i + 2);
  if (d < 1 || d > 31 || (sep !== 32 && sep !== 45)) return Number.NaN;
  const mo = monthAt(s, i + 3);
  if (mo === 0 || s.charCodeAt(i + 6) !== sep) return Number.NaN;
  const y = num4(s, i + 7);
  if (y < 0 || s.charCodeAt(i + 11) !== 32) return Number.NaN;
  const tod = clockAt(s, i + 12);
  if (Number.isNaN(tod)) return Number.NaN;
  return finish(s, daysFromCivil(y, mo, d) * DAY + tod, clock);
}

/**
 * "Mar 14 09:15:02" / "Mar  4 09:15:02.123" (syslog), optionally followed by a
 * year ("Mar 14 09:15:02 2026", ctime) or a zone then a year.
 */
function monthFirstAt(s: string, i: number, clock: Clock): number {
  const mo = monthAt(s, i);
  if (mo === 0 || s.charCodeAt(i + 3) !== 32) return Number.NaN;
  let j = i + 4;
  if (s.charCodeAt(j) === 32) j++;
  let d = s.charCodeAt(j) - 48;
  if (!(d >= 0 && d <= 9)) return Number.NaN;
  j++;
  const c = s.charCodeAt(j) - 48;
  if (c >= 0 && c <= 9) {
    d = d * 10 + c;
    j++;
  }
  if (d < 1 || d > 31 || s.charCodeAt(j) !== 32) return Number.NaN;
  let year = -1;
  // "Mar 14 2026 09:15:02"
  const maybeYear = num4(s, j + 1);
  if (maybeYear >= 0 && s.charCodeAt(j + 5) === 32) {
    year = maybeYear;
    j += 5;
  }
  const tod = clockAt(s, j + 1);
  if (Number.isNaN(tod)) return Number.NaN;
  let off = Number.NaN;
  if (year < 0) {
    // ctime: "... 09:15:02 2026" or "... 09:15:02 UTC 2026"
    let k = stampOut.end;
    const zoneOff = zoneAt(s, k);
    if (!Number.isNaN(zoneOff) && s.charCodeAt(k) === 32) {
      off = zoneOff;
      k = zoneEnd;
    }
    const y = s.charCodeAt(k) === 32 ? num4(s, k + 1) : -1;
    if (y >= 0 && !isDigit(s.charCodeAt(k + 5)) && !isLetter(s.charCodeAt(k + 5))) {
      year = y;
      stampOut.end = k + 5;
    } else {
      off = Number.NaN;
    }
  }
  if (year < 0) {
    const wall = clock.wallWithoutYear(mo, d, tod);
    return finish(s, wall, clock);
  }
  const wall = daysFromCivil(year, mo, d) * DAY + tod;
  if (!Number.isNaN(off)) return wall - off * MINUTE;
  return finish(s, wall, clock);
}

/** Epoch seconds (10 digits, optional fraction), millis (13), micros (16) or nanos (19). */
function epochAt(s: string, i: number): number {
  let j = i;
  let v = 0;
  let c = s.charCodeAt(j);
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = s.charCodeAt(++j);
  }
  let t: number;
  switch (j - i) {
    case 10: {
      t = v * 1000;
      if (c === 46 && isDigit(s.charCodeAt(j + 1))) {
        j++;
        let k = 0;
        let ms = 0;
        c = s.charCodeAt(j);
        while (c >= 48 && c <= 57) {
          if (k < 3) ms = ms * 10 + (c - 48);
          k++;
          c = s.charCodeAt(++j);
        }
        if (k === 1) ms *= 100;
        else if (k === 2) ms *= 10;
        t += ms;
      }
      break;
    }
    case 13:
      t = v;
      break;
    case 16:
      t = Math.floor(v / 1000);
      break;
    case 19:
      t = Math.floor(v / 1e6);
      break;
    default:
      return Number.NaN;
  }
  if (isLetter(c) || c === 46 || c === 95) return Number.NaN;
  stampOut.end = j;
  return t;
}

/**
 * A timestamp starting exactly at i, in any of the common forms (optionally in
 * square brackets): epoch ms, or NaN when there is none. stampOut.end is set
 * past it on success.
 */
export function parseStamp(s: string, i: number, clock: Clock): number {
  if (s.charCodeAt(i) === 91) {
    const t = stampAt(s, i + 1, clock);
    if (!Number.isNaN(t) && s.charCodeAt(stampOut.end) === 93) {
      stampOut.end++;
      return t;
    }
    return Number.NaN;
  }
  return stampAt(s, i, clock);
}

function stampAt(s: string, i: number, clock: Clock): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) {
    const c2 = s.charCodeAt(i + 2);
    if (isDigit(s.charCodeAt(i + 1))) {
      if (isDigit(c2) && isDigit(s.charCodeAt(i + 3))) {
        const sep = s.charCodeAt(i + 4);
        return sep === 45 || sep === 47 || sep === 46 ? isoAt(s, i, clock) : epochAt(s, i);
      }
      if (c2 === 47) return clfAt(s, i, clock);
      if (c2 === 32 || c2 === 45) return dayFirstAt(s, i, clock);
    }
    return Number.NaN;
  }
  if (!isLetter(c)) return Number.NaN;
  if (isWeekdayAt(s, i)) {
    let j = i + 3;
    if (s.charCodeAt(j) === 44) j++;
    if (s.charCodeAt(j) !== 32) return Number.NaN;
    j++;
    return isDigit(s.charCodeAt(j)) ? dayFirstAt(s, j, clock) : monthFirstAt(s, j, clock);
  }
  return monthFirstAt(s, i, clock);
}

/**
 * A whole-field time value (JSON/logfmt): any stamp form, or a plain epoch
 * number in seconds, millis, micros or nanos.
 */
export function parseTimeText(s: string, clock: Clock): number {
  const t = parseStamp(s, 0, clock);
  if (!Number.isNaN(t)) return t;
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(s);
    if (!Number.isNaN(n)) return epochFromNumber(n);
  }
  return Number.NaN;
}

/** The latest time a Date holds (year 275760): later "times" are no dates. */
const MAX_EPOCH_MS = 8.64e15;

/** A numeric epoch of unknown unit, judged by its size; NaN past what a Date holds. */
export function epochFromNumber(n: number): number {
  if (!(n > 0) || !Number.isFinite(n)) return Number.NaN;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.floor(n);
  if (n < 1e17) return Math.floor(n / 1e3);
  const ms = Math.floor(n / 1e6);
  return ms <= MAX_EPOCH_MS ? ms : Number.NaN;
}

/** The klog/glog header "I0314 09:15:02.123456" at i: epoch ms (the level letter is the caller's). */
export function klogAt(s: string, i: number, clock: Clock): number {
  const mo = num2(s, i + 1);
  const d = num2(s, i + 3);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || s.charCodeAt(i + 5) !== 32) return Number.NaN;
  const tod = clockAt(s, i + 6);
  if (Number.isNaN(tod)) return Number.NaN;
  return clock.zone.toEpoch(clock.wallWithoutYear(mo, d, tod));
}
