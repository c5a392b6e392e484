/**
 * The shape of an input value: what kind of thing it is (a whole number, a
 * decimal, an email address, a list ...) and its traits (negative, longer
 * than 64 characters, non-ASCII ...), never the value itself.
 *
 * Why shapes: a bug that breaks on an input breaks on a kind of input
 * ("amounts with a decimal point", "names with an apostrophe"), and raw
 * values are too many to count (every amount differs) while shapes are a
 * handful, so failures and successes can be compared on them in bounded
 * memory. A value has one kind (the most specific that fits) and any number
 * of traits, packed in one number: the kind in the low 5 bits, the traits
 * above, so the hot path allocates nothing.
 *
 * Written by hand rather than with regular expressions because it runs for
 * every query parameter and structured field of the events the contrast
 * collector counts: one scan of the string with a character table.
 */

export const SHAPE_KINDS = [
  'empty',
  'blank',
  'zero',
  'integer',
  'decimal',
  'comma-number',
  'boolean',
  'uuid',
  'hex',
  'email',
  'url',
  'date',
  'json',
  'list',
  'word',
  'text',
] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

export const SHAPE_TRAITS = [
  'negative',
  'leading-zero',
  'long',
  'non-ascii',
  'control',
  'padded',
  'quote',
] as const;
export type ShapeTrait = (typeof SHAPE_TRAITS)[number];
export type ShapeLabel = ShapeKind | ShapeTrait;

/** Values longer than this are "long". */
export const LONG_VALUE = 64;
const KIND_BITS = 5;
const kind = (name: ShapeKind) => SHAPE_KINDS.indexOf(name);
const trait = (name: ShapeTrait) => 1 << (KIND_BITS + SHAPE_TRAITS.indexOf(name));
const K = Object.fromEntries(SHAPE_KINDS.map((k) => [k, kind(k)])) as Record<ShapeKind, number>;
const T = Object.fromEntries(SHAPE_TRAITS.map((t) => [t, trait(t)])) as Record<ShapeTrait, number>;

const DIGIT = 1;
const HEX_LETTER = 2;
const LETTER = 4;
const WORD_PUNCT = 8; // _ - . : + / as in identifiers, versions and paths
const SPACE = 16;
const SEPARATOR = 32; // , ; |
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = LETTER | (c <= 70 ? HEX_LETTER : 0);
for (let c = 97; c <= 122; c++) CLASS[c] = LETTER | (c <= 102 ? HEX_LETTER : 0);
for (const c of '_-.:+/') CLASS[c.charCodeAt(0)] = WORD_PUNCT;
for (const c of ' \t\r\n') CLASS[c.charCodeAt(0)] = SPACE;
for (const c of ',;|') CLASS[c.charCodeAt(0)] = SEPARATOR;

const BOOLEANS = new Set(['true', 'false', 'yes', 'no', 'on', 'off']);

/** The packed shape of a value (see shapeKind / shapeTraits / shapeLabels). */
export function classifyValue(value: string | number | boolean): number {
  if (typeof value === 'boolean') return K.boolean;
  if (typeof value === 'number') {
    if (value === 0) return K.zero;
    const negative = value < 0 ? T.negative : 0;
    return (Number.isInteger(value) ? K.integer : K.decimal) | negative;
  }
  return classifyString(value);
}

function classifyString(s: string): number {
  const n = s.length;
  if (n === 0) return K.empty;
  let classes = 0;
  let traits = n > LONG_VALUE ? T.long : 0;
  let digits = 0;
  let hexLetters = 0;
  let ats = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) {
      traits |= T['non-ascii'];
      continue;
    }
    const k = CLASS[c] as number;
    classes |= k;
    if (k & DIGIT) digits++;
    else if (k & HEX_LETTER) hexLetters++;
    else if (c === 64) ats++;
    else if (c === 34 || c === 39) traits |= T.quote;
    else if ((c < 32 && !(k & SPACE)) || c === 127) traits |= T.control;
  }
  if (classes === SPACE && !(traits & T['non-ascii'])) return K.blank | traits;
  let core = s;
  if (isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(n - 1))) {
    traits |= T.padded;
    core = s.trim();
  }
  const m = core.length;
  if (digits > 0) {
    const number = numberKind(core);
    if (number >= 0) return number | traits;
  }
  if (m === 36 && isUuid(core)) return K.uuid | traits;
  if (m >= 16 && digits > 0 && hexLetters > 0 && hexLetters + digits === m) return K.hex | traits;
  if (m <= 5 && BOOLEANS.has(core.toLowerCase())) return K.boolean | traits;
  const hasSpace = (classes & SPACE) !== 0 && /\s/.test(core);
  if (ats === 1 && !hasSpace && isEmail(core)) return K.email | traits;
  if (!hasSpace && core.indexOf('://') > 0 && /^[a-z][a-z0-9+.-]*:\/\//i.test(core))
    return K.url | traits;
  if (digits >= 4 && isDate(core)) return K.date | traits;
  const open = core.charCodeAt(0);
  const close = core.charCodeAt(m - 1);
  if ((open === 123 && close === 125) || (open === 91 && close === 93)) return K.json | traits;
  if (classes & SEPARATOR && isList(core)) return K.list | traits;
  const wordish =
    (classes & ~(DIGIT | HEX_LETTER | LETTER | WORD_PUNCT | SPACE)) === 0 && ats === 0 && !hasSpace;
  return (wordish ? K.word : K.text) | traits;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** zero / integer / decimal / comma-number (with negative and leading-zero), else -1. */
function numberKind(s: string): number {
  const sign = s.charCodeAt(0);
  const i = sign === 45 || sign === 43 ? 1 : 0;
  let digits = 0;
  let nonZero = false;
  let separator = -1;
  let exponent = -1;
  for (let j = i; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      digits++;
      if (c !== 48 && exponent < 0) nonZero = true;
    } else if ((c === 46 || c === 44) && separator < 0 && exponent < 0 && digits > 0) separator = j;
    else if ((c === 101 || c === 69) && digits > 0 && exponent < 0) {
      exponent = j;
      const next = s.charCodeAt(j + 1);
      if (next === 45 || next === 43) j++;
    } else return -1;
  }
  const lastChar = s.charCodeAt(s.length - 1);
  if (digits === 0 || lastChar < 48 || lastChar > 57) return -1;
  const comma = separator >= 0 && s.charCodeAt(separator) === 44;
  if (comma && exponent >= 0) return -1;
  if (!nonZero) return K.zero;
  const negative = sign === 45 ? T.negative : 0;
  const intEnd = separator >= 0 ? separator : exponent >= 0 ? exponent : s.length;
  const leadingZero = s.charCodeAt(i) === 48 && intEnd - i > 1 ? T['leading-zero'] : 0;
  const shape = comma ? K['comma-number'] : separator >= 0 || exponent >= 0 ? K.decimal : K.integer;
  return shape | negative | leadingZero;
}

