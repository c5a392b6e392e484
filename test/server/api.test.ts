import type { LightMyRequestResponse as LightResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, ENGINES, type Harness, openHarness, PASSWORD } from './harness.js';

describe.each(ENGINES)('team server API on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(engine);
  });
  afterAll(async () => h.close());

  const as = (role: 'viewer' | 'responder' | 'admin') => bearer(h.tokens[role]);

  async function declare(title = 'Checkout returns 500') {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: as('responder'),
      payload: { title, services: ['checkout'] },
    });
    expect(res.statusCode).toBe(201);
    return res.json().incident as { key: string; version: number };
  }

  it('declares, logs and reads an incident, with the caller as author and an audit line', async () => {
    const incident = await declare();
    expect(incident.key).toMatch(/^INC-\d+$/);
    const logged = await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${incident.key}/timeline`,
      headers: as('responder'),
      payload: { kind: 'finding', text: 'errors started at 14:02, right after deploy v2.14' },
    });
    expect(logged.statusCode).toBe(201);
    expect(logged.json().entries[0]).toMatchObject({
      author: 'responder',
      body: { kind: 'finding' },
    });
    const read = await h.app.inject({
      url: `/api/incidents/${incident.key}`,
      headers: as('viewer'),
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(`"v${read.json().version}"`);
    expect(read.json()).toMatchObject({ title: 'Checkout returns 500', services: ['checkout'] });
    const audit = await h.app.inject({ url: '/api/audit?limit=50', headers: as('admin') });
    expect(
      audit.json().items.map((a: { action: string; actor: string }) => `${a.actor} ${a.action}`),
    ).toEqual(expect.arrayContaining(['responder incident.declare', 'responder timeline.log']));
  });

  it('logs a retried request once (Idempotency-Key), and answers the retry with the same entries', async () => {
    const { key } = await declare();
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: `/api/incidents/${key}/timeline`,
        headers: { ...as('responder'), 'idempotency-key': 'note-7f3a' },
        payload: { text: 'restarted the payment workers' },
      });
    const [first, second] = [await send(), await send()];
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().entries).toEqual(first.json().entries);
    // concurrent retries too
    const burst = await Promise.all(
      [1, 2, 3, 4].map(() =>
        h.app.inject({
          method: 'POST',
          url: `/api/incidents/${key}/timeline`,
          headers: { ...as('responder'), 'idempotency-key': 'note-burst' },
          payload: { text: 'paged the DBA' },
        }),
      ),
    );
    expect(burst.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const timeline = await h.app.inject({
      url: `/api/incidents/${key}/timeline`,
      headers: as('viewer'),
    });
    const texts = timeline.json().items.map((e: { body: { text?: string } }) => e.body.text);
    expect(texts.filter((t: string) => t === 'restarted the payment workers')).toHaveLength(1);
    expect(texts.filter((t: string) => t === 'paged the DBA')).toHaveLength(1);
  });

  it('says when each audience is due an update, drafts one, and posts "no new information"', async () => {
    const { key } = await declare('Card payments fail');
    const post = (url: string, payload: object) =>
      h.app.inject({
        method: 'POST',
        url: `/api/incidents/${key}${url}`,
        headers: as('responder'),
        payload,
      });
    expect((await post('/severity', { level: 'SEV1', reason: 'all customers' })).statusCode).toBe(
      201,
    );
    // told support 40 minutes before the clock's now: with SEV1's 30-minute cadence, overdue
    const now = h.deps.clock.now();
    expect(
      (
        await post('/updates', {
          audience: 'support',
          text: 'Looking into it',
          at: now - 40 * 60_000,
        })
      ).statusCode,
    ).toBe(201);
    const due = await h.app.inject({ url: `/api/incidents/${key}/updates`, headers: as('viewer') });
    expect(due.statusCode).toBe(200);
    const byAudience = Object.fromEntries(
      due.json().updates.map((u: { audience: string; text: string }) => [u.audience, u.text]),
    );
    expect(byAudience.support).toMatch(/^update to support overdue by 10m$/);
    expect(byAudience.responders).toMatch(/^next update to responders due in 1[45]m$/);
    expect(Object.keys(byAudience).sort()).toEqual([
      'customers',
      'executives',
      'responders',
      'support',
    ]);

    await post('/timeline', { kind: 'action', text: 'rolled back to v2.13' });
    const draft = await h.app.inject({
      url: `/api/incidents/${key}/updates/draft?audience=support`,
      headers: as('viewer'),
    });
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toMatchObject({
      audience: 'support',
      sections: { doing: expect.stringContaining('rolled back to v2.13') },
    });
    expect(draft.json().text).toMatch(/Next update by \d\d:\d\d/);
    const bad = await h.app.inject({
      url: `/api/incidents/${key}/updates/draft?audience=press`,
      headers: as('viewer'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^audience: /);

    const noNews = await post('/updates', { audience: 'support', noNews: true });
    expect(noNews.statusCode).toBe(201);
    expect(noNews.json().entries[0].body).toMatchObject({
      kind: 'status_update',
      audience: 'support',
      text: expect.stringMatching(
        /^No new information since our update at \d\d:\d\d \w+\. We are assessing the problem\. Next update by/,
      ),
    });
    const after = await h.app.inject({
      url: `/api/incidents/${key}/updates`,
      headers: as('viewer'),
    });
    expect(
      after.json().updates.find((u: { audience: string }) => u.audience === 'support').text,
    ).toMatch(/^next update to support due in (29|30)m$/);
    expect((await post('/updates', { audience: 'support', noNews: false })).statusCode).toBe(400);
  });

  it('flags blame in a text and in a timeline', async () => {
    const lint = await h.app.inject({
      method: 'POST',
      url: '/api/review/lint',
      headers: as('viewer'),
      payload: { text: 'Marco forgot to renew the certificate.' },
    });
    expect(lint.statusCode).toBe(200);
    expect(lint.json().findings).toMatchObject([{ kind: 'culprit', match: 'Marco forgot' }]);
    const { key } = await declare();
    await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${key}/timeline`,
      headers: as('responder'),
      payload: { text: 'whose fault was the expired certificate?' },
    });
    const timeline = await h.app.inject({
      url: `/api/incidents/${key}/lint`,
      headers: as('viewer'),
    });
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json()).toMatchObject({
      incident: key,
      findings: [{ seq: 2, entryKind: 'note', match: 'whose fault' }],
    });
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/review/lint',
      headers: as('viewer'),
      payload: { words: 'x' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('pages timelines and incident lists with cursors', async () => {
    const { key } = await declare('Many notes');
    for (let i = 0; i < 7; i++)
      await h.app.inject({
        method: 'POST',
        url: `/api/incidents/${key}/timeline`,
        headers: as('responder'),
        payload: { text: `note ${i}` },
      });
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const res: LightResponse = await h.app.inject({
        url: `/api/incidents/${key}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        headers: as('viewer'),
      });
      seqs.push(...res.json().items.map((e: { seq: number }) => e.seq));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const keys: string[] = [];
    cursor = null;
    do {
      const res: LightResponse = await h.app.inject({
        url: `/api/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: as('viewer'),
      });
      keys.push(...res.json().items.map((i: { key: string }) => i.key));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(key);
  });

  it('refuses a change made on a stale read (If-Match) with 412, and writes nothing', async () => {
    const { key } = await declare('Stale edits');
    const read = await h.app.inject({ url: `/api/incidents/${key}`, headers: as('viewer') });
    const etag = read.headers.etag as string;
    await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${key}/timeline`,
      headers: as('responder'),
      payload: { text: 'someone else wrote' },
    });
    const stale = await h.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${key}`,
      headers: { ...as('responder'), 'if-match': etag },
      payload: { title: 'Renamed' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().error.code).toBe('precondition_failed');
    const fresh = await h.app.inject({ url: `/api/incidents/${key}`, headers: as('viewer') });
    expect(fresh.json().title).toBe('Stale edits');
    const ok = await h.app.inject({
      method: 'PATCH',
      url: `/api/incidents/${key}`,
      headers: { ...as('responder'), 'if-match': fresh.headers.etag as string },
      payload: { title: 'Renamed' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().incident.title).toBe('Renamed');
  });

  it('answers mistakes with one-line 4xx bodies and never a stack trace', async () => {
    const { key } = await declare('Bad input');
    const cases = [
      { method: 'GET' as const, url: '/api/incidents/INC-999999', status: 404, code: 'not_found' },
      {
        method: 'POST' as const,
        url: `/api/incidents/${key}/timeline`,
        payload: { text: '' },
        status: 400,
        code: 'invalid',
      },
      {
        method: 'POST' as const,
        url: `/api/incidents/${key}/timeline`,
        payload: { text: 'x'.repeat(100_001) },
        status: 400,
        code: 'invalid',
      },
      {
        method: 'POST' as const,
        url: `/api/incidents/${key}/timeline`,
        payload: { text: 'x'.repeat(1_100_000) },
        status: 413,
        code: 'too_large',
      },
      {
        method: 'POST' as const,
        url: '/api/incidents',
        payload: { title: 'x', services: Array(51).fill('a') },
        status: 400,
        code: 'invalid',
      },
      {
        method: 'POST' as const,
        url: `/api/incidents/${key}/status`,
        payload: { status: 'closed' },
        status: 409,
        code: 'illegal_transition',
      },
      { method: 'GET' as const, url: '/api/nowhere', status: 404, code: 'not_found' },
    ];
    for (const c of cases) {
      const res = await h.app.inject({
        method: c.method,
        url: c.url,
        headers: as('responder'),
        ...(c.payload ? { payload: c.payload } : {}),
      });
      expect({ url: c.url, status: res.statusCode }).toEqual({ url: c.url, status: c.status });
      const body = res.json();
      expect(body.error.code).toBe(c.code);
      expect(body.error.message).not.toMatch(/\n|at .*\.(js|ts):\d+/);
    }
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: { ...as('responder'), 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('stores timeline text as data: markup comes back exactly as sent', async () => {
    const { key } = await declare('<script>alert(1)</script>');
    const text = "<img src=x onerror=alert(1)> '; DROP TABLE timeline_entries; --";
    await h.app.inject({
      method: 'POST',
      url: `/api/incidents/${key}/timeline`,
      headers: as('responder'),
      payload: { text },
    });
    const res = await h.app.inject({
      url: `/api/incidents/${key}/timeline`,
      headers: as('viewer'),
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.json().items.at(-1).body.text).toBe(text);
  });

  it('logs in with a password: HttpOnly SameSite cookie, CSRF token required for writes', async () => {
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { name: 'responder', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { name: 'responder', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/calm_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0] as string;
    const { csrfToken } = login.json();
    const me = await h.app.inject({ url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ name: 'responder', role: 'responder' });
    const noCsrf = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: { cookie },
      payload: { title: 'x' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: { cookie, 'x-csrf-token': csrfToken },
      payload: { title: 'from the browser' },
    });
    expect(withCsrf.statusCode).toBe(201);
    await h.app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect((await h.app.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('scopes and revokes personal API tokens, stored only as hashes', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: as('responder'),
      payload: { name: 'laptop', scope: 'read' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^calm_/);
    expect((await h.app.inject({ url: '/api/incidents', headers: bearer(token) })).statusCode).toBe(
      200,
    );
    const write = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: bearer(token),
      payload: { title: 'x' },
    });
    expect(write.statusCode).toBe(403);
    const listed = await h.app.inject({ url: '/api/tokens', headers: as('responder') });
    expect(JSON.stringify(listed.json())).not.toContain(token);
    expect(
      (await h.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: as('responder') }))
        .statusCode,
    ).toBe(204);
    expect((await h.app.inject({ url: '/api/incidents', headers: bearer(token) })).statusCode).toBe(
      401,
    );
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const res = await h.app.inject({ url: '/api/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/incidents',
      '/api/incidents/{incident}/timeline',
      '/api/session',
      '/api/tokens/{id}',
      '/api/incidents/{incident}/events',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    const declare = doc.paths['/api/incidents'].post;
    expect(declare.requestBody.content['application/json'].schema.properties.title.maxLength).toBe(
      300,
    );
    expect(declare.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many attempts from one address', async () => {
    const h = await openHarness('sqlite', { loginAttemptsPerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push(
          (
            await h.app.inject({
              method: 'POST',
              url: '/api/session',
              payload: { name: 'admin', password: 'guess' },
            })
          ).statusCode,
        );
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await h.close();
    }
  });
});
