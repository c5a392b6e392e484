/**
 * Notifications from the CLI (delivered before the command exits, the rest
 * kept for later) and from the team server (its outbox worker), configured
 * in the config file with secrets from the environment.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorkspace, runCalm } from '../run-calm.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { type HttpReceiver, startHttpReceiver } from './receivers.js';

let ws: ReturnType<typeof makeWorkspace>;
let hook: HttpReceiver;
let server: TestServer | undefined;
const calm = (...args: string[]) => runCalm(args, { cwd: ws.dir, env: ws.env });

function writeConfig(url: string): void {
  writeFileSync(
    join(ws.dir, 'calm.config.yaml'),
    [
      'channels:',
      '  - name: ops',
      '    type: webhook',
      `    url: ${url}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's own ${ENV} syntax
      '    secret: ${CALM_HOOK_SECRET}',
      '    when: { events: [declared, update] }',
      '',
    ].join('\n'),
  );
}

beforeEach(async () => {
  ws = makeWorkspace();
  ws.env.CALM_HOOK_SECRET = 'a-secret-from-the-environment';
  hook = await startHttpReceiver();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await hook.close();
  ws.cleanup();
});

describe('notifications from the CLI', () => {
  it('delivers before the command exits, and keeps what failed for the next command', async () => {
    writeConfig(hook.url);
    let r = await calm('declare', 'Checkout down', '--severity', 'SEV1');
    expect(r.code, r.stderr).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(JSON.parse(hook.received[0]?.body ?? '').notification.subject).toBe(
      '[SEV1] INC-1 declared: Checkout down',
    );

    hook.status = 503;
    r = await calm('update', 'support', 'rolling back');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('calm: 1 notification(s) not delivered yet; see `calm notifications`\n');
    const pending = await calm('notifications', '--status', 'pending');
    expect(pending.stdout).toMatch(/#2 {2}pending {3}ops: \[SEV1\] INC-1 update for support/);
    expect(pending.stdout).toMatch(/attempt 2 at .* \(last: .* answered 503/);

    // Notes tell nobody; the retry falls due later, so the receiver still has one message.
    hook.status = 200;
    r = await calm('log', 'a note');
    expect(r.stderr).toBe('');
    const listed = JSON.parse((await calm('notifications', '--json')).stdout);
    expect(listed.map((m: { status: string }) => m.status)).toEqual(['pending', 'delivered']);
  });

  it('refuses a config file whose secret is not in the environment', async () => {
    writeConfig(hook.url);
    delete ws.env.CALM_HOOK_SECRET;
    const r = await calm('declare', 'Checkout down');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^calm: calm\.config\.yaml: channels\[0\]\.secret: \$\{CALM_HOOK_SECRET\} is not set in the environment; export it or write the value\n$/,
    );
  });

  it('retries a parked notification on request', async () => {
    writeConfig(hook.url);
    expect((await calm('notifications', 'retry', '7')).stderr).toMatch(
      /there is no parked notification #7/,
    );
  });
});

describe('notifications from the team server', () => {
  it("delivers an API write's news through the server's outbox worker", async () => {
    server = await startTestServer('sqlite', ['alice'], {
      channels: [
        {
          name: 'ops',
          type: 'webhook',
          url: hook.url,
          secret: 'a-secret-of-sixteen-chars',
          when: {},
        },
      ],
    });
    const env = { ...ws.env, CALM_URL: server.url, CALM_TOKEN: server.tokens.alice ?? '' };
    const r = await runCalm(['declare', 'Login fails', '--severity', 'SEV2'], {
      cwd: ws.dir,
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    await expect.poll(() => hook.received.length, { timeout: 5_000 }).toBe(1);
    const listed = JSON.parse(
      (await runCalm(['notifications', '--json'], { cwd: ws.dir, env })).stdout,
    );
    expect(listed).toMatchObject([
      { destination: 'ops', status: 'delivered', eventKey: 'INC-1#1' },
    ]);
  });
});
