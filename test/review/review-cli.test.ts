/**
 * The review across incidents with the real CLI: calm insights, calm related
 * and calm show's "This happened before", calm export and calm import, on
 * this machine's store and over the API (SQLite and PostgreSQL servers); and
 * personal mode, which only ever runs on this machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from '../notify/receivers.js';
import { makeWorkspace, type RunResult, runCalm } from '../run-calm.js';
import { CLI_MODES, ok } from '../support/cli-modes.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const JAVA_LOG = join(import.meta.dirname, '..', 'fixtures', 'logs', 'java-trace.log');
let ws: ReturnType<typeof makeWorkspace>;
let server: TestServer | undefined;
const calm = (...args: string[]) => runCalm(args, { cwd: ws.dir, env: ws.env });
/** The store on this machine, whatever CALM_URL says. */
const calmHere = (...args: string[]) => {
  const { CALM_URL: _, CALM_TOKEN: __, ...env } = ws.env;
  return runCalm(args, { cwd: ws.dir, env });
};
/** An admin: over the API the account `root`, embedded anyone. */
const calmAdmin = (...args: string[]) =>
  runCalm(args, {
    cwd: ws.dir,
    env: { ...ws.env, ...(server ? { CALM_TOKEN: server.tokens.root } : {}) },
  });

async function refused(result: Promise<RunResult>, pattern: RegExp): Promise<void> {
  const r = await result;
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

/** An export with the incident's own id and key taken out: what survives an import. */
function withoutIdentity(text: string): string {
  const file = JSON.parse(text);
  file.incident.id = 0;
  file.incident.key = '';
  for (const entry of file.entries) entry.incidentId = 0;
  return JSON.stringify(file);
}

beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  ws.cleanup();
});

