/**
 * Cuts the sources of one analysis into pieces that worker threads read in
 * parallel: a large plain file becomes byte ranges, cut where a new event
 * starts (never inside a stack trace); a gzip file or standard input is one
 * piece, since neither can be entered in the middle.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { mayCutBefore } from '../../analysis/read/cut.js';
import { createReader, type LogFormat } from '../../analysis/read/index.js';
import type { LogSource } from './sources.js';

/** A part of one source. */
export interface Piece {
  source: LogSource;
  /** Byte range [start, end) of the file; undefined: the whole source. */
  start?: number;
  end?: number;
  /** Which part of its source this is (0 for the first). */
  part: number;
  /** The format found at the head of the file, for the parts after the first. */
  format?: LogFormat;
}

/** The smallest piece worth a thread of its own. */
export const DEFAULT_PIECE_BYTES = 32 << 20;
/** How far past a nominal cut we look for the start of an event. */
const MAX_SEARCH_BYTES = 1 << 20;
const WINDOW_BYTES = 64 << 10;
const NEWLINE = 10;

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  const n = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

/**
 * The first offset at or after `from` where a line starts that begins an
 * event (see isCandidate): not blank, not indented, not a stack frame.
 * Undefined when none is found within MAX_SEARCH_BYTES or before `limit`.
 */
export function eventStartAfter(fd: number, from: number, limit: number): number | undefined {
  const decoder = new TextDecoder();
  for (let offset = from; offset < Math.min(limit, from + MAX_SEARCH_BYTES); ) {
    const window = readAt(fd, offset, WINDOW_BYTES);
    if (window.length === 0) return undefined;
    // The whole lines of the window, each judged with the line before it (see mayCutBefore).
    let previous: string | undefined;
    let lastStart = -1;
    let newline = window.indexOf(NEWLINE);
    while (newline >= 0) {
      const lineStart = newline + 1;
      const lineEnd = window.indexOf(NEWLINE, lineStart);
      if (lineEnd < 0) break; // runs past the window
      if (offset + lineStart >= limit) return undefined;
      const line = decoder.decode(window.subarray(lineStart, lineEnd));
      if (previous !== undefined && mayCutBefore(previous, line)) return offset + lineStart;
      previous = line;
      lastStart = lineStart;
      newline = lineEnd;
    }
    // Go on from the newline before the last whole line (it is the next
    // window's first), else from the last newline, else past the window:
    // always forward.
    offset += lastStart > 1 ? lastStart - 1 : newline > 0 ? newline : window.length;
  }
  return undefined;
}

/** Bytes read from each end of a file for `fileEnds`: hundreds of lines. */
const END_BYTES = 64 << 10;

/**
 * A sample of a file's events whose times span nearly as much as the whole
 * file's, for AnalyzerLimits.start: whole lines from the first 64 KB, and
 * the last 64 KB from the start of an event (see eventStartAfter). Only the
 * first `size` bytes count, the size the pieces were planned for: a log
 * still being written must not lend the sample lines no piece reads. Never
 * a line cut short, whose stamp could read as another time. Only the head
 * when the file is small or no event start is found near its end.
 */
export function fileEnds(path: string, size: number): Uint8Array[] {
  const fd = openSync(path, 'r');
  try {
    let head = readAt(fd, 0, Math.min(size, END_BYTES));
    if (size > END_BYTES) head = head.subarray(0, head.lastIndexOf(NEWLINE) + 1);
    if (size <= 2 * END_BYTES) return [head];
    const tail = eventStartAfter(fd, size - END_BYTES, size);
    return tail === undefined ? [head] : [head, readAt(fd, tail, size - tail)];
  } finally {
    closeSync(fd);
  }
}

/** The format the reader detects at the head of a file. */
export function detectFileFormat(fd: number, name: string): LogFormat | undefined {
  const reader = createReader({ source: name });
  reader.push(readAt(fd, 0, 256 << 10));
  if (reader.stats().format === undefined) reader.end();
  return reader.stats().format;
}

/**
 * Pieces of at least `pieceBytes`, about `perWorker` per worker so that
 * threads finish together even when files differ in size.
 */
export function planPieces(
  sources: readonly LogSource[],
  options: { workers: number; pieceBytes?: number },
): Piece[] {
  const pieceBytes = options.pieceBytes ?? DEFAULT_PIECE_BYTES;
  const total = sources.reduce((sum, s) => sum + (s.gzip ? 0 : (s.size ?? 0)), 0);
  const target = Math.max(pieceBytes, Math.ceil(total / (options.workers * 4)));
  const pieces: Piece[] = [];
  for (const source of sources) {
    const size = source.size ?? 0;
    if (!source.path || source.gzip || size < 2 * target) {
      pieces.push({ source, part: 0 });
      continue;
    }
    const fd = openSync(source.path, 'r');
    try {
      const format = detectFileFormat(fd, source.name);
      // Equal pieces, so that the last one is not left running alone.
      const count = Math.max(1, Math.round(size / target));
      let start = 0;
      let part = 0;
      while (start < size) {
        const nominal = Math.round(((part + 1) * size) / count);
        const cut =
          part + 1 < count ? eventStartAfter(fd, Math.max(nominal, start + 1), size) : undefined;
        const end = cut ?? size;
        pieces.push({ source, start, end, part, ...(part > 0 && format ? { format } : {}) });
        start = end;
        part++;
      }
    } finally {
      closeSync(fd);
    }
  }
  return pieces;
}
