/*
 * JSON lines, and plain text lines that open with a timestamp:
 *
 *   2026-03-14T09:15:02.123Z ERROR [main] c.f.Checkout - payment failed
 *   2026-03-14 09:15:02,123 - app - WARNING - slow      (Python logging)
 *   [2026-03-14 09:15:02] production.ERROR: boom        (Laravel)
 *   INFO  [2026-03-14 09:15:02,123] c.f.App: up          (Dropwizard: level first)
 *   E0314 09:15:02.123456    12 server.go:42] boom       (klog/glog)
 *   E, [2026-03-14T09:15:02.123456 #42] ERROR -- : boom  (Ruby Logger)
 *   2026-03-14T09:15:02.1Z stdout F {"level":"info",...} (Kubernetes CRI: the payload is read too;
 *                                                         cri.ts reads such files, joining split lines)
 *   2026-03-14T09:15:02Z level=info msg="up" port=8080   (logfmt after the stamp)
 *
 * The level is the first word after the stamp when it is a level word, else
 * the first upper-case or bracketed level word among the next few.
 */
import type { Level } from '../event.js';
import { parseAccess } from './access.js';
import type { Draft } from './fields.js';
import { parseJson } from './json.js';
import { levelFromText, sniffLevel, sniffOut } from './level.js';
import { logfmt, logfmtOut, parseLogfmt, startsLogfmt } from './logfmt.js';
import { klogAt, parseStamp, stampOut } from './time.js';

function skipSpaces(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  return i;
}

/** Separators between the parts of a line header: "-", "--", "|", ":" (each followed by a space). */
function skipSeparators(s: string, i: number): number {
  for (;;) {
    i = skipSpaces(s, i);
    const c = s.charCodeAt(i);
    if (c === 45 || c === 124 || c === 58) {
      let j = i + 1;
      if (c === 45 && s.charCodeAt(j) === 45) j++;
      if (s.charCodeAt(j) === 32) {
        i = j + 1;
        continue;
      }
    }
    return i;
  }
}

/**
 * A level inside the first token at i: Apache's "[proxy:error]" (module and
 * level) or Laravel's "production.ERROR:" (environment and level).
 */
function embeddedLevel(s: string, i: number): Level | undefined {
  const c = s.charCodeAt(i);
  if (c === 91) {
    const close = s.indexOf(']', i);
    const colon = s.indexOf(':', i);
    if (colon > i && close > colon && close - i < 48 && s.indexOf(' ', i) > close) {
      return levelFromText(s.slice(colon + 1, close));
    }
    return undefined;
  }
  const sp = s.indexOf(' ', i);
  const end = sp === -1 ? s.length : sp;
  if (end - i > 48 || s.charCodeAt(end - 1) !== 58) return undefined;
  const dot = s.lastIndexOf('.', end);
  return dot > i ? sniffLevel(s, dot + 1, true) : undefined;
}

/** A strict level word among the three tokens after i. */
function laterLevel(s: string, i: number): Level | undefined {
  const embedded = embeddedLevel(s, i);
  if (embedded !== undefined) return embedded;
  for (let k = 0; k < 3; k++) {
    const sp = s.indexOf(' ', i);
    if (sp === -1 || sp - i > 64) return undefined;
    i = skipSeparators(s, sp);
    const level = sniffLevel(s, i, true);
    if (level !== undefined) return level;
  }
  return undefined;
}

/** At least two `key=value` tokens from i. */
function looksLogfmt(s: string, i: number): boolean {
  if (!startsLogfmt(s, i)) return false;
  let quoted = false;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34) quoted = !quoted;
    else if (c === 92) j++;
    else if (c === 32 && !quoted && startsLogfmt(s, j + 1)) return true;
  }
  return false;
}

const KLOG_LEVELS: Record<number, Level> = { 73: 'info', 87: 'warn', 69: 'error', 70: 'fatal' };

