/**
 * calm postmortem and calm stages, end to end through the built binary:
 * embedded, and over the API (CALM_URL, CALM_TOKEN) on SQLite and PostgreSQL,
 * with the same commands and the same answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorkspace, type RunResult, runCalm } from '../run-calm.js';
import { CLI_MODES, ok } from '../support/cli-modes.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let ws: ReturnType<typeof makeWorkspace>;
let server: TestServer | undefined;
const calm = (args: string[], extra: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCalm(args, {
    cwd: ws.dir,
    env: { ...ws.env, ...extra.env },
    ...(extra.input !== undefined ? { input: extra.input } : {}),
  });

async function refused(result: Promise<RunResult>, pattern: RegExp): Promise<void> {
  const r = await result;
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeEach(() => {
  ws = makeWorkspace();
  ws.env.TZ = 'UTC';
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  ws.cleanup();
});

describe.each(CLI_MODES)('calm postmortem ($mode)', (where) => {
  beforeEach(async () => {
    if (!where.engine) return;
    server = await startTestServer(where.engine, ['alice']);
    ws.env.CALM_URL = server.url;
    ws.env.CALM_TOKEN = server.tokens.alice;
  });

  it('drafts, takes written sections, completes and reopens', { timeout: 120_000 }, async () => {
    await ok(
      calm([
        'declare',
        'Queue consumers stuck',
        '--severity',
        'SEV2',
        '--at',
        '2026-03-14 14:00',
        '--detected',
        '2026-03-14 13:50',
      ]),
    );
    await ok(calm(['role', 'commander', 'alice', '--at', '2026-03-14 14:02']));
    await ok(calm(['log', '--action', 'restarted the consumers', '--at', '2026-03-14 14:30']));

    await ok(
      calm(['postmortem', 'write', 'lucky', 'The', 'queue', 'had', 'room', 'for', 'a', 'day.']),
    );
    expect(
      await ok(calm(['postmortem', 'write', 'lucky', 'The queue had room for a day.'])),
    ).toMatch(/already says that; nothing was logged/);
    await ok(
      calm(['postmortem', 'write', 'went-well', '-'], { input: 'Restarts are scripted.\n' }),
    );
    // the editor starts from the section's current draft
    await ok(
      calm(['postmortem', 'write', 'detection'], {
        env: { EDITOR: "sed -i -e '1i Noticed by the queue depth alert.'" },
      }),
    );
    await ok(
      calm([
        'postmortem',
        'write',
        'went-poorly',
        'Bob broke the consumers because he was careless.',
      ]),
    );
    await refused(
      calm(['postmortem', 'write', 'timeline', 'x']),
      /^calm: unknown postmortem section "timeline"/,
    );
    await refused(calm(['postmortem', 'write', 'summary', '  ']), /the summary section is empty/);

    const markdown = await ok(calm(['postmortem']));
    expect(markdown).toMatch(
      /^# Postmortem: INC-1 — Queue consumers stuck\n\nSEV2 \(Major\) · incident triage/,
    );
    expect(markdown).toContain('## Where we got lucky\n\nThe queue had room for a day.\n');
    expect(markdown).toContain('## What went well\n\nRestarts are scripted.\n');
    expect(markdown).toMatch(
      /## Detection\n\nNoticed by the queue depth alert.\nWhen impact started was not recorded/,
    );
    // the linter's findings on written text are shown, not blocking
    expect(markdown).toMatch(
      /> \*\*Blameless review:\*\*[^\n]*\n> - went_poorly: "Bob broke the consumers/,
    );
    expect(markdown).toContain('| 2026-03-14 14:30 UTC | #5 action | restarted the consumers |');

    const model = JSON.parse(await ok(calm(['postmortem', 'INC-1', '--format', 'json'])));
    expect(model.sections.filter((s: { written?: object }) => s.written)).toHaveLength(4);
    await ok(calm(['postmortem', '--format', 'html', '--out', 'review.html']));
    const html = readFileSync(join(ws.dir, 'review.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain('<script');
    await refused(calm(['postmortem', '--format', 'pdf']), /--format takes md, html or json/);

    const stages = await ok(calm(['stages', '--gap', '20m']));
    expect(stages).toContain('INC-1: where the time went');
    expect(stages).toMatch(/Time to acknowledge +█+ +12m +detected -> acknowledged/);
    expect(stages).toContain(
      'Gaps in the log over 20m:\n  2026-03-14 14:02 UTC -> 2026-03-14 14:30 UTC  28m',
    );
    expect(await ok(calm(['postmortem', '--stages']))).toContain(
      'Gaps in the log over 30m:\n  none',
    );
    const json = JSON.parse(await ok(calm(['stages', 'INC-1', '--json'])));
    expect(json.stages.stages.find((s: { stage: string }) => s.stage === 'declare').ms).toBe(
      600_000,
    );

    await refused(
      calm(['postmortem', 'complete']),
      /INC-1 is triage; resolve it before completing/,
    );
    await ok(calm(['resolve', '--at', '2026-03-14 15:00']));
    await refused(calm(['postmortem', 'complete']), /SEV2 requires a postmortem with action items/);
    await ok(
      calm(['action', 'add', 'Alert on consumer lag', '--kind', 'detect', '--owner', 'alice']),
    );
    expect(await ok(calm(['postmortem', 'complete']))).toMatch(
      /the postmortem of INC-1 is complete/,
    );
    await refused(calm(['postmortem', 'complete', 'INC-1']), /already complete/);
    await refused(
      calm(['postmortem', 'write', 'lucky', 'x']),
      /is complete, so its sections cannot change/,
    );
    expect(await ok(calm(['postmortem']))).toMatch(/· postmortem complete\n/);
    const reopened = await ok(
      calm(['postmortem', 'reopen', '--reason', 'the lag figures were wrong']),
    );
    expect(reopened).toMatch(/the postmortem of INC-1 is open again/);
    await refused(
      calm(['postmortem', 'reopen', '--reason', 'again']),
      /not complete, so there is nothing to reopen/,
    );
    expect(existsSync(join(ws.dir, 'review.html'))).toBe(true);
  });
});
