import { isMainThread, workerData } from 'node:worker_threads';
import { CommanderError } from 'commander';
import { ANALYZE_WORKER } from '../app/analyze/worker-role.js';
import { isUserError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';

/**
 * Runs one `calm` invocation. A user's mistake is one line on stderr and exit
 * code 2; only a bug shows more (with CALM_DEBUG=1, its stack).
 */
export async function main(argv: string[]): Promise<number> {
  const io = {
    cwd: process.cwd(),
    env: process.env,
    out: (text: string) => process.stdout.write(text),
    err: (text: string) => process.stderr.write(text),
    isInteractive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    script: new URL(import.meta.url),
  };
  const { program, close } = buildProgram(io);
  try {
    await program.parseAsync(argv);
    // a command that checks something sets EXIT.found when it found it
    return process.exitCode === EXIT.found ? EXIT.found : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (and the help hint).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUserError(error)) {
      io.err(`calm: ${error.message}\n`);
      return EXIT.usage;
    }
    io.err(
      `calm: internal error: ${(error as Error)?.message ?? String(error)}\n` +
        (process.env.CALM_DEBUG
          ? `${(error as Error)?.stack}\n`
          : 'This is a bug in Calm; rerun with CALM_DEBUG=1 to see where it happened.\n'),
    );
    return EXIT.internal;
  } finally {
    await close();
  }
}

if (!isMainThread && workerData?.role === ANALYZE_WORKER) {
  // A thread of `calm analyze` (see app/analyze/worker-pool.ts): the same script, another job.
  const { serveAnalyzeWorker } = await import('../app/analyze/worker.js');
  serveAnalyzeWorker();
} else {
  // `calm show | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  process.exitCode = await main(process.argv);
}
