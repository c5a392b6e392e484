/**
 * Sums scored evaluations for `evaluate`: ok/total per kind x answer, per
 * answer, per kind and overall; a table for people, a JSON line for
 * scripts, and the misses with their details.
 */
import type { Evaluation } from './evaluate.js';
import { ANSWERS } from './score.js';

export interface Count {
  ok: number;
  total: number;
}

export interface Tally {
  ok: number;
  total: number;
  /** ok / total, 0 when nothing was scored. */
  share: number;
  scenarios: number;
  /** Runs that gave no report. */
  failedRuns: number;
  /** Options of the scenarios' arguments the build of calm did not know. */
  dropped: string[];
  byAnswer: Record<string, Count>;
  byKind: Record<string, Count>;
  cells: Record<string, Record<string, Count>>;
}

const add = (into: Record<string, Count>, key: string, ok: boolean) => {
  const count = into[key] ?? { ok: 0, total: 0 };
  count.total++;
  if (ok) count.ok++;
  into[key] = count;
};

export function tally(evaluations: readonly Evaluation[]): Tally {
  const t: Tally = {
    ok: 0,
    total: 0,
    share: 0,
    scenarios: evaluations.length,
    failedRuns: evaluations.filter((e) => e.error !== undefined).length,
    dropped: [...new Set(evaluations.flatMap((e) => e.dropped))],
    byAnswer: {},
    byKind: {},
    cells: {},
  };
  for (const e of evaluations)
    for (const r of e.results) {
      t.total++;
      if (r.ok) t.ok++;
      add(t.byAnswer, r.answer, r.ok);
      add(t.byKind, e.kind, r.ok);
      t.cells[e.kind] ??= {};
      add(t.cells[e.kind] as Record<string, Count>, r.answer, r.ok);
    }
  t.share = t.total ? t.ok / t.total : 0;
  return t;
}

const cell = (c: Count | undefined) => (c ? `${c.ok}/${c.total}` : '-');
const pct = (ok: number, total: number) => `${total ? ((100 * ok) / total).toFixed(1) : '0.0'}%`;

/** Rows: kinds, then "all"; columns: the answers scored, then "all". */
export function formatTable(t: Tally): string {
  const answers = [
    ...ANSWERS.filter((a) => t.byAnswer[a]),
    ...Object.keys(t.byAnswer).filter((a) => !(ANSWERS as readonly string[]).includes(a)),
  ];
  const rows = [
    ['kind', ...answers, 'all'],
    ...Object.keys(t.cells).map((kind) => [
      kind,
      ...answers.map((a) => cell(t.cells[kind]?.[a])),
      cell(t.byKind[kind]),
    ]),
    ['all', ...answers.map((a) => cell(t.byAnswer[a])), cell(t)],
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r
      .map((text, i) => (i === 0 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    ...rows.map(line),
    `overall: ${t.ok}/${t.total} planted answers right (${pct(t.ok, t.total)}) over ${t.scenarios} scenarios`,
  ].join('\n');
}

/** The totals as one JSON line (no cells: the table has them). */
export function formatJson(t: Tally): string {
  const { cells: _cells, ...totals } = t;
  return JSON.stringify({ ...totals, share: Number(t.share.toFixed(4)) });
}

/** One line per miss: kind, seed, answer and what was expected and reported. */
export function formatMisses(evaluations: readonly Evaluation[]): string[] {
  return evaluations.flatMap((e) =>
    e.results.filter((r) => !r.ok).map((r) => `MISS ${e.kind} ${e.seed} ${r.answer}: ${r.detail}`),
  );
}
