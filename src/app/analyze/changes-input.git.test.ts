/**
 * listGitChanges against real throwaway repositories, built with fixed author and
 * committer dates so every time below is exact.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../core/errors.js';
import { listGitChanges } from './changes-input.js';

const NOW = Date.UTC(2026, 2, 15);
const at = (iso: string) => Date.parse(iso);
const WINDOW = { from: at('2026-03-14T00:00:00Z'), to: at('2026-03-14T23:00:00Z') };
const temp = mkdtempSync(join(tmpdir(), 'calm-git-'));
const repo = join(temp, 'repo');

/** git with no user or system configuration, and the given dates. */
function git(args: string[], dates: { author?: string; committer?: string } = {}): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Dana', '-c', 'user.email=dana@example.com', ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: temp,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: join(temp, 'no-config'),
        ...(dates.author ? { GIT_AUTHOR_DATE: dates.author } : {}),
        ...(dates.committer ? { GIT_COMMITTER_DATE: dates.committer } : {}),
      },
    },
  );
}

function commit(file: string, message: string, author: string, committer = author): void {
  mkdirSync(join(repo, file, '..'), { recursive: true });
  writeFileSync(join(repo, file), `${message}\n`);
  git(['add', file]);
  git(['commit', '-q', '-m', message], { author, committer });
}

beforeAll(() => {
  mkdirSync(repo);
  git(['init', '-q', '-b', 'main']);
  commit('README', 'initial', '2026-03-10T09:00:00Z');
  commit(
    'checkout/pay.ts',
    'parse decimal amounts',
    '2026-03-13T16:00:00Z',
    '2026-03-14T13:50:00Z',
  );
  git(['tag', 'v2.3.0']);
  git(['checkout', '-q', '-b', 'feature']);
  commit('search/rank.ts', 'rank by freshness', '2026-03-14T10:00:00Z');
  git(['checkout', '-q', 'main']);
  git(['merge', '-q', '--no-ff', '-m', 'Merge branch feature', 'feature'], {
    author: '2026-03-14T13:55:00Z',
    committer: '2026-03-14T13:55:00Z',
  });
  git(['tag', '-a', 'v2.3.1', '-m', 'release 2.3.1'], { committer: '2026-03-14T13:58:00Z' });
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('listGitChanges', () => {
  it('lists commits by committer date, merges, and both kinds of tag, in the window', async () => {
    const input = await listGitChanges(repo, { now: NOW, window: WINDOW, name: 'repo' });
    expect(
      input.records.map((r) => [r.kind, new Date(r.time).toISOString(), r.description]),
    ).toEqual([
      ['commit', '2026-03-14T10:00:00.000Z', 'rank by freshness'],
      ['commit', '2026-03-14T13:50:00.000Z', 'parse decimal amounts'],
      ['tag', '2026-03-14T13:50:00.000Z', 'parse decimal amounts'],
      ['merge', '2026-03-14T13:55:00.000Z', 'Merge branch feature'],
      ['tag', '2026-03-14T13:58:00.000Z', 'release 2.3.1'],
    ]);
    const [, late, lightweight, , annotated] = input.records;
    expect(late?.labels).toEqual({ authored: '2026-03-13T16:00:00.000Z' });
    expect(late?.author).toBe('Dana');
    expect(late?.version).toMatch(/^[0-9a-f]{12}$/);
    expect(late?.source).toBe('repo');
    expect(lightweight).toMatchObject({ version: 'v2.3.0', source: 'repo tags' });
    expect(annotated).toMatchObject({ version: 'v2.3.1', author: 'Dana' });
    expect(input.covered).toEqual(WINDOW);
    expect(input.skipped).toBe(0);
  });

  it('keeps the latest records under the limit and says what they cover', async () => {
    const input = await listGitChanges(repo, { now: NOW, window: WINDOW, limit: 2 });
    expect(input.records.map((r) => r.kind)).toEqual(['merge', 'tag']);
    expect(input.covered).toEqual({ from: at('2026-03-14T13:55:00Z'), to: WINDOW.to });
  });

  it('lists only the commits touching a subfolder', async () => {
    const input = await listGitChanges(join(repo, 'search'), { now: NOW, window: WINDOW });
    expect(input.records.filter((r) => r.kind !== 'tag').map((r) => r.description)).toEqual([
      'rank by freshness',
    ]);
  });

  it('is a user error on a folder that is not a repository, or no folder', async () => {
    const plain = join(temp, 'plain');
    mkdirSync(plain);
    await expect(listGitChanges(plain, { now: NOW, window: WINDOW })).rejects.toThrow(
      /not a git repository; give the folder of a clone$/,
    );
    await expect(
      listGitChanges(join(temp, 'nowhere'), { now: NOW, window: WINDOW }),
    ).rejects.toBeInstanceOf(UserError);
  });
});
