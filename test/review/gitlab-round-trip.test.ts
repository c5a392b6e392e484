/**
 * The GitLab 2017-01-31 outage (gitlab-incident.ts), built through the real
 * CLI on this machine, exported, imported into a PostgreSQL team server over
 * its API, exported there and imported into another machine's SQLite store:
 * every export is the same file but for the incident's id and key, and every
 * store renders the postmortem kept as the golden Markdown.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { GITLAB_PEOPLE, GITLAB_STEPS } from './gitlab-incident.js';

const GOLDEN = join(import.meta.dirname, '..', 'fixtures', 'postmortem', 'gitlab-2017-01-31.md');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workspace() {
  const ws = makeWorkspace();
  ws.env.TZ = 'UTC';
  cleanups.push(() => ws.cleanup());
  return ws;
}

async function run(
  ws: ReturnType<typeof makeWorkspace>,
  env: NodeJS.ProcessEnv,
  ...args: string[]
) {
  const result = await runCalm(args, { cwd: ws.dir, env: { ...ws.env, ...env } });
  expect(result.stderr, `calm ${args.join(' ')}`).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

const withoutIdentity = (text: string) => {
  const file = JSON.parse(text);
  file.incident.id = 0;
  file.incident.key = '';
  for (const entry of file.entries) entry.incidentId = 0;
  return JSON.stringify(file, null, 2);
};

it('moves the GitLab outage and its postmortem between stores without loss', {
  timeout: 300_000,
}, async () => {
  const golden = readFileSync(GOLDEN, 'utf8');
  const laptop = workspace();
  for (const [author, ...args] of GITLAB_STEPS) await run(laptop, { CALM_USER: author }, ...args);
  const first = await run(laptop, {}, 'export', 'INC-1', '--format', 'json', '-o', 'outage.json');
  expect(first).toBe('Wrote INC-1 to outage.json.\n');
  const exported1 = readFileSync(join(laptop.dir, 'outage.json'), 'utf8');
  expect(await run(laptop, {}, 'postmortem', 'INC-1')).toBe(golden);

  const server: TestServer = await startTestServer('postgres', [...GITLAB_PEOPLE, 'root'], {
    admins: ['root'],
  });
  cleanups.push(() => server.stop());
  const remote = (who: string) => ({ CALM_URL: server.url, CALM_TOKEN: server.tokens[who] ?? '' });
  expect(await run(laptop, remote('root'), 'import', 'outage.json')).toMatch(
    /^Imported INC-1 as INC-1: /,
  );
  expect(await run(laptop, remote('maria'), 'postmortem', 'INC-1')).toBe(golden);
  const exported2 = await run(laptop, remote('maria'), 'export', 'INC-1', '--format', 'json');

  const other = workspace();
  writeFileSync(join(other.dir, 'outage.json'), exported2);
  await run(other, {}, 'import', 'outage.json');
  expect(await run(other, {}, 'postmortem', 'INC-1')).toBe(golden);
  const exported3 = await run(other, {}, 'export', 'INC-1', '--format', 'json');

  expect(withoutIdentity(exported2)).toBe(withoutIdentity(exported1));
  expect(withoutIdentity(exported3)).toBe(withoutIdentity(exported1));
  expect(JSON.parse(exported1).entries.length).toBeGreaterThan(50);
});
