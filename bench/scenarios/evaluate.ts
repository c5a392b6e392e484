/**
 * Runs the real `calm analyze` (a snapshot of the built dist/, taken once so
 * that a rebuild meanwhile cannot mix two builds in one evaluation) on generated
 * scenarios and scores each report with score.ts: every scenario is written
 * with writeScenario into a temporary folder, analysed there with its own
 * arguments (`${scenario.args} --format json -o report.json`), the report read
 * back and scored, and the folder removed. A few scenarios run at a time
 * (`concurrency`, 2 by default): generating happens in this thread, the
 * analyses in their own processes.
 *
 * An option the build does not know yet (commander's "unknown option
 * '--metrics'") is dropped with its value and the run retried, and the
 * evaluation says which were dropped: the answers that need them then miss
 * with "the report has no ... section". A run that fails otherwise scores
 * every planted answer as a miss whose detail names the failure.
 *
 * The engine is not bundled with this (bench/scenarios.mjs bundles the
 * generator only): what is measured is the built CLI. The in-memory path of
 * before is analyze-in-memory.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateScenario } from './generate.js';
import { type ScoredAnswer, scoreReport } from './score.js';
import type { Scenario, ScenarioKind } from './truth.js';
import { writeScenario } from './write.js';

export interface Evaluation {
  kind: ScenarioKind;
  seed: number;
  title: string;
  results: ScoredAnswer[];
  /** Options of scenario.args this build of calm does not know, dropped from the run. */
  dropped: string[];
  /** Why the run gave no report (then every result is a miss). */
  error?: string;
  /** Wall time of the analysis, ms. */
  ms: number;
}

export interface EvaluateOptions {
  /** Scenarios analysed at once; 2 unless given. */
  concurrency?: number;
  /** The calm script to run; unless given, a snapshot of dist/ (dist/calm.js) taken at the start. */
  calm?: string;
  /** Called as each scenario is scored (for progress lines). */
  onEvaluated?: (evaluation: Evaluation) => void;
}

/** dist/calm.js is not there: say how to build it. */
export class MissingBuildError extends Error {}

/** The repository's root: the nearest folder up from here whose package.json is "calm". */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'calm')
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the calm repository above bench/scenarios');
    dir = up;
  }
}

/** The built CLI, or a MissingBuildError that says to build it. */
export function findCalm(): string {
  const calm = join(repoRoot(), 'dist', 'calm.js');
  if (!existsSync(calm))
    throw new MissingBuildError(
      `${calm} is missing: build the CLI first (npm run build), then evaluate again`,
    );
  return calm;
}

/**
 * A copy of dist/ to run, so that a rebuild during the evaluation cannot
 * swap the code between (or under) its runs; inside the repository (bench/out,
 * ignored by git) so that node_modules resolve. A copy racing a rebuild's
 * swap of dist/ is tried again.
 */
async function snapshotCalm(): Promise<{ calm: string; remove: () => Promise<void> }> {
  const dist = dirname(findCalm());
  const copy = join(repoRoot(), 'bench', 'out', `dist-scenarios-${process.pid}`);
  const remove = () => rm(copy, { recursive: true, force: true });
  for (let attempt = 1; ; attempt++) {
    try {
      await remove();
      await cp(dist, copy, { recursive: true });
      return { calm: join(copy, 'calm.js'), remove };
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((wait) => setTimeout(wait, 500));
    }
  }
}

interface Run {
  status: number | null;
  stderr: string;
}

const RUN_TIMEOUT_MS = 10 * 60_000;

function run(calm: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [calm, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 20_000) stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (status, signal) =>
      done({ status, stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr }),
    );
  });
}

/** `args` without `option` and its value (the next argument, unless it is an option too). */
export function dropOption(args: readonly string[], option: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== option) {
      out.push(args[i] as string);
      continue;
    }
    if (args[i + 1] !== undefined && !args[i + 1]?.startsWith('-')) i++;
  }
  return out;
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '') ?? 'no message';

/** Analyses one scenario in `dir` and returns the parsed report, or why there is none. */
async function analyzeInFolder(
  calm: string,
  scenario: Scenario,
  dir: string,
): Promise<{ report?: unknown; error?: string; dropped: string[] }> {
  let args = [...scenario.args];
  const dropped: string[] = [];
  for (;;) {
    const { status, stderr } = await run(
      calm,
      ['analyze', ...args, '--format', 'json', '-o', 'report.json'],
      dir,
    );
    const unknown = /unknown option '(--?[\w-]+)'/.exec(stderr)?.[1];
    if (status !== 0 && unknown && args.includes(unknown)) {
      dropped.push(unknown);
      args = dropOption(args, unknown);
      continue;
    }
    if (status !== 0)
      return { error: `calm analyze exited ${status}: ${firstLine(stderr)}`, dropped };
    try {
      return { report: JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')), dropped };
    } catch (error) {
      return { error: `no readable report.json (${(error as Error).message})`, dropped };
    }
  }
}

async function evaluateOne(calm: string, kind: ScenarioKind, seed: number): Promise<Evaluation> {
  const scenario = generateScenario(kind, seed);
  const dir = await mkdtemp(join(tmpdir(), `calm-scenario-${kind}-${seed}-`));
  try {
    await writeScenario(scenario, dir);
    const started = performance.now();
    const { report, error, dropped } = await analyzeInFolder(calm, scenario, dir);
    const ms = performance.now() - started;
    const scored = scoreReport(report, scenario.truth);
    const results = error
      ? scored.map((r) => ({ ...r, ok: false, detail: `${error}; ${r.detail}` }))
      : scored;
    return {
      kind,
      seed,
      title: scenario.title,
      results,
      dropped,
      ms,
      ...(error ? { error } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every kind x seed through the real CLI, scored; in kind, then seed order. */
export async function evaluate(
  kinds: readonly ScenarioKind[],
  seeds: readonly number[],
  options: EvaluateOptions = {},
): Promise<Evaluation[]> {
  const snapshot = options.calm ? undefined : await snapshotCalm();
  const calm = options.calm ?? (snapshot?.calm as string);
  const jobs = kinds.flatMap((kind) => seeds.map((seed) => ({ kind, seed })));
  const out = new Array<Evaluation>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const at = next++;
      const { kind, seed } = jobs[at] as (typeof jobs)[number];
      const evaluation = await evaluateOne(calm, kind, seed);
      out[at] = evaluation;
      options.onEvaluated?.(evaluation);
    }
  };
  const width = Math.max(1, Math.min(options.concurrency ?? 2, jobs.length));
  try {
    await Promise.all(Array.from({ length: width }, worker));
  } finally {
    await snapshot?.remove();
  }
  return out;
}
