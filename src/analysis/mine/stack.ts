/**
 * Stack-trace fingerprints: the same failure gets the same short id on every host and
 * build. A fingerprint is made of the exception type and the top application frames
 * (nearest the throw), each reduced to "where in the code" without line or column
 * numbers, memory addresses, lambda / anonymous-class / closure ids or install paths.
 * Frames of runtimes and frameworks (java.*, org.springframework.*, node:internal,
 * node_modules, site-packages, Go's runtime, gems...) are skipped: they are the same
 * for every failure and move with upgrades.
 *
 * `parseStackTrace` reads Java (and other JVM), Python, Node.js, Go and Ruby traces.
 */
import { maskTokens } from './mask.js';

export type StackLanguage = 'java' | 'python' | 'node' | 'go' | 'ruby' | 'unknown';

export interface ParsedStack {
  language: StackLanguage;
  /** The exception type (Go: the masked panic message). '' when none was found. */
  exceptionType: string;
  message: string;
  /** Frames nearest the throw first, as written (location included). */
  frames: string[];
}

export interface StackSignature {
  /** 16 hex digits: FNV-1a 64 of the type and the frames below. */
  fingerprint: string;
  /** Human-readable: `Type @ frame <- frame <- frame`. */
  signature: string;
  exceptionType: string;
  /** The normalized frames the fingerprint is made of. */
  frames: string[];
}

/** No frame is longer; longer lines are cut before the frame patterns look at them. */
const MAX_LINE = 2000;
const clip = (line: string): string => (line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line);

/** Application frames a fingerprint is made of. */
export const FINGERPRINT_FRAMES = 5;

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;

/** FNV-1a 64 over the UTF-8 bytes of a string, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let h = FNV64_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV64_PRIME) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Namespaces and paths of runtimes, standard libraries and frameworks. */
const FRAMEWORK_PREFIXES = [
  // JVM
  'java.',
  'javax.',
  'jakarta.',
  'sun.',
  'com.sun.',
  'jdk.',
  'kotlin.',
  'kotlinx.',
  'scala.',
  'groovy.',
  'org.codehaus.groovy.',
  'org.springframework.',
  'org.apache.catalina.',
  'org.apache.coyote.',
  'org.apache.tomcat.',
  'org.eclipse.jetty.',
  'io.netty.',
  'reactor.',
  'org.hibernate.',
  'com.fasterxml.jackson.',
  'org.junit.',
  'junit.',
  // Node
  'node:',
  'internal/',
  // Go standard library
  'runtime.',
  'runtime/',
  'reflect.',
  'sync.',
  'testing.',
  'net/http.',
  'net.',
  'syscall.',
  'os.',
];

const FRAMEWORK_PARTS = [
  'node_modules',
  'node:internal',
  '(internal/',
  '<anonymous>',
  '(native)',
  'site-packages',
  'dist-packages',
  '/usr/lib/python',
  '/usr/local/lib/python',
  '/lib/python3',
  '/lib/python2',
  '<frozen ',
  '/usr/local/go/src/',
  '/go/src/runtime/',
  '/libexec/src/',
  '/go/pkg/mod/',
  '/gems/',
  '/rubygems',
  '/lib/ruby/',
  '<internal:',
  // Node built-ins without a file: `at async Promise.all (index 0)`, `at Array.map (native)`
  '(index ',
];

/** Whether a frame (as written, or normalized) belongs to a runtime or framework. */
export function isFrameworkFrame(frame: string): boolean {
  const f = frame.trim().replace(/^at\s+/, '');
  for (const p of FRAMEWORK_PREFIXES) if (f.startsWith(p)) return true;
  for (const p of FRAMEWORK_PARTS) if (f.includes(p)) return true;
  return false;
}

/**
 * The file name of a path, without line and column: install roots, release and build
 * directories differ between hosts, and the function name beside it says the rest.
 */
