import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter, unfinishedFrom } from './lines.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function split(chunks: Uint8Array[], max?: number) {
  const splitter = new LineSplitter(max);
  const lines: string[] = [];
  const sink = { line: (text: string) => lines.push(text) };
  for (const chunk of chunks) splitter.push(chunk, sink);
  splitter.end(sink);
  return { lines, truncated: splitter.truncated, dropped: splitter.droppedChars };
}

/** What the splitter must produce: one decode of everything, cut at "\n". */
function reference(input: Uint8Array, max = 65_536) {
  const lines = new TextDecoder().decode(input).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let truncated = 0;
  let dropped = 0;
  const out = lines.map((line) => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.length <= max) return text;
    truncated++;
    dropped += text.length - max;
    return text.slice(0, max);
  });
  return { lines: out, truncated, dropped };
}

/** Cuts bytes at the given (sorted, deduplicated) offsets. */
function cut(input: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (input.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(input.subarray(from, p));
    from = p;
  }
  chunks.push(input.subarray(from));
  return chunks;
}

describe('LineSplitter', () => {
  it('cuts at \\n and \\r\\n, keeps empty lines and a last line without newline', () => {
    expect(split([bytes('a\nb\r\n\nc\rd\r\ne')]).lines).toEqual(['a', 'b', '', 'c\rd', 'e']);
    expect(split([bytes('a\n')]).lines).toEqual(['a']);
    expect(split([bytes('')]).lines).toEqual([]);
    expect(split([bytes('\n\n')]).lines).toEqual(['', '']);
  });

  it('joins lines and characters split across chunks', () => {
    const input = bytes('héllo wörld €1 😀\r\nsecond line\n');
    for (let k = 0; k <= input.length; k++) {
      expect(split([input.subarray(0, k), input.subarray(k)]).lines).toEqual([
        'héllo wörld €1 😀',
        'second line',
      ]);
    }
    expect(split([...input].map((b) => Uint8Array.of(b))).lines).toEqual([
      'héllo wörld €1 😀',
      'second line',
    ]);
  });

  it('turns invalid bytes into U+FFFD without throwing', () => {
    const input = Uint8Array.of(0x61, 0xff, 0x62, 0xc3, 0x0a, 0xe2, 0x82, 0x0a, 0xf0, 0x9f);
    expect(split([input]).lines).toEqual(['a\ufffdb\ufffd', '\ufffd', '\ufffd']);
  });

  it('drops a byte order mark at the start only', () => {
    const input = bytes('\ufeffa\n\ufeffb\n');
    expect(split([input]).lines).toEqual(['a', '\ufeffb']);
    expect(split([input.subarray(0, 2), input.subarray(2)]).lines).toEqual(['a', '\ufeffb']);
  });

  it('cuts long lines and counts what it drops, whatever the chunks', () => {
    const input = bytes(
      'abcdefghijklmnop\nshort\n0123456789\r\n0123456789X\r\ntail-without-newline',
    );
    const want = {
      lines: ['abcdefghij', 'short', '0123456789', '0123456789', 'tail-witho'],
      truncated: 3,
      dropped: 6 + 1 + 10,
    };
    expect(split([input], 10)).toEqual(want);
    for (let size = 1; size < 12; size++) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < input.length; at += size) chunks.push(input.subarray(at, at + size));
      expect(split(chunks, 10)).toEqual(want);
    }
  });

  it('decodes large chunks in pieces and keeps characters whole at the seams', () => {
    const line = 'é'.repeat(40_000); // 80,000 bytes: the 64 KiB seam falls inside a character
    const input = bytes(`${line}\n${line}`);
    expect(split([input], 100_000).lines).toEqual([line, line]);
  });

  it('finds where an unfinished UTF-8 character starts', () => {
    const euro = bytes('a€'); // 61 e2 82 ac
    expect(unfinishedFrom(euro, 0, 4)).toBe(4);
    expect(unfinishedFrom(euro, 0, 3)).toBe(1);
    expect(unfinishedFrom(euro, 0, 2)).toBe(1);
    expect(unfinishedFrom(euro, 0, 1)).toBe(1);
    // E0 80 is already invalid (E0 needs A0-BF next): nothing to wait for
    expect(unfinishedFrom(Uint8Array.of(0x61, 0xe0, 0x80), 0, 3)).toBe(3);
    expect(unfinishedFrom(Uint8Array.of(0x61, 0xf0, 0x9f, 0x98), 0, 4)).toBe(1);
  });

  it('gives the same lines as one decode of the whole input, however it is cut', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (input, offsets, max) => {
          expect(split(cut(input, offsets), max)).toEqual(reference(input, max));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same lines for text with multi-byte characters and line breaks', () => {
    const text = fc
      .array(fc.constantFrom('a', 'é', '€', '😀', '\n', '\r', '\r\n', ' ', '\ufeff', 'xyz'), {
        maxLength: 60,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), (t, offsets) => {
        const input = bytes(t);
        expect(split(cut(input, offsets), 6)).toEqual(reference(input, 6));
      }),
      { numRuns: 500 },
    );
  });
});
