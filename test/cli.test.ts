import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALM, makeWorkspace, type RunResult, runCalm } from './run-calm.js';
import { CLI_MODES, ok } from './support/cli-modes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Where the commands' incidents live: this machine's store, or the team
 * server's API (CALM_URL, CALM_TOKEN) on either store. The incident tests run
 * in every mode and expect the same output.
 */
const FIXTURE_LOG = join(import.meta.dirname, 'fixtures', 'logs', 'apache-common.log');

let ws: ReturnType<typeof makeWorkspace>;
let server: TestServer | undefined;
const calm = (...args: string[]) => runCalm(args, { cwd: ws.dir, env: ws.env });
/** Embedded, the author is CALM_USER; over the API, the account whose token is used. */
const calmAs = (author: string, ...args: string[]) =>
  runCalm(args, {
    cwd: ws.dir,
    env: {
      ...ws.env,
      CALM_USER: author,
      ...(server ? { CALM_TOKEN: server.tokens[author] } : {}),
    },
  });

/** A user's mistake: exit 2, one line on stderr naming the problem, no stack trace. */
async function refused(result: Promise<RunResult>, pattern: RegExp): Promise<void> {
  const r = await result;
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

async function entryCount(id = 'INC-1'): Promise<number> {
  const shown = JSON.parse(await ok(calm('show', id, '--json')));
  return shown.entries.length;
}

beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  ws.cleanup();
});

