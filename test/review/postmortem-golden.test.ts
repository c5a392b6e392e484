/**
 * The postmortem of an incident modelled on GitLab's 2017-01-31 database
 * outage, built step by step through the real CLI (embedded, and over the
 * API on SQLite), compared with the Markdown and HTML kept in
 * test/fixtures/postmortem/. `UPDATE_GOLDEN=1 npx vitest run test/review`
 * rewrites them; read the diff before committing one.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintBlame } from '../../src/core/review/blame.js';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { GITLAB_PEOPLE, GITLAB_STEPS } from './gitlab-incident.js';

// Times in the goldens are UTC: the CLI's (its env) and the in-process server's (this process).
process.env.TZ = 'UTC';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'postmortem');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function expectGolden(name: string, actual: string): void {
  const file = join(FIXTURES, name);
  if (UPDATE) writeFileSync(file, actual);
  if (!existsSync(file))
    throw new Error(`${file} is missing; run UPDATE_GOLDEN=1 npx vitest run test/review`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

let ws: ReturnType<typeof makeWorkspace>;
let server: TestServer | undefined;
beforeEach(() => {
  ws = makeWorkspace();
  ws.env.TZ = 'UTC';
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  ws.cleanup();
});

const calmAs = async (author: string, ...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...ws.env, CALM_USER: author };
  if (server) env.CALM_TOKEN = server.tokens[author];
  const result = await runCalm(args, { cwd: ws.dir, env });
  expect(result.stderr, `calm ${args.join(' ')}`).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
};

describe.each([{ mode: 'embedded' }, { mode: 'over the API, SQLite', engine: 'sqlite' }] as const)(
  'the GitLab database outage postmortem ($mode)',
  (where) => {
    it('reads as the golden Markdown and HTML, and holds no blame', {
      timeout: 240_000,
    }, async () => {
      if (where.engine) {
        server = await startTestServer(where.engine, GITLAB_PEOPLE);
        ws.env.CALM_URL = server.url;
      }
      for (const [author, ...args] of GITLAB_STEPS) await calmAs(author, ...args);

      const markdown = await calmAs('maria', 'postmortem', 'INC-1');
      expectGolden('gitlab-2017-01-31.md', markdown);
      expectGolden(
        'gitlab-2017-01-31.html',
        await calmAs('maria', 'postmortem', '--format', 'html'),
      );
      expect(lintBlame(markdown, { people: GITLAB_PEOPLE })).toEqual([]);
      await calmAs('maria', 'postmortem', '--out', 'review.md');
      expect(await calmAs('maria', 'lint', '--file', 'review.md')).toBe('No blame found.\n');

      const { stages } = JSON.parse(await calmAs('maria', 'stages', '--json'));
      const minutes = Object.fromEntries(
        stages.stages.map((s: { stage: string; ms?: number }) => [s.stage, (s.ms ?? 0) / 60_000]),
      );
      expect(minutes).toEqual({
        detect: 55,
        acknowledge: 10,
        declare: 5,
        mitigate: 23 * 60 + 19,
        resolve: 41 * 60 + 5,
      });
      expect(stages.hypotheses.map((h: { openMs: number }) => h.openMs / 60_000)).toEqual([
        105, 15,
      ]);
      expect(stages.gaps.length).toBeGreaterThan(0);
    });
  },
);
