import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { API_HEADERS, registerSecurityHeaders } from './security-headers.js';

const OPTIONS = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } } };

async function headers(register: (app: ReturnType<typeof Fastify>) => Promise<unknown>) {
  const app = Fastify();
  await register(app);
  app.get('/', async () => ({ ok: true }));
  app.get('/api/thing', async () => ({ ok: true }));
  app.get('/own-csp', async (_request, reply) => {
    reply.header('content-security-policy', "default-src 'none'");
    return 'page';
  });
  const [plain, own, api] = await Promise.all([
    app.inject({ url: '/' }),
    app.inject({ url: '/own-csp' }),
    app.inject({ url: '/api/thing' }),
  ]);
  await app.close();
  const { date: _, ...rest } = plain.headers;
  return { plain: rest, own: own.headers['content-security-policy'], api: api.headers };
}

describe('security headers', () => {
  it('are those @fastify/helmet sets, and a route may still set its own CSP', async () => {
    const ours = await headers((app) => registerSecurityHeaders(app, OPTIONS));
    const theirs = await headers((app) => app.register(helmet, OPTIONS));
    expect(ours.plain).toEqual(theirs.plain);
    expect(ours.own).toEqual(theirs.own);
    expect(ours.plain['content-security-policy']).toContain("default-src 'self'");
    expect(ours.plain['x-content-type-options']).toBe('nosniff');
    expect(ours.own).toBe("default-src 'none'");
  });

  it('on an answer of the API are the REST set: nothing in it may render, run, be framed or sniffed', async () => {
    const { api } = await headers((app) => registerSecurityHeaders(app, OPTIONS));
    for (const [name, value] of API_HEADERS) expect(api[name]).toBe(value);
    expect(api['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api['x-frame-options']).toBe('DENY');
    expect(api['x-content-type-options']).toBe('nosniff');
    // none of helmet's headers for documents
    expect(api['x-dns-prefetch-control']).toBeUndefined();
    expect(api['origin-agent-cluster']).toBeUndefined();
  });
});
