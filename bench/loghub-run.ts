/**
 * Grouping accuracy and speed of the template miner on Loghub-style data sets.
 * Bundled and run by bench/loghub.mjs; usage: node loghub-run.mjs <data dir>.
 *
 * Every subfolder of the data dir that holds a `*_structured*.csv` file with `Content`
 * and `EventId` columns is one system. The miner (one default configuration) reads the
 * Content column in file order; GA counts a line as correct when the set of lines in
 * its predicted group is exactly the set of lines sharing its true EventId.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateMiner } from '../src/analysis/mine/miner.js';

/** RFC 4180 CSV: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < n) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          const j = text.indexOf('"', i);
          const end = j < 0 ? n : j;
          field += text.slice(i, end);
          i = end;
        }
      }
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      rows.push(row);
      row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r' && text[j] !== '"')
        j++;
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface SystemData {
  name: string;
  contents: string[];
  truth: string[];
}

function loadSystems(dir: string): SystemData[] {
  const out: SystemData[] = [];
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (!statSync(sub).isDirectory()) continue;
    // The corrected ground truth when a folder has both (Khan et al., ICSE 2022).
    const files = readdirSync(sub)
      .filter((f) => /_structured.*\.csv$/.test(f))
      .sort();
    const file = files.find((f) => f.includes('corrected')) ?? files[0];
    if (!file) continue;
    const rows = parseCsv(readFileSync(join(sub, file), 'utf8'));
    const header = rows[0] ?? [];
    const ci = header.indexOf('Content');
    const ei = header.indexOf('EventId');
    if (ci < 0 || ei < 0) continue;
    const contents: string[] = [];
    const truth: string[] = [];
    for (const r of rows.slice(1)) {
      if (r.length <= Math.max(ci, ei)) continue;
      contents.push(r[ci] as string);
      truth.push(r[ei] as string);
    }
    out.push({ name, contents, truth });
  }
  return out;
}

export function groupingAccuracy(predicted: number[], truth: string[]): number {
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const groups = new Map<number, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g) g.push(i);
    else groups.set(p, [i]);
  });
  let correct = 0;
  for (const lines of groups.values()) {
    const first = truth[lines[0] as number] as string;
    if (lines.every((i) => truth[i] === first) && truthSize.get(first) === lines.length)
      correct += lines.length;
  }
  return correct / truth.length;
}

function mine(contents: string[]): number[] {
  const miner = new TemplateMiner();
  const ids = contents.map((c) => miner.add(c).templateId);
  return ids.map((id) => miner.groupOf(id));
}

/**
 * Cold single-pass throughput: a fresh miner per pass over the system's lines, passes
 * repeated for 150 ms; the median of 5 such rounds (robust to a busy machine).
 */
function throughput(contents: string[]): number {
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    let messages = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      const miner = new TemplateMiner();
      for (const c of contents) miner.add(c);
      messages += contents.length;
      elapsed = performance.now() - start;
    } while (elapsed < 150);
    rates.push((messages / elapsed) * 1000);
  }
  rates.sort((a, b) => a - b);
  return rates[2] as number;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: loghub-run <data dir>');
const systems = loadSystems(dir);
if (systems.length === 0) throw new Error(`no *_structured*.csv under ${dir}`);

const verbose = process.argv.includes('--verbose');
// Warm-up: let the JIT see every system's lines before anything is timed.
for (let i = 0; i < 3; i++) for (const s of systems) mine(s.contents);
const rows: {
  system: string;
  lines: number;
  truth: number;
  predicted: number;
  ga: number;
  rate: number;
}[] = [];
for (const s of systems) {
  const predicted = mine(s.contents);
  const ga = groupingAccuracy(predicted, s.truth);
  if (verbose) report(s, predicted);
  rows.push({
    system: s.name,
    lines: s.contents.length,
    truth: new Set(s.truth).size,
    predicted: new Set(predicted).size,
    ga,
    rate: throughput(s.contents),
  });
}

const pad = (v: string | number, w: number) => String(v).padStart(w);
console.log(
  `${'system'.padEnd(12)}${pad('lines', 7)}${pad('true groups', 13)}${pad('predicted', 11)}${pad('GA', 8)}${pad('messages/s', 13)}`,
);
for (const r of rows) {
  console.log(
    `${r.system.padEnd(12)}${pad(r.lines, 7)}${pad(r.truth, 13)}${pad(r.predicted, 11)}${pad(r.ga.toFixed(4), 8)}${pad(Math.round(r.rate).toLocaleString('en-US'), 13)}`,
  );
}
const average = rows.reduce((a, r) => a + r.ga, 0) / rows.length;
const allLines = rows.reduce((a, r) => a + r.lines, 0);
const allTime = rows.reduce((a, r) => a + r.lines / r.rate, 0);
console.log(
  `${'average'.padEnd(12)}${pad(allLines, 7)}${pad('', 13)}${pad('', 11)}${pad(average.toFixed(4), 8)}${pad(Math.round(allLines / allTime).toLocaleString('en-US'), 13)}`,
);

