/**
 * Tokenizing and masking of log messages: the first, and hottest, step of template
 * mining. A message is split on whitespace into tokens; any token (or part of a token)
 * that is evidently a variable becomes `<*>`:
 *
 * - numbers, signed numbers, versions, hex (`0x1f`, `deadbeef`, `7317849d`),
 * - IPv4 / IPv6 addresses with or without ports, MAC addresses, host names, host:port,
 * - UUIDs, e-mail addresses, URLs, absolute / relative / Windows paths,
 * - durations and sizes (`12ms`, `1.5s`, `5.2 KB`: a unit after a number folds into it),
 * - dates and times (`2016/9/27`, `20:30:31.455`, `Fri Jul 01 08:16:53 PDT 2005`),
 * - identifiers containing digits (`blk_-7724713468912166542`, `node-129`, `u0a37`),
 *   except a word ending in one digit (`ssh2`, `eth0`, `alt0`): those are names,
 * - the value of `key=value`, quoted or not (`tag="View Lock"`, `ws=WorkSource{10113}`),
 *   except the quoted value of a message key (`msg="upstream timeout"`), which is the
 *   event itself and only has its own variables masked,
 * - `true` / `false` / `null`,
 * - a run of masked tokens, which is one variable (`blk_1 blk_2 blk_3` -> `<*>`).
 *
 * Punctuation around a value stays (`(<*>)`, `[<*>]`, `<*>,`), and runs of dots are
 * kept apart from the value they lead to (`illegal instruction......<*>`).
 *
 * The scanner is hand-written over char codes with a character-class table (no regular
 * expressions on the hot path), and hashes each token as it goes: a plain word is sliced
 * out without further work, and only tokens holding a digit, `=`, `/`, `\`, `@`, or a
 * `.` or `:` followed by a letter go through the slower classification.
 */

export const WILDCARD = '<*>';

enum C {
  Tab = 9,
  Space = 32,
  Quote = 34,
  Hash = 35,
  Amp = 38,
  Apos = 39,
  ParenL = 40,
  ParenR = 41,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  D0 = 48,
  D9 = 57,
  Colon = 58,
  Semi = 59,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  Question = 63,
  At = 64,
  BracketL = 91,
  Backslash = 92,
  BracketR = 93,
  Tilde = 126,
  BraceL = 123,
  Pipe = 124,
  BraceR = 125,
  Bang = 33,
  Percent = 37,
}

/** The longest quoted `key="value"` that is taken as one token across spaces. */
const MAX_QUOTED = 256;

const isDigit = (c: number): boolean => c >= C.D0 && c <= C.D9;
const isLetter = (c: number): boolean => {
  const l = c | 32;
  return l >= 97 && l <= 122;
};
const isHexLetter = (c: number): boolean => {
  const l = c | 32;
  return l >= 97 && l <= 102;
};
const isHex = (c: number): boolean => isDigit(c) || isHexLetter(c);

/** Characters stripped from the start of a token before it is classified. */
const isOpenWrap = (c: number): boolean =>
  c === C.ParenL ||
  c === C.BracketL ||
  c === C.BraceL ||
  c === C.Lt ||
  c === C.Quote ||
  c === C.Apos ||
  c === C.At ||
  c === C.Hash;

/** Characters stripped from the end of a token before it is classified. */
const isCloseWrap = (c: number): boolean =>
  c === C.ParenR ||
  c === C.BracketR ||
  c === C.BraceR ||
  c === C.Gt ||
  c === C.Quote ||
  c === C.Apos ||
  c === C.Comma ||
  c === C.Semi ||
  c === C.Colon ||
  c === C.Dot ||
  c === C.Bang ||
  c === C.Question;

/** Separators inside a token: the parts between them are classified one by one. */
const isDelimiter = (c: number): boolean =>
  c === C.Eq ||
  c === C.Comma ||
  c === C.Semi ||
  c === C.Colon ||
  c === C.ParenL ||
  c === C.ParenR ||
  c === C.BracketL ||
  c === C.BracketR ||
  c === C.BraceL ||
  c === C.BraceR ||
  c === C.Lt ||
  c === C.Gt ||
  c === C.Pipe ||
  c === C.At ||
  c === C.Hash ||
  c === C.Quote ||
  c === C.Apos ||
  c === C.Amp;

