import type { Level } from '../event.js';

/*
 * Level names and numbers as loggers write them, normalized to the six
 * levels of LogEvent. CRIT/CRITICAL, ALERT, EMERG and PANIC count as fatal.
 */

const SYSLOG: readonly Level[] = [
  'fatal', // 0 emerg
  'fatal', // 1 alert
  'fatal', // 2 crit
  'error', // 3 err
  'warn', // 4 warning
  'info', // 5 notice
  'info', // 6 info
  'debug', // 7 debug
];

/** Syslog severity 0-7 (the low three bits of PRI). */
export function levelFromSeverity(severity: number): Level {
  return SYSLOG[severity & 7] ?? 'info';
}

/** 0-7: syslog severities; 10-60 and beyond: pino/bunyan (10 trace ... 60 fatal). */
export function levelFromNumber(n: number): Level | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n <= 7 && Number.isInteger(n)) return SYSLOG[n];
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  if (n >= 10) return 'trace';
  return undefined;
}

/** Every spelling accepted in a level field, lower case. */
const WORDS = new Map<string, Level>([
  ['trace', 'trace'],
  ['trc', 'trace'],
  ['t', 'trace'],
  ['finest', 'trace'],
  ['finer', 'trace'],
  ['verbose', 'trace'],
  ['vrb', 'trace'],
  ['debug', 'debug'],
  ['dbg', 'debug'],
  ['deb', 'debug'],
  ['d', 'debug'],
  ['fine', 'debug'],
  ['config', 'debug'],
  ['info', 'info'],
  ['inf', 'info'],
  ['i', 'info'],
  ['information', 'info'],
  ['informational', 'info'],
  ['notice', 'info'],
  ['note', 'info'],
  ['warn', 'warn'],
  ['warning', 'warn'],
  ['wrn', 'warn'],
  ['wan', 'warn'],
  ['w', 'warn'],
  ['error', 'error'],
  ['err', 'error'],
  ['eror', 'error'],
  ['erro', 'error'],
  ['e', 'error'],
  ['severe', 'error'],
  ['fatal', 'fatal'],
  ['ftl', 'fatal'],
  ['f', 'fatal'],
  ['crit', 'fatal'],
  ['critical', 'fatal'],
  ['crt', 'fatal'],
  ['panic', 'fatal'],
  ['dpanic', 'fatal'],
  ['emerg', 'fatal'],
  ['emergency', 'fatal'],
  ['alert', 'fatal'],
]);

/** Words that count as a level in running text even when not capitalised or bracketed. */
const PROSE_WORDS = new Set(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal']);

const cache = new Map<string, Level | null>();

function lookup(raw: string): Level | null {
  const s = raw.trim().toLowerCase();
  const word = WORDS.get(s);
  if (word !== undefined) return word;
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = Number(s);
    if (!Number.isNaN(n)) return levelFromNumber(n) ?? null;
  }
  return null;
}

/** A level field's text ("WARN", "warning", "E", "50", "crit", ...), else undefined. */
export function levelFromText(raw: string): Level | undefined {
  let hit = cache.get(raw);
  if (hit === undefined) {
    hit = raw.length <= 16 ? lookup(raw) : null;
    if (cache.size < 4096) cache.set(raw, hit);
  }
  return hit ?? undefined;
}

/** `word` (lower case) at s[i, i + word.length), in any case. */
function wordAt(s: string, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(i + k) | 32) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** The common level words at s[i, j), in any case, without making a string; else undefined. */
export function levelFromRange(s: string, i: number, j: number): Level | undefined {
  switch (j - i) {
    case 4:
      if (wordAt(s, i, 'info')) return 'info';
      if (wordAt(s, i, 'warn')) return 'warn';
      return undefined;
    case 5:
      if (wordAt(s, i, 'error')) return 'error';
      if (wordAt(s, i, 'debug')) return 'debug';
      if (wordAt(s, i, 'fatal')) return 'fatal';
      if (wordAt(s, i, 'trace')) return 'trace';
      return undefined;
    case 7:
      return wordAt(s, i, 'warning') ? 'warn' : undefined;
    default:
      return undefined;
  }
}

/** A level field's value, string or number. */
export function levelFromValue(v: unknown): Level | undefined {
  if (typeof v === 'string') return levelFromText(v);
  if (typeof v === 'number') return levelFromNumber(v);
  return undefined;
}

/** Where the last sniffLevel() token ended (index just past it, with a trailing ':'). */
export const sniffOut = { end: 0 };

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;

/**
 * A level word opening running text at i: "ERROR", "[error]", "<warn>",
 * "(E)", "WARN:", "error:", "Error:", "info". Bracketed tokens may use any
 * spelling, single letters included; bare upper-case ones need three or more
 * letters; bare lower-case or capitalised ones must be a plain level word.
 * With `strict`, only bracketed or upper-case words of three letters or more.
 */
export function sniffLevel(s: string, i: number, strict = false): Level | undefined {
  let j = i;
  const open = s.charCodeAt(j);
  let close = 0;
  if (open === 91) close = 93;
  else if (open === 60) close = 62;
  else if (open === 40) close = 41;
  if (close !== 0) j++;
  const start = j;
  let upper = 0;
  let c = s.charCodeAt(j);
  while (isUpper(c) || isLower(c)) {
    if (isUpper(c)) upper++;
    c = s.charCodeAt(++j);
  }
  const len = j - start;
  if (len === 0 || len > 13) return undefined;
  if (close !== 0) {
    if (c !== close) return undefined;
    c = s.charCodeAt(++j);
  }
  let colon = false;
  if (c === 58) {
    colon = true;
    c = s.charCodeAt(++j);
  }
  // The token must end here: space, end of line, or (after a colon) anything.
  if (!colon && !Number.isNaN(c) && c !== 32 && c !== 9) return undefined;
  const word = s.slice(start, start + len);
  const level = levelFromText(word);
  if (level === undefined) return undefined;
  if (close === 0) {
    if (upper === len) {
      if (len < 3 && (strict || !(len === 1 && colon))) return undefined;
    } else if (strict || upper > 1 || !PROSE_WORDS.has(word.toLowerCase())) {
      return undefined;
    }
  }
  sniffOut.end = j;
  return level;
}
