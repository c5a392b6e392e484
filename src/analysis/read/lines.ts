/*
 * Bytes to lines. Chunks are decoded in pieces of at most 64 KiB, each cut at
 * a character boundary (the bytes of a character split across chunks wait
 * for the next chunk), with a non-streaming TextDecoder: in Node 20 that is
 * several times faster than `{ stream: true }`, and strings past 128 KiB are
 * slow to make. The output is the same as one streaming decode of the whole
 * input: invalid bytes become U+FFFD and never throw, a BOM is dropped only
 * at the very start. Lines are cut at "\n" with indexOf; "\r\n" loses its
 * "\r". A line longer than `max` UTF-16 code units (64 KiB for ASCII by
 * default) keeps its first `max` units; the rest is dropped and counted, and
 * memory stays bounded however long the line runs. Nothing depends on where
 * the chunks are cut.
 */

export interface LineSink {
  line(text: string): void;
}

const PIECE = 65_536;

/**
 * Where an unfinished UTF-8 sequence starts at the end of bytes[from, to),
 * following the WHATWG decoder (a sequence that is already invalid is not
 * unfinished: the decoder has replaced it); `to` when there is none.
 */
export function unfinishedFrom(bytes: Uint8Array, from: number, to: number): number {
  const stop = Math.max(from, to - 3);
  for (let k = to - 1; k >= stop; k--) {
    const b = bytes[k] ?? 0;
    if (b < 0x80) return to;
    if (b < 0xc0) continue;
    let needed: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) needed = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      needed = 2;
      if (b === 0xe0) lower = 0xa0;
      else if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      needed = 3;
      if (b === 0xf0) lower = 0x90;
      else if (b === 0xf4) upper = 0x8f;
    } else {
      return to;
    }
    if (to - 1 - k >= needed) return to;
    for (let j = k + 1; j < to; j++) {
      const c = bytes[j] ?? 0;
      if (c < lower || c > upper) return to;
      lower = 0x80;
      upper = 0xbf;
    }
    return k;
  }
  return to;
}

export class LineSplitter {
  /** Lines cut short. */
  truncated = 0;
  /** Code units dropped from them. */
  droppedChars = 0;
  private readonly max: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  /** Bytes of a character split across chunks. */
  private tail: Uint8Array | undefined;
  private started = false;
  /** The start of a line whose end has not arrived yet (at most max + 1 units). */
  private carry = '';
  /** Past max + 1 units of the current line: dropping until its end. */
  private dropping = false;
  private dropped = 0;
  private lastDroppedWasCR = false;

  constructor(max = 65_536) {
    this.max = max;
  }

  push(chunk: Uint8Array, sink: LineSink): void {
    let bytes = chunk;
    const tail = this.tail;
    if (tail !== undefined) {
      this.tail = undefined;
      bytes = new Uint8Array(tail.length + chunk.length);
      bytes.set(tail);
      bytes.set(chunk, tail.length);
    }
    const n = bytes.length;
    let off = 0;
    while (off < n) {
      const end = unfinishedFrom(bytes, off, Math.min(off + PIECE, n));
      if (end === off) {
        // only the start of a character is left
        this.tail = bytes.slice(off, n);
        return;
      }
      this.decode(bytes.subarray(off, end), sink);
      off = end;
    }
  }

  /** Flushes the decoder and emits a final line that has no newline. */
  end(sink: LineSink): void {
    const tail = this.tail;
    if (tail !== undefined) {
      this.tail = undefined;
      this.decode(tail, sink);
    }
    if (this.carry.length > 0 || this.dropping) this.finishCarry(sink);
  }

  private decode(bytes: Uint8Array, sink: LineSink): void {
    let text = this.decoder.decode(bytes);
    if (text.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.feed(text, sink);
  }

  private feed(text: string, sink: LineSink): void {
    const max = this.max;
    const n = text.length;
    let start = 0;
    while (start < n) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) {
        this.hold(text, start, n);
        return;
      }
      if (this.carry.length === 0 && !this.dropping) {
        let end = nl;
        if (end > start && text.charCodeAt(end - 1) === 13) end--;
        if (end - start > max) {
          this.truncated++;
          this.droppedChars += end - start - max;
          end = start + max;
        }
        sink.line(text.slice(start, end));
      } else {
        this.hold(text, start, nl);
        this.finishCarry(sink);
      }
      start = nl + 1;
    }
  }

  /** Keeps text[from, to) as part of the unfinished line. */
  private hold(text: string, from: number, to: number): void {
    if (to <= from) return;
    if (this.dropping) {
      this.dropped += to - from;
      this.lastDroppedWasCR = text.charCodeAt(to - 1) === 13;
      return;
    }
    const room = this.max + 1 - this.carry.length;
    if (to - from <= room) {
      this.carry += text.slice(from, to);
      return;
    }
    // Longer than max + 1: certainly too long, whatever ends it.
    const kept = this.carry + text.slice(from, from + room);
    this.carry = kept.slice(0, this.max);
    this.dropping = true;
    this.dropped = 1 + (to - from - room);
    this.lastDroppedWasCR = text.charCodeAt(to - 1) === 13;
  }

  private finishCarry(sink: LineSink): void {
    let line = this.carry;
    this.carry = '';
    if (this.dropping) {
      this.dropping = false;
      this.truncated++;
      this.droppedChars += this.lastDroppedWasCR ? this.dropped - 1 : this.dropped;
      sink.line(line);
      return;
    }
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.length > this.max) {
      this.truncated++;
      this.droppedChars += line.length - this.max;
      line = line.slice(0, this.max);
    }
    sink.line(line);
  }
}
