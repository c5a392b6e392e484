import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { UserError } from '../../core/errors.js';
import { examples, type GetContext } from './shared.js';

const FORMATS = ['text', 'md', 'json'] as const;

function parseRegex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new UserError(
      `--host-pattern "${value}" is not a valid regular expression (${(error as Error).message})`,
    );
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `--prometheus URL` and `--query PROMQL` go together: one without the other is a mistake. */
function prometheusOf(
  url: string | undefined,
  queries: string[],
): { url: string; queries: string[] } | undefined {
  if (queries.length && !url)
    throw new UserError(
      '--query needs --prometheus URL to run on; add e.g. --prometheus http://prometheus:9090',
    );
  if (url && !queries.length)
    throw new UserError(
      `--prometheus ${url} needs at least one --query PROMQL; add e.g. --query node_load1`,
    );
  return url ? { url, queries } : undefined;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UserError(`--jobs ${value} is not a thread count; give a whole number from 1 to 64`);
  return n;
}

/** A one-line progress bar on stderr, redrawn at most ten times a second. */
function progressBar(total: number, write: (text: string) => void) {
  let last = 0;
  return {
    update(done: number) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const fraction = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const filled = Math.round(fraction * width);
      write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}% ${(done / 1e6).toFixed(0)} MB`,
      );
    },
    clear() {
      write('\r\x1b[K');
    },
  };
}

export function registerAnalyzeCommand(program: Command, context: GetContext): void {
  examples(
    program
      .command('analyze')
      .description(
        'find clues in logs: when errors started, status codes, stack traces, error messages, which hosts',
      )
      .argument(
        '[paths...]',
        'files, folders, quoted globs, .gz files, or - for standard input (the default)',
      )
      .addOption(
        new Option('--format <format>', 'text, md or json').choices(FORMATS).default('text'),
      )
      .option('-o, --out <file>', 'write the report to a file')
      .option(
        '--tz <zone>',
        "time zone for stamps without one, e.g. Europe/Berlin or +02:00 (default: this machine's)",
      )
      .option(
        '--host-pattern <regex>',
        'take the host from the path with this pattern (its first group)',
        parseRegex,
      )
      .option(
        '--changes <file>',
        'deploy and change records (JSON lines, JSON array or CSV) to rank as suspects; repeatable',
        collect,
        [],
      )
      .option(
        '--git <dir>',
        'a repository whose commits, merges and tags are changes; repeatable',
        collect,
        [],
      )
      .option(
        '--cron <path>',
        'crontabs, cron folders or Kubernetes CronJob manifests to line up with the errors; repeatable',
        collect,
        [],
      )
      .option(
        '--metrics <file>',
        'server metrics (CSV or JSON, wide or long, or a saved Prometheus response) to check CPU, memory, disk and load; repeatable',
        collect,
        [],
      )
      .option(
        '--prometheus <url>',
        "a Prometheus server to read metrics from over the logs' span, e.g. http://prometheus:9090 (with --query)",
      )
      .option(
        '--query <promql>',
        'a PromQL query to run on --prometheus, e.g. node_load1; repeatable',
        collect,
        [],
      )
      .option(
        '--reports <file>',
        'customer bug reports (CSV or JSON) to find what they have in common; repeatable',
        collect,
        [],
      )
      .option(
        '--baseline <from..to>',
        'the normal period to compare the incident with, e.g. 2026-03-14T08:00..2026-03-14T10:00',
      )
      .option(
        '--attach <id>',
        'keep the report with this incident and record its answers on the timeline, e.g. INC-3',
      )
      .option(
        '-j, --jobs <n>',
        'threads that read large inputs in parallel (default: one per core)',
        parseJobs,
      )
      .action(async (paths: string[], opts) => {
        const ctx = context();
        const prometheus = prometheusOf(opts.prometheus, opts.query);
        const { resolveSources } = await import('../../app/analyze/sources.js');
        const { analyzeSources } = await import('../../app/analyze/run.js');
        const { RENDERERS } = await import('../../analysis/report/render.js');
        const zone = opts.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
        const sources = await resolveSources(paths, ctx.io.cwd, () => process.stdin);
        const totalBytes = sources.reduce((sum, s) => sum + (s.size ?? 0), 0);
        const bar =
          process.stderr.isTTY && totalBytes > 0
            ? progressBar(totalBytes, (t) => ctx.io.err(t))
            : undefined;
        const { report, evidence } = await analyzeSources(sources, {
          now: ctx.clock.now(),
          defaultZone: zone,
          ...(opts.hostPattern ? { hostPattern: opts.hostPattern } : {}),
          // The benchmark's switch: the pass without the anomaly and pattern collectors.
          ...(ctx.io.env.CALM_ANALYZE_EXTRAS === '0' ? { extras: false } : {}),
          ...(bar ? { onProgress: (done: number) => bar.update(done) } : {}),
          ...(ctx.io.script
            ? {
                workers: {
                  script: ctx.io.script,
                  count: opts.jobs ?? availableParallelism(),
                  // Tests set a small piece size to run small files through the threads.
                  ...(ctx.io.env.CALM_ANALYZE_PIECE_BYTES
                    ? { pieceBytes: Number(ctx.io.env.CALM_ANALYZE_PIECE_BYTES) }
                    : {}),
                },
              }
            : {}),
        });
        bar?.clear();
        const { explainReport } = await import('../../app/analyze/explain.js');
        await explainReport(
          report,
          evidence,
          {
            changes: opts.changes,
            git: opts.git,
            cron: opts.cron,
            metrics: opts.metrics,
            ...(prometheus ? { prometheus } : {}),
            reports: opts.reports,
            ...(opts.baseline !== undefined ? { baseline: opts.baseline } : {}),
          },
          {
            now: ctx.clock.now(),
            defaultZone: zone,
            cwd: ctx.io.cwd,
            resolvePath: (path) => resolve(ctx.io.cwd, path),
          },
        );
        const text = RENDERERS[opts.format as (typeof FORMATS)[number]](report);
        if (opts.out) {
          writeFileSync(resolve(ctx.io.cwd, opts.out), text);
          ctx.io.err(`Wrote the report to ${opts.out}.\n`);
        } else {
          ctx.io.out(text);
        }
        if (opts.attach) {
          const calm = await ctx.incidents();
          const { state, entries, analysis } = await calm.attachAnalysis(
            await calm.resolveIncidentId(opts.attach),
            report,
          );
          ctx.io.err(
            `Recorded ${entries.length} findings on ${state.key}; the whole report is its analysis ${analysis.id}.\n`,
          );
        }
      }),
    [
      'calm analyze /var/log/nginx/',
      "calm analyze 'logs/**/*.log.gz' --tz Europe/Berlin",
      'kubectl logs deploy/checkout | calm analyze - --format json',
      'calm analyze web-*/app.log --attach INC-3 --format md -o analysis.md',
    ],
  );
}
