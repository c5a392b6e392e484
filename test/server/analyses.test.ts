/**
 * The Evidence API on both stores: log files uploaded as a form are analyzed
 * as `calm analyze` does, the report saved with the incident and its answers
 * recorded as findings; a retry with the same Idempotency-Key saves and
 * records nothing more; saved analyses are listed and opened again by
 * viewers; an upload over the limit is a 413 before it is read, and a form
 * without logs or with unknown fields a 400, with nothing saved.
 */
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../src/analysis/report/model.js';
import { findingsOf } from '../../src/app/analyze/attach.js';
import { UPLOADS_AT_ONCE } from '../../src/server/routes/analyses.js';
import {
  EVIDENCE_CRONTAB,
  EVIDENCE_ONSET,
  evidenceChanges,
  evidenceLog,
} from '../support/evidence-files.js';
import { bearer, ENGINES, type Harness, openHarness } from './harness.js';

type Part = [field: string, value: string, filename?: string];

/** A multipart body as a browser's FormData sends it. */
async function form(parts: Part[]) {
  const data = new FormData();
  for (const [field, value, filename] of parts)
    if (filename !== undefined) data.append(field, new Blob([value]), filename);
    else data.append(field, value);
  const encoded = new Response(data);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') as string },
  };
}

describe.each(ENGINES)('evidence API on %s', (engine) => {
  let h: Harness;
  let key: string;
  const log = evidenceLog();
  const url = () => `/api/incidents/${key}/analyses`;
  const upload = async (token: string, parts: Part[], headers: Record<string, string> = {}) => {
    const body = await form(parts);
    return h.app.inject({
      method: 'POST',
      url: url(),
      payload: body.payload,
      headers: { ...body.headers, ...bearer(token), ...headers },
    });
  };
  const findings = async () => {
    const res = await h.app.inject({
      url: `/api/incidents/${key}/timeline?limit=500`,
      headers: bearer(h.tokens.viewer),
    });
    return (res.json().items as { body: { kind: string; source?: string } }[]).filter(
      (e) => e.body.kind === 'finding',
    );
  };

  beforeAll(async () => {
    h = await openHarness(engine);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: bearer(h.tokens.responder),
      payload: { title: 'Payments failing' },
    });
    key = res.json().incident.key;
  });
  afterAll(async () => h.close());

  it('analyzes uploaded logs with their changes and crontab, saves the report and records its answers', async () => {
    const parts: Part[] = [
      ['tz', 'UTC'],
      ['logs', log, 'app.log'],
      ['changes', evidenceChanges(), 'deploys.jsonl'],
      ['cron', EVIDENCE_CRONTAB, 'crontab'],
      // a file input left empty, as browsers send it: no name, no bytes
      ['metrics', '', ''],
    ];
    const res = await upload(h.tokens.responder, parts, { 'idempotency-key': 'upload-1' });
    expect(res.statusCode, res.body).toBe(201);
    const { analysis, report } = res.json();
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(analysis).toMatchObject({ name: 'app.log', events: 12_000, author: 'responder' });
    expect(Math.abs(report.onset.time - EVIDENCE_ONSET)).toBeLessThan(60_000);
    expect(analysis.onsetAt).toBe(report.onset.time);
    expect(report.sources.map((s: { name: string }) => s.name)).toEqual(['app.log']);
    expect(report.changes.suspects[0].change).toMatchObject({
      version: 'v2.0',
      source: 'deploys.jsonl',
    });
    expect(report.cron.jobs.map((j: { job: { source: string } }) => j.job.source)).toContain(
      'crontab',
    );
    expect(report.contrasts.findings[0].label).toMatch(/amount/);
    const recorded = await findings();
    // one finding per answer, as calm analyze --attach records them
    expect(recorded.length).toBe(findingsOf(report).length);
    expect(recorded.length).toBeGreaterThanOrEqual(report.answers.length);
    expect(recorded[0]?.body.source).toBe(`calm analyze, analysis ${analysis.id} (app.log)`);

    // the same request again (a retry): the same analysis, nothing new saved or recorded
    const retry = await upload(h.tokens.responder, parts, { 'idempotency-key': 'upload-1' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().analysis.id).toBe(analysis.id);
    expect((await findings()).length).toBe(recorded.length);

    const list = await h.app.inject({ url: url(), headers: bearer(h.tokens.viewer) });
    expect(list.statusCode).toBe(200);
    expect(list.json().analyses).toEqual([analysis]);
    expect(list.json().uploadLimitBytes).toBe(256 * 1024 * 1024);
    expect(list.json().serverZone).toMatch(/\(UTC[+-]\d\d:\d\d\)$/);
    const one = await h.app.inject({
      url: `${url()}/${analysis.id}`,
      headers: bearer(h.tokens.viewer),
    });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ analysis, report });
  });

  it('saves a report calm analyze wrote, checked against its schema', async () => {
    const first = await h.app.inject({ url: `${url()}/1`, headers: bearer(h.tokens.viewer) });
    const written = JSON.stringify(first.json().report);
    const res = await upload(h.tokens.responder, [['report', written, 'report.json']]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().analysis).toMatchObject({ id: 2, name: 'app.log', events: 12_000 });
    expect(res.json().report).toEqual(first.json().report);
    const refused = async (parts: Part[], text: RegExp) => {
      const answer = await upload(h.tokens.responder, parts);
      expect(answer.statusCode, answer.body).toBe(400);
      expect(answer.json().error.message).toMatch(text);
    };
    await refused([['report', '{"format":', 'report.json']], /^report\.json is not JSON \(/);
    await refused(
      [['report', JSON.stringify({ ...first.json().report, totals: null }), 'report.json']],
      /^report\.json is not a calm analyze report \(calm\.analysis\/v1\): totals: /,
    );
    await refused(
      [
        ['report', written, 'report.json'],
        ['logs', log, 'app.log'],
      ],
      /send either log files or one saved report, not both/,
    );
  });

  it('refuses what it cannot analyze with a 4xx that says why, and saves nothing', async () => {
    const before = (await h.app.inject({ url: url(), headers: bearer(h.tokens.viewer) })).json()
      .analyses.length;
    const refused = async (
      res: Awaited<ReturnType<typeof upload>>,
      status: number,
      text: RegExp,
    ) => {
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.message).toMatch(text);
    };
    await refused(
      await upload(h.tokens.responder, [['changes', evidenceChanges(), 'deploys.jsonl']]),
      400,
      /no log file in the upload; add at least one as the field logs/,
    );
    await refused(
      await upload(h.tokens.responder, [['pictures', 'x', 'cat.png']]),
      400,
      /unknown form field pictures; name each file for its kind: logs, changes/,
    );
    await refused(
      await upload(h.tokens.responder, [
        ['tz', 'Mars/Olympus'],
        ['logs', log, 'app.log'],
      ]),
      400,
      /tz: Mars\/Olympus is not a time zone/,
    );
    await refused(
      await h.app.inject({
        method: 'POST',
        url: url(),
        payload: { logs: 'x' },
        headers: bearer(h.tokens.responder),
      }),
      400,
      /send the files as multipart\/form-data/,
    );
    await refused(await upload(h.tokens.viewer, [['logs', log, 'app.log']]), 403, /.+/);
    await refused(
      await h.app.inject({
        url: `/api/incidents/INC-999/analyses`,
        headers: bearer(h.tokens.viewer),
      }),
      404,
      /there is no incident/,
    );
    await refused(
      await h.app.inject({ url: `${url()}/999`, headers: bearer(h.tokens.viewer) }),
      404,
      /there is no analysis 999 of/,
    );

    // broken forms: no parts, a part cut off, no boundary
    const raw = (type: string, payload: string) =>
      h.app.inject({
        method: 'POST',
        url: url(),
        payload,
        headers: { 'content-type': type, ...bearer(h.tokens.responder) },
      });
    await refused(
      await raw('multipart/form-data; boundary=xyz', 'garbage'),
      400,
      /the upload is not a readable form: Unexpected end of/,
    );
    await refused(
      await raw(
        'multipart/form-data; boundary=xyz',
        '--xyz\r\nContent-Disposition: form-data; name="logs"; filename="a.log"\r\n\r\nhalf a li',
      ),
      400,
      /the upload is not a readable form: Unexpected end of (form|multipart data)/,
    );
    await refused(await raw('multipart/form-data', 'x'), 400, /multipart\/form-data/);

    // over the limit: refused from Content-Length, before the body is read
    const analyses = h.deps.analyses;
    h.deps.analyses = { store: h.stores.analyses, uploadBytes: 100_000 };
    try {
      await refused(
        await upload(h.tokens.responder, [['logs', log, 'app.log']]),
        413,
        /the upload is larger than this server takes \(98 KiB\)/,
      );
    } finally {
      h.deps.analyses = analyses;
    }
    const after = (await h.app.inject({ url: url(), headers: bearer(h.tokens.viewer) })).json()
      .analyses.length;
    expect(after).toBe(before);
  });

  it('documents the form and the answers in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ url: '/api/openapi.json' })).json();
    const upload = doc.paths['/api/incidents/{incident}/analyses'].post;
    const form = upload.requestBody.content['multipart/form-data'].schema;
    expect(Object.keys(form.properties)).toEqual([
      'logs',
      'changes',
      'cron',
      'metrics',
      'reports',
      'report',
      'tz',
    ]);
    expect(form.properties.logs.items.format).toBe('binary');
    expect(upload.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    const one = doc.paths['/api/incidents/{incident}/analyses/{id}'].get;
    const report = one.responses['200'].content['application/json'].schema.properties.report;
    expect(report.properties.format.const).toBe('calm.analysis/v1');
  });

  it('takes a few uploads at once, keeps nothing of those cut off mid-way, and goes on serving', async () => {
    const spooled = () => readdirSync(tmpdir()).filter((n) => n.startsWith('calm-evidence-'));
    const before = spooled().length;
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const body = await form([['logs', log, 'app.log']]);
    /** An upload that sends half its form and waits. */
    const halfUpload = async () => {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        [
          `POST ${url()} HTTP/1.1`,
          'Host: 127.0.0.1',
          `Authorization: Bearer ${h.tokens.responder}`,
          `Content-Type: ${body.headers['content-type']}`,
          `Content-Length: ${body.payload.length}`,
          '',
          '',
        ].join('\r\n'),
      );
      socket.write(body.payload.subarray(0, body.payload.length / 2));
      return socket;
    };
    const sockets = [];
    for (let i = 0; i < UPLOADS_AT_ONCE; i++) sockets.push(await halfUpload());
    await expect.poll(() => spooled().length).toBe(before + UPLOADS_AT_ONCE);
    const fifth = await upload(h.tokens.responder, [['logs', log, 'app.log']]);
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.message).toBe(
      `${UPLOADS_AT_ONCE} uploads are being analyzed already; send this one again in a minute`,
    );
    // the clients go away: what they sent is thrown away
    for (const socket of sockets) socket.destroy();
    await expect.poll(() => spooled().length, { timeout: 5000 }).toBe(before);
    const again = await upload(h.tokens.responder, [['logs', log, 'app.log']]);
    expect(again.statusCode, again.body).toBe(201);
  });
});
