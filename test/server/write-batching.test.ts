/**
 * Writes answered in batches (src/store/group-commit.ts): every acknowledged
 * write has its audit line, a write refused by If-Match has none, and a retry
 * with the same Idempotency-Key sent at the same time is answered with the
 * first one's entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, ENGINES, type Harness, openHarness } from './harness.js';

describe.each(ENGINES)('batched writes on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(engine);
  });
  afterAll(async () => h.close());

  async function declare() {
    const declared = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: bearer(h.tokens.responder),
      payload: { title: 'Checkout returns 500' },
    });
    return declared.json().incident.key as string;
  }

  async function auditOf(key: string) {
    const page = await h.app.inject({
      url: '/api/audit?limit=500',
      headers: bearer(h.tokens.admin),
    });
    return (
      page.json().items as { action: string; target: string; detail: { entries: number[] } }[]
    ).filter((line) => line.target === key);
  }

  it('writes an audit line with every acknowledged write, none for one refused', async () => {
    const key = await declare();
    const headers = bearer(h.tokens.responder);
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) =>
        h.app.inject({
          method: 'POST',
          url: `/api/incidents/${key}/timeline`,
          headers,
          payload: { text: `note ${i}` },
        }),
      ),
      // decided on a version long gone: 412, nothing written, nothing audited
      h.app.inject({
        method: 'POST',
        url: `/api/incidents/${key}/timeline`,
        headers: { ...headers, 'if-match': '"v1"' },
        payload: { text: 'stale' },
      }),
    ]);
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expect(statuses.at(-1)).toBe(412);
    const acknowledged = answers
      .filter((answer) => answer.statusCode === 201)
      .map((answer) => answer.json().entries[0].seq as number);
    const lines = (await auditOf(key)).filter((line) => line.action === 'timeline.log');
    expect(lines.flatMap((line) => line.detail.entries).sort((a, b) => a - b)).toEqual(
      acknowledged.sort((a, b) => a - b),
    );
    expect((await auditOf(key)).map((line) => line.action)).toContain('incident.declare');
  });

  it("answers a retry sent alongside the first request with the first one's entries", async () => {
    const key = await declare();
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: `/api/incidents/${key}/timeline`,
        headers: { ...bearer(h.tokens.responder), 'idempotency-key': 'once-only' },
        payload: { text: 'logged once' },
      });
    const [first, retry] = await Promise.all([send(), send()]);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
    expect(retry.json().entries).toEqual(first.json().entries);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const timeline = await h.app.inject({
      url: `/api/incidents/${key}/timeline`,
      headers: bearer(h.tokens.viewer),
    });
    expect(timeline.json().items).toHaveLength(2);
    expect((await auditOf(key)).filter((line) => line.action === 'timeline.log')).toHaveLength(1);
  });
});
