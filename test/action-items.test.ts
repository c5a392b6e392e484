/**
 * `calm action` and `calm actions` end to end with the real binary, on this
 * machine's store and over the team server's API on either store, with the
 * same output; and, without a server, overdue items reminded through a real
 * webhook receiver by `calm actions`, once a day.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from './notify/receivers.js';
import { makeWorkspace, type RunResult, runCalm } from './run-calm.js';
import { CLI_MODES, ok } from './support/cli-modes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let ws: ReturnType<typeof makeWorkspace>;
let server: TestServer | undefined;
const calm = (...args: string[]) => runCalm(args, { cwd: ws.dir, env: ws.env });

async function refused(result: Promise<RunResult>, pattern: RegExp): Promise<void> {
  const r = await result;
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

beforeEach(() => {
  ws = makeWorkspace();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  ws.cleanup();
});

describe.each(CLI_MODES)('calm action, end to end ($mode)', (where) => {
  beforeEach(async () => {
    if (!where.engine) return;
    server = await startTestServer(where.engine, ['alice']);
    ws.env.CALM_URL = server.url;
    ws.env.CALM_TOKEN = server.tokens.alice;
  });

  it('adds, changes, completes and lists action items, overdue flagged', async () => {
    await ok(calm('declare', 'Checkout returns 500', '--severity', 'SEV1'));
    // during the incident: a follow-up noted as it comes up
    expect(
      await ok(
        calm(
          'action',
          'add',
          'alert',
          'on',
          'checkout',
          '5xx',
          '--owner',
          'bob',
          '--due',
          '2020-01-10',
        ),
      ),
    ).toBe('Added A1 to INC-1: alert on checkout 5xx (prevent, p2, owner bob, due 2020-01-10).\n');
    expect(
      await ok(
        calm(
          'action',
          'add',
          'Canary deploys for checkout',
          '--kind',
          'mitigate',
          '--priority',
          'p1',
          '--due',
          '2999-01-01',
          '--link',
          'https://tracker.example/CHK-7',
        ),
      ),
    ).toBe(
      'Added A2 to INC-1: Canary deploys for checkout (mitigate, p1, due 2999-01-01, https://tracker.example/CHK-7).\n',
    );
    await ok(
      calm('action', 'add', 'Config changes reviewed', '--kind', 'process', '--owner', 'carol'),
    );
    await ok(calm('declare', 'Search index stale'));
    await ok(
      calm(
        'action',
        'add',
        'Alert on index age',
        '--kind',
        'detect',
        '--owner',
        'Bob',
        '--due',
        '2020-02-01',
      ),
    );

    expect(
      await ok(
        calm('action', 'update', 'A2', '-i', 'INC-1', '--owner', 'dana', '--kind', 'mitigate'),
      ),
    ).toBe('Updated A2 of INC-1: owner dana.\n');
    expect(
      await ok(
        calm(
          'action',
          'update',
          'a1',
          '-i',
          'INC-1',
          '--kind',
          'detect',
          '--status',
          'in-progress',
        ),
      ),
    ).toBe('Updated A1 of INC-1: detect, in progress.\n');
    expect(await ok(calm('action', 'done', 'A3', '-i', 'INC-1'))).toBe(
      'Updated A3 of INC-1: done.\n',
    );

    expect(await ok(calm('actions'))).toBe(
      [
        'ITEM      PRI  KIND      STATUS       OWNER  DUE                 TITLE',
        'INC-1 A1  p2   detect    in progress  bob    2020-01-10 OVERDUE  alert on checkout 5xx',
        'INC-2 A1  p2   detect    open         Bob    2020-02-01 OVERDUE  Alert on index age',
        'INC-1 A2  p1   mitigate  open         dana   2999-01-01          Canary deploys for checkout',
        'INC-1 A3  p2   process   done         carol  -                   Config changes reviewed',
        '',
        '4 items, 3 open, 2 overdue.',
        '',
      ].join('\n'),
    );
    expect(await ok(calm('actions', '--overdue', '--owner', 'bob'))).toMatch(
      /^ITEM {6}PRI[^\n]*\nINC-1 A1 [^\n]*\nINC-2 A1 [^\n]*\n\n2 items, 2 open, 2 overdue\.\n$/,
    );
    expect(await ok(calm('actions', '-i', 'INC-1', '--open'))).toMatch(
      /^ITEM[^\n]*\nA1 {2}[^\n]*alert on checkout 5xx\nA2 {2}[^\n]*Canary deploys for checkout\n\n2 items, 2 open, 1 overdue\.\n$/,
    );
    const json = JSON.parse(await ok(calm('actions', '--status', 'done', '--json')));
    expect(json).toMatchObject([
      {
        incident: { key: 'INC-1' },
        item: { number: 3, status: 'done', owner: 'carol' },
        overdue: false,
      },
    ]);
    expect(await ok(calm('actions', '--owner', 'nobody'))).toMatch(/^No action items match/);

    // the log tells the story
    const shown = JSON.parse(await ok(calm('show', 'INC-1', '--json')));
    expect(
      shown.entries
        .filter((e: { body: { kind: string } }) => e.body.kind.startsWith('action_item'))
        .map(
          (e: { author: string; body: { kind: string; number: number } }) =>
            `${e.author} ${e.body.kind} A${e.body.number}`,
        ),
    ).toEqual([
      'alice action_item A1',
      'alice action_item A2',
      'alice action_item A3',
      'alice action_item_changed A2',
      'alice action_item_changed A1',
      'alice action_item_changed A3',
    ]);
  });

  it('refuses mistakes with one line and exit 2, writing nothing', async () => {
    await ok(calm('declare', 'Login slow'));
    await ok(calm('action', 'add', 'Index the sessions table', '--owner', 'bob'));
    const before = JSON.parse(await ok(calm('show', '--json'))).entries.length;
    await refused(
      calm('action', 'add', ' '),
      /calm: the action item has no title; say what will change/,
    );
    await refused(
      calm('action', 'add', 'x', '--kind', 'fix'),
      /unknown action item kind "fix"; use one of prevent, detect, mitigate, process/,
    );
    await refused(
      calm('action', 'add', 'x', '--due', '2026-02-30'),
      /"2026-02-30" is not a due date; use YYYY-MM-DD/,
    );
    await refused(calm('action', 'add', 'x', '--link', 'CHK-7'), /"CHK-7" is not a link/);
    await refused(
      calm('action', 'update', 'A1', '--owner', 'bob'),
      /A1 of INC-1 already has owner bob; nothing to change/,
    );
    await refused(calm('action', 'update', 'A1'), /nothing to change on A1; give --title/);
    await refused(
      calm('action', 'update', 'A1', '--status', 'wont_do'),
      /say why A1 will not be done: add --reason/,
    );
    await refused(calm('action', 'done', 'A7'), /INC-1 has no action item A7; it has A1-A1/);
    await refused(
      calm('action', 'done', 'first'),
      /"first" is not an action item; use its number as shown, e\.g\. A2/,
    );
    await refused(calm('actions', '--status', 'late'), /unknown action item status "late"/);
    expect(JSON.parse(await ok(calm('show', '--json'))).entries.length).toBe(before);
    // dropped with a reason, it is taken
    expect(
      await ok(
        calm('action', 'update', 'A1', '--status', 'wont_do', '--reason', 'sessions move to Redis'),
      ),
    ).toBe("Updated A1 of INC-1: won't do.\n");
  });
});

describe('overdue reminders without a server', () => {
  let hook: HttpReceiver;
  beforeEach(async () => {
    hook = await startHttpReceiver();
    writeFileSync(
      join(ws.dir, 'calm.config.yaml'),
      [
        'channels:',
        '  - name: review',
        '    type: slack',
        `    url: ${hook.url}`,
        '    when: { events: [action_item] }',
        '',
      ].join('\n'),
    );
  });
  afterEach(async () => hook.close());

  it('are sent by `calm actions` before it exits, once a day', async () => {
    await ok(calm('declare', 'Checkout returns 500'));
    await ok(calm('action', 'add', 'Alert on 5xx rate', '--owner', 'bob', '--due', '2020-01-10'));
    await ok(calm('action', 'add', 'Runbook', '--due', '2999-01-01'));
    await ok(calm('action', 'add', 'Done already', '--due', '2020-01-01'));
    await ok(calm('action', 'done', 'A3'));
    expect(hook.received).toHaveLength(0);

    await ok(calm('actions', '--overdue'));
    expect(hook.received.map((r) => JSON.parse(r.body).text.split('\n')[0])).toEqual([
      expect.stringMatching(/^\*INC-1 A1 overdue by \d+ days: Alert on 5xx rate\*$/),
    ]);
    await ok(calm('actions'));
    await ok(calm('notifications'));
    expect(hook.received).toHaveLength(1);
    const listed = JSON.parse(await ok(calm('notifications', '--json')));
    expect(listed).toMatchObject([
      {
        destination: 'review',
        status: 'delivered',
        kind: 'action_item',
        eventKey: expect.stringMatching(/^INC-1:action:A1:overdue:\d{4}-\d{2}-\d{2}$/),
      },
    ]);
  });
});