function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    const dash = i === 8 || i === 13 || i === 18 || i === 23;
    if (dash !== (c === 45)) return false;
    if (!dash && !((CLASS[c] ?? 0) & (DIGIT | HEX_LETTER))) return false;
  }
  return true;
}

function isEmail(s: string): boolean {
  const at = s.indexOf('@');
  const dot = s.lastIndexOf('.');
  return at > 0 && dot > at + 1 && dot < s.length - 1;
}

/** 2024-03-14, 2024-03-14T09:15:02Z, 14/03/2024, 03/14/2024 09:15 */
function isDate(s: string): boolean {
  if (s.length < 8) return false;
  return /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})([T ]\d{1,2}:\d{2}.*)?$/.test(s);
}

/** a,b,c or 1;2 or red|blue: at least two non-empty items. */
function isList(s: string): boolean {
  let items = 0;
  let length = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 44;
    if (c === 44 || c === 59 || c === 124) {
      if (length > 0) items++;
      length = 0;
    } else if (c !== 32) length++;
  }
  return items >= 2;
}

export const shapeKind = (shape: number): ShapeKind =>
  SHAPE_KINDS[shape & ((1 << KIND_BITS) - 1)] ?? 'text';

export const shapeTraits = (shape: number): ShapeTrait[] =>
  SHAPE_TRAITS.filter((_, i) => shape & (1 << (KIND_BITS + i)));

/** The kind, then the traits: every label the value counts under. */
export const shapeLabels = (shape: number): ShapeLabel[] => [
  shapeKind(shape),
  ...shapeTraits(shape),
];

/** Label codes: a kind's index, or SHAPE_KINDS.length + a trait's index. */
export const LABEL_COUNT = SHAPE_KINDS.length + SHAPE_TRAITS.length;
export const labelOfCode = (code: number): ShapeLabel =>
  (code < SHAPE_KINDS.length
    ? SHAPE_KINDS[code]
    : SHAPE_TRAITS[code - SHAPE_KINDS.length]) as ShapeLabel;

/** Calls `visit` with the label code of the kind and of each trait of `shape`. */
export function forEachLabelCode(shape: number, visit: (code: number) => void): void {
  visit(shape & ((1 << KIND_BITS) - 1));
  for (let bits = shape >>> KIND_BITS, i = 0; bits; bits >>>= 1, i++)
    if (bits & 1) visit(SHAPE_KINDS.length + i);
}

const PHRASES: Record<ShapeLabel, (name: string) => string> = {
  empty: (n) => `an empty ${n}`,
  blank: (n) => `${n} of only whitespace`,
  zero: (n) => `${n} = 0`,
  integer: (n) => `a whole-number ${n}`,
  decimal: (n) => `${n} with a decimal point`,
  'comma-number': (n) => `${n} written with a comma (1,5)`,
  boolean: (n) => `a true/false ${n}`,
  uuid: (n) => `a UUID in ${n}`,
  hex: (n) => `a hex string in ${n}`,
  email: (n) => `an email address in ${n}`,
  url: (n) => `a URL in ${n}`,
  date: (n) => `a date in ${n}`,
  json: (n) => `JSON in ${n}`,
  list: (n) => `a list in ${n}`,
  word: (n) => `a single word in ${n}`,
  text: (n) => `free text in ${n}`,
  negative: (n) => `a negative ${n}`,
  'leading-zero': (n) => `${n} with a leading zero`,
  long: (n) => `${n} longer than ${LONG_VALUE} characters`,
  'non-ascii': (n) => `non-ASCII characters in ${n}`,
  control: (n) => `control characters in ${n}`,
  padded: (n) => `leading or trailing spaces in ${n}`,
  quote: (n) => `a quote character in ${n}`,
};

/** "`amount` with a decimal point": what a value of that shape looks like, after "have". */
export const describeShape = (name: string, label: ShapeLabel): string =>
  PHRASES[label](`\`${name}\``);