// Steady state: one miner fed every system's lines again and again (the hot path).
const everything = systems.flatMap((s) => s.contents);
const steady = new TemplateMiner();
for (const c of everything) steady.add(c);
let steadyMessages = 0;
const t0 = performance.now();
while (performance.now() - t0 < 1000) {
  for (const c of everything) steady.add(c);
  steadyMessages += everything.length;
}
const steadyRate = (steadyMessages / (performance.now() - t0)) * 1000;
console.log(
  `steady state (one miner, all ${everything.length} lines repeated): ${Math.round(steadyRate).toLocaleString('en-US')} messages/s`,
);

for (const line of floodReport()) console.log(line);

console.log(
  JSON.stringify({
    ga: Object.fromEntries(rows.map((r) => [r.system, Number(r.ga.toFixed(4))])),
    average: Number(average.toFixed(4)),
    messagesPerSecond: Math.round(allLines / allTime),
    steadyMessagesPerSecond: Math.round(steadyRate),
  }),
);

/**
 * Bounded memory: streams where every message is a new cluster, far more than the 50,000
 * clusters the miner keeps. "grouping": three words vary together and the clusters join
 * one group; "unrelated": ten random words, nothing in common, every cluster stays apart.
 * Retained heap = heap with the miner alive minus heap once it is dropped (needs --expose-gc).
 */
function floodReport(): string[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  let seed = 0x9e3779b9 | 0;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'xe', 'zu', 'pa', 'do'];
  const word = () => Array.from({ length: 4 }, () => syllables[random() % 12]).join('');
  const N = 300_000;
  const streams: [string, (i: number) => string][] = [
    [
      'grouping',
      (i) => {
        const w = (k: number) =>
          `${words[(i >> k) & 7]}${String.fromCharCode(97 + ((i >> (k + 3)) % 26))}`;
        return `event ${w(0)} ${w(5)} ${w(10)} happened on shard ${i % 97} after ${i}ms`;
      },
    ],
    ['unrelated', () => Array.from({ length: 10 }, word).join(' ')],
  ];
  const out: string[] = [];
  for (const [name, make] of streams) {
    // flat strings, as a reader would hand them over
    const messages: string[] = JSON.parse(
      JSON.stringify(Array.from({ length: N }, (_, i) => make(i))),
    );
    let miner: TemplateMiner | null = new TemplateMiner();
    const start = performance.now();
    for (const m of messages) miner.add(m);
    const rate = (messages.length / (performance.now() - start)) * 1000;
    const kept = miner.size;
    const groups = miner.templates().length;
    gc?.();
    const withMiner = process.memoryUsage().heapUsed;
    miner = null;
    gc?.();
    const mb = (withMiner - process.memoryUsage().heapUsed) / 1048576;
    out.push(
      `all-new stream, ${name} (${messages.length.toLocaleString('en-US')} distinct messages): ${Math.round(rate).toLocaleString('en-US')} messages/s, ${kept.toLocaleString('en-US')} clusters kept (cap 50,000), ${groups.toLocaleString('en-US')} groups, ${gc ? `miner heap ${mb.toFixed(0)} MB` : 'run with --expose-gc for its heap'}`,
    );
  }
  return out;
}

/** With --verbose: each true group that was split or merged, with an example per part. */
function report(s: SystemData, predicted: number[]): void {
  const byTruth = new Map<string, Map<number, number[]>>();
  const byPred = new Map<number, Set<string>>();
  s.truth.forEach((t, i) => {
    const p = predicted[i] as number;
    const parts = byTruth.get(t) ?? new Map<number, number[]>();
    byTruth.set(t, parts);
    parts.set(p, [...(parts.get(p) ?? []), i]);
    const truths = byPred.get(p) ?? new Set<string>();
    byPred.set(p, truths);
    truths.add(t);
  });
  console.log(`--- ${s.name}`);
  for (const [t, parts] of byTruth) {
    const merged = [...parts.keys()].some((p) => (byPred.get(p)?.size ?? 0) > 1);
    if (parts.size === 1 && !merged) continue;
    const lines = [...parts.values()].reduce((n, l) => n + l.length, 0);
    console.log(
      `  ${t} (${lines} lines) split into ${parts.size}${merged ? ', merged with others' : ''}`,
    );
    for (const [p, idx] of [...parts].slice(0, 6)) {
      const others = [...(byPred.get(p) ?? [])].filter((x) => x !== t);
      const example = s.contents[idx[0] as number]?.slice(0, 140);
      console.log(
        `    [${idx.length}] ${example}${others.length ? `  (+ ${others.join(',')})` : ''}`,
      );
    }
  }
}
