/**
 * The body of an analysis worker thread: reads each piece it is sent into
 * an Analyzer of its own and posts back the partial (see worker-pool.ts).
 */
import { serialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { Analyzer } from '../../analysis/analyzer.js';
import { isUserError } from '../../core/errors.js';
import { readInto } from './run.js';
import { openFile } from './sources.js';
import type { PieceTask, WorkerMessage } from './worker-pool.js';

/** Progress is posted every this many bytes, not per chunk. */
const PROGRESS_BYTES = 8 << 20;

export function serveAnalyzeWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveAnalyzeWorker runs in a worker thread');
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  port.on('message', async (task: PieceTask) => {
    try {
      const analyzer = new Analyzer(task.options.limits);
      let unreported = 0;
      await readInto(
        analyzer,
        openFile(task.path, task.gzip, task.start, task.end),
        task.options,
        (n) => {
          unreported += n;
          if (unreported >= PROGRESS_BYTES) {
            post({ kind: 'progress', bytes: unreported });
            unreported = 0;
          }
        },
      );
      if (unreported > 0) post({ kind: 'progress', bytes: unreported });
      // Serialized here and its bytes moved, not copied (see WorkerMessage).
      const partial = serialize(analyzer.partial());
      const own = partial.byteOffset === 0 && partial.byteLength === partial.buffer.byteLength;
      post({ kind: 'done', partial }, own ? [partial.buffer as ArrayBuffer] : []);
    } catch (error) {
      post({
        kind: 'failed',
        message: (error as Error)?.message ?? String(error),
        userError: isUserError(error),
      });
    }
  });
}