describe.each(CLI_MODES)('calm, end to end ($mode)', (where) => {
  beforeEach(async () => {
    if (!where.engine) return;
    server = await startTestServer(where.engine, ['alice', 'bob']);
    ws.env.CALM_URL = server.url;
    ws.env.CALM_TOKEN = server.tokens.alice;
  });

  it('runs a whole incident from declaration to close', async () => {
    expect(
      await ok(
        calm(
          'declare',
          'Checkout returns 500',
          '--service',
          'checkout,payments',
          '--impact-started',
          '2026-03-14 09:02',
        ),
      ),
    ).toMatch(/Declared INC-1: Checkout returns 500/);
    await ok(
      calm(
        'impact',
        '--affected',
        'all',
        '--customer-facing',
        'checkout',
        '--workaround',
        'no',
        '--rollback',
        'yes',
      ),
    );
    const assessed = await ok(
      calm(
        'severity',
        'assess',
        '--customer-facing',
        'yes',
        '--affected',
        'all',
        '--workaround',
        'no',
      ),
    );
    expect(assessed).toMatch(
      /SEV1 Critical, because a customer-facing service is down for all customers/,
    );
    await ok(calm('role', 'commander', 'alice'));
    await ok(calm('role', 'responder', 'bob'));
    expect(
      await ok(calm('log', 'error rate on /checkout at 42%', '--at', '2026-03-14 09:15')),
    ).toMatch(/Logged #\d+ \(note\)/);
    await ok(calmAs('bob', 'log', '--action', 'rolled back to v2.13'));
    await ok(calm('told', 'support', '--via', 'email', '-m', 'SEV1, updates every 30 min'));
    await ok(calm('update', 'support', 'Rolling back; next update in 30 minutes'));
    await ok(calm('told', 'responders', '--via', 'slack'));
    await ok(calm('told', 'executives', '--via', 'phone', '--at', '15m ago'));
    expect(await ok(calm('hypothesis', 'add', 'the payments database is overloaded'))).toMatch(
      /Proposed H1/,
    );
    await ok(calm('hypothesis', 'add', 'the 14:00 deploy broke card payments'));
    await ok(calm('hypothesis', 'test', '1'));
    await ok(calm('hypothesis', 'eliminate', 'H1', '--reason', 'database metrics normal'));
    await ok(calm('hypothesis', 'confirm', '2', '--reason', 'errors stopped after the rollback'));
    await ok(calm('cause', 'add', '/checkout returns 500'));
    await ok(calm('cause', 'add', 'CPU at 100% on pricing', '-c', 'cpu-maxed'));
    const chain = await ok(
      calm(
        'cause',
        'add',
        '--root',
        'a loop computes digits of pi',
        '-c',
        'bad-logic,untested-code',
      ),
    );
    expect(chain).toBe(
      '1. /checkout returns 500\n2. CPU at 100% on pricing [cpu-maxed]\n3. a loop computes digits of pi [bad-logic, untested-code] (root cause)\n',
    );
    await ok(calm('status', 'investigating'));
    await ok(calm('status', 'monitoring', '--reason', 'rolled back'));
    await ok(calm('resolve', '--reason', 'error rate at baseline'));
    await ok(calm('close'));

    const show = await ok(calm('show'));
    expect(show).toMatch(
      /^INC-1 {2}Checkout returns 500\nSEV1 Critical · closed · \d+ entries · times in Europe\/Berlin/,
    );
    // Local times in the zone asked for (TZ=Europe/Berlin is UTC+1 in March 2026).
    expect(show).toMatch(
      /2026-03-14\n\s+#\d+ {2}09:02:00 {2}milestone {2}alice: impact started \(logged \d\d:\d\d:\d\d\)/,
    );
    expect(show).toMatch(/09:15:00 {2}note {7}alice: error rate on \/checkout at 42%/);
    expect(show).toMatch(/action {5}bob: rolled back to v2\.13/);
    expect(show).toMatch(
      /H1 eliminated: the payments database is overloaded — because database metrics normal/,
    );
    expect(show).toMatch(/told support via email: SEV1, updates every 30 min/);
    expect(show).toMatch(/status {5}alice: resolved -> closed/);

    const json = JSON.parse(await ok(calm('show', '--json')));
    expect(json.incident.status).toBe('closed');
    expect(json.incident.severity).toBe('SEV1');
    const note = json.entries.find((e: { body: { kind: string } }) => e.body.kind === 'note');
    expect(note.occurredAt).toBe(Date.UTC(2026, 2, 14, 8, 15));
    expect(note.recordedAt).toBeGreaterThan(note.occurredAt);
    expect(note.author).toBe('alice');

    const exported = JSON.parse(await ok(calm('export', '--format', 'json')));
    expect(exported.format).toBe('calm.incident/v1');
    expect(exported.entries).toEqual(json.entries);
    expect(exported.incident).toEqual(json.incident);
    const md = await ok(calm('export', '--format', 'md'));
    expect(md).toMatch(/^# INC-1: Checkout returns 500/);
    expect(md).toMatch(
      /## Root-cause chain\n\n1\. \/checkout returns 500\n2\. CPU at 100% on pricing _\(CPU maxed out\)_\n3\. \*\*Root cause:\*\* a loop computes digits of pi _\(Bad logic, Untested code\)_/,
    );
    expect(md).toMatch(/\| Kind \| Author \| Entry \|/);

    const status = JSON.parse(await ok(calm('status', '--json')));
    expect(status.checklist.every((step: { done: boolean }) => step.done)).toBe(true);
  });

  it('says what to do next, judged from the log', async () => {
    await ok(calm('declare', 'Checkout down', '--severity', 'SEV1'));
    expect(await ok(calm('next'))).toMatch(/Now: Assess the impact\./);
    await ok(calm('impact', '--affected', 'all', '--rollback', 'yes'));
    await ok(calm('log', 'checkout returns 500 since 14:02'));
    await ok(calm('role', 'commander', 'alice'));
    await ok(calm('role', 'communications', 'bob'));
    await ok(calm('role', 'scribe', 'carol'));
    const next = await ok(calm('next'));
    expect(next).toMatch(
      /Now: Nobody has been told yet: SEV1 requires telling responders, support, executives\./,
    );
    expect(next).toMatch(/Log it: calm told responders --via email/);
    const parsed = JSON.parse(await ok(calm('next', '--json')));
    expect(parsed.checklist.find((s: { key: string }) => s.key === 'report').done).toBe(false);
    await ok(calm('told', 'responders', '--via', 'slack'));
    await ok(calm('told', 'support', '--via', 'email'));
    await ok(calm('told', 'executives', '--via', 'email'));
    expect(await ok(calm('next'))).toMatch(/Now: Move the incident to investigating\./);
  });

  it('refuses bad input with one line, exit code 2, and writes nothing', async () => {
    await ok(calm('declare', 'Checkout down'));
    const before = await entryCount();
    await refused(calm('show', 'INC-99'), /^calm: there is no incident INC-99; see `calm list`$/);
    await refused(calm('log', 'x', '-i', 'INC-42'), /no incident INC-42/);
    await refused(
      calm('log', 'x', '-i', 'banana'),
      /"banana" is not an incident id; use the form INC-12/,
    );
    await refused(
      calm('severity', 'set', 'SEV9'),
      /unknown severity "SEV9"; this team's levels are SEV1, SEV2, SEV3/,
    );
    await refused(
      calm('role', 'captain', 'bob'),
      /unknown role "captain"; use one of commander, communications, scribe, responder/,
    );
    await refused(
      calm('close'),
      /cannot move the incident from triage to closed: from triage it can move to investigating/,
    );
    await refused(calm('status', 'sleeping'), /unknown status "sleeping"/);
    await refused(calm('log', 'x', '--at', '25:99'), /cannot read the time "25:99"; use 14:02/);
    await refused(calm('log', 'x', '--at', '2999-01-01 10:00'), /is in the future/);
    await refused(calm('hypothesis', 'eliminate', '1', '--reason', 'x'), /has no hypothesis H1/);
    await refused(calm('told', 'support'), /required option '--via <channel>' not specified/);
    await refused(calm('log', 'x', '--bogus'), /unknown option '--bogus'/);
    await refused(
      calm('correct', '1', '--strike', '--reason', 'oops'),
      /was recorded by Calm and cannot be corrected/,
    );
    await refused(calm('impact', '--affected', 'everybody-ish'), /unknown audience affected/);
    await refused(calm('decline'), /say why this is not an incident/);
    expect(await entryCount()).toBe(before);

    await ok(calm('hypothesis', 'add', 'cache stampede'));
    await refused(calm('hypothesis', 'eliminate', '1'), /say why H1 is eliminated: add --reason/);
    await ok(calm('hypothesis', 'eliminate', '1', '--reason', 'hit rate normal'));
    await refused(
      calm('hypothesis', 'confirm', '1', '--reason', 'x'),
      /H1 is eliminated and cannot become confirmed/,
    );
  });

  it('corrects entries without rewriting them', async () => {
    await ok(calm('declare', 'Checkout down'));
    await ok(calm('log', 'error rate at 40%'));
    await ok(calm('log', 'web-3 is down'));
    await ok(calm('correct', '2', '--amend', 'error rate at 4%', '--reason', 'misread the graph'));
    await ok(calm('correct', '#3', '--strike', '--reason', 'wrong incident'));
    await refused(
      calm('correct', '3', '--strike', '--reason', 'again'),
      /entry #3 is already struck/,
    );
    await refused(calm('correct', '2', '--reason', 'x'), /either --amend "new text" or --strike/);
    const show = await ok(calm('show'));
    expect(show).toMatch(/#2 .* note {7}alice: error rate at 4% \[amended in #4\]/);
    expect(show).toMatch(/#3 .* note {7}alice: \[struck in #5: wrong incident\] web-3 is down/);
    const { entries } = JSON.parse(await ok(calm('show', '--json')));
    expect(entries[1].body).toEqual({ kind: 'note', text: 'error rate at 40%' });
  });

  it('drafts status updates per audience, edits them in $EDITOR, and posts "no new information"', async () => {
    await ok(calm('declare', 'db-2 disk full after the reindex cron', '--service', 'checkout'));
    await ok(calm('impact', '--affected', 'subset', 'card payments fail at checkout'));
    // the level says what it needs: roles, cadence, who must hear
    expect(await ok(calm('severity', 'set', 'SEV2', '--reason', 'a subset of customers'))).toBe(
      [
        'INC-1 is now SEV2.',
        '  SEV2 needs an incident commander and a communications lead: calm role commander NAME',
        '  updates: responders every 30m, support every 30m, executives every 2h (calm update AUDIENCE)',
        '  not told yet: responders, support',
        '',
      ].join('\n'),
    );
    await ok(calmAs('bob', 'log', '--action', 'failed over to db-3'));
    await ok(calm('log', '--finding', 'disk on db-2 at 100% since 09:02'));
    await ok(calm('hypothesis', 'add', 'the reindex cron filled the disk'));
    await ok(calm('hypothesis', 'test', '1'));
    await ok(calm('status', 'investigating'));

    const responders = await ok(calm('update', 'responders', '--draft'));
    expect(responders).toMatch(
      /^INC-1 \(SEV2 [^,]+, investigating\): Card payments fail at checkout\./,
    );
    expect(responders).toContain('Latest: failed over to db-3.');
    expect(responders).toContain('Found: disk on db-2 at 100% since 09:02.');
    expect(responders).toContain('Testing: #1 the reindex cron filled the disk.');
    expect(responders).toMatch(/Next update by \d\d:\d\d \w+\./);

    // customers hear what is safe to say in public: no log entries, names or the title
    const customers = await ok(calm('update', 'customers', '--draft'));
    expect(customers).toContain('Card payments fail at checkout.');
    expect(customers).toContain('Some customers are affected.');
    for (const secret of ['db-2', 'db-3', 'reindex', 'bob', 'alice', 'SEV2'])
      expect(customers).not.toContain(secret);

    // edited in the editor, as git does; the comment lines are dropped
    const before = await entryCount();
    ws.env.EDITOR = "sed -i 's/Card payments fail/Card payments are failing/'";
    expect(await ok(calm('update', 'support'))).toMatch(/Logged #\d+: status update to support/);
    const shown = JSON.parse(await ok(calm('show', '--json')));
    const posted = shown.entries.at(-1).body;
    expect(posted).toMatchObject({ kind: 'status_update', audience: 'support' });
    expect(posted.text).toMatch(/^Card payments are failing at checkout\./);
    expect(posted.text).not.toContain('#');
    expect(await entryCount()).toBe(before + 1);

    // an emptied draft posts nothing
    ws.env.EDITOR = ': >';
    await refused(
      calm('update', 'executives'),
      /^calm: the update was empty, so nothing was posted/,
    );
    expect(await entryCount()).toBe(before + 1);

    // one keystroke when nothing changed; the cadence restarts
    const noNews = await ok(calm('update', 'support', '-n'));
    expect(noNews).toMatch(
      /No new information since our update at \d\d:\d\d \w+\. We are investigating the cause\. Next update by \d\d:\d\d \w+\./,
    );
    const status = JSON.parse(await ok(calm('status', '--json')));
    const support = status.updates.find((u: { audience: string }) => u.audience === 'support');
    expect(support.overdueByMs).toBeLessThan(0);
    await refused(calm('update', 'support', '-n', 'and text'), /not more than one/);
  });

  it('lists and filters incidents, and follows the current one', async () => {
    await ok(calm('declare', 'Checkout 500s', '--service', 'checkout', '--severity', 'SEV1'));
    await ok(
      calm('declare', 'Push notifications 50% off', '--service', 'push', '--severity', 'SEV2'),
    );
    await ok(calm('declare', 'Typo on invoice page', '--service', 'billing'));
    await ok(calm('decline', '--reason', 'a bug, not an incident'));
    const keys = async (...args: string[]) =>
      JSON.parse(await ok(calm('list', '--json', ...args))).map((s: { key: string }) => s.key);
    expect(await keys()).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(await keys('--active')).toEqual(['INC-2', 'INC-1']);
    expect(await keys('--severity', 'sev1')).toEqual(['INC-1']);
    expect(await keys('--service', 'push')).toEqual(['INC-2']);
    expect(await keys('--status', 'declined')).toEqual(['INC-3']);
    expect(await keys('--search', '50%')).toEqual(['INC-2']);
    expect(await ok(calm('list'))).toMatch(/ID {5}SEV {3}STATUS/);
    // The last declared is current; `use` switches.
    await ok(calm('log', 'goes to INC-3'));
    await ok(calm('use', 'INC-1'));
    await ok(calm('log', 'goes to INC-1'));
    expect(await ok(calm('show', 'INC-1'))).toMatch(/goes to INC-1/);
    expect(await ok(calm('show', 'INC-3'))).toMatch(/goes to INC-3/);
  });

  it('keeps every entry when two processes log at once', async () => {
    await ok(calm('declare', 'Concurrent logging'));
    const writers = ['alice', 'bob'].map(async (author) => {
      for (let batch = 0; batch < 3; batch++) {
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) => calmAs(author, 'log', `${author} ${batch}-${i}`)),
        );
        for (const r of results) expect(r.code, r.stderr).toBe(0);
      }
    });
    await Promise.all(writers);
    const { entries, incident } = JSON.parse(await ok(calm('show', '--json')));
    expect(entries.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: 31 }, (_, i) => i + 1),
    );
    expect(incident.version).toBe(31);
    const texts = entries
      .slice(1)
      .map((e: { body: { text: string } }) => e.body.text)
      .sort();
    expect(new Set(texts).size).toBe(30);
  });
  it('records an analysis as findings on the incident', async () => {
    await ok(calm('declare', 'Errors on the web tier'));
    const r = await calm('analyze', FIXTURE_LOG, '--attach', 'INC-1', '-o', 'report.txt');
    expect(r.code, r.stderr).toBe(0);
    const recorded = Number(
      /Recorded (\d+) findings on INC-1; the whole report is its analysis 1\./.exec(r.stderr)?.[1],
    );
    expect(recorded).toBeGreaterThan(3);
    const { entries } = JSON.parse(await ok(calm('show', '--json')));
    const findings = entries.filter((e: { body: { kind: string } }) => e.body.kind === 'finding');
    expect(findings).toHaveLength(recorded);
    // the findings name the analysis kept with the incident (its Evidence page)
    expect(findings[0].body.source).toMatch(/^calm analyze, analysis 1 \(.*apache-common\.log\)$/);
    expect(findings[0].author).toBe('alice');
  });
});