/** Where the value of `key=value` ends inside a token (outside brackets). */
const endsValue = (c: number): boolean =>
  c === C.Comma ||
  c === C.Semi ||
  c === C.Amp ||
  c === C.ParenR ||
  c === C.BracketR ||
  c === C.BraceR;

const opens = (c: number): boolean => c === C.ParenL || c === C.BracketL || c === C.BraceL;

function isLiteral(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  for (let i = 0; i < s.length; i++) {
    if ((s.charCodeAt(i) | 32) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

const isBoolOrNull = (s: string): boolean =>
  isLiteral(s, 'true') || isLiteral(s, 'false') || isLiteral(s, 'null');

function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== C.Minus) return false;
    } else if (!isHex(c)) return false;
  }
  return true;
}

/** IPv6 and MAC addresses: hex digits, colons and dots only, two colons or more. */
function isColonHex(s: string): boolean {
  let colons = 0;
  let digit = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === C.Colon) colons++;
    else if (isDigit(c)) digit = true;
    else if (
      !isHexLetter(c) &&
      c !== C.Dot &&
      c !== C.Percent &&
      c !== C.BracketL &&
      c !== C.BracketR
    )
      return false;
  }
  return colons >= 2 && digit;
}

const EMAIL = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/;

/** Last labels that make a dotted name a host name (`db1.example.com`, `ns.foo.net`). */
const TLDS = new Set([
  'com',
  'net',
  'org',
  'edu',
  'gov',
  'mil',
  'int',
  'io',
  'info',
  'biz',
  'local',
  'localdomain',
  'internal',
  'lan',
  'arpa',
  'cn',
  'br',
  'de',
  'jp',
  'uk',
  'ru',
  'fr',
  'nl',
  'au',
  'ca',
]);

/** A host name: dot-separated labels of letters, digits and '-', ending in a known TLD. */
function isHostName(s: string, lastDot: number): boolean {
  if (lastDot <= 0 || lastDot === s.length - 1 || s.length - lastDot > 12) return false;
  if (!TLDS.has(s.slice(lastDot + 1).toLowerCase())) return false;
  for (let i = 0; i < lastDot; i++) {
    const c = s.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c) && c !== C.Minus && c !== C.Dot && c !== 95) return false;
  }
  return true;
}

/**
 * Whether a token, or a part of one, is a variable. As a whole (`byDigits` false): a
 * number, path, URL, address, UUID, e-mail, host name, boolean or null. As a part
 * (`byDigits` true), also any part holding digits, except one final digit after a
 * letter (`ssh2`, `eth0`, `alt0`, `md5`), which names a thing rather than counting it.
 * One pass over the characters, then cheap decisions.
 */