function shortPath(path: string): string {
  const clean = path
    .replace(/^file:\/\//, '')
    .replace(/[?#].*$/, '')
    .replace(/:\d+(:\d+)?$/, '')
    .replace(/\\/g, '/');
  const parts = clean.split('/').filter((p) => p !== '');
  return parts.at(-1) ?? clean;
}

/** Removes what changes between builds and runs from a code location. */
function stripIds(s: string): string {
  return (
    s
      .replace(/0x[0-9a-fA-F]+/g, '')
      // Java lambdas and generated classes: lambda$run$12, $$Lambda$45/..., $$EnhancerBySpringCGLIB$$1a2b
      .replace(/\$\$Lambda(\$\d+)?(\/[\w$]*)?/g, '$$$$Lambda')
      .replace(/(lambda\$[\w]+?)\$\d+/g, '$1')
      .replace(/\$\$([A-Za-z]+)\$\$[0-9a-f]+/g, '$$$$$1')
      // anonymous inner classes Foo$1, Go closures func1 / func2.3, JS <anonymous>
      .replace(/\$\d+/g, '$$')
      .replace(/\bfunc\d+(\.\d+)*/g, 'func')
      .replace(/\bblock \(\d+ levels\) in /g, 'block in ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

const JAVA_FRAME = /^\s*at\s+(?:[\w.-]+\/\/?)?([\w$.<>/-]+)\((.*)\)\s*$/;
const JAVA_EXCEPTION =
  /^\s*(?:Caused by:\s*|Suppressed:\s*|Exception in thread "[^"]*"\s+)?([A-Za-z_$][\w$]*(?:\.[\w$]+)*)(?::\s*(.*))?$/;
const NODE_FRAME = /^\s*at\s+(?:async\s+)?(?:new\s+)?(?:(.+?)\s+\((.+?)\)|(.+?))\s*$/;
const PY_FRAME = /^\s*File "(.+)", line \d+, in (.+)$/;
const PY_EXCEPTION = /^([A-Za-z_][\w.]*)(?::\s*(.*))?$/;
const GO_FUNC = /^(.+)\([^()]*\)$/;
const GO_FILE = /^\s+(\S+\.go):\d+(?:\s+\+0x[0-9a-f]+)?$/;
const RUBY_FRAME = /^\s*(?:from\s+)?(.+?):(\d+):in [`'](.+?)'(?::\s*(.*))?$/;
const RUBY_TYPE = /\(([A-Z][\w:]*)\)\s*$/;
const BARE_FRAME = /^[\w$<>~-]*[./][\w$<>~.*()/-]*$/;

/**
 * Normalizes one frame as written into `where` form, or '' when the line is no frame
 * (`... 5 more`, `Caused by: ...`, a Python source line), so raw stack lines can be
 * passed as they are.
 */
export function normalizeFrame(frame: string): string {
  const line = clip(frame.replace(/\r$/, ''));
  let m = RUBY_FRAME.exec(line);
  if (m && !line.trimStart().startsWith('at ')) {
    return stripIds(`${shortPath(m[1] as string)} in ${rubyMethod(m[3] as string)}`);
  }
  m = PY_FRAME.exec(line);
  if (m) return stripIds(`${shortPath(m[1] as string)} in ${m[2]}`);
  m = JAVA_FRAME.exec(line);
  if (m && !/:\d+:\d+$/.test(m[2] as string)) return stripIds(m[1] as string);
  m = NODE_FRAME.exec(line);
  if (m) {
    if (m[2] !== undefined) {
      const fn = (m[1] as string).replace(/^Object\./, '').replace(/ \[as [^\]]+\]$/, '');
      return stripIds(`${fn} (${shortPath(m[2])})`);
    }
    return stripIds(`anonymous (${shortPath(m[3] as string)})`);
  }
  const t = line.trim().replace(/^created by /, '');
  m = GO_FUNC.exec(t);
  if (m && !/\s/.test(m[1] as string)) return stripIds(m[1] as string);
  // A bare qualified name (`main.(*Server).handle`, `com.a.B.c`) is a frame too.
  if (BARE_FRAME.test(t)) return stripIds(t);
  return '';
}

function rubyMethod(m: string): string {
  // `Foo#bar`, `block in baz`, `<main>`
  return m.replace(/^rescue in /, '');
}

/** The fingerprint of a failure from its exception type and frames (nearest first). */
export function stackFingerprint(exceptionType: string, frames: string[]): string {
  return describeStack(exceptionType, frames).fingerprint;
}

/** Fingerprint, readable signature and the frames they were made of. */
export function describeStack(
  exceptionType: string,
  frames: string[],
  depth: number = FINGERPRINT_FRAMES,
): StackSignature {
  const type = normalizeType(exceptionType);
  const all: { raw: string; norm: string }[] = [];
  for (const f of frames) {
    const norm = normalizeFrame(f);
    if (norm !== '') all.push({ raw: f, norm });
  }
  let picked = all.filter((f) => !isFrameworkFrame(f.raw) && !isFrameworkFrame(f.norm));
  // A failure entirely inside frameworks is still told apart by where it happened.
  if (picked.length === 0) picked = all;
  const top = picked.slice(0, Math.max(1, depth)).map((f) => f.norm);
  const fingerprint = fnv1a64([type, ...top].join('\n'));
  const signature = top.length > 0 ? `${type} @ ${top.join(' <- ')}` : type;
  return { fingerprint, signature, exceptionType: type, frames: top };
}

/** Exception types keep their name; messages used as types (Go panics) are masked. */
function normalizeType(type: string): string {
  const t = type.trim();
  if (t === '') return '<unknown>';
  if (/^[\w$.:]+(\s*\[[\w-]+\])?$/.test(t)) return t;
  return maskTokens(t).join(' ');
}

/** Parses a stack trace given as lines; frames come out nearest the throw first. */
export function parseStackTrace(lines: string[]): ParsedStack {
  const ls = lines.flatMap((l) => l.split(/\r?\n/)).map(clip);
  if (ls.some((l) => /^goroutine \d+ \[/.test(l) || l.startsWith('panic: '))) return parseGo(ls);
  if (ls.some((l) => l.startsWith('Traceback (most recent call last)'))) return parsePython(ls);
  const ruby = ls.findIndex((l) => RUBY_FRAME.test(l) && !l.trimStart().startsWith('at '));
  const at = ls.findIndex((l) => /^\s*at\s/.test(l));
  if (ruby >= 0 && (at < 0 || ruby < at)) return parseRuby(ls);
  if (at >= 0) {
    const frameLines = ls.filter((l) => /^\s*at\s/.test(l));
    const node = frameLines.some((l) => /:\d+:\d+\)?\s*$/.test(l));
    return node ? parseNode(ls) : parseJava(ls);
  }
  return { language: 'unknown', exceptionType: '', message: ls[0]?.trim() ?? '', frames: [] };
}

/** Java: the root cause (last "Caused by:") and its frames. */
function parseJava(ls: string[]): ParsedStack {
  let type = '';
  let message = '';
  let frames: string[] = [];
  for (const l of ls) {
    if (/^\s*at\s/.test(l)) {
      frames.push(l.trim());
      continue;
    }
    if (/^\s*\.\.\. \d+ (more|common frames omitted)/.test(l) || l.trim() === '') continue;
    const m = JAVA_EXCEPTION.exec(l.trim());
    const isCause = /^\s*Caused by:/.test(l);
    if (m && (type === '' || isCause)) {
      if (/^\s*Suppressed:/.test(l)) continue;
      type = m[1] as string;
      message = m[2] ?? '';
      frames = [];
    }
  }
  return { language: 'java', exceptionType: type, message, frames };
}

/** Python: the first traceback (the original error); frames are listed outermost first. */
function parsePython(ls: string[]): ParsedStack {
  const blocks: { frames: string[]; type: string; message: string }[] = [];
  let cur: { frames: string[]; type: string; message: string } | null = null;
  for (const l of ls) {
    if (l.startsWith('Traceback (most recent call last)')) {
      cur = { frames: [], type: '', message: '' };
      blocks.push(cur);
      continue;
    }
    if (!cur) continue;
    if (PY_FRAME.test(l)) {
      cur.frames.push(l.trim());
      continue;
    }
    if (cur.type === '' && l !== '' && !/^\s/.test(l)) {
      const m = PY_EXCEPTION.exec(l.trim());
      if (m) {
        cur.type = m[1] as string;
        cur.message = m[2] ?? '';
      }
    }
  }
  const first = blocks[0];
  if (!first) return { language: 'python', exceptionType: '', message: '', frames: [] };
  return {
    language: 'python',
    exceptionType: first.type,
    message: first.message,
    frames: first.frames.reverse(),
  };
}

function parseNode(ls: string[]): ParsedStack {
  let type = '';
  let message = '';
  const frames: string[] = [];
  for (const l of ls) {
    if (/^\s*at\s/.test(l)) {
      frames.push(l.trim());
      continue;
    }
    if (type === '' && l.trim() !== '' && frames.length === 0) {
      const t = l.trim().replace(/^Uncaught\s+/, '');
      const i = t.indexOf(': ');
      type = i < 0 ? t : t.slice(0, i);
      message = i < 0 ? '' : t.slice(i + 2);
    }
  }
  return { language: 'node', exceptionType: type, message, frames };
}

/** Go: the panic message (masked) and the panicking goroutine's frames. */
function parseGo(ls: string[]): ParsedStack {
  let message = '';
  const frames: string[] = [];
  let inGoroutine = false;
  let done = false;
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i] as string;
    if (l.startsWith('panic: ') && message === '') {
      message = l.slice('panic: '.length).replace(/\s*\[recovered\]$/, '');
      continue;
    }
    if (/^goroutine \d+ \[/.test(l)) {
      if (inGoroutine) done = true;
      inGoroutine = true;
      continue;
    }
    if (!inGoroutine || done) continue;
    const next = ls[i + 1];
    if (!/^\s/.test(l) && l.trim() !== '' && next !== undefined && GO_FILE.test(next)) {
      const file = (GO_FILE.exec(next) as RegExpExecArray)[1] as string;
      const fn = l
        .trim()
        .replace(/^created by /, '')
        .replace(/ in goroutine \d+$/, '')
        .replace(/\([^()]*\)$/, '');
      frames.push(`${fn} ${file}`);
      i++;
    }
  }
  const goFrames = frames.map((f) => {
    const sp = f.lastIndexOf(' ');
    const fn = f.slice(0, sp);
    const file = f.slice(sp + 1);
    return isFrameworkFrame(file) ? `runtime/${fn}` : fn;
  });
  const type = message === '' ? 'panic' : `panic: ${message}`;
  return { language: 'go', exceptionType: type, message, frames: goFrames };
}

/** Ruby: `file:line:in 'method': message (Type)` then `from file:line:in 'method'`. */
function parseRuby(ls: string[]): ParsedStack {
  let type = '';
  let message = '';
  const frames: string[] = [];
  for (const l of ls) {
    const m = RUBY_FRAME.exec(l);
    if (!m || l.trimStart().startsWith('at ')) {
      // "NoMethodError (undefined method ...):" as Rails logs it
      const head = /^([A-Z][\w:]*) \((.*)\):?$/.exec(l.trim());
      if (head && type === '') {
        type = head[1] as string;
        message = head[2] as string;
      }
      continue;
    }
    frames.push(l.trim());
    if (type === '' && m[4] !== undefined) {
      const t = RUBY_TYPE.exec(m[4]);
      if (t) {
        type = t[1] as string;
        message = m[4].slice(0, t.index).trim();
      } else message = m[4];
    }
  }
  return { language: 'ruby', exceptionType: type, message, frames };
}

/** Parses a trace and fingerprints it. */
export function fingerprintStackTrace(
  lines: string[],
): StackSignature & { language: StackLanguage } {
  const parsed = parseStackTrace(lines);
  return { ...describeStack(parsed.exceptionType, parsed.frames), language: parsed.language };
}