describe('calm, on this machine', () => {
  it('sets up a project with calm init', async () => {
    expect(await ok(calm('init'))).toMatch(/Calm is set up/);
    expect(existsSync(join(ws.dir, '.calm', 'calm.db'))).toBe(true);
    expect(readFileSync(join(ws.dir, 'calm.config.yaml'), 'utf8')).toMatch(/key: SEV1/);
    await ok(calm('declare', 'Checkout returns 500'));
    expect(await ok(calm('list'))).toMatch(/INC-1 .*Checkout returns 500/);
  });

  it('flags blame in text, files and timelines, with exit code 3 (calm lint)', async () => {
    const found = await calm('lint', 'Bob broke the deploy because he was careless.');
    expect(found.code).toBe(3);
    expect(found.stderr).toBe('');
    expect(found.stdout).toContain('"Bob broke" names a person as the cause');
    expect(found.stdout).toContain('"careless" judges a person');
    expect(found.stdout).toMatch(/ {2}try: /);
    expect(await ok(calm('lint', 'The pipeline had no canary stage.'))).toBe('No blame found.\n');

    writeFileSync(join(ws.dir, 'draft.md'), '# Summary\nWhose fault was it?\n');
    const file = await calm('lint', '--file', 'draft.md', '--json');
    expect(file.code).toBe(3);
    expect(JSON.parse(file.stdout).findings).toMatchObject([
      { kind: 'culprit', match: 'Whose fault', sentence: 'Whose fault was it?' },
    ]);

    // the team's own words, from the config file
    writeFileSync(join(ws.dir, 'calm.config.yaml'), 'review:\n  blame:\n    words: [yolo]\n');
    expect((await calm('lint', 'another yolo deploy')).code).toBe(3);

    await ok(calm('declare', 'Checkout returns 500'));
    await ok(calmAs('dana', 'log', 'paged the DBA'));
    await ok(calm('log', 'Dana should have known the cron ran at midnight'));
    await ok(calm('log', 'Someone fat-fingered the firewall rule'));
    await ok(calm('correct', '4', '--strike', '--reason', 'not what happened'));
    const timeline = await calm('lint', '-i', 'INC-1');
    expect(timeline.code).toBe(3);
    expect(timeline.stdout).toMatch(/^INC-1 #3 \(note\): Dana should have known/);
    expect(timeline.stdout).not.toContain('fat-fingered'); // struck
    await refused(calm('lint'), /^calm: give one thing to check/);
    await refused(calm('lint', '--file', 'nope.md'), /^calm: cannot read nope\.md: ENOENT/);
  });

  it('refuses a malformed config file and leaves the store alone', async () => {
    await ok(calm('declare', 'Checkout down'));
    const before = await entryCount();
    writeFileSync(
      join(ws.dir, 'calm.config.yaml'),
      'severity:\n  levels:\n    - key: SEV1\n      name: [unclosed\n',
    );
    await refused(
      calm('severity', 'set', 'SEV1'),
      /^calm: calm\.config\.yaml is not valid YAML: .*; fix the syntax$/,
    );
    writeFileSync(
      join(ws.dir, 'calm.config.yaml'),
      'severity:\n  levels:\n    - key: P1\n      name: Urgent\n      policy:\n        updates:\n          support: soon\n',
    );
    await refused(
      calm('severity', 'set', 'P1'),
      /^calm: calm\.config\.yaml: severity\.levels\[0\]\.policy\.updates\.support: "soon" is not a duration; write it like 30m or 1h/,
    );
    writeFileSync(
      join(ws.dir, 'calm.config.yaml'),
      'severity:\n  levels:\n    - key: P1\n      name: A\n    - key: p1\n      name: B\n',
    );
    await refused(calm('severity', 'list'), /severity\.levels\[1\]\.key: "p1" is used twice/);
    expect(await entryCount()).toBe(before);
  });

  it('uses the team framework from the config file, and the presets', async () => {
    writeFileSync(
      join(ws.dir, 'calm.config.json'),
      JSON.stringify({
        severity: {
          levels: [
            {
              key: 'P1',
              name: 'Urgent',
              policy: { notify: ['support'], updates: { support: '20m' } },
            },
            { key: 'P2', name: 'Normal' },
          ],
          rules: [
            {
              when: { affected: ['all', 'subset'] },
              level: 'P1',
              reason: 'customers are affected',
            },
          ],
        },
      }),
    );
    await ok(calm('declare', 'Login slow'));
    expect(await ok(calm('severity', 'assess', '--affected', 'subset'))).toMatch(
      /P1 Urgent, because customers are affected\. INC-1 is now P1\./,
    );
    expect(await ok(calm('severity', 'assess', '--affected', 'internal', '--dry-run'))).toMatch(
      /Suggested: P2 Normal, because no rule matched the answers, so the least severe level is suggested\./,
    );
    expect(await ok(calm('status'))).toMatch(/support: next update due in (19|20)m \(every 20m\)/);

    const other = makeWorkspace();
    try {
      await ok(runCalm(['init', '--preset', 'sev0-sev4'], { cwd: other.dir, env: other.env }));
      const levels = JSON.parse(
        await ok(runCalm(['severity', 'list', '--json'], { cwd: other.dir, env: other.env })),
      ).levels;
      expect(levels.map((l: { key: string }) => l.key)).toEqual([
        'SEV0',
        'SEV1',
        'SEV2',
        'SEV3',
        'SEV4',
      ]);
      await refused(
        runCalm(['init'], { cwd: other.dir, env: other.env }),
        /calm\.config\.yaml already exists; edit it, or pass --force/,
      );
    } finally {
      other.cleanup();
    }
  });

  it('asks the severity questions in a terminal', async () => {
    await ok(calm('declare', 'Invoices fail'));
    // `script` gives the command a real pseudo-terminal; the answers go through it.
    const result = await new Promise<RunResult>((resolve) => {
      const child = spawn(
        'script',
        ['-qec', `${process.execPath} ${CALM} severity assess`, '/dev/null'],
        {
          cwd: ws.dir,
          env: ws.env,
        },
      );
      const answers = ['y', 'subset', 'n', 'y', 'n', 'n'];
      let answered = 0;
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        // Answer each question once it has been asked.
        const asked = (stdout.match(/Enter to skip/g) ?? []).length;
        while (answered < asked && answered < answers.length)
          child.stdin.write(`${answers[answered++]}\n`);
      });
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Is a customer-facing service or feature affected\?/);
    expect(result.stdout).toMatch(
      /SEV2 Major, because a customer-facing service is unavailable for a subset of customers\. INC-1 is now SEV2\./,
    );
  });

  it('has help with examples on every command', async () => {
    const top = await ok(calm('--help'));
    expect(top).toMatch(/Exit codes: 0 success; 2 a mistake/);
    const commands = [...top.matchAll(/^ {2}([a-z]+)(?:\|[a-z]+)? /gm)]
      .map((m) => m[1] ?? '')
      .filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(20);
    for (const name of commands) {
      const help = await runCalm([name, '--help'], { cwd: ws.dir, env: ws.env });
      expect(help.code, name).toBe(0);
      if (!['hypothesis', 'severity', 'cause'].includes(name))
        expect(help.stdout, name).toMatch(/Examples:\n {2}\$ calm /);
    }
    for (const sub of [
      ['hypothesis', 'eliminate'],
      ['severity', 'assess'],
      ['cause', 'add'],
    ]) {
      expect(await ok(calm(...sub, '--help'))).toMatch(/Examples:\n {2}\$ calm /);
    }
  });

  it('runs the demo', async () => {
    const out = await ok(calm('demo'));
    expect(out).toMatch(
      /calm next: Nobody has been told yet: SEV1 requires telling responders, support, executives\./,
    );
    expect(out).toMatch(/\[x\] Review the log/);
    expect(out).toMatch(/root cause: v2\.14 added a loop computing 10,000 digits of pi/);
    expect(out).toMatch(/INC-2 {2}— {5}declined/);
  });
});

