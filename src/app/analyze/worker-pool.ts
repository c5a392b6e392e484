/**
 * A few worker threads, each analyzing one piece at a time (see worker.ts).
 * A piece waits for a free worker; a worker that fails fails its piece.
 */
import { deserialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { AnalyzerPartial } from '../../analysis/analyzer.js';
import { UserError } from '../../core/errors.js';
import type { PieceOptions } from './run.js';
import { ANALYZE_WORKER } from './worker-role.js';

export interface PieceTask {
  path: string;
  gzip: boolean;
  start?: number;
  end?: number;
  options: PieceOptions;
}

/**
 * What a worker posts back. A partial comes as the bytes of `v8.serialize`,
 * not as an object for postMessage to clone: postMessage copies each typed
 * array into a buffer of its own, and a partial holds over a thousand (the
 * grid's series, the latency histograms). Cloning 8 partials of a 1 GB access
 * log that way took 216 ms, serializing and deserializing them 66 ms; the
 * serialized bytes are moved to this thread, not copied, and the typed arrays
 * read back are views on them.
 */
export type WorkerMessage =
  | { kind: 'progress'; bytes: number }
  | { kind: 'done'; partial: Uint8Array }
  | { kind: 'failed'; message: string; userError: boolean };

interface Job {
  task: PieceTask;
  onBytes: (n: number) => void;
  resolve: (partial: AnalyzerPartial) => void;
  reject: (error: Error) => void;
}

export class WorkerPool {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #queue: Job[] = [];

  constructor(script: URL, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, {
        workerData: { role: ANALYZE_WORKER },
        // Bounded so that the three threads stay under 300 MB together: the
        // reader hands over events in small batches, so few are alive when
        // the young generation is collected (measured: 24 MB cost a tenth
        // more time on JSON lines, 96 MB saved nothing).
        resourceLimits: { maxYoungGenerationSizeMb: 48 },
      });
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  run(task: PieceTask, onBytes: (n: number) => void): Promise<AnalyzerPartial> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, onBytes, resolve, reject });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop() as Worker;
      const job = this.#queue.shift() as Job;
      const finish = (error?: Error, partial?: AnalyzerPartial) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (error) job.reject(error);
        else {
          job.resolve(partial as AnalyzerPartial);
          this.#idle.push(worker);
          this.#dispatch();
        }
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.kind === 'progress') job.onBytes(message.bytes);
        else if (message.kind === 'done')
          finish(undefined, deserialize(message.partial) as AnalyzerPartial);
        else
          finish(message.userError ? new UserError(message.message) : new Error(message.message));
      };
      const onError = (error: Error) => finish(error);
      const onExit = (code: number) =>
        finish(new Error(`an analysis worker stopped (exit code ${code})`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job.task);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((worker) => worker.terminate()));
  }
}
