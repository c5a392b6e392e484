/*
 * JSON lines. A scanner reads the keys the reader knows and skips the rest,
 * making strings only for the values it keeps (a timestamp is read in place):
 * JSON.parse would build every key and value of every line. Anything the
 * scanner does not expect (escaped keys, odd numbers, bad structure) falls
 * back to JSON.parse, which then judges. What JSON.parse reads, the scanner
 * reads the same way (a property test holds it to that); it is a little
 * more lenient with broken lines: it does not check the inside of objects
 * it skips, raw control characters in strings, or leading zeros.
 */
import {
  applyLevelRange,
  applyObject,
  applyScalar,
  applyTimeRange,
  applyValue,
  type Draft,
  hashRange,
  isErrorKey,
  isLevelKey,
  isStackKey,
  isTimeKey,
  type KeyNode,
  type KeyTable,
  MAX_DEPTH,
  ROOT,
} from './fields.js';

/** The top-level keys of the last line, in order, and what they mean. */
const MAX_SHAPE = 64;
const shapeNames: (string | undefined)[] = [];
const shapeNodes: (KeyNode | undefined)[] = [];

/** Index just past the last value or object scanned. */
let scanEnd = 0;
/** Index of the first backslash at or after the scan position (s.length when none). */
let backslash = 0;

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

function skipSpaces(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/**
 * The closing quote of a string whose content starts at i and which may
 * hold escapes; -1 when unterminated. Moves `backslash` past it.
 */
function escapedStringEnd(s: string, i: number): number {
  for (let k = i; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 92) k++;
    else if (c === 34) {
      backslash = s.indexOf('\\', k);
      if (backslash === -1) backslash = s.length;
      return k;
    }
  }
  return -1;
}

/** The closing quote of a string whose content starts at i; -1 when unterminated. */
function stringEnd(s: string, i: number): number {
  const q = s.indexOf('"', i);
  if (q === -1 || backslash > q) return q;
  return escapedStringEnd(s, i);
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** A JSON number at i (scanEnd set past it); NaN when malformed. */
function numberAt(s: string, i: number): number {
  const start = i;
  let c = s.charCodeAt(i);
  const negative = c === 45;
  if (negative) c = s.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  while (c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    digits++;
    c = s.charCodeAt(++i);
  }
  if (digits === 0) return Number.NaN;
  if (c === 46) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      fraction++;
      c = s.charCodeAt(++i);
    }
    if (fraction === 0) return Number.NaN;
  }
  if (c === 101 || c === 69 || digits > 15) {
    // exponent or too many digits for exact arithmetic: let Number() read it
    if (c === 101 || c === 69) {
      c = s.charCodeAt(++i);
      if (c === 43 || c === 45) c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
    }
    scanEnd = i;
    return Number(s.slice(start, i));
  }
  scanEnd = i;
  const v = fraction === 0 ? mantissa : mantissa / (POW10[fraction] ?? 1);
  return negative ? -v : v;
}

/** Skips a nested object or array at i (strings respected); false when unterminated. */
function skipNested(s: string, i: number): boolean {
  let depth = 0;
  for (;;) {
    const c = s.charCodeAt(i);
    if (Number.isNaN(c)) return false;
    if (c === 34) {
      i = stringEnd(s, i + 1);
      if (i < 0) return false;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      if (--depth === 0) {
        scanEnd = i + 1;
        return true;
      }
    }
    i++;
  }
}

/**
 * The members of an object whose "{" is just before i (scanEnd set past its
 * "}"); false when the scanner gives up.
 */