describe.each(CLI_MODES)('the review across incidents, end to end ($mode)', (where) => {
  beforeEach(async () => {
    if (!where.engine) return;
    server = await startTestServer(where.engine, ['alice', 'root'], { admins: ['root'] });
    ws.env.CALM_URL = server.url;
    ws.env.CALM_TOKEN = server.tokens.alice;
  });

  async function incident(title: string, service: string, day: string, cause: string) {
    await ok(
      calm(
        'declare',
        title,
        '--service',
        service,
        '--severity',
        'SEV2',
        '--at',
        `${day} 10:00`,
        '--impact-started',
        `${day} 09:40`,
        '--detected',
        `${day} 09:50`,
      ),
    );
    await ok(calm('role', 'commander', 'alice', '--at', `${day} 10:05`));
    await ok(
      calm('cause', 'add', cause.split(':')[1] ?? '', '-c', cause.split(':')[0] ?? '', '--root'),
    );
    await ok(calm('resolve', '--reason', 'fixed', '--at', `${day} 11:40`));
  }

  it('links a repeat to the incident it repeats, with why, and charts the incidents together', async () => {
    await incident(
      'Checkout times out',
      'checkout',
      '2026-10-01',
      'bad-configuration:pool too small',
    );
    const attached = await calm('analyze', JAVA_LOG, '--attach', 'INC-1', '--format', 'json');
    expect(attached.code, attached.stderr).toBe(0);
    await incident('Search index stale', 'search', '2026-10-15', 'disk-full:index disk full');
    await incident(
      'Checkout times out again',
      'checkout',
      '2026-11-02',
      'bad-configuration:pool reset',
    );
    expect((await calm('analyze', JAVA_LOG, '--attach', 'INC-3', '--format', 'json')).code).toBe(0);

    const related = await ok(calm('related', 'INC-3'));
    expect(related).toMatch(
      /^This happened before: INC-1\n {2}INC-1 {2}2026-10-01 {2}Checkout times out/,
    );
    expect(related).toContain('same stack fingerprint 8321dc2ab73b5032');
    expect(related).toContain('shared error message "Exception in thread');
    expect(related).toContain('same cause category bad-configuration on checkout');
    expect(await ok(calm('related', 'INC-2'))).toBe('INC-2: no earlier incident like it.\n');
    expect(await ok(calm('show', 'INC-3'))).toContain(
      'This happened before: INC-1 (see `calm related INC-3`)',
    );

    const insights = await ok(calm('insights'));
    expect(insights).toMatch(/^3 incidents\n/);
    expect(insights).toMatch(/By service\n {2}checkout {2}█+ 2\n {2}search {4}█+ +1\n/);
    expect(insights).toMatch(/Bad configuration +█+ 2\n {2}No remaining disk space {2}█+ +1\n/);
    expect(insights).toMatch(
      /time to detect: impact started -> detected.*\n {2}2026-10 {2}█+ 10m +n=2 {2}mean 10m {2}\(few: not a trend\)/,
    );
    expect(insights).toMatch(/time to resolve: .*\n(.*\n)* {2}all {6}█+ 2h +n=3 {2}mean 2h\n/);
    expect(insights).toContain('Postmortems outstanding: 3 (INC-1, INC-2, INC-3)');
    expect(insights).toMatch(/Recurring\n {2}INC-1 -> INC-3\n {4}same stack fingerprint/);
    const november = JSON.parse(await ok(calm('insights', '--since', '2026-11-01', '--json')));
    expect(november.incidents).toBe(1);
    expect(november.times.overall.acknowledge).toEqual({ n: 1, mean: 900_000, median: 900_000 });
    await refused(
      calm('insights', '--since', 'last tuesday'),
      /cannot read the time "last tuesday"/,
    );
  });

  it('exports an incident and imports it under a new key, once, and refuses a damaged file', async () => {
    await incident(
      'Checkout times out',
      'checkout',
      '2026-10-01',
      'bad-configuration:pool too small',
    );
    await ok(calm('action', 'add', 'alert on pool wait', '--owner', 'alice'));
    await ok(calm('export', 'INC-1', '--format', 'json', '-o', 'inc1.json'));
    const original = readFileSync(join(ws.dir, 'inc1.json'), 'utf8');

    expect(await ok(calmAdmin('import', 'inc1.json'))).toBe(
      'Imported INC-1 as INC-2: Checkout times out (8 entries). See `calm show INC-2`.\n',
    );
    await refused(
      calmAdmin('import', 'inc1.json'),
      /^calm: INC-1 was already imported here as INC-2; nothing written/,
    );
    expect(await ok(calm('show', 'INC-2'))).toMatch(/· imported from INC-1\n/);
    const copy = await ok(calm('export', 'INC-2', '--format', 'json'));
    expect(withoutIdentity(copy)).toBe(withoutIdentity(original));

    writeFileSync(join(ws.dir, 'cut.json'), original.slice(0, 500));
    await refused(calmAdmin('import', 'cut.json'), /^calm: cut\.json is not JSON .*truncated/);
    await refused(calmAdmin('import', 'missing.json'), /^calm: cannot read missing\.json: ENOENT/);
    expect(JSON.parse(await ok(calm('list', '--json')))).toHaveLength(2);

    if (server) {
      // a responder may not import: the entries would be in others' names
      await refused(calm('import', 'inc1.json'), /admin/);
      // and the file moves to this machine's store, another engine, unchanged
      expect(await ok(calmHere('import', 'inc1.json'))).toMatch(/^Imported INC-1 as INC-1:/);
      const here = await ok(calmHere('export', 'INC-1', '--format', 'json'));
      expect(withoutIdentity(here)).toBe(withoutIdentity(original));
    }
  });
});

