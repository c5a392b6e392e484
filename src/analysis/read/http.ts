/* HTTP request targets: path, query and method, split by hand. */

function decodePart(s: string): string {
  const plus = s.indexOf('+') !== -1;
  if (!plus && s.indexOf('%') === -1) return s;
  const spaced = plus ? s.replaceAll('+', ' ') : s;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * "a=1&b=x%20y&flag" -> { a: '1', b: 'x y', flag: '' }; a repeated key keeps
 * its last value; undefined when there is no parameter.
 */
export function parseQuery(q: string): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  const n = q.length;
  const encoded = q.indexOf('%') !== -1 || q.indexOf('+') !== -1;
  let i = 0;
  while (i < n) {
    let amp = q.indexOf('&', i);
    if (amp === -1) amp = n;
    if (amp > i) {
      const eq = q.indexOf('=', i);
      let key: string;
      let value: string;
      if (eq !== -1 && eq < amp) {
        key = q.slice(i, eq);
        value = q.slice(eq + 1, amp);
        if (encoded) {
          key = decodePart(key);
          value = decodePart(value);
        }
      } else {
        key = encoded ? decodePart(q.slice(i, amp)) : q.slice(i, amp);
        value = '';
      }
      if (key !== '' && key !== '__proto__') {
        if (out === undefined) out = {};
        out[key] = value;
      }
    }
    i = amp + 1;
  }
  return out;
}

/** Result of splitTarget(). */
export const targetOut: { path: string; query: string | undefined } = {
  path: '',
  query: undefined,
};

/**
 * A request target ("/a/b?x=1#f", "https://host/a?x=1", "*") into its path
 * (origin and fragment removed) and raw query (without "?").
 */
export function splitTarget(target: string): void {
  let start = 0;
  const c = target.charCodeAt(0);
  if (c === 104 || c === 72) {
    // absolute form: http://host/path
    const scheme = target.indexOf('://');
    if (scheme > 0 && scheme <= 5) {
      const slash = target.indexOf('/', scheme + 3);
      if (slash === -1) {
        targetOut.path = '/';
        targetOut.query = undefined;
        const q = target.indexOf('?', scheme + 3);
        if (q !== -1) targetOut.query = target.slice(q + 1);
        return;
      }
      start = slash;
    }
  }
  let end = target.length;
  const hash = target.indexOf('#', start);
  if (hash !== -1) end = hash;
  const q = target.indexOf('?', start);
  if (q !== -1 && q < end) {
    targetOut.path = target.slice(start, q);
    targetOut.query = target.slice(q + 1, end);
  } else {
    targetOut.path = start === 0 && end === target.length ? target : target.slice(start, end);
    targetOut.query = undefined;
  }
}

/** An HTTP method token: 1-16 upper-case letters or underscores. */
export function isMethod(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 16) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}
