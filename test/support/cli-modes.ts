/**
 * What the CLI's end-to-end suites share: the three ways a command runs (on
 * this machine's store, and over a team server's API on SQLite or on
 * PostgreSQL), and what a run that worked looks like.
 */
import { expect } from 'vitest';
import type { RunResult } from '../run-calm.js';

export const CLI_MODES = [
  { mode: 'embedded' },
  { mode: 'over the API, SQLite', engine: 'sqlite' },
  { mode: 'over the API, PostgreSQL', engine: 'postgres' },
] as { mode: string; engine?: 'sqlite' | 'postgres' }[];

/** A run that worked: exit 0 and nothing on stderr; its standard output. */
export async function ok(result: Promise<RunResult>): Promise<string> {
  const r = await result;
  expect(r.stderr, 'stderr of a command that should succeed').toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}
