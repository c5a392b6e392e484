/*
 * nginx/Apache access logs, scanned by hand:
 *
 *   common:    host ident user [time] "request" status bytes
 *   combined:  common "referer" "user-agent"
 *   vhost:     vhost:port common... (Apache vhost_combined)
 *
 * followed by optional extra fields. The first bare number among them is the
 * request time: with a decimal point it is seconds (nginx $request_time,
 * "0.123"), without one microseconds (Apache %D). `rt=0.123` /
 * `request_time=0.123` pairs are seconds too. Quoted extras are skipped.
 */
import type { Draft } from './fields.js';
import { isMethod, splitTarget, targetOut } from './http.js';
import { type Clock, clfAt, stampOut } from './time.js';

/**
 * Index of the quote closing a string opened before i, or -1. A quote after
 * an odd number of backslashes is escaped. `backslash` is the first
 * backslash at or after i (or -1): without one, indexOf alone decides.
 */
function closingQuote(s: string, i: number, backslash: number): number {
  let q = s.indexOf('"', i);
  if (backslash === -1 || backslash > q) return q;
  while (q !== -1) {
    let k = q - 1;
    while (k >= i && s.charCodeAt(k) === 92) k--;
    if ((q - 1 - k) % 2 === 0) return q;
    q = s.indexOf('"', q + 1);
  }
  return -1;
}

/** `\"` -> `"`, `\\` -> `\`; other escapes (`\x22`) are kept as written. */
function unescapeQuotes(s: string): string {
  if (s.indexOf('\\') === -1) return s;
  let out = '';
  let from = 0;
  for (let k = 0; k < s.length; k++) {
    if (s.charCodeAt(k) !== 92) continue;
    const next = s.charCodeAt(k + 1);
    if (next === 34 || next === 92) {
      out += s.slice(from, k);
      from = k + 1;
      k++;
    }
  }
  return out + s.slice(from);
}

function isRequestTimeKey(s: string, i: number, j: number): boolean {
  const n = j - i;
  if (n === 2) return s.charCodeAt(i) === 114 && s.charCodeAt(i + 1) === 116; // rt
  return n === 12 && s.startsWith('request_time', i);
}

let lastStamp = '\u0000';
let lastTime = 0;
let lastClock: Clock | undefined;

/**
 * Whether s has lastStamp at i. Compared by hand from the end, where the
 * seconds are: String.prototype.startsWith is a call into the runtime that
 * cost a quarter of this parser's time.
 */
function sameStampAt(s: string, i: number): boolean {
  const stamp = lastStamp;
  for (let k = stamp.length - 1; k >= 0; k--)
    if (s.charCodeAt(i + k) !== stamp.charCodeAt(k)) return false;
  return true;
}

/** Powers of ten for a request time's fraction (`**` is a slow call). */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** The method of a request line from its first letters, without a copy for the common ones. */
function methodOf(s: string, i: number, end: number): string | undefined {
  const n = end - i;
  const c = s.charCodeAt(i);
  if (n === 3 && c === 71 && s.charCodeAt(i + 1) === 69 && s.charCodeAt(i + 2) === 84) return 'GET';
  if (n === 4 && c === 80 && s.startsWith('POST', i)) return 'POST';
  if (n === 4 && c === 72 && s.startsWith('HEAD', i)) return 'HEAD';
  if (n === 3 && c === 80 && s.startsWith('PUT', i)) return 'PUT';
  if (n === 0) return undefined;
  const m = s.slice(i, end);
  return isMethod(m) ? m : undefined;
}

