/**
 * Runs an analysis: every source through the reader into the Analyzer, in
 * this thread or, for large inputs, in worker threads that each analyze
 * pieces of the input (see pieces.ts) and hand back a partial that this
 * thread merges in input order. Memory stays bounded either way: a thread
 * holds one chunk of its piece and its Analyzer's bounded tables.
 */
import { Analyzer, type AnalyzerPartial, type PassEvidence } from '../../analysis/analyzer.js';
import { type LogFormat, readEvents } from '../../analysis/read/index.js';
import type { AnalysisReport } from '../../analysis/report/model.js';
import { type Piece, planPieces } from './pieces.js';
import type { LogSource } from './sources.js';
import { WorkerPool } from './worker-pool.js';

export interface AnalyzeOptions {
  /** Zone for stamps without one (IANA name or offset). */
  defaultZone?: string;
  hostPattern?: RegExp;
  now: number;
  /** Called with bytes read so far, for a progress bar. */
  onProgress?: (bytesRead: number) => void;
  /** Worker threads for large inputs: the script that serves them (see worker.ts) and how many. */
  workers?: { script: URL; count: number; pieceBytes?: number };
}

/** What reading one piece needs, as plain data (it crosses to a worker thread). */
export interface PieceOptions {
  name: string;
  format?: LogFormat;
  referenceTime: number;
  defaultZone?: string;
  hostPattern?: { source: string; flags: string };
}

/** Counts bytes as they pass, for progress. */
async function* counted(chunks: AsyncIterable<Uint8Array>, onBytes: (n: number) => void) {
  for await (const chunk of chunks) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

/** Reads one source (or piece of one) into `analyzer`. */
export async function readInto(
  analyzer: Analyzer,
  chunks: AsyncIterable<Uint8Array>,
  options: PieceOptions,
  onBytes: (n: number) => void,
): Promise<void> {
  const batches = readEvents(counted(chunks, onBytes), {
    source: options.name,
    referenceTime: options.referenceTime,
    ...(options.format ? { format: options.format } : {}),
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
    ...(options.hostPattern
      ? { hostPattern: new RegExp(options.hostPattern.source, options.hostPattern.flags) }
      : {}),
  });
  for (;;) {
    const next = await batches.next();
    if (next.done) {
      const stats = next.value;
      analyzer.addSource({
        name: options.name,
        format: stats.format ?? 'unknown',
        lines: stats.lines,
        events: stats.events,
        unparseable: stats.unparseable,
        unparseableSamples: stats.samples.map((sample) => ({
          source: options.name,
          line: sample.line,
          text: sample.text,
        })),
      });
      return;
    }
    for (const event of next.value) analyzer.add(event);
  }
}

function pieceOptions(
  source: LogSource,
  options: AnalyzeOptions,
  format?: LogFormat,
): PieceOptions {
  return {
    name: source.name,
    referenceTime: options.now,
    ...(format ? { format } : {}),
    ...(options.defaultZone ? { defaultZone: options.defaultZone } : {}),
    ...(options.hostPattern
      ? { hostPattern: { source: options.hostPattern.source, flags: options.hostPattern.flags } }
      : {}),
  };
}

export interface AnalysisResult {
  report: AnalysisReport;
  /** What the explain step needs besides the report. */
  evidence: PassEvidence;
}

function finished(analyzer: Analyzer, now: number): AnalysisResult {
  return { report: analyzer.finish(now), evidence: analyzer.evidence() };
}

/** Streams every source into one analyzer and reports; memory stays bounded. */
export async function analyzeSources(
  sources: readonly LogSource[],
  options: AnalyzeOptions,
): Promise<AnalysisResult> {
  let bytesRead = 0;
  const onBytes = (n: number) => {
    bytesRead += n;
    options.onProgress?.(bytesRead);
  };
  const workers = options.workers;
  const pieces =
    workers && workers.count > 1
      ? planPieces(sources, {
          workers: workers.count,
          ...(workers.pieceBytes ? { pieceBytes: workers.pieceBytes } : {}),
        })
      : [];
  const threaded = pieces.filter((p) => p.source.path).length;
  if (!workers || threaded < 2) {
    const analyzer = new Analyzer();
    for (const source of sources)
      await readInto(analyzer, source.open(), pieceOptions(source, options), onBytes);
    return finished(analyzer, options.now);
  }

  const pool = new WorkerPool(workers.script, Math.min(workers.count, threaded));
  try {
    const partials = await Promise.all(
      pieces.map((piece) => analyzePiece(piece, options, pool, onBytes)),
    );
    return finished(mergePartials(pieces, partials), options.now);
  } finally {
    await pool.close();
  }
}

/** A file piece goes to a worker; standard input is read here, alongside. */
async function analyzePiece(
  piece: Piece,
  options: AnalyzeOptions,
  pool: WorkerPool,
  onBytes: (n: number) => void,
): Promise<AnalyzerPartial> {
  const { source } = piece;
  const read = pieceOptions(source, options, piece.format);
  if (source.path) {
    return pool.run(
      {
        path: source.path,
        gzip: source.gzip ?? false,
        ...(piece.start !== undefined ? { start: piece.start } : {}),
        ...(piece.end !== undefined ? { end: piece.end } : {}),
        options: read,
      },
      onBytes,
    );
  }
  const analyzer = new Analyzer();
  await readInto(analyzer, source.open(), read, onBytes);
  return analyzer.partial();
}

/** Merges in input order; a later piece of a file has its line numbers moved past the earlier ones. */
function mergePartials(pieces: readonly Piece[], partials: readonly AnalyzerPartial[]): Analyzer {
  const analyzer = new Analyzer();
  let linesBefore = 0;
  pieces.forEach((piece, i) => {
    const partial = partials[i] as AnalyzerPartial;
    if (piece.part === 0) linesBefore = 0;
    analyzer.merge(partial, { lineOffset: linesBefore, continuesSource: piece.part > 0 });
    linesBefore += partial.sources[0]?.lines ?? 0;
  });
  return analyzer;
}
