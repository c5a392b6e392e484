/*
 * Lines that belong to the event above them: stack frames and exception
 * headers of Java, Python, Node, Go and Ruby, and indented lines generally.
 *
 *   Java    "\tat com.x.Y.z(Y.java:12)", "Caused by: ...", "\t... 12 more"
 *   Python  "Traceback (most recent call last):", '  File "x.py", line 3, in f', "ValueError: bad"
 *   Node    "    at handler (/app/server.js:42:11)"
 *   Go      "goroutine 1 [running]:", "main.main()", "\t/app/main.go:20 +0x25"
 *   Ruby    "\tfrom /app/x.rb:12:in `block in run'"
 *
 * A Go `panic:` / `fatal error:` line or a Java `Exception in thread "..."`
 * line starts an event of its own (see crashLevel).
 */
import type { Level } from '../event.js';

const isIdentChar = (c: number) =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 95 ||
  c === 36 ||
  c === 46;

const EXCEPTION_SUFFIXES = [
  'Error',
  'Exception',
  'Exit',
  'Interrupt',
  'Failure',
  'Fault',
  'Throwable',
  'Iteration',
];

/**
 * "java.lang.IllegalStateException: boom", "ValueError: bad", "KeyError",
 * "TypeError: Cannot read ..." (at i). With `qualified`, the name must
 * contain a dot (a package), which plain prose never does.
 */
export function isExceptionHeader(s: string, i: number, qualified: boolean): boolean {
  const first = s.charCodeAt(i);
  if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) return false;
  let j = i + 1;
  let dot = false;
  let c = s.charCodeAt(j);
  while (isIdentChar(c)) {
    if (c === 46) dot = true;
    c = s.charCodeAt(++j);
  }
  if (qualified && !dot) return false;
  // "Name" alone, "Name: text", or "Name:" at the end
  if (!Number.isNaN(c) && !(c === 58 && (j + 1 === s.length || s.charCodeAt(j + 1) === 32)))
    return false;
  for (const suffix of EXCEPTION_SUFFIXES) {
    if (j - i > suffix.length - 1 && s.startsWith(suffix, j - suffix.length)) return true;
  }
  return false;
}

/** "goroutine 12 [running]:" */
function isGoroutineHeader(s: string, i: number): boolean {
  if (!s.startsWith('goroutine ', i)) return false;
  let j = i + 10;
  let c = s.charCodeAt(j);
  if (!(c >= 48 && c <= 57)) return false;
  while (c >= 48 && c <= 57) c = s.charCodeAt(++j);
  return c === 32 && s.charCodeAt(j + 1) === 91;
}

/** "main.handler(0x0)", "net/http.(*conn).serve(0xc0001)", "created by main.main in goroutine 1" */
function isGoFrame(s: string, i: number): boolean {
  if (s.startsWith('created by ', i)) return true;
  const paren = s.indexOf('(', i);
  if (paren <= i || s.charCodeAt(s.length - 1) !== 41) return false;
  const space = s.indexOf(' ', i);
  return space === -1 || space > paren;
}

/** "/app/x.rb:12:in `perform': boom (RuntimeError)", Ruby's first line of a crash. */
function isRubyHeader(s: string, i: number): boolean {
  const at = s.indexOf(':in ', i);
  return at > i && s.charCodeAt(s.length - 1) === 41 && s.indexOf(' (', at) !== -1;
}

/**
 * A line that continues the event above in any format: indented, or a
 * recognised trace header that is never an event of its own.
 */
export function isContinuationLike(s: string): boolean {
  const c = s.charCodeAt(0);
  switch (c) {
    case 32:
    case 9:
      return true;
    case 67: // C
      return s.startsWith('Caused by: ');
    case 83: // S
      return s.startsWith('Suppressed: ');
    case 84: // T
      return (
        s.startsWith('Traceback (most recent call last)') ||
        s.startsWith('The above exception was the direct cause')
      );
    case 68: // D
      return s.startsWith('During handling of the above exception');
    case 46: // .
      return s.startsWith('... ') && s.endsWith(' more');
    case 103: // g
      return isGoroutineHeader(s, 0);
    case 102: // f
      return s.startsWith('from /') && s.indexOf(':in ') !== -1;
    default:
      return isExceptionHeader(s, 0, true);
  }
}

/** Inside a trace already: lines that go on with it though they are not indented. */
export function continuesTrace(s: string): boolean {
  return (
    isExceptionHeader(s, 0, false) ||
    isGoFrame(s, 0) ||
    isRubyHeader(s, 0) ||
    s.startsWith('[signal ') ||
    s.startsWith('exit status ')
  );
}

/**
 * A line that shows an exception, so the event it belongs to is an error:
 * a frame ("at ...", 'File "...', "from ...:in"), a trace header, or an
 * exception name.
 */
export function isTraceLine(s: string): boolean {
  let i = 0;
  let c = s.charCodeAt(0);
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  switch (c) {
    case 97: // a
      return (
        s.startsWith('at ', i) &&
        s.charCodeAt(i + 3) !== 32 &&
        (s.indexOf('(', i) !== -1 || s.indexOf(':', i) !== -1)
      );
    case 70: // F
      return s.startsWith('File "', i);
    case 102: // f
      return s.startsWith('from ', i) && s.indexOf(':in ', i) !== -1;
    case 67: // C
      return s.startsWith('Caused by: ', i);
    case 84: // T
      return s.startsWith('Traceback (most recent call last)', i);
    case 103: // g
      return isGoroutineHeader(s, i);
    case 112: // p
      return s.startsWith('panic: ', i);
    case 46: // .
      return s.startsWith('... ', i) && s.endsWith(' more');
    case 47: // /  Go file lines: "\t/app/main.go:42 +0x1c"
      return s.indexOf('.go:', i) !== -1;
    default:
      return isExceptionHeader(s, i, false) || isRubyHeader(s, i);
  }
}

/**
 * A line that starts a crash report of its own: Go's "panic: ..." and
 * "fatal error: ...", Ruby's "/app/x.rb:12:in `run': boom (RuntimeError)"
 * (fatal: the process dies), Java's 'Exception in thread "main" ...' (error:
 * the thread dies). Its level, else undefined.
 */
export function crashLevel(s: string): Level | undefined {
  const c = s.charCodeAt(0);
  if (c === 112) return s.startsWith('panic: ') ? 'fatal' : undefined;
  if (c === 102) return s.startsWith('fatal error: ') ? 'fatal' : undefined;
  if (c === 69) return s.startsWith('Exception in thread "') ? 'error' : undefined;
  if (c === 47 || c === 46) return isRubyHeader(s, 0) ? 'fatal' : undefined;
  return undefined;
}
