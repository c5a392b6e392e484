/**
 * Writes a scenario to a folder: its files as generated, plus `truth.json`
 * (the planted answers) and `scenario.json` (kind, seed, title, zone, span and
 * the arguments for `calm analyze`). The logs sit under `logs/`, so that
 * analysing `logs` never reads the truth.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Scenario } from './truth.js';

export async function writeScenario(scenario: Scenario, dir: string): Promise<string[]> {
  const root = resolve(dir);
  const written: string[] = [];
  const put = async (path: string, content: string) => {
    const file = join(root, path);
    if (!file.startsWith(root)) throw new Error(`file outside the scenario folder: ${path}`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    written.push(file);
  };
  for (const file of scenario.files) await put(file.path, file.content);
  await put('truth.json', `${JSON.stringify(scenario.truth, null, 2)}\n`);
  const { files, truth: _truth, ...meta } = scenario;
  await put(
    'scenario.json',
    `${JSON.stringify({ ...meta, files: files.map((f) => f.path) }, null, 2)}\n`,
  );
  return written;
}