function isVariable(s: string, byDigits: boolean): boolean {
  const n = s.length;
  if (n === 0) return false;
  const c0 = s.charCodeAt(0);
  if (isDigit(c0)) return true;
  const c1 = n > 1 ? s.charCodeAt(1) : 0;
  if ((c0 === C.Minus || c0 === C.Plus || c0 === C.Dot) && isDigit(c1)) return true;
  // Paths: /abs, //share, \\share, ~/home, ./rel, ../rel, C:\win
  if (c0 === C.Slash && n > 1 && (c1 !== C.Slash || n > 2)) return true;
  if (c0 === C.Backslash && n > 1) return true;
  if (c0 === C.Tilde && c1 === C.Slash) return true;
  if (c0 === C.Dot && (c1 === C.Slash || (c1 === C.Dot && n > 2 && s.charCodeAt(2) === C.Slash)))
    return true;
  if (isLetter(c0) && c1 === C.Colon && n > 2) {
    const c2 = s.charCodeAt(2);
    if (c2 === C.Backslash || c2 === C.Slash) return true;
  }
  let digits = 0;
  let lastDigit = -1;
  let hexLetters = 0;
  let colons = 0;
  let at = -1;
  let lastDot = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      digits++;
      lastDigit = i;
    } else if (isHexLetter(c)) hexLetters++;
    else if (c === C.Colon) {
      colons++;
      if (s.charCodeAt(i + 1) === C.Slash && s.charCodeAt(i + 2) === C.Slash) return true; // URL
    } else if (c === C.Dot) lastDot = i;
    else if (c === C.At) at = i;
  }
  if (digits === 0) {
    if ((n === 4 || n === 5) && isBoolOrNull(s)) return true;
    if (n >= 8 && hexLetters === n) return true;
  }
  if (n === 36 && isUuid(s)) return true;
  if (colons >= 2 && digits > 0 && isColonHex(s)) return true;
  if (at > 0 && EMAIL.test(s)) return true;
  if (lastDot > 0 && isHostName(s, lastDot)) return true;
  if (!byDigits || digits === 0) return false;
  return !(digits === 1 && lastDigit === n - 1 && isLetter(s.charCodeAt(lastDigit - 1)));
}

/** Masks the words of a quoted phrase one by one (no fix-ups: those need the whole line). */
function maskPhrase(text: string): string {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const blank = i === text.length || text.charCodeAt(i) <= C.Space;
    if (blank && start >= 0) {
      words.push(maskToken(text.slice(start, i)));
      start = -1;
    } else if (!blank && start < 0) start = i;
  }
  return words.join(' ');
}

/** Keys whose value is the human message in logfmt and similar formats. */
const MESSAGE_KEYS = new Set([
  'msg',
  'message',
  'error',
  'err',
  'reason',
  'event',
  'description',
  'desc',
  'summary',
  'detail',
  'details',
  'text',
]);

/** Masks the parts of a token that is not a variable as a whole. */
function maskParts(s: string): string {
  const n = s.length;
  let out = '';
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === C.Eq) {
      // key=value: the key stays, the value (up to , ; & ) ] } outside brackets) is a
      // variable; but the quoted value of a message key (logfmt `msg="..."`) is the
      // event itself, so only its own variables are masked.
      const key = s.slice(start, i);
      out += s.slice(start, i + 1);
      let j = i + 1;
      if (j < n && (s.charCodeAt(j) === C.Quote || s.charCodeAt(j) === C.Apos)) {
        const close = s.indexOf(s[j] as string, j + 1);
        if (close > 0 && MESSAGE_KEYS.has(key.toLowerCase())) {
          const q = s[j] as string;
          out += q + maskPhrase(s.slice(j + 1, close)) + q;
          start = i = close + 1;
          continue;
        }
        j = close < 0 ? n : close + 1;
      }
      let depth = 0;
      while (j < n) {
        const v = s.charCodeAt(j);
        if (opens(v)) depth++;
        else if (depth > 0 && (v === C.ParenR || v === C.BracketR || v === C.BraceR)) depth--;
        else if (endsValue(v)) break;
        j++;
      }
      if (j > i + 1) out += WILDCARD;
      start = i = j;
      continue;
    }
    // Two dots or more ("instruction......0") separate like a delimiter.
    const dots = c === C.Dot && i + 1 < n && s.charCodeAt(i + 1) === C.Dot;
    if (isDelimiter(c) || dots) {
      if (i > start) {
        const part = s.slice(start, i);
        out += isVariable(part, true) ? WILDCARD : part;
      }
      let j = i + 1;
      if (dots) while (j < n && s.charCodeAt(j) === C.Dot) j++;
      out += s.slice(i, j);
      start = i = j;
      continue;
    }
    i++;
  }
  if (start < n) {
    const part = s.slice(start);
    out += isVariable(part, true) ? WILDCARD : part;
  }
  return out;
}

function hasDelimiter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDelimiter(c) || (c === C.Dot && s.charCodeAt(i + 1) === C.Dot)) return true;
  }
  return false;
}

