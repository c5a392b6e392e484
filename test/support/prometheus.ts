/**
 * A real Prometheus for tests: the Debian package's `/usr/bin/prometheus`
 * started on 127.0.0.1 at a free port, with its own temporary storage, scraping
 * a tiny exporter that the test serves itself (node:http, text exposition
 * format) every second. Nothing here depends on a system service: the
 * package's own service, if any, is never used.
 *
 *   const exporter = await startExporter((scrape) => `gauge ${scrape}\n`);
 *   const prometheus = await startPrometheus({ targets: [exporter.target] });
 *   await prometheus.waitForSamples('gauge', 5);
 *   ...
 *   await prometheus.stop(); await exporter.close();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
/** Tests that need it are skipped, saying why, only when the binary is absent. */
export const hasPrometheus = existsSync(PROMETHEUS_BINARY);
export const SKIP_REASON = `${PROMETHEUS_BINARY} is not installed (Debian package "prometheus"); skipped`;

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Exporter {
  /** host:port, for a scrape config. */
  target: string;
  url: string;
  /** How many times /metrics was served. */
  scrapes(): number;
  close(): Promise<void>;
}

/** Serves `render(n)` (the n-th scrape, from 1) at /metrics, 404 elsewhere. */
export async function startExporter(render: (scrape: number) => string): Promise<Exporter> {
  let scrapes = 0;
  const server: Server = createHttpServer((request, response) => {
    if (request.url?.startsWith('/metrics')) {
      scrapes++;
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(render(scrapes));
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    target: `127.0.0.1:${address.port}`,
    url: `http://127.0.0.1:${address.port}`,
    scrapes: () => scrapes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RunningPrometheus {
  url: string;
  /** Resolves once the instant query `count_over_time(metric[5m])` reaches `count`. */
  waitForSamples(metric: string, count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  timeoutMs: number,
  test: () => Promise<boolean>,
  process?: ChildProcess,
  log?: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process && process.exitCode !== null)
      throw new Error(`prometheus exited (${process.exitCode}) before ${what}: ${log?.() ?? ''}`);
    if (await test().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${log?.() ?? ''}`);
}

export async function startPrometheus(options: {
  targets: string[];
  scrapeSeconds?: number;
}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'calm-prometheus-'));
  const interval = `${options.scrapeSeconds ?? 1}s`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'scrape_configs:',
      '  - job_name: calm-test',
      '    static_configs:',
      `      - targets: [${options.targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // Should the test process end without stop(), the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(
      'ready',
      15_000,
      async () => (await fetch(`${url}/-/ready`)).ok,
      child,
      () => stderr,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    stop,
    waitForSamples: (metric, count, timeoutMs = 15_000) =>
      until(
        `${count} samples of ${metric}`,
        timeoutMs,
        async () => {
          const query = encodeURIComponent(`count_over_time(${metric}[5m])`);
          const body = (await (await fetch(`${url}/api/v1/query?query=${query}`)).json()) as {
            data?: { result?: { value?: [number, string] }[] };
          };
          return Number(body.data?.result?.[0]?.value?.[1] ?? 0) >= count;
        },
        child,
        () => stderr,
      ),
  };
}
