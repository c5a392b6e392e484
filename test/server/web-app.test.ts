/**
 * The web app's files at `/` (in-process, with a stand-in build), and the
 * severity assessment the Declare form asks before anything is written.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { bearer, type Harness, openHarness } from './harness.js';

let harness: Harness;
let app: FastifyInstance;
let root: string;
const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

beforeAll(async () => {
  harness = await openHarness('sqlite');
  root = mkdtempSync(join(tmpdir(), 'calm-web-root-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Calm</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), script);
  writeFileSync(join(root, '.source-hash'), 'not served');
  app = await buildServer(harness.deps, { webRoot: root });
});
afterAll(async () => {
  await app.close();
  await harness.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the web app at /', () => {
  it('serves index.html for the app and its client-side routes, revalidated each load', async () => {
    for (const url of ['/', '/incidents/INC-3', '/declare?x=1']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.body).toContain('<title>Calm</title>');
    }
  });

  it('serves hashed assets cached for a year, gzipped when asked, 304 on a matching ETag', async () => {
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.body).toBe(script);
    const gzipped = await app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.length).toBeLessThan(script.length / 10);
    const again = await app.inject({
      url: '/assets/index-abc123.js',
      headers: { 'if-none-match': String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('keeps /api and /status to the server, and answers a missing asset or dotfile with 404', async () => {
    for (const url of ['/api/nope', '/api', '/status/nope', '/assets/old-1.js', '/.source-hash']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect((await app.inject({ url: '/status' })).headers['content-type']).toContain('text/html');
    expect((await app.inject({ url: '/api/health' })).json()).toEqual({ ok: true });
  });

  it('says how to build the app when it is not built', async () => {
    const bare = await buildServer(harness.deps);
    const response = await bare.inject({ url: '/incidents' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    await bare.close();
  });
});

describe('severity assessment without an incident', () => {
  it('lists the questions and suggests a level with why, writing nothing', async () => {
    const questions = await app.inject({
      url: '/api/severity/questions',
      headers: bearer(harness.tokens.viewer),
    });
    expect(questions.json().items.map((q: { key: string }) => q.key)).toContain('customerFacing');
    const affected = questions.json().items.find((q: { key: string }) => q.key === 'affected');
    expect(affected.choices).toEqual(['all', 'subset', 'internal', 'none']);

    const response = await app.inject({
      method: 'POST',
      url: '/api/severity/assess',
      headers: bearer(harness.tokens.viewer),
      payload: { customerFacing: true, affected: 'all', coreFunction: true, workaround: false },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.level.key).toMatch(/^SEV\d$/);
    expect(body.reason.length).toBeGreaterThan(5);
    expect(body.matched).toBe(true);
    const list = await app.inject({
      url: '/api/incidents',
      headers: bearer(harness.tokens.viewer),
    });
    expect(list.json().items).toEqual([]);
  });

  it('refuses unknown answers by name', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/severity/assess',
      headers: bearer(harness.tokens.viewer),
      payload: { affected: 'everyone' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('affected');
  });
});