/** Whether a masked text keeps a letter or digit outside its `<*>`s. */
function hasConstant(masked: string): boolean {
  for (let i = 0; i < masked.length; i++) {
    const c = masked.charCodeAt(i);
    if (c === C.Lt && masked.startsWith(WILDCARD, i)) {
      i += WILDCARD.length - 1;
      continue;
    }
    if (isLetter(c) || isDigit(c) || c >= 128) return true;
  }
  return false;
}

/** The opener of a closing bracket or quote, or 0. */
function openerOf(c: number): number {
  if (c === C.ParenR) return C.ParenL;
  if (c === C.BracketR) return C.BracketL;
  if (c === C.BraceR) return C.BraceL;
  if (c === C.Gt) return C.Lt;
  if (c === C.Quote || c === C.Apos) return c;
  return 0;
}

/**
 * Where the trailing punctuation of `t[a, b)` starts: closing brackets and quotes are
 * only punctuation when the token did not open them (`ws=WorkSource{10113},` keeps `}`).
 * Linear: each opener's first position is looked up once.
 */
function coreEnd(t: string, a: number, b: number): number {
  let firstOpen: Map<number, number> | null = null;
  while (b > a && isCloseWrap(t.charCodeAt(b - 1))) {
    const open = openerOf(t.charCodeAt(b - 1));
    // The `>` that ends a wildcard is part of it, not punctuation.
    if (open === C.Lt && b - 3 >= a && t.startsWith(WILDCARD, b - 3)) break;
    if (open !== 0) {
      if (firstOpen === null) firstOpen = new Map();
      let at = firstOpen.get(open);
      if (at === undefined) {
        at = t.indexOf(String.fromCharCode(open), a);
        // A wildcard's own `<` opens nothing: else a masked token would keep a `>` that the
        // original shed as punctuation, and masking it again would not give it back.
        while (open === C.Lt && at >= 0 && t.startsWith(WILDCARD, at)) at = t.indexOf('<', at + 1);
        firstOpen.set(open, at);
      }
      if (at >= 0 && at < b - 1) break;
    }
    b--;
  }
  return b;
}

/**
 * Classifies one whitespace-separated token that holds a digit or a special character.
 * `hasEq`: the token holds '=' (then it is a variable as a whole only as a path or URL).
 */
function maskToken(t: string, hasEq = false): string {
  let a = 0;
  let b = t.length;
  while (a < b && isOpenWrap(t.charCodeAt(a))) a++;
  b = coreEnd(t, a, b);
  if (a >= b) return t;
  const c0 = t.charCodeAt(a);
  // [IPv6]:port
  if (a > 0 && t.charCodeAt(a - 1) === C.BracketL && t.includes(']:') && isColonHex(t.slice(a, b)))
    return t.slice(0, a - 1) + WILDCARD + t.slice(b);
  let masked: string;
  if (isDigit(c0) || ((c0 === C.Minus || c0 === C.Plus) && isDigit(t.charCodeAt(a + 1))))
    masked = WILDCARD;
  else {
    const core = a === 0 && b === t.length ? t : t.slice(a, b);
    if (hasEq) masked = c0 === C.Slash || core.includes('://') ? WILDCARD : maskParts(core);
    else if (!hasDelimiter(core)) masked = isVariable(core, true) ? WILDCARD : core;
    else masked = isVariable(core, false) ? WILDCARD : maskParts(core);
    if (masked === core) return t;
  }
  // `<*>:<*>`, `<*>|<*>|<*>`: nothing constant is left, so it is one variable.
  if (masked !== WILDCARD && !hasConstant(masked)) masked = WILDCARD;
  return a === 0 && b === t.length ? masked : t.slice(0, a) + masked + t.slice(b);
}

const UNITS = new Set([
  'ns',
  'us',
  'µs',
  'ms',
  's',
  'sec',
  'secs',
  'min',
  'mins',
  'h',
  'hr',
  'hrs',
  'b',
  'kb',
  'mb',
  'gb',
  'tb',
  'pb',
  'kib',
  'mib',
  'gib',
  'tib',
  'bytes',
]);

