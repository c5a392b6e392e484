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

/** What scanSegment found out about the segment it read. */
const segment = {
  /** Index of the '/' that ends it, or the path's length. */
  end: 0,
  /** Where its extension (`.jpg`) starts, else `end`. */
  nameEnd: 0,
  /** Its name (without the extension) is a variable. */
  variable: false,
};

/**
 * Reads the segment at `a` in one pass: its end, its extension (a '.' and at
 * most five letters or digits) and whether its name is a variable, from the
 * counts of digits, letters and hex characters in the name.
 */
function scanSegment(s: string, a: number): void {
  const n = s.length;
  let digits = 0;
  let letters = 0;
  let hex = 0;
  // the counts before the last '.', and whether only letters and digits follow it
  let dot = -1;
  let dotDigits = 0;
  let dotLetters = 0;
  let dotHex = 0;
  let plainSinceDot = true;
  let i = a;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 47) break;
    if (c === 46) {
      dot = i;
      dotDigits = digits;
      dotLetters = letters;
      dotHex = hex;
      plainSinceDot = true;
      continue;
    }
    const k = classOf(c);
    if ((k & (LETTER | DIGIT)) === 0) plainSinceDot = false;
    digits += k & DIGIT;
    letters += (k & LETTER) >> 1;
    hex += (k & HEX) >> 2;
  }
  segment.end = i;
  let b = i;
  if (dot > a && i - dot <= 6 && dot < i - 1 && plainSinceDot) {
    b = dot;
    digits = dotDigits;
    letters = dotLetters;
    hex = dotHex;
  }
  segment.nameEnd = b;
  segment.variable = b > a && isVariable(s, a, b, digits, letters, hex);
}

/** Whether s[a, b), a segment's name with these counts of character classes, is a variable. */
function isVariable(
  s: string,
  a: number,
  b: number,
  digits: number,
  letters: number,
  hex: number,
): boolean {
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

/** The path with its variable segments masked; the same string when none is. */
export function maskPath(path: string): string {
  let out: string | undefined;
  let copied = 0;
  const n = path.length;
  for (let start = 0; start <= n; start = segment.end + 1) {
    scanSegment(path, start);
    if (segment.variable) {
      out = (out ?? '') + path.slice(copied, start) + WILDCARD;
      copied = segment.nameEnd;
    }
  }
  return out === undefined ? path : out + path.slice(copied);
}

/** An endpoint as the analyses name it: its method and masked path, "GET /api/items/<*>". */
export const endpointOf = (method: string | undefined, path: string) =>
  `${method ?? '-'} ${maskPath(path)}`;

/** Endpoints remembered; past this the table starts again (the miner keeps the templates). */
const MAX_KEYS = 50_000;
/** Slots of the open-addressing table: a power of two, under 40% full at MAX_KEYS. */
const SLOTS = 1 << 17;
/** The mask in the hash: a value no character code has, so no path spells it. */
const MASK_CODE = 0x1002a;

/**
 * Endpoint templates as fixed clusters of a TemplateMiner, found without
 * building their text: one scan of the path classifies its segments and
 * hashes the masked form with the method and status, two 32-bit hashes
 * making a 64-bit key (a collision among 50,000 endpoints has odds of about
 * one in ten million million). Only a new endpoint builds its text. The keys
 * live in typed arrays probed linearly: a Map keyed by a 53-bit number boxed
 * every key and cost more than the rest of the lookup.
 */
export class EndpointTable {
  readonly #h1 = new Int32Array(SLOTS);
  readonly #h2 = new Int32Array(SLOTS);
  /** Cluster id + 1 per slot, 0 when empty. */
  readonly #ids = new Int32Array(SLOTS);
  #size = 0;

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
    for (let start = 0; start <= n; start = segment.end + 1) {
      scanSegment(path, start);
      let from = start;
      if (segment.variable) {
        h1 = Math.imul(h1 ^ MASK_CODE, 0x01000193);
        h2 = Math.imul(h2 + MASK_CODE, 0x5bd1e995) ^ (h2 >>> 15);
        from = segment.nameEnd;
      }
      // The kept characters: the segment (or its extension) and the '/' after it.
      const to = segment.end < n ? segment.end + 1 : n;
      for (let j = from; j < to; j++) {
        const c = path.charCodeAt(j);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
      }
    }
    const ids = this.#ids;
    let slot = (h1 ^ (h2 >>> 7)) & (SLOTS - 1);
    for (;;) {
      const id = (ids[slot] as number) - 1;
      if (id === -1) break;
      if (this.#h1[slot] === h1 && this.#h2[slot] === h2) {
        if (this.miner.touch(id)) return id;
        break; // the miner forgot it: learn it again below, into this slot
      }
      slot = (slot + 1) & (SLOTS - 1);
    }
    if (ids[slot] === 0 && ++this.#size > MAX_KEYS) {
      ids.fill(0);
      this.#size = 1;
      slot = (h1 ^ (h2 >>> 7)) & (SLOTS - 1);
    }
    const id = this.miner.learnFixed(`${endpointOf(method, path)} ${status ?? '-'}`);
    this.#h1[slot] = h1;
    this.#h2[slot] = h2;
    ids[slot] = id + 1;
    return id;
  }
}
