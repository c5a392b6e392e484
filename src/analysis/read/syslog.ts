/*
 * Syslog lines as files keep them.
 *
 *   RFC 3164: [<PRI>]Mar 14 09:15:02 host tag[pid]: message
 *             (rsyslog's precise form puts an ISO 8601 stamp in place of "Mar 14 ...";
 *             the host may be missing: "Mar 14 09:15:02 tag[pid]: message")
 *   RFC 5424: <PRI>1 2026-03-14T09:15:02.123Z host app procid msgid [sd...] message
 *
 * The level comes from PRI when present, else from a level word opening the
 * message. Host and tag/app name become host and service.
 */
import type { Draft } from './fields.js';
import { levelFromSeverity, levelFromText, sniffLevel } from './level.js';
import { monthAt, parseStamp, stampOut } from './time.js';

let priEnd = 0;

/** "<134>" at 0: the PRI value (priEnd set past ">"), else -1. */
function priAt(s: string): number {
  let v = 0;
  let i = 1;
  let c = s.charCodeAt(i);
  while (c >= 48 && c <= 57 && i < 5) {
    v = v * 10 + (c - 48);
    c = s.charCodeAt(++i);
  }
  if (i === 1 || c !== 62 || v > 191) return -1;
  priEnd = i + 1;
  return v;
}

const isHostChar = (c: number) =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 46 ||
  c === 45 ||
  c === 95 ||
  c === 58;

let tagEnd = 0;

/**
 * A tag at i, "name:" or "name[pid]:" (the name up to 64 characters, without
 * spaces, ":" or "["): where the message starts (just past the ":"), with
 * tagEnd set past the name; -1 when there is none.
 */
function tagAt(s: string, i: number): number {
  const start = i;
  let c = s.charCodeAt(i);
  while (!Number.isNaN(c) && c !== 32 && c !== 58 && c !== 91 && i - start < 64)
    c = s.charCodeAt(++i);
  if (i === start) return -1;
  if (c === 91) {
    const close = s.indexOf(']', i);
    if (close !== -1 && close - i <= 12 && s.charCodeAt(close + 1) === 58) {
      tagEnd = i;
      return close + 2;
    }
  } else if (c === 58) {
    tagEnd = i;
    return i + 1;
  }
  return -1;
}

/**
 * RFC 3164, with or without the host: "Mar 14 09:15:02 web-1 sshd[12]: up",
 * "<34>Oct 11 22:14:15 su: 'su root' failed". With `strict` (format
 * detection) a tag is required and the host may not be a level word, so
 * "2026-03-14T09:15:02Z INFO server: up" stays plain.
 */
export function parseSyslog3164(s: string, d: Draft, strict: boolean): boolean {
  let i = 0;
  let pri = -1;
  if (s.charCodeAt(0) === 60) {
    pri = priAt(s);
    if (pri < 0) return false;
    i = priEnd;
  }
  const c0 = s.charCodeAt(i);
  if (c0 >= 48 && c0 <= 57) {
    if (s.charCodeAt(i + 4) !== 45) return false;
  } else if (monthAt(s, i) === 0) {
    return false;
  }
  const time = parseStamp(s, i, d.clock);
  if (Number.isNaN(time)) return false;
  i = stampOut.end;
  if (s.charCodeAt(i) !== 32) return false;
  const hostStart = ++i;
  let c = s.charCodeAt(i);
  while (isHostChar(c)) c = s.charCodeAt(++i);
  let host: string | undefined;
  let tagStart = hostStart;
  let messageStart: number;
  const last = s.charCodeAt(i - 1);
  if (i > hostStart && (c === 91 || c === 47 || (last === 58 && (c === 32 || Number.isNaN(c))))) {
    // No host: the stamp is followed by the tag, "su:", "sshd[123]:" or
    // "postfix/smtpd[9]:" (a host never ends with ":", and has no "[" or "/").
    messageStart = tagAt(s, hostStart);
    if (messageStart < 0 || (c === 32 && messageStart !== i)) return false;
    if (levelFromText(s.slice(hostStart, tagEnd)) !== undefined) {
      // "Mar 14 09:15:02 ERROR: boom": a level word, not a tag
      if (strict) return false;
      messageStart = -1;
    } else if (strict && pri < 0 && c0 <= 57 && s.charCodeAt(tagEnd) !== 91) {
      // "2026-03-14 09:15:02 main: up" stays plain: with an ISO stamp and no
      // host, a tag needs a PRI or a [pid] to tell syslog
      return false;
    }
  } else {
    if (i === hostStart || c !== 32) return false;
    host = s.slice(hostStart, i);
    if (strict && levelFromText(host) !== undefined) return false;
    tagStart = i + 1;
    messageStart = tagAt(s, tagStart);
  }
  if (messageStart < 0) {
    if (strict) return false;
    messageStart = tagStart;
  } else {
    const after = s.charCodeAt(messageStart);
    if (after === 32) messageStart++;
    else if (!Number.isNaN(after) && strict) return false;
    d.service = s.slice(tagStart, tagEnd);
  }
  d.time = time;
  d.timeRank = 0;
  d.host = host;
  // rsyslog writes control characters octal-escaped: a tab is "#011".
  d.message = s.startsWith('#011', messageStart)
    ? `\t${s.slice(messageStart + 4)}`
    : s.slice(messageStart);
  d.level = pri >= 0 ? levelFromSeverity(pri) : sniffLevel(s, messageStart);
  return true;
}