describe('personal mode, on this machine', () => {
  let hook: HttpReceiver;
  beforeEach(async () => {
    hook = await startHttpReceiver();
    writeFileSync(
      join(ws.dir, 'calm.config.yaml'),
      [
        'channels:',
        '  - name: team',
        '    type: webhook',
        `    url: ${hook.url}`,
        '    secret: a-secret-of-sixteen-chars',
        '',
      ].join('\n'),
    );
  });
  afterEach(async () => hook.close());

  it('keeps a private log and a personal postmortem, and tells nobody', async () => {
    expect(
      await ok(
        calm(
          'declare',
          '--personal',
          'I ran the migration against production',
          '--severity',
          'SEV1',
        ),
      ),
    ).toMatch(
      /^Declared INC-1 \(personal\): I ran the migration against production\nIt stays on this machine and tells nobody/,
    );
    await ok(calm('log', 'the orders table is locked'));
    await ok(calm('log', '--action', 'killed the migration'));
    await ok(calm('action', 'add', 'a checklist before I run migrations', '--owner', 'alice'));
    await ok(
      calm(
        'action',
        'add',
        'migrations need a second reviewer',
        '--owner',
        'team-lead',
        '--kind',
        'process',
      ),
    );
    await ok(calm('resolve', '--reason', 'the table is unlocked'));
    expect(
      await ok(
        calm(
          'reflect',
          'write',
          'do-differently',
          'rehearse it on staging and ask for a review first',
        ),
      ),
    ).toMatch(/^Wrote do-differently of INC-1's personal postmortem/);
    await refused(
      calm('reflect', 'write', 'blame', 'x'),
      /unknown section "blame"; a personal postmortem has what-happened/,
    );

    const review = await ok(calm('reflect'));
    for (const heading of [
      '# Personal postmortem: INC-1 — I ran the migration against production',
      '## What happened',
      '## What I did',
      '## What I would do differently',
      '## What I change personally',
      '## What the team or organisation should change',
    ])
      expect(review).toContain(heading);
    expect(review).toMatch(
      /## What I did\n\n- .*: the orders table is locked\n- .*: killed the migration/,
    );
    expect(review).toMatch(/rehearse it on staging and ask for a review first/);
    expect(review).toMatch(
      /## What I change personally\n\n.*\n\n- A1 · a checklist before I run migrations/,
    );
    expect(review).toMatch(
      /should change\n\n.*\n\n- A2 · migrations need a second reviewer · process/,
    );
    expect(hook.received).toHaveLength(0);
    // the team's postmortem command renders the personal template for a personal incident
    expect(await ok(calm('postmortem'))).toBe(review);

    // a team incident on the same machine is told as usual, and counted apart
    await ok(calm('declare', 'Checkout down', '--severity', 'SEV1'));
    expect(hook.received).toHaveLength(1);
    expect(await ok(calm('list'))).toMatch(/I ran the migration against production \(personal\)/);
    expect(await ok(calm('insights'))).toMatch(/^1 incident\n/);
    expect(await ok(calm('insights', '--personal'))).toMatch(
      /^2 incidents; personal incidents included\n/,
    );
    expect(await ok(calm('show', 'INC-1'))).toMatch(/ · personal\n/);
    await refused(
      calm('reflect', 'INC-2'),
      /INC-2 is a team incident; its review is `calm postmortem INC-2`/,
    );
  });

  it('never goes to a team server', async () => {
    const team = await startTestServer('sqlite', ['alice', 'root'], { admins: ['root'] });
    try {
      await ok(calm('declare', '--personal', 'I deleted the wrong branch'));
      await ok(calm('export', 'INC-1', '--format', 'json', '-o', 'mine.json'));
      const remote = { ...ws.env, CALM_URL: team.url, CALM_TOKEN: team.tokens.root ?? '' };
      const over = (...args: string[]) => runCalm(args, { cwd: ws.dir, env: remote });
      await refused(
        over('declare', '--personal', 'x'),
        /a personal incident stays on this machine/,
      );
      await refused(over('reflect'), /personal postmortems are kept on this machine/);
      await refused(over('insights', '--personal'), /personal incidents live on this machine/);
      await refused(
        over('import', 'mine.json'),
        /INC-1 is a personal incident: it stays on its engineer's machine/,
      );
      expect(JSON.parse(await ok(over('list', '--json')))).toEqual([]);
      // on this machine it may come back, from a backup
      expect(await ok(calm('import', 'mine.json'))).toMatch(/^Imported INC-1 as INC-2:/);
    } finally {
      await team.stop();
    }
  });
});
