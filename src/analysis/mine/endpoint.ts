/**
 * Endpoints: the template of an access-log line is its method, its path with
 * the variable segments masked, and its status: `GET /api/items/<*> 500`.
 *
 * An access log has no message to mine: mining the request line finds only
 * the method (every path differs from the next, so the whole path becomes one
 * variable). The path's own structure says which parts vary: a segment with
 * digits (`4521`, `abc123`, `856582.jpg` -> `<*>.jpg`), a UUID or a long hex
 * id. Words stay (`/users/me`, `/api/v1/cart`): an API version (`v1`) and a
 * word ending in one digit (`oauth2`) name things rather than count them.
 * Written by hand because it runs for every access-log line: one scan of the
 * path with a character table, and no new string when no segment is variable.
 */
import { WILDCARD } from './mask.js';
import type { TemplateMiner } from './miner.js';

const DIGIT = 1;
const LETTER = 2;
const HEX = 4;
/** Character classes of ASCII; anything else is none of them. */
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT | HEX;
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER | (c <= 102 ? HEX : 0);
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER | (c <= 70 ? HEX : 0);
CLASS[45] = HEX; // '-' as in UUIDs
const classOf = (c: number) => (c < 128 ? (CLASS[c] as number) : 0);

/** A segment at least this long, of letters and digits and `-_` mixed, is an id or token. */
const LONG_TOKEN = 24;

/** Whether s[a, b) (one path segment, without its extension) is a variable. */
function isVariableSegment(s: string, a: number, b: number): boolean {
  let digits = 0;
  let hex = 0;
  let letters = 0;
  for (let i = a; i < b; i++) {
    const k = classOf(s.charCodeAt(i));
    digits += k & DIGIT;
    letters += (k & LETTER) >> 1;
    hex += (k & HEX) >> 2;
  }
  const n = b - a;
  // `<*>`: already masked (a template's path read again) is still a variable.
  if (n === 3 && s.charCodeAt(a) === 60 && s.charCodeAt(a + 1) === 42 && s.charCodeAt(a + 2) === 62)
    return true;
  if (digits === 0) return n >= LONG_TOKEN && letters < n;
  if (digits === n || (hex === n && n >= 8)) return true;
  // v1, oauth2, s3: one final digit after a letter names a thing.
  const last = classOf(s.charCodeAt(b - 1));
  if (digits === 1 && last & DIGIT && classOf(s.charCodeAt(b - 2)) & LETTER) return false;
  // v10, v2beta: an API version.
  const first = s.charCodeAt(a);
  if ((first === 118 || first === 86) && classOf(s.charCodeAt(a + 1)) & DIGIT && n <= 8)
    return false;
  return hex === n || digits >= 2 || n >= LONG_TOKEN;
}

/** End of a segment's name before an extension such as `.jpg` (letters and digits, at most 5). */
function extensionStart(s: string, a: number, b: number): number {
  for (let i = b - 1; i > a && b - i <= 6; i--) {
    const c = s.charCodeAt(i);
    if (c === 46) return i < b - 1 ? i : b;
    if (classOf(c) & (LETTER | DIGIT)) continue;
    return b;
  }
  return b;
}

/** The path with its variable segments masked; the same string when none is. */
export function maskPath(path: string): string {
  let out: string | undefined;
  let copied = 0;
  const n = path.length;
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && path.charCodeAt(i) !== 47) continue;
    if (i > start) {
      const end = extensionStart(path, start, i);
      if (isVariableSegment(path, start, end)) {
        out = (out ?? '') + path.slice(copied, start) + WILDCARD;
        copied = end;
      }
    }
    start = i + 1;
  }
  return out === undefined ? path : out + path.slice(copied);
}

/** Endpoints remembered by key; past this the table starts again (the miner keeps the templates). */
const MAX_KEYS = 50_000;
const TWO_POW_21 = 2 ** 21;

/**
 * Endpoint templates as fixed clusters of a TemplateMiner, found without
 * building their text: one scan of the path classifies its segments and
 * hashes the masked form with the method and status, two 32-bit hashes
 * making a 53-bit key (a collision among 50,000 endpoints has odds of about
 * one in ten million). Only a new endpoint builds its text.
 */
export class EndpointTable {
  readonly #ids = new Map<number, number>();

  constructor(private readonly miner: TemplateMiner) {}

  /** The miner's cluster id for this request, counted once more. */
  learn(method: string | undefined, path: string, status: number | undefined): number {
    const m = method ?? '-';
    let h1 = 0x811c9dc5 ^ (status ?? 0);
    let h2 = 0x9747b28c + (status ?? 0);
    for (let i = 0; i < m.length; i++) {
      const c = m.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    const n = path.length;
    let start = 0;
    while (start <= n) {
      let i = path.indexOf('/', start);
      if (i < 0) i = n;
      const end = i > start ? extensionStart(path, start, i) : i;
      let from = start;
      if (i > start && isVariableSegment(path, start, end)) {
        // The mask: a value no character code has, so no path spells it.
        h1 = Math.imul(h1 ^ 0x1002a, 0x01000193);
        h2 = Math.imul(h2 + 0x1002a, 0x5bd1e995) ^ (h2 >>> 15);
        from = end;
      }
      // The kept characters: the segment (or its extension) and the '/' after it.
      for (let j = from; j < i + 1 && j < n; j++) {
        const c = path.charCodeAt(j);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
      }
      start = i + 1;
    }
    const key = (h1 >>> 0) * TWO_POW_21 + (h2 >>> 11);
    const known = this.#ids.get(key);
    if (known !== undefined && this.miner.touch(known)) return known;
    if (this.#ids.size >= MAX_KEYS) this.#ids.clear();
    const id = this.miner.learnFixed(`${m} ${maskPath(path)} ${status ?? '-'}`);
    this.#ids.set(key, id);
    return id;
  }
}