const DATE_WORDS = new Set([
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'utc',
  'gmt',
  'pst',
  'pdt',
  'est',
  'edt',
  'cst',
  'cdt',
  'mst',
  'mdt',
  'cet',
  'cest',
  'bst',
  'ist',
  'jst',
]);

/** Trailing punctuation of a token, kept when the token folds into a variable. */
function trailingPunct(t: string): number {
  let b = t.length;
  while (b > 0 && isCloseWrap(t.charCodeAt(b - 1))) b--;
  return b;
}

/** DATE_WORDS as written in logs: `jan`, `Jan`, `JAN`, looked up without lower-casing. */
const DATE_FORMS = new Set(
  [...DATE_WORDS].flatMap((w) => [w, w[0]?.toUpperCase() + w.slice(1), w.toUpperCase()]),
);

function isDateWord(t: string): boolean {
  if (t.length < 3 || t.length > 10 || !isLetter(t.charCodeAt(0))) return false;
  const b = trailingPunct(t);
  return b >= 3 && DATE_FORMS.has(b === t.length ? t : t.slice(0, b));
}

/** Which tokens of the message being masked hold a `<*>` (reused between calls). */
let masked = new Uint8Array(64);

/** `<*>` alone or wrapped in a little punctuation: `(<*>)`, `<*>,`. */
const isWildAt = (tokens: string[], i: number): boolean =>
  masked[i] === 1 && (tokens[i] as string).length <= 6;

/**
 * Units after a number fold into it (`5.2 KB,` -> `<*>,`), day, month and zone
 * names next to a number are part of a date (`Fri Jul <*> <*> PDT <*>`), and repeats
 * of one masked token make one (`blk_1 blk_2 blk_3`, `@0x1 @0x2`).
 */
function fixups(tokens: string[], hashes: Int32Array | null): void {
  let w = 0;
  let wWild = false;
  const n = tokens.length;
  for (let r = 0; r < n; r++) {
    let t = tokens[r] as string;
    let wild = masked[r] === 1;
    let changed = false;
    const prev = w > 0 ? (tokens[w - 1] as string) : '';
    const prevWild = wWild && prev.length <= 6;
    if (!wild) {
      if (prevWild && t.length <= 8) {
        const b = trailingPunct(t);
        if (b > 0 && UNITS.has(t.slice(0, b).toLowerCase())) {
          if (b < t.length) {
            tokens[w - 1] = prev + t.slice(b);
            if (hashes) hashes[w - 1] = hashString(tokens[w - 1] as string);
          }
          continue;
        }
      }
      if ((prevWild || (r + 1 < n && isWildAt(tokens, r + 1))) && isDateWord(t)) {
        t = WILDCARD + t.slice(trailingPunct(t));
        wild = true;
        changed = true;
        // `Fri Jul <*>`: the day before the month is part of the date too.
        if (w > 0 && !wWild && isDateWord(prev)) {
          tokens[w - 1] = WILDCARD + prev.slice(trailingPunct(prev));
          if (hashes) hashes[w - 1] = hashString(tokens[w - 1] as string);
          wWild = true;
        }
      }
    }
    // A list of variables of any length is one variable: `blk_1 blk_2 blk_3` -> `<*>`.
    if (wild && wWild && t === tokens[w - 1]) continue;
    if (hashes && (changed || w !== r)) hashes[w] = changed ? hashString(t) : (hashes[r] as number);
    tokens[w++] = t;
    wWild = wild;
  }
  tokens.length = w;
}

