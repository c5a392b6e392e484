/**
 * Action items over HTTP on both stores: added once per Idempotency-Key,
 * changed under If-Match, refused with a 4xx that names the fix, and listed
 * per incident and across incidents with the overdue ones first. The
 * harness's clock reads 2026-03-14 (afternoon UTC).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, ENGINES, type Harness, openHarness } from './harness.js';

describe.each(ENGINES)('action items API on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(engine);
  });
  afterAll(async () => h.close());

  const as = (role: 'viewer' | 'responder') => bearer(h.tokens[role]);
  const errorOf = (res: LightMyRequestResponse) =>
    res.json().error as { code: string; message: string };

  async function declare(title: string): Promise<string> {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: as('responder'),
      payload: { title },
    });
    return res.json().incident.key;
  }
  const add = (key: string, payload: object, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: `/api/incidents/${key}/action-items`,
      headers: { ...as('responder'), ...headers },
      payload,
    });
  const change = (
    key: string,
    ref: string,
    payload: object,
    headers: Record<string, string> = {},
  ) =>
    h.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${key}/action-items/${ref}`,
      headers: { ...as('responder'), ...headers },
      payload,
    });

  it('adds an item once per Idempotency-Key, with the defaults, as the caller', async () => {
    const key = await declare('Checkout returns 500');
    const send = () =>
      add(key, { title: 'Alert on checkout 5xx rate', owner: 'bob' }, { 'idempotency-key': 'a1' });
    const [first, retry] = [await send(), await send()];
    expect(first.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().entries).toEqual(first.json().entries);
    expect(first.json().entries[0]).toMatchObject({
      author: 'responder',
      body: {
        kind: 'action_item',
        number: 1,
        item: {
          title: 'Alert on checkout 5xx rate',
          kind: 'prevent',
          priority: 'p2',
          status: 'open',
          owner: 'bob',
        },
      },
    });
    expect(first.json().incident.actionItems).toHaveLength(1);
    const listed = await h.app.inject({
      url: `/api/incidents/${key}/action-items`,
      headers: as('viewer'),
    });
    expect(listed.json().items).toMatchObject([
      { incident: { key }, item: { number: 1, owner: 'bob' }, overdue: false },
    ]);
  });

  it('changes an item under If-Match, records only what changed, and refuses mistakes with a 4xx', async () => {
    const key = await declare('Login slow');
    const added = await add(key, {
      title: 'Index the sessions table',
      kind: 'mitigate',
      due: '2026-03-20',
    });
    const etag = added.headers.etag as string;

    const changed = await change(
      key,
      'A1',
      { owner: 'carol', kind: 'mitigate' },
      { 'if-match': etag },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json().entries[0].body).toEqual({
      kind: 'action_item_changed',
      number: 1,
      changes: { owner: 'carol' },
    });
    // the read before that change is stale now
    const stale = await change(key, '1', { priority: 'p1' }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);

    const same = await change(key, '1', { owner: 'carol' });
    expect(same.statusCode).toBe(409);
    expect(errorOf(same).message).toMatch(/already has owner carol; nothing to change/);
    const dropped = await change(key, '1', { status: 'wont_do' });
    expect(dropped.statusCode).toBe(400);
    expect(errorOf(dropped).message).toMatch(/say why A1 will not be done: add --reason/);
    const unknown = await change(key, 'A4', { status: 'done' });
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).message).toBe(`${key} has no action item A4; it has A1-A1`);
    for (const [payload, message] of [
      [{ title: '' }, /^the action item has no title/],
      [{ title: 'x'.repeat(1201) }, /^title: /],
      [{ due: '2026-02-30' }, /is not a due date; use YYYY-MM-DD/],
      [{ due: 'friday' }, /^due: a day as YYYY-MM-DD/],
      [{ status: 'finished' }, /^status: /],
      [{ link: 'OPS-12' }, /is not a link/],
      [{ colour: 'red' }, /colour/],
    ] as const) {
      const res = await change(key, '1', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(res).message).toMatch(message);
    }
    expect((await add(key, { title: '   ' })).statusCode).toBe(400);
    const bad = await h.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${key}/action-items/first`,
      headers: as('responder'),
      payload: { status: 'done' },
    });
    expect(bad.statusCode).toBe(400);
    // a viewer reads but does not write
    const viewer = await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${key}/action-items`,
      headers: as('viewer'),
      payload: { title: 'x' },
    });
    expect(viewer.statusCode).toBe(403);

    const items = (
      await h.app.inject({ url: `/api/incidents/${key}/action-items`, headers: as('viewer') })
    ).json().items;
    expect(items).toHaveLength(1);
    expect(items[0].item).toMatchObject({ owner: 'carol', status: 'open', priority: 'p2' });
  });

  it('lists items across incidents: overdue first, filtered by status, overdue and owner', async () => {
    const a = await declare('Payments queue backed up');
    const b = await declare('Search index stale');
    await add(a, {
      title: 'Alert on queue depth',
      owner: 'Dana',
      due: '2026-03-10',
      priority: 'p1',
    });
    await add(a, { title: 'Queue runbook', owner: 'erin', due: '2026-03-30' });
    await add(b, { title: 'Reindex job alert', owner: 'dana', due: '2026-03-13' });
    await add(b, { title: 'Due today', owner: 'dana', due: '2026-03-14' });
    await add(b, { title: 'Dropped', owner: 'dana', due: '2026-03-01' });
    await change(b, 'A3', { status: 'wont_do', reason: 'the index is being replaced' });

    const list = async (query: string) => {
      const res = await h.app.inject({ url: `/api/action-items${query}`, headers: as('viewer') });
      expect(res.statusCode).toBe(200);
      return (
        res.json().items as {
          incident: { key: string };
          item: { number: number; title: string };
          overdue: boolean;
        }[]
      )
        .filter((row) => [a, b].includes(row.incident.key))
        .map((row) => `${row.incident.key} A${row.item.number}${row.overdue ? ' overdue' : ''}`);
    };
    expect(await list('?overdue=true')).toEqual([`${a} A1 overdue`, `${b} A1 overdue`]);
    expect(await list('?owner=DANA')).toEqual([
      `${a} A1 overdue`,
      `${b} A1 overdue`,
      `${b} A3`,
      `${b} A2`,
    ]);
    expect(await list('?status=wont_do')).toEqual([`${b} A3`]);
    expect(await list('?status=open&status=in_progress&owner=dana&overdue=false')).toEqual([
      `${a} A1 overdue`,
      `${b} A1 overdue`,
      `${b} A2`,
    ]);
    const bad = await h.app.inject({ url: '/api/action-items?status=late', headers: as('viewer') });
    expect(bad.statusCode).toBe(400);
  });
});
