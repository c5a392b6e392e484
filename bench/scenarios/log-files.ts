/**
 * The log files being written: lines are collected per host and file as they
 * are made (out of order: a request's service lines carry its end time, kinds
 * add lines apart) and sorted by time when the files are handed out.
 */
import type { ScenarioFile } from './truth.js';

/** A file's lines and their times, side by side (an object per line was most of the GC's work). */
interface FileLines {
  times: number[];
  texts: string[];
}

export class LogFiles {
  readonly #files = new Map<string, Map<string, FileLines>>();

  /** Appends to `logs/<host>/<name>.log`; found through a map of maps, so no path is built per line. */
  push(host: string, name: string, time: number, text: string): void {
    let byName = this.#files.get(host);
    if (!byName) {
      byName = new Map();
      this.#files.set(host, byName);
    }
    let lines = byName.get(name);
    if (!lines) {
      lines = { times: [], texts: [] };
      byName.set(name, lines);
    }
    // Reading a character flattens the line now, while its pieces are young garbage;
    // kept as a rope, every piece would live (and be copied by the GC) until the end.
    text.charCodeAt(0);
    lines.times.push(time);
    lines.texts.push(text);
  }

  /** Every file, sorted by path, its lines in time order (same-time lines keep their order). */
  files(): ScenarioFile[] {
    const files: [string, FileLines][] = [];
    for (const [host, byName] of this.#files)
      for (const [name, lines] of byName) files.push([`logs/${host}/${name}.log`, lines]);
    return files
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([path, { times, texts }]) => ({
        path,
        content: `${inTimeOrder(times, texts).join('\n')}\n`,
      }));
  }
}

/**
 * The lines sorted by time, lines of the same time in the order they came. Each
 * (time since the first, index) pair is packed into one number so that a typed
 * array sorts them without a comparator: several times faster than sorting
 * indices with one.
 */
function inTimeOrder(times: readonly number[], texts: readonly string[]): string[] {
  const n = times.length;
  const shift = 2 ** 21;
  if (n >= shift) throw new Error('too many lines in one file');
  let base = Number.POSITIVE_INFINITY;
  for (const t of times) if (t < base) base = t;
  // (time - base) stays under 2^32 ms (49 days), so a key stays under 2^53
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = ((times[i] as number) - base) * shift + i;
  keys.sort();
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = texts[(keys[i] as number) % shift] as string;
  return out;
}
