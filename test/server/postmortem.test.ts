/**
 * The postmortem over HTTP on both stores: the draft as JSON, Markdown and
 * HTML; writing a section (If-Match, Idempotency-Key, the same text twice);
 * completing it, refused until the incident is resolved and, at a level that
 * requires a postmortem, until it has action items with owners; reopening it.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountRole } from '../../src/core/account/roles.js';
import { bearer, ENGINES, type Harness, openHarness } from './harness.js';

describe.each(ENGINES)('postmortem API (%s)', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(engine);
  });
  afterAll(async () => h.close());

  const as = (role: AccountRole) => bearer(h.tokens[role]);
  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    h.app.inject({
      method,
      url,
      headers: { ...as('responder'), ...headers },
      ...(payload ? { payload } : {}),
    });

  async function resolvedIncident(severity: string): Promise<string> {
    const declared = await call('POST', '/api/incidents', {
      title: 'Checkout returns 500',
      severity,
      declaredAt: '2026-03-14T14:00:00Z',
      detectedAt: '2026-03-14T13:55:00Z',
    });
    const key = declared.json().incident.key as string;
    const resolved = await call('POST', `/api/incidents/${key}/status`, {
      status: 'resolved',
      at: '2026-03-14T15:00:00Z',
    });
    expect(resolved.statusCode).toBe(201);
    return key;
  }

  it('writes a section once (If-Match, Idempotency-Key, the same text again) and refuses bad ones', async () => {
    const key = await resolvedIncident('SEV3');
    const url = `/api/incidents/${key}/postmortem/sections/went-well`;
    const stale = await call('PUT', url, { text: 'x' }, { 'if-match': '"v1"' });
    expect(stale.statusCode).toBe(412);
    const etag = (await call('GET', `/api/incidents/${key}`)).headers.etag as string;
    const first = await call(
      'PUT',
      url,
      { text: 'The rollback took two minutes.' },
      { 'if-match': etag, 'idempotency-key': 'pm-1' },
    );
    expect(first.statusCode).toBe(200);
    expect(first.json().entries).toMatchObject([
      {
        author: 'responder',
        body: {
          kind: 'postmortem_section',
          section: 'went_well',
          text: 'The rollback took two minutes.',
        },
      },
    ]);
    // a retry, or the same text again, records nothing more: PUT is idempotent by content
    const retry = await call(
      'PUT',
      url,
      { text: 'The rollback took two minutes.' },
      { 'idempotency-key': 'pm-1' },
    );
    const again = await call('PUT', url, { text: 'The rollback took two minutes.' });
    for (const answer of [retry, again]) {
      expect(answer.statusCode).toBe(200);
      expect(answer.json().incident.version).toBe(first.json().incident.version);
    }
    expect(again.json().entries).toEqual([]);

    const unknown = await call('PUT', `/api/incidents/${key}/postmortem/sections/timeline`, {
      text: 'x',
    });
    expect(unknown.statusCode).toBe(400);
    const empty = await call('PUT', url, { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/the went-well section is empty/);
    const viewer = await h.app.inject({
      method: 'PUT',
      url,
      headers: as('viewer'),
      payload: { text: 'x' },
    });
    expect(viewer.statusCode).toBe(403);

    const model = (await call('GET', `/api/incidents/${key}/postmortem`)).json();
    expect(
      model.sections.find((s: { section: string }) => s.section === 'went_well'),
    ).toMatchObject({ text: 'The rollback took two minutes.', written: { author: 'responder' } });
  });

  it('completes only once resolved, with owned action items where the level requires them, and reopens', async () => {
    const declared = await call('POST', '/api/incidents', {
      title: 'Queue stuck',
      severity: 'SEV2',
    });
    const open = declared.json().incident.key as string;
    const early = await call('POST', `/api/incidents/${open}/postmortem/complete`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/resolve it before completing its postmortem/);

    const key = await resolvedIncident('SEV2');
    const complete = () => call('POST', `/api/incidents/${key}/postmortem/complete`, {});
    const none = await complete();
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toMatch(/SEV2 requires a postmortem with action items/);
    await call('POST', `/api/incidents/${key}/action-items`, { title: 'Alert on queue depth' });
    const unowned = await complete();
    expect(unowned.statusCode).toBe(409);
    expect(unowned.json().error.message).toMatch(/action item A1 of .* has no owner/);
    const owned = await h.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${key}/action-items/A1`,
      headers: as('responder'),
      payload: { owner: 'bob' },
    });
    expect(owned.statusCode).toBe(200);

    const done = await complete();
    expect(done.statusCode).toBe(201);
    expect(done.json().incident.postmortem.status).toBe('complete');
    expect((await complete()).json().error.message).toMatch(/already complete/);
    const locked = await call('PUT', `/api/incidents/${key}/postmortem/sections/lucky`, {
      text: 'x',
    });
    expect(locked.statusCode).toBe(409);

    const noReason = await call('POST', `/api/incidents/${key}/postmortem/reopen`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const reopened = await call('POST', `/api/incidents/${key}/postmortem/reopen`, {
      reason: 'the restore time was wrong',
    });
    expect(reopened.statusCode).toBe(201);
    expect(reopened.json().entries[0].body).toEqual({
      kind: 'postmortem_status',
      status: 'draft',
      reason: 'the restore time was wrong',
    });
    expect(reopened.json().incident.postmortem.status).toBe('draft');
  });

  it('gives the draft as Markdown and HTML, and the stage review', async () => {
    const key = await resolvedIncident('SEV3');
    await call('PUT', `/api/incidents/${key}/postmortem/sections/summary`, {
      text: 'Checkout failed <script>alert(1)</script> for an hour.',
    });
    const md = await call('GET', `/api/incidents/${key}/postmortem?format=md`);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toMatch(/^# Postmortem: INC-\d+ — Checkout returns 500\n/);
    expect(md.body).toContain('## Where the time went');
    const html = await h.app.inject({
      url: `/api/incidents/${key}/postmortem?format=html`,
      headers: as('viewer'),
    });
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    // its own CSP lets its one style element apply (by hash), and nothing else load or run
    const style = /<style>([\s\S]*?)<\/style>/.exec(html.body)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(html.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`);
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html.body).toContain(
      'Checkout failed &lt;script&gt;alert(1)&lt;/script&gt; for an hour.',
    );
    expect(html.body).not.toContain('<script');

    const stages = (await call('GET', `/api/incidents/${key}/stages?gapMinutes=20`)).json();
    expect(stages.incident).toBe(key);
    expect(stages.stages.gapMinutes).toBe(20);
    expect(
      stages.stages.stages.find((s: { stage: string }) => s.stage === 'resolve'),
    ).toMatchObject({ from: 'detected', to: 'resolved', ms: 65 * 60_000 });
    expect((await call('GET', `/api/incidents/${key}/stages?gapMinutes=0`)).statusCode).toBe(400);
  });
});