/** The header of a line: its time, and its level when it comes first; NaN when none. */
let headLevel: Level | undefined;
function header(s: string, i: number, d: Draft): number {
  headLevel = undefined;
  const clock = d.clock;
  const t = parseStamp(s, i, clock);
  if (!Number.isNaN(t)) return t;
  const c = s.charCodeAt(i);
  const c1 = s.charCodeAt(i + 1);
  if (c1 >= 48 && c1 <= 57) {
    const level = KLOG_LEVELS[c];
    if (level === undefined) return Number.NaN;
    const k = klogAt(s, i, clock);
    if (Number.isNaN(k)) return Number.NaN;
    // "    12 server.go:42] message": thread id and source location go
    const close = s.indexOf('] ', stampOut.end);
    if (close !== -1 && close - stampOut.end < 96) stampOut.end = close + 2;
    headLevel = level;
    return k;
  }
  if (c1 === 44 && s.charCodeAt(i + 2) === 32 && s.charCodeAt(i + 3) === 91) {
    // Ruby Logger: "E, [2026-03-14T09:15:02.123456 #42] ERROR -- : message"
    const r = parseStamp(s, i + 4, clock);
    if (Number.isNaN(r)) return Number.NaN;
    const close = s.indexOf(']', stampOut.end);
    if (close === -1 || close - stampOut.end > 24) return Number.NaN;
    stampOut.end = close + 1;
    return r;
  }
  const level = sniffLevel(s, i);
  if (level === undefined) return Number.NaN;
  const r = parseStamp(s, skipSpaces(s, sniffOut.end), clock);
  if (!Number.isNaN(r)) headLevel = level;
  return r;
}

/** A line opening with a timestamp (see the header comment); false when there is none. */
export function parsePlain(s: string, d: Draft): boolean {
  return plainAt(s, 0, d, true);
}

function plainAt(s: string, start: number, d: Draft, outer: boolean): boolean {
  const t = header(s, start, d);
  if (Number.isNaN(t)) return false;
  let level = headLevel;
  let i = skipSeparators(s, stampOut.end);
  if (outer && (s.startsWith('stdout ', i) || s.startsWith('stderr ', i))) {
    // Kubernetes CRI in a file read as plain text: "<stamp> stdout F <payload>"
    // (the cri format joins the parts of split lines; here each is read alone)
    const tag = s.charCodeAt(i + 7);
    if ((tag === 70 || tag === 80) && s.charCodeAt(i + 8) === 32) {
      const payload = s.slice(i + 9);
      parseInner(payload, d);
      d.time = t;
      d.timeRank = -1;
      // no message of its own (JSON without one): the payload, unless the
      // reader can say more (an HTTP request, an error)
      if (
        d.message === undefined &&
        d.status === 0 &&
        d.path === undefined &&
        d.method === undefined &&
        d.errorText === undefined
      ) {
        d.message = payload;
      }
      return true;
    }
  }
  if (level === undefined) {
    level = sniffLevel(s, i);
    if (level !== undefined) i = skipSeparators(s, sniffOut.end);
    else level = laterLevel(s, i);
  } else {
    i = skipSeparators(s, i);
  }
  d.time = t;
  d.timeRank = -1;
  if (level !== undefined) {
    d.level = level;
    d.levelRank = -1;
  }
  if (looksLogfmt(s, i)) {
    logfmt(s, i, d);
    if (logfmtOut.pairs >= 2 && d.message !== undefined) return true;
  }
  d.message = i === 0 ? s : s.slice(i);
  return true;
}

/** A line with no time: the whole line is the message; a level word opening it is read. */
export function parseText(s: string, d: Draft): void {
  d.message = s;
  d.level = sniffLevel(s, 0);
}

/**
 * A line of a container's own output (a CRI payload, Docker's `log`), read
 * through the parsers of the formats a program writes: a JSON object, logfmt
 * pairs, a stamped plain line, an access log line, else text with perhaps a
 * level word. The fields land in the draft; the message is undefined when
 * the line has none of its own (JSON without a message: the caller keeps the
 * line). A container's stamp is no better than the runtime's: the caller
 * decides which time wins.
 */
export function parseInner(s: string, d: Draft): void {
  const c = s.charCodeAt(0);
  if (c === 123) {
    if (parseJson(s, d)) {
      if (d.fromLog) {
        // Docker's JSON wrapped once more: its line, without the newline
        d.fromLog = false;
        d.message = d.message?.trimEnd();
      }
      return;
    }
    d.reset();
  } else if (startsLogfmt(s, 0)) {
    if (parseLogfmt(s, d)) return;
    d.reset();
  }
  if (plainAt(s, 0, d, false)) return;
  if (parseAccess(s, d)) return;
  parseText(s, d);
}
