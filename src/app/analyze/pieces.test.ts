import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { eventStartAfter, planPieces } from './pieces.js';
import type { LogSource } from './sources.js';

const dir = mkdtempSync(join(tmpdir(), 'calm-pieces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): LogSource {
  const path = join(dir, name);
  writeFileSync(path, text);
  return { name, path, size: Buffer.byteLength(text), gzip: false, open: () => [] as never };
}

describe('planPieces', () => {
  it('cuts a large file into pieces that start at events and cover it exactly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(`2026-03-14 09:15:${String(i % 60).padStart(2, '0')} ERROR failed ${i}`);
      if (i % 3 === 0) lines.push('java.lang.IllegalStateException: x', '\tat a.B.c(B.java:1)');
    }
    const text = `${lines.join('\n')}\n`;
    const source = file('app.log', text);
    const pieces = planPieces([source], { workers: 2, pieceBytes: 20_000 });
    expect(pieces.length).toBeGreaterThan(4);
    expect(pieces[0]?.start).toBe(0);
    expect(pieces.at(-1)?.end).toBe(source.size);
    for (let i = 1; i < pieces.length; i++) {
      const piece = pieces[i];
      expect(piece?.start).toBe(pieces[i - 1]?.end);
      expect(piece?.format).toBe('plain');
      expect(text.slice(piece?.start, (piece?.start ?? 0) + 11)).toBe('2026-03-14 ');
    }
  });

  it('keeps small files, gzip files and standard input whole', () => {
    const small = file('small.log', 'a\nb\n');
    const stdin: LogSource = { name: 'stdin', open: () => [] as never };
    const pieces = planPieces([small, stdin], { workers: 2, pieceBytes: 1 });
    expect(pieces.map((p) => [p.source.name, p.start, p.end])).toEqual([
      ['small.log', 0, small.size],
      ['stdin', undefined, undefined],
    ]);
  });

  it('always moves forward, whatever the bytes (very long lines, no newlines)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('\n'), fc.constant('x'.repeat(70_000)), fc.string()), {
          maxLength: 8,
        }),
        fc.nat(),
        (parts, at) => {
          const source = file('odd.log', parts.join(''));
          const fd = openSync(source.path as string, 'r');
          try {
            const size = source.size ?? 0;
            const cut = eventStartAfter(fd, size ? at % size : 0, size);
            if (cut !== undefined) expect(cut).toBeLessThanOrEqual(size);
          } finally {
            closeSync(fd);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