function scanObject(s: string, i: number, d: Draft, table: KeyTable, depth: number): boolean {
  let c = s.charCodeAt(i);
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  if (c === 125) {
    scanEnd = i + 1;
    return true;
  }
  for (let member = 0; ; member++) {
    if (c !== 34) return false;
    const keyStart = ++i;
    // Lines of one logger repeat their keys in the same order: try the key
    // the last line had here before looking it up.
    let node: KeyNode | undefined;
    const expected = depth === 0 ? shapeNames[member] : undefined;
    let known = false;
    if (expected !== undefined && s.startsWith(expected, i)) {
      // `expected` ends with the closing quote
      node = shapeNodes[member];
      i += expected.length - 1;
      known = true;
    }
    if (!known) {
      i = s.indexOf('"', keyStart);
      if (i < 0 || backslash < i) return false;
      node = table.find(hashRange(s, keyStart, i), s, keyStart, i);
      if (depth === 0 && member < MAX_SHAPE) {
        shapeNames[member] = s.slice(keyStart, i + 1);
        shapeNodes[member] = node;
      }
    }
    c = s.charCodeAt(++i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c !== 58) return false;
    c = s.charCodeAt(++i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c === 34) {
      const start = i + 1;
      let end = s.indexOf('"', start);
      if (end < 0) return false;
      if (backslash < end) {
        end = escapedStringEnd(s, start);
        if (end < 0) return false;
        if (node !== undefined) {
          let v: unknown;
          try {
            v = JSON.parse(s.slice(i, end + 1));
          } catch {
            return false;
          }
          applyValue(d, node, v, depth);
        }
      } else if (node !== undefined) {
        if (isTimeKey(node)) applyTimeRange(d, node, s, start, end);
        else if (isLevelKey(node)) applyLevelRange(d, node, s, start, end);
        else applyScalar(d, node, s.slice(start, end));
      }
      i = end + 1;
    } else if (c === 123) {
      if (node !== undefined && isErrorKey(node)) d.exception = true;
      const children = node?.children;
      if (children !== undefined && depth < MAX_DEPTH) {
        if (!scanObject(s, i + 1, d, children, depth + 1)) return false;
      } else if (!skipNested(s, i)) {
        return false;
      }
      i = scanEnd;
    } else if (c === 91) {
      const start = i;
      if (!skipNested(s, i)) return false;
      i = scanEnd;
      if (node !== undefined && isStackKey(node)) {
        let v: unknown;
        try {
          v = JSON.parse(s.slice(start, i));
        } catch {
          return false;
        }
        applyValue(d, node, v, depth);
      }
    } else {
      let v: unknown;
      if (c === 116 && s.startsWith('true', i)) {
        v = true;
        i += 4;
      } else if (c === 102 && s.startsWith('false', i)) {
        v = false;
        i += 5;
      } else if (c === 110 && s.startsWith('null', i)) {
        v = null;
        i += 4;
      } else {
        v = numberAt(s, i);
        if (Number.isNaN(v)) return false;
        i = scanEnd;
      }
      if (node !== undefined) applyScalar(d, node, v);
    }
    c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (c === 44) {
      c = s.charCodeAt(++i);
      while (c === 32 || c === 9) c = s.charCodeAt(++i);
    } else if (c === 125) {
      scanEnd = i + 1;
      return true;
    } else {
      return false;
    }
  }
}

/** One JSON object per line, read into the draft. */
export function parseJson(s: string, d: Draft): boolean {
  const first = skipSpaces(s, 0);
  if (s.charCodeAt(first) !== 123) return false;
  let last = s.length - 1;
  let c = s.charCodeAt(last);
  while (isSpace(c)) c = s.charCodeAt(--last);
  if (c !== 125) return false;
  backslash = s.indexOf('\\');
  if (backslash === -1) backslash = s.length;
  if (scanObject(s, first + 1, d, ROOT, 0) && skipSpaces(s, scanEnd) === s.length) return true;
  // The scanner gave up: JSON.parse decides, and the fields are read again.
  d.reset();
  let o: unknown;
  try {
    o = JSON.parse(s);
  } catch {
    return false;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  applyObject(d, o as Record<string, unknown>, ROOT, 0);
  return true;
}
