/**
 * Runs an analysis: every source through the reader into the Analyzer, in
 * this thread or, for large inputs, in worker threads that each analyze
 * pieces of the input (see pieces.ts) and hand back a partial that this
 * thread merges in input order. Memory stays bounded either way: a thread
 * holds one chunk of its piece and its Analyzer's bounded tables.
 */
import {
  Analyzer,
  type AnalyzerLimits,
  type AnalyzerPartial,
  type PassEvidence,
  type StartSizes,
} from '../../analysis/analyzer.js';
import type { LogEvent } from '../../analysis/event.js';
import { successSamplingFor } from '../../analysis/explain/contrast/contrast.js';
import { type LogFormat, type ReaderStats, readEvents } from '../../analysis/read/index.js';
import type { AnalysisReport } from '../../analysis/report/model.js';
import { fileEnds, type Piece, planPieces } from './pieces.js';
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
  /** False: only the clues, without the anomaly and pattern collectors (AnalyzerLimits.extras). */
  extras?: boolean;
}

/** What reading one piece needs, as plain data (it crosses to a worker thread). */
export interface PieceOptions {
  name: string;
  format?: LogFormat;
  referenceTime: number;
  defaultZone?: string;
  hostPattern?: { source: string; flags: string };
  /** The piece's Analyzer: its sampling of successes and seed, whether it runs the extras. */
  limits?: AnalyzerLimits;
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
    if (next.done) return addSummary(analyzer, options, next.value);
    addAll(analyzer, next.value);
  }
}

/**
 * One batch of events into the analyzer. A function of its own, so that the
 * compiled loop (with the analyzer's `add` inlined into it, a large unit to
 * compile) outlives each piece: compiled inside readInto, it was thrown away
 * at the end of every piece (a worker reads several) and compiled again.
 */
function addAll(analyzer: Analyzer, events: readonly LogEvent[]): void {
  for (const event of events) analyzer.add(event);
}

function addSummary(analyzer: Analyzer, options: PieceOptions, stats: ReaderStats): void {
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
}

function pieceOptions(
  source: LogSource,
  options: AnalyzeOptions,
  format?: LogFormat,
  limits?: AnalyzerLimits,
): PieceOptions {
  return {
    name: source.name,
    referenceTime: options.now,
    ...(limits ? { limits } : {}),
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
  // Successes are sampled for the input contrasts by the size of the whole
  // input (unknown for standard input: all counted); each piece has its seed.
  const sampling = successSamplingFor(sources.reduce((n, s) => n + (s.size ?? 0), 0));
  const extras = options.extras ?? true;
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
    const analyzer = new Analyzer({ successSampling: sampling, seed: 1, extras });
    for (const source of sources)
      await readInto(analyzer, source.open(), pieceOptions(source, options), onBytes);
    return finished(analyzer, options.now);
  }

  // The threads start first: they load while this one reads the files' ends.
  const pool = new WorkerPool(workers.script, Math.min(workers.count, threaded));
  try {
    const start = await startSizes(pieces, options);
    const limits = (seed: number): AnalyzerLimits => ({
      successSampling: sampling,
      seed,
      extras,
      start,
    });
    const merger = new OrderedMerge(pieces, new Analyzer(limits(0)));
    await Promise.all(
      pieces.map(async (piece, i) =>
        merger.arrived(i, await analyzePiece(piece, options, limits(i + 1), pool, onBytes)),
      ),
    );
    return finished(merger.analyzer, options.now);
  } finally {
    await pool.close();
  }
}

/**
 * The sizes every piece's Analyzer starts at (AnalyzerLimits.start): those
 * an Analyzer reaches on the two ends of each file cut into pieces. Their
 * events are events of the input, read with the same options, so the
 * pass's span holds theirs and it reaches these sizes too. A few ms of
 * reading; gzip and standard input, which have no end to read first, are
 * left out of the sample, which only makes it smaller.
 */
async function startSizes(pieces: readonly Piece[], options: AnalyzeOptions): Promise<StartSizes> {
  const sampler = new Analyzer();
  for (const piece of pieces) {
    const { path, size } = piece.source;
    if (piece.part !== 1 || !path || size === undefined) continue;
    for (const chunk of fileEnds(path, size))
      await readInto(
        sampler,
        (async function* () {
          yield chunk;
        })(),
        pieceOptions(piece.source, options, piece.format),
        () => {},
      );
  }
  return sampler.startSizes();
}

/** A file piece goes to a worker; standard input is read here, alongside. */
async function analyzePiece(
  piece: Piece,
  options: AnalyzeOptions,
  limits: AnalyzerLimits,
  pool: WorkerPool,
  onBytes: (n: number) => void,
): Promise<AnalyzerPartial> {
  const { source } = piece;
  const read = pieceOptions(source, options, piece.format, limits);
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
  const analyzer = new Analyzer(limits);
  await readInto(analyzer, source.open(), read, onBytes);
  return analyzer.partial();
}

/**
 * Merges the pieces' partials in input order as they arrive: a later piece of
 * a file has its line numbers moved past the earlier ones. A partial waits
 * only for those before it, so few are held at once (holding all of them,
 * one per 32 MB piece, took hundreds of MB on a large input).
 */
class OrderedMerge {
  readonly #waiting = new Map<number, AnalyzerPartial>();
  #next = 0;
  #linesBefore = 0;

  constructor(
    private readonly pieces: readonly Piece[],
    readonly analyzer: Analyzer,
  ) {}

  arrived(index: number, partial: AnalyzerPartial): void {
    this.#waiting.set(index, partial);
    for (let p = this.#waiting.get(this.#next); p; p = this.#waiting.get(this.#next)) {
      this.#waiting.delete(this.#next);
      const piece = this.pieces[this.#next] as Piece;
      if (piece.part === 0) this.#linesBefore = 0;
      this.analyzer.merge(p, { lineOffset: this.#linesBefore, continuesSource: piece.part > 0 });
      this.#linesBefore += p.sources[0]?.lines ?? 0;
      this.#next++;
    }
  }
}