/** FNV-1a over UTF-16 code units: the token hash the miner keys its tables with. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export const WILDCARD_HASH = hashString(WILDCARD);

// Character classes of the scanner, OR-ed over a token: one table load per character.
const SPACE = 1;
/** A letter a-f / A-F. */
const HEX_LETTER = 2;
/** Any other letter. */
const LETTER = 4;
/** A digit, '/', '\\' or '@': the token may hold a variable. */
const SPECIAL = 8;
/** '.' or ':': special when a letter follows (host names, `key:value`). */
const DOT_COLON = 16;
const EQ = 32;
/** Anything else, including every non-ASCII character. */
const OTHER = 64;
const CHAR_CLASS = new Uint8Array(128).map((_, c) => {
  if (c <= C.Space) return SPACE;
  if (isHexLetter(c)) return HEX_LETTER;
  if (isLetter(c)) return LETTER;
  if (isDigit(c) || c === C.Slash || c === C.Backslash || c === C.At) return SPECIAL;
  if (c === C.Dot || c === C.Colon) return DOT_COLON;
  if (c === C.Eq) return EQ;
  return OTHER;
});

/** Filled by `maskTokens` when asked. */
export interface MaskInfo {
  /** Whether any token was masked. */
  masked: boolean;
  /** `hashString` of each token (grown when too short), computed while scanning. */
  hashes: Int32Array;
}

/**
 * Splits a message on whitespace and masks its variable parts.
 * Never throws; an empty or blank message gives no tokens.
 */
export function maskTokens(message: string, info?: MaskInfo): string[] {
  const out: string[] = [];
  const n = message.length;
  let hashes: Int32Array | null = null;
  if (info) hashes = info.hashes;
  let anyMasked = 0;
  let i = 0;
  while (i < n) {
    let c = message.charCodeAt(i);
    if (c <= C.Space) {
      i++;
      continue;
    }
    const s = i;
    // Only tokens with a digit, '=', '/', '\\', '@', or an inner ':' or '.', can hold a
    // variable other than true/false/null or letter-only hex: the rest are sliced as is.
    let flags = 0;
    let h = 0x811c9dc5;
    while (i < n) {
      c = message.charCodeAt(i);
      const k = c < 128 ? (CHAR_CLASS[c] as number) : OTHER;
      if (k === SPACE) break;
      h = Math.imul(h ^ c, 0x01000193);
      flags |= k;
      if ((k & (DOT_COLON | EQ)) !== 0) {
        if (k === EQ) {
          // key="a quoted value" is one token even with spaces inside.
          const q = i + 1 < n ? message.charCodeAt(i + 1) : 0;
          if (q === C.Quote || q === C.Apos) {
            const limit = Math.min(n, i + MAX_QUOTED);
            for (let j = i + 2; j < limit; j++) {
              if (message.charCodeAt(j) === q) {
                i = j;
                break;
              }
            }
          }
        } else if (i + 1 < n && isLetter(message.charCodeAt(i + 1))) flags |= SPECIAL;
      }
      i++;
    }
    const special = (flags & (SPECIAL | EQ)) !== 0;
    const hexLetters = (flags & ~HEX_LETTER) === 0;
    const len = i - s;
    let t = message.slice(s, i);
    let m = 0;
    if (special) {
      const before = t;
      t = maskToken(t, (flags & EQ) !== 0);
      if (t !== before) m = 1;
      h = t === WILDCARD ? WILDCARD_HASH : hashString(t);
    } else if ((len === 4 || len === 5) && isBoolOrNull(t)) {
      t = WILDCARD;
      h = WILDCARD_HASH;
      m = 1;
    } else if (hexLetters && len >= 8) {
      t = WILDCARD;
      h = WILDCARD_HASH;
      m = 1;
    }
    const k = out.length;
    if (k >= masked.length) {
      const grown = new Uint8Array(masked.length * 2);
      grown.set(masked);
      masked = grown;
    }
    masked[k] = m;
    if (hashes !== null) {
      if (k >= hashes.length) {
        const grown = new Int32Array(hashes.length * 2 + 8);
        grown.set(hashes);
        hashes = grown;
        (info as MaskInfo).hashes = grown;
      }
      hashes[k] = h | 0;
    }
    anyMasked |= m;
    out.push(t);
  }
  if (anyMasked === 1 && out.length > 1) fixups(out, hashes);
  if (info) info.masked = anyMasked === 1;
  return out;
}
