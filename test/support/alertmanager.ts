/**
 * A real Prometheus Alertmanager for tests: the Debian package's
 * `/usr/bin/prometheus-alertmanager` on 127.0.0.1 at a free port, clustering
 * off, its own temporary storage, and one webhook receiver (bearer token,
 * send_resolved) with short group timings. The package's own service is never
 * used. A missing binary fails the test with how to install it: CI installs it.
 *
 *   const am = await startAlertmanager({ webhookUrl, bearerToken });
 *   await am.postAlerts([{ labels: { alertname: 'X' }, startsAt: new Date().toISOString() }]);
 *   ...
 *   await am.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './prometheus.js';

export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  url: string;
  /** POST /api/v2/alerts, as Prometheus does. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** What the Alertmanager printed lately (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startAlertmanager(options: {
  webhookUrl: string;
  bearerToken: string;
}): Promise<RunningAlertmanager> {
  if (!existsSync(ALERTMANAGER_BINARY))
    throw new Error(
      `${ALERTMANAGER_BINARY} is missing: install the Debian package (apt-get install --no-install-recommends prometheus-alertmanager; .ci/run does it)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'calm-alertmanager-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: calm',
      "  group_by: ['alertname']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: calm',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(options.webhookUrl)}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${JSON.stringify(options.bearerToken)}`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`alertmanager exited (${child.exitCode}) while starting: ${stderr}`);
    }
    if (
      await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager was not ready within 15 s: ${stderr}`);
    }
    await sleep(100);
  }
  return {
    url,
    log: () => stderr,
    stop,
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!response.ok)
        throw new Error(
          `alertmanager refused the alerts: ${response.status} ${await response.text()}`,
        );
    },
  };
}
