import { Analyzer } from '../../analysis/analyzer.js';
import { readEvents } from '../../analysis/read/index.js';
import type { AnalysisReport } from '../../analysis/report/model.js';
import type { LogSource } from './sources.js';

export interface AnalyzeOptions {
  /** Zone for stamps without one (IANA name or offset). */
  defaultZone?: string;
  hostPattern?: RegExp;
  now: number;
  /** Called with bytes read so far, for a progress bar. */
  onProgress?: (bytesRead: number) => void;
}

/** Counts bytes as they pass, for progress. */
async function* counted(chunks: AsyncIterable<Uint8Array>, onBytes: (n: number) => void) {
  for await (const chunk of chunks) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

/** Streams every source through the reader into one analyzer; memory stays bounded. */
export async function analyzeSources(
  sources: readonly LogSource[],
  options: AnalyzeOptions,
): Promise<AnalysisReport> {
  const analyzer = new Analyzer();
  let bytesRead = 0;
  for (const source of sources) {
    const chunks = counted(source.open(), (n) => {
      bytesRead += n;
      options.onProgress?.(bytesRead);
    });
    const batches = readEvents(chunks, {
      source: source.name,
      referenceTime: options.now,
      ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
      ...(options.hostPattern ? { hostPattern: options.hostPattern } : {}),
    });
    for (;;) {
      const next = await batches.next();
      if (next.done) {
        const stats = next.value;
        analyzer.addSource({
          name: source.name,
          format: stats.format ?? 'unknown',
          lines: stats.lines,
          events: stats.events,
          unparseable: stats.unparseable,
          unparseableSamples: stats.samples.map((sample) => ({
            source: source.name,
            line: sample.line,
            text: sample.text,
          })),
        });
        break;
      }
      for (const event of next.value) analyzer.add(event);
    }
  }
  return analyzer.finish(options.now);
}