describe('calm over the API', () => {
  beforeEach(async () => {
    server = await startTestServer('sqlite', ['alice']);
    ws.env.CALM_URL = server.url;
  });

  it('works with a token made by `calm token create` on the server', async () => {
    const live = server as TestServer;
    const created = await runCalm(['token', 'create', '--user', 'alice', '--name', 'laptop'], {
      cwd: ws.dir,
      env: { PATH: process.env.PATH, HOME: ws.dir, ...live.storeEnv },
    });
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.split('\n')[0] ?? '';
    expect(token).toMatch(/^calm_[\w-]{40,}$/);
    expect(created.stdout).toMatch(/A write token for alice; it is shown only now/);
    ws.env.CALM_TOKEN = token;
    expect(await ok(calm('declare', 'Checkout down'))).toMatch(/Declared INC-1/);
    expect(await ok(calm('log', 'via the API'))).toMatch(/Logged #2 \(note\) on INC-1/);
    // Nothing went to a store on this machine: only which incident is current.
    expect(existsSync(join(ws.dir, '.calm', 'calm.db'))).toBe(false);
    expect(readFileSync(join(ws.dir, '.calm', 'remote-current.json'), 'utf8')).toMatch(/"INC-1"/);
    const refusedToken = await runCalm(['token', 'create', '--user', 'nobody'], {
      cwd: ws.dir,
      env: { PATH: process.env.PATH, HOME: ws.dir, ...live.storeEnv },
    });
    expect(refusedToken.code).toBe(2);
    expect(refusedToken.stderr).toMatch(
      /there is no account "nobody"; create it with `calm user add nobody`/,
    );
  });

  it('says in one line what is wrong with the connection', async () => {
    await refused(calm('list'), /^calm: CALM_URL is set but CALM_TOKEN is not; create a token/);
    ws.env.CALM_TOKEN = 'calm_not_a_token';
    await refused(
      calm('list'),
      /^calm: the server refused CALM_TOKEN \(the API token is unknown or revoked/,
    );
    ws.env.CALM_TOKEN = (server as TestServer).tokens.alice;
    await refused(calm('log', 'x', '--as', 'bob'), /--as works on the embedded store only/);
    ws.env.CALM_URL = 'ftp://example';
    await refused(calm('list'), /CALM_URL must start with http:\/\/ or https:\/\//);
    // A port nobody listens on: the client retries, then gives up with the fix.
    await server?.stop();
    ws.env.CALM_URL = (server as TestServer).url;
    server = undefined;
    await refused(
      calm('list'),
      /^calm: cannot reach the Calm server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is it running\? check CALM_URL$/,
    );
  });
});
