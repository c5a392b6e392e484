/* logfmt: `time=... level=info msg="a message" status=200` (Heroku, Go slog/logrus text). */
import { applyField, collectExtraPair, Draft, type FieldValue } from './fields.js';

function unquote(s: string, i: number, j: number): string {
  let out = '';
  let from = i;
  for (let k = i; k < j; k++) {
    if (s.charCodeAt(k) !== 92) continue;
    out += s.slice(from, k);
    const next = s.charCodeAt(k + 1);
    if (next === 110) out += '\n';
    else if (next === 116) out += '\t';
    else if (next === 114) out += '\r';
    else if (!Number.isNaN(next)) out += String.fromCharCode(next);
    k++;
    from = k + 1;
  }
  return out + s.slice(from, j);
}

/** Result of the last logfmt() call. */
export const logfmtOut = { pairs: 0, bare: 0 };

/**
 * Reads `key=value` pairs from i to the end of the line into the draft, or
 * the pairs that are no event field into `extra` (see extraFields).
 * Counts pairs (with "=") and bare words in logfmtOut.
 */
export function logfmt(s: string, i: number, d: Draft | Record<string, FieldValue>): void {
  const n = s.length;
  let pairs = 0;
  let bare = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9) c = s.charCodeAt(++i);
    if (i >= n) break;
    const keyStart = i;
    while (i < n && c !== 61 && c !== 32 && c !== 9 && c !== 34) c = s.charCodeAt(++i);
    if (c !== 61 || i === keyStart) {
      // a bare word or stray quote: skip it
      bare++;
      if (c === 34) i++;
      while (i < n && s.charCodeAt(i) !== 32) i++;
      continue;
    }
    const key = s.slice(keyStart, i);
    i++;
    let value: string;
    if (s.charCodeAt(i) === 34) {
      const start = ++i;
      let escaped = false;
      c = s.charCodeAt(i);
      while (i < n && c !== 34) {
        if (c === 92) {
          escaped = true;
          i++;
        }
        c = s.charCodeAt(++i);
      }
      const end = Math.min(i, n);
      value = escaped ? unquote(s, start, end) : s.slice(start, end);
      i++;
    } else {
      const start = i;
      while (i < n && c !== 32 && c !== 9) c = s.charCodeAt(++i);
      value = s.slice(start, i);
    }
    pairs++;
    if (d instanceof Draft) applyField(d, key, value);
    else collectExtraPair(key, value, d);
  }
  logfmtOut.pairs = pairs;
  logfmtOut.bare = bare;
}

const isKeyStart = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 64;

/** The line opens with `key=` where key is a plain identifier (letters, digits, _ . - @ /). */
export function startsLogfmt(s: string, i: number): boolean {
  if (!isKeyStart(s.charCodeAt(i))) return false;
  for (let j = i + 1; j < i + 64; j++) {
    const c = s.charCodeAt(j);
    if (c === 61) return true;
    if (
      !(
        (c >= 97 && c <= 122) ||
        (c >= 65 && c <= 90) ||
        (c >= 48 && c <= 57) ||
        c === 95 ||
        c === 46 ||
        c === 45 ||
        c === 64 ||
        c === 47
      )
    ) {
      return false;
    }
  }
  return false;
}

/** A whole logfmt line: starts with key=, has two or more pairs and few bare words. */
export function parseLogfmt(s: string, d: Draft): boolean {
  if (!startsLogfmt(s, 0)) return false;
  logfmt(s, 0, d);
  return logfmtOut.pairs >= 2 && logfmtOut.bare * 2 <= logfmtOut.pairs;
}
