/**
 * Text for HTML and XML: every character that could open markup escaped, and
 * those XML 1.0 cannot hold at all (control characters, lone surrogates,
 * U+FFFE and U+FFFF) replaced, so that any text a person typed in an update
 * leaves the feed well-formed and the page free of markup it did not write.
 */
const MARKUP: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Whether XML 1.0 may hold the code unit at `i` (tab, newline and return are the only controls). */
function allowedInXml(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code === 0xfffe || code === 0xffff) return false;
  if (isHigh(code)) return isLow(text.charCodeAt(i + 1));
  if (isLow(code)) return i > 0 && isHigh(text.charCodeAt(i - 1));
  return true;
}

export function escapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    out += allowedInXml(text, i) ? (MARKUP[c] ?? c) : '\ufffd';
  }
  return out;
}