export function parseAccess(s: string, d: Draft): boolean {
  const n = s.length;
  let i = 0;
  let tokens = 0;
  while (s.charCodeAt(i) !== 91) {
    const sp = s.indexOf(' ', i);
    if (sp <= i || ++tokens > 5) return false;
    i = sp + 1;
  }
  if (tokens < 2) return false;
  // Lines come many to a second: the stamp is read once per second of log.
  let time: number;
  if (lastClock === d.clock && sameStampAt(s, i + 1)) {
    time = lastTime;
    i += 1 + lastStamp.length;
  } else {
    time = clfAt(s, i + 1, d.clock);
    if (Number.isNaN(time)) return false;
    lastStamp = s.slice(i + 1, stampOut.end);
    lastTime = time;
    lastClock = d.clock;
    i = stampOut.end;
  }
  if (s.charCodeAt(i) !== 93 || s.charCodeAt(i + 1) !== 32 || s.charCodeAt(i + 2) !== 34) {
    return false;
  }
  i += 3;
  const requestStart = i;
  const backslash = s.indexOf('\\', i);
  const requestEnd = closingQuote(s, i, backslash);
  if (requestEnd < 0) return false;
  const escaped = backslash !== -1 && backslash < requestEnd;
  let sp1 = s.indexOf(' ', i);
  if (sp1 > requestEnd) sp1 = -1;
  let sp2 = sp1 < 0 ? -1 : s.indexOf(' ', sp1 + 1);
  if (sp2 > requestEnd) sp2 = -1;
  i = requestEnd;
  if (s.charCodeAt(i + 1) !== 32) return false;
  const a = s.charCodeAt(i + 2) - 48;
  const b = s.charCodeAt(i + 3) - 48;
  const e = s.charCodeAt(i + 4) - 48;
  if (!(a >= 1 && a <= 9 && b >= 0 && b <= 9 && e >= 0 && e <= 9)) return false;
  const status = a * 100 + b * 10 + e;
  i += 5;
  let c = s.charCodeAt(i);
  if (!Number.isNaN(c) && c !== 32) return false;
  if (c === 32) {
    // bytes sent: digits or "-"
    const start = ++i;
    c = s.charCodeAt(i);
    while ((c >= 48 && c <= 57) || c === 45) c = s.charCodeAt(++i);
    if (i === start || (!Number.isNaN(c) && c !== 32)) return false;
  }
  let userAgent: string | undefined;
  if (c === 32 && s.charCodeAt(i + 1) === 34) {
    // "referer" "user-agent"
    const refererEnd = closingQuote(s, i + 2, backslash);
    if (refererEnd < 0) return false;
    i = refererEnd + 1;
    if (s.charCodeAt(i) === 32 && s.charCodeAt(i + 1) === 34) {
      const uaEnd = closingQuote(s, i + 2, backslash);
      if (uaEnd < 0) return false;
      if (uaEnd > i + 2 && !(uaEnd === i + 3 && s.charCodeAt(i + 2) === 45)) {
        userAgent = s.slice(i + 2, uaEnd);
        if (backslash !== -1 && backslash < uaEnd) userAgent = unescapeQuotes(userAgent);
      }
      i = uaEnd + 1;
    }
  }
  let duration = -1;
  while (i < n) {
    c = s.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 34) {
      const end = closingQuote(s, i + 1, backslash);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    // a bare token: a number ("0.123" seconds, "1234" microseconds) or key=value
    const start = i;
    let eq = -1;
    let mantissa = 0;
    let digits = 0;
    let fraction = -1;
    let numeric = true;
    while (i < n && c !== 32 && c !== 9) {
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        if (fraction >= 0) fraction++;
      } else if (c === 46 && fraction < 0) {
        fraction = 0;
      } else {
        if (c === 61 && eq < 0) eq = i;
        numeric = false;
      }
      c = s.charCodeAt(++i);
    }
    if (numeric && digits > 0 && digits <= 15 && fraction !== 0) {
      // seconds with a fraction, else whole microseconds; kept to the microsecond
      duration =
        fraction > 0
          ? (mantissa * 1000) / (POW10[fraction] as number)
          : Math.round(mantissa) / 1000;
      duration = Math.round(duration * 1000) / 1000;
    } else if (eq > 0 && isRequestTimeKey(s, start, eq)) {
      const v = Number(s.slice(eq + 1, i));
      if (v >= 0) duration = Math.round(v * 1e6) / 1000;
    }
    if (duration >= 0) break;
  }

  d.time = time;
  d.timeRank = 0;
  d.status = status;
  d.userAgent = userAgent;
  if (duration >= 0) d.durationMs = duration;
  const method = sp1 > requestStart ? methodOf(s, requestStart, sp1) : undefined;
  if (method !== undefined) {
    d.method = method;
    let target = s.slice(sp1 + 1, sp2 > 0 ? sp2 : requestEnd);
    if (escaped) target = unescapeQuotes(target);
    splitTarget(target);
    const path = targetOut.path;
    d.path = path;
    d.query = targetOut.query;
    d.message = `${method} ${path} ${status}`;
    d.fromRequest = true;
  } else {
    // "-", a bare garbage request or a TLS handshake sent to a plain port
    let request = s.slice(requestStart, requestEnd);
    if (escaped) request = unescapeQuotes(request);
    d.message = `${request === '' ? '-' : request} ${status}`;
  }
  return true;
}