/** The next space-delimited token from i, "-" meaning none; -1 when malformed. */
let tokenEnd = 0;
function token(s: string, i: number): string | undefined {
  const sp = s.indexOf(' ', i);
  if (sp <= i) {
    tokenEnd = -1;
    return undefined;
  }
  tokenEnd = sp + 1;
  return sp === i + 1 && s.charCodeAt(i) === 45 ? undefined : s.slice(i, sp);
}

/** RFC 5424. */
export function parseSyslog5424(s: string, d: Draft): boolean {
  if (s.charCodeAt(0) !== 60) return false;
  const pri = priAt(s);
  if (pri < 0) return false;
  let i = priEnd;
  const v = s.charCodeAt(i);
  if (!(v >= 49 && v <= 57)) return false;
  i++;
  const v2 = s.charCodeAt(i);
  if (v2 >= 48 && v2 <= 57) i++;
  if (s.charCodeAt(i) !== 32) return false;
  i++;
  let time = Number.NaN;
  if (s.charCodeAt(i) === 45 && s.charCodeAt(i + 1) === 32) {
    i += 2;
  } else {
    time = parseStamp(s, i, d.clock);
    if (Number.isNaN(time) || s.charCodeAt(stampOut.end) !== 32) return false;
    i = stampOut.end + 1;
  }
  const host = token(s, i);
  if (tokenEnd < 0) return false;
  const app = token(s, tokenEnd);
  if (tokenEnd < 0) return false;
  token(s, tokenEnd); // procid
  if (tokenEnd < 0) return false;
  token(s, tokenEnd); // msgid
  if (tokenEnd < 0) return false;
  i = tokenEnd;
  // structured data: "-" or one or more [id param="value" ...]
  let c = s.charCodeAt(i);
  if (c === 45) {
    i++;
  } else if (c === 91) {
    while (c === 91) {
      i++;
      let quoted = false;
      for (;;) {
        c = s.charCodeAt(i);
        if (Number.isNaN(c)) return false;
        if (quoted) {
          if (c === 92) i++;
          else if (c === 34) quoted = false;
        } else if (c === 34) {
          quoted = true;
        } else if (c === 93) {
          break;
        }
        i++;
      }
      c = s.charCodeAt(++i);
    }
  } else {
    return false;
  }
  c = s.charCodeAt(i);
  let message = '';
  if (c === 32) {
    i++;
    if (s.charCodeAt(i) === 0xfeff) i++;
    message = s.slice(i);
  } else if (!Number.isNaN(c)) {
    return false;
  }
  d.time = time;
  d.timeRank = 0;
  d.host = host;
  d.service = app;
  d.message = message;
  d.level = levelFromSeverity(pri);
  return true;
}
