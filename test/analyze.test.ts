import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import schema from '../schema/analysis-report.schema.json' with { type: 'json' };
import { seededRandom } from '../src/analysis/series/testing.js';
import { makeWorkspace, type RunResult, runCalm } from './run-calm.js';

const START = Date.UTC(2026, 2, 14, 8, 0, 0);
const ONSET = Date.UTC(2026, 2, 14, 9, 0, 0);
const clf = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getUTCDate()).padStart(2, '0')}/Mar/2026:${d.toISOString().slice(11, 19)} +0000`;
};

/**
 * Three web hosts behind a load balancer for two hours; at 09:00 web-2 starts
 * failing a fifth of its requests with 500 and logging a new NullPointerException.
 */
function writeIncident(dir: string, { broken = true } = {}) {
  // Seeded, so every run sees the same synthetic incident.
  const r = seededRandom(7);
  const access: Record<string, string[]> = { 'web-1': [], 'web-2': [], 'web-3': [] };
  const app: Record<string, string[]> = { 'web-1': [], 'web-2': [], 'web-3': [] };
  let t = START;
  for (let i = 0; i < 30_000; i++) {
    t += Math.floor(r() * 480);
    const host = `web-${1 + Math.floor(r() * 3)}`;
    const failing = broken && t >= ONSET && host === 'web-2' && r() < 0.2;
    const status = failing ? 500 : r() < 0.002 ? 500 : r() < 0.02 ? 404 : 200;
    access[host]?.push(
      `10.0.0.${Math.floor(r() * 255)} - - [${clf(t)}] "GET /checkout?cart=${i} HTTP/1.1" ${status} 512 "-" "Mozilla/5.0" 0.0${Math.floor(r() * 9)}`,
    );
    if (failing) {
      app[host]?.push(
        JSON.stringify({
          time: new Date(t).toISOString(),
          level: 'error',
          msg: `payment failed for cart ${i}`,
          host,
        }),
        `java.lang.NullPointerException: price is null`,
        `\tat com.shop.pricing.PriceService.total(PriceService.java:${40 + (i % 7)})`,
        `\tat com.shop.checkout.CheckoutController.pay(CheckoutController.java:88)`,
        `\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)`,
      );
    } else if (r() < 0.05) {
      app[host]?.push(
        JSON.stringify({
          time: new Date(t).toISOString(),
          level: 'info',
          msg: `cart ${i} priced in ${Math.floor(r() * 90)}ms`,
          host,
        }),
      );
    }
  }
  for (const host of Object.keys(access)) {
    mkdirSync(join(dir, 'logs', host), { recursive: true });
    writeFileSync(join(dir, 'logs', host, 'access.log'), `${access[host]?.join('\n')}\n`);
    writeFileSync(join(dir, 'logs', host, 'app.log'), `${app[host]?.join('\n')}\n`);
  }
}

let ws: ReturnType<typeof makeWorkspace>;
const calm = (...args: string[]) => runCalm(args, { cwd: ws.dir, env: { ...ws.env, TZ: 'UTC' } });
async function ok(result: Promise<RunResult>): Promise<string> {
  const r = await result;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(() => ws.cleanup());

describe('calm analyze', () => {
  it('finds when the errors started, the status codes, the stack trace, the message and the host', async () => {
    writeIncident(ws.dir);
    const report = JSON.parse(await ok(calm('analyze', 'logs', '--format', 'json', '--tz', 'UTC')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);

    expect(report.totals.events).toBeGreaterThan(30_000);
    expect(report.onset.found).toBe(true);
    expect(Math.abs(report.onset.time - ONSET)).toBeLessThan(report.series.bucketMs * 2);
    expect(report.onset.firstError.source).toMatch(/^logs\/web-2\//);
    expect(report.onset.rateAfter).toBeGreaterThan(report.onset.rateBefore * 3);

    expect(
      report.statusCodes
        .map((s: { status: number }) => s.status)
        .slice(0, 3)
        .sort(),
    ).toEqual([200, 404, 500]);
    const stack = report.stackTraces[0];
    expect(stack.exceptionType).toMatch(/NullPointerException/);
    expect(stack.newSinceOnset).toBe(true);
    // Seven line numbers, one failure: one fingerprint.
    expect(report.stackTraces).toHaveLength(1);
    expect(
      report.errorMessages.some(
        (m: { template: string; newSinceOnset: boolean }) =>
          /payment failed for cart/.test(m.template) && m.newSinceOnset,
      ),
    ).toBe(true);
    expect(report.hosts.verdict).toMatch(/^Errors concentrate on web-2/);
    // Anomalies: the errors against the hour before the onset; inputs: the failing host.
    expect(report.anomalies.found).toBe(true);
    expect(report.anomalies.anomalies.map((a: { key: string }) => a.key)).toContain('errors');
    expect(report.contrasts.findings[0]).toMatchObject({ attribute: 'host', value: 'web-2' });
    expect(report.answers.map((a: { question: string }) => a.question)).toEqual([
      'When did the errors first start?',
      'What changed around that time?',
      'Do we have cron jobs that run around that time?',
      'Which HTTP status codes?',
      'Which stack traces?',
      'What do the error messages say?',
      'Are errors coming from specific servers or all?',
      'What differs from the baseline?',
      'Are the servers healthy (CPU, memory, disk, load)?',
      'Is there a pattern across time (every minute? a time of day?)',
      'Which inputs do the failing requests have in common?',
      'What do the bug reports have in common?',
    ]);

    const text = await ok(calm('analyze', 'logs', '--tz', 'UTC'));
    expect(text).toMatch(
      /When did the errors first start\?\n {2}Errors rose from .* at 2026-03-14 09:0/,
    );
    expect(text).toMatch(/\^ onset/);
    const md = await ok(calm('analyze', 'logs', '--format', 'md'));
    expect(md).toMatch(
      /^# Log analysis\n\n- \*\*When did the errors first start\?\*\* Errors rose/,
    );
  });

  it('says so on a quiet day instead of inventing an onset', async () => {
    writeIncident(ws.dir, { broken: false });
    const report = JSON.parse(await ok(calm('analyze', 'logs', '--format', 'json')));
    expect(report.onset.found).toBe(false);
    expect(report.onset.reason).toMatch(/^No significant change/);
    expect(report.hosts.verdict).toMatch(/^All hosts/);
    expect(report.patterns.found).toBe(false);
    expect(report.patterns.answer).toMatch(/^No pattern/);
    expect(report.anomalies.found).toBe(false);
    expect(report.anomalies.anomalies).toEqual([]);
    expect(report.contrasts.found).toBe(false);
  });

  it('reads standard input and gzip files, and counts unparseable lines', async () => {
    writeIncident(ws.dir);
    const { readFileSync } = await import('node:fs');
    const web1 = readFileSync(join(ws.dir, 'logs', 'web-1', 'access.log'));
    writeFileSync(join(ws.dir, 'web-1.access.log.gz'), gzipSync(web1));
    const fromGzip = JSON.parse(
      await ok(calm('analyze', 'web-1.access.log.gz', '--format', 'json')),
    );
    const fromStdin = JSON.parse(
      await ok(
        runCalm(['analyze', '-', '--format', 'json'], {
          cwd: ws.dir,
          env: ws.env,
          input: `${web1}not a log line\n`,
        }),
      ),
    );
    expect(fromGzip.totals.events).toBe(fromStdin.totals.events);
    expect(fromGzip.hosts.items[0].host).toBe('web-1');
    expect(fromStdin.totals.unparseable).toBe(1);
    expect(fromStdin.sources[0].unparseableSamples[0].text).toBe('not a log line');
  });

  it('records the findings on an incident', async () => {
    writeIncident(ws.dir);
    await ok(calm('declare', 'Checkout 500s'));
    const result = await calm('analyze', 'logs', '--attach', 'INC-1', '-o', 'report.txt');
    expect(result.code).toBe(0);
    // one finding per answer, and one more carrying the error signatures (for recurrence)
    expect(result.stderr).toMatch(/Recorded 13 findings on INC-1/);
    const { entries } = JSON.parse(await ok(calm('show', '--json')));
    const findings = entries.filter((e: { body: { kind: string } }) => e.body.kind === 'finding');
    expect(findings).toHaveLength(13);
    expect(findings[0].body.text).toMatch(/^When did the errors first start\? Errors rose/);
    const signatures = findings.find((f: { body: { evidence?: unknown } }) => f.body.evidence);
    expect(signatures.body.evidence.templates.length).toBeGreaterThan(0);
  });

  it('reads large files in worker threads and reports what one thread reports', async () => {
    writeIncident(ws.dir);
    const { readFileSync } = await import('node:fs');
    // One file holding every host's lines, stack traces included, cut into many pieces.
    const hosts = ['web-1', 'web-2', 'web-3'];
    writeFileSync(
      join(ws.dir, 'all-app.log'),
      hosts.map((h) => readFileSync(join(ws.dir, 'logs', h, 'app.log'), 'utf8')).join(''),
    );
    const run = (jobs: string) =>
      runCalm(['analyze', 'logs', 'all-app.log', '-', '--format', 'json', '-j', jobs], {
        cwd: ws.dir,
        env: { ...ws.env, TZ: 'UTC', CALM_ANALYZE_PIECE_BYTES: '20000' },
        input: readFileSync(join(ws.dir, 'logs', 'web-1', 'access.log'), 'utf8'),
      });
    const [one, two] = await Promise.all([ok(run('1')), ok(run('2'))]);
    const withoutTime = (text: string) => ({ ...JSON.parse(text), generatedAt: 0 });
    const single = withoutTime(one);
    expect(withoutTime(two)).toEqual(single);
    expect(single.sources.map((s: { name: string }) => s.name)).toContain('all-app.log');
    expect(single.stackTraces[0].count).toBeGreaterThan(100);
  });

  it('ranks the recorded changes as suspects for the onset', async () => {
    writeIncident(ws.dir);
    const minutes = (n: number) => n * 60_000;
    writeFileSync(
      join(ws.dir, 'deploys.jsonl'),
      [
        {
          time: new Date(ONSET - minutes(600)).toISOString(),
          kind: 'deploy',
          service: 'shop',
          version: 'v1.9',
          hosts: ['web-1', 'web-2', 'web-3'],
          description: 'weekly release',
        },
        {
          time: new Date(ONSET - minutes(3)).toISOString(),
          kind: 'deploy',
          service: 'shop',
          version: 'v2.0',
          hosts: ['web-2'],
          description: 'new pricing',
        },
        {
          time: new Date(ONSET + minutes(40)).toISOString(),
          kind: 'rollback',
          service: 'shop',
          version: 'v1.9',
          hosts: ['web-2'],
          description: 'roll back pricing',
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const report = JSON.parse(
      await ok(calm('analyze', 'logs', '--changes', 'deploys.jsonl', '--format', 'json')),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const top = report.changes.suspects[0];
    expect(top.change.version).toBe('v2.0');
    expect(top.verdict).toBe('likely');
    expect(top.change.source).toBe('deploys.jsonl');
    expect(
      report.changes.suspects.find(
        (s: { change: { version: string } }) => s.change.version === 'v1.9',
      )?.verdict ?? 'unlikely',
    ).not.toBe('likely');
    expect(report.changes.mitigations[0].change.kind).toBe('rollback');
    expect(report.answers[1].question).toBe('What changed around that time?');
    const text = await ok(calm('analyze', 'logs', '--changes', 'deploys.jsonl'));
    expect(text).toMatch(/What changed around that time\?\n {2}Likely cause: deploy shop v2\.0/);
    const missing = await calm('analyze', 'logs', '--changes', 'nope.csv');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('calm: --changes nope.csv: no such file\n');
  });

  it('lines the error bursts up with the cron job that causes them', async () => {
    const r = seededRandom(11);
    const lines: string[] = [];
    for (let t = START; t < START + 6 * 3_600_000; t += 1000 + Math.floor(r() * 1000)) {
      // reindex runs every 15 minutes; for a minute after each run, a third of requests time out
      const sinceRun = t % 900_000;
      const status = sinceRun > 5_000 && sinceRun < 65_000 && r() < 0.3 ? 504 : 200;
      lines.push(
        `10.0.0.${Math.floor(r() * 255)} - - [${clf(t)}] "GET /search?q=${Math.floor(r() * 99)} HTTP/1.1" ${status} 99 "-" "curl/8" 0.01`,
      );
    }
    writeFileSync(join(ws.dir, 'access.log'), `${lines.join('\n')}\n`);
    writeFileSync(
      join(ws.dir, 'crontab'),
      [
        'SHELL=/bin/sh',
        '# m h dom mon dow user command',
        '*/15 * * * * root /usr/local/bin/reindex.sh',
        '7 * * * * root /usr/local/bin/rotate-logs',
        '@daily root /usr/local/bin/backup.sh',
      ].join('\n'),
    );
    const report = JSON.parse(
      await ok(
        calm('analyze', 'access.log', '--cron', 'crontab', '--format', 'json', '--tz', 'UTC'),
      ),
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.cron.verdict).toBe('aligned');
    const aligned = report.cron.jobs.filter((j: { verdict: string }) => j.verdict === 'aligned');
    expect(aligned.map((j: { job: { name: string } }) => j.job.name)).toEqual(['reindex.sh']);
    expect(aligned[0].job.source).toBe('crontab');
    expect(report.answers[2].answer).toMatch(/reindex\.sh/);
    expect(report.patterns.periods[0].periodMs).toBe(15 * 60_000);
    expect(report.patterns.answer).toMatch(/every 15 min/);
  });

  it('refuses a path that does not exist with one line and exit code 2', async () => {
    const result = await calm('analyze', 'nowhere.log');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('calm: cannot read nowhere.log: no such file or folder\n');
  });
});
