import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerSecurityHeaders } from './security-headers.js';

const OPTIONS = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } } };

async function headers(register: (app: ReturnType<typeof Fastify>) => Promise<unknown>) {
  const app = Fastify();
  await register(app);
  app.get('/', async () => ({ ok: true }));
  app.get('/own-csp', async (_request, reply) => {
    reply.header('content-security-policy', "default-src 'none'");
    return 'page';
  });
  const [plain, own] = await Promise.all([
    app.inject({ url: '/' }),
    app.inject({ url: '/own-csp' }),
  ]);
  await app.close();
  const { date: _, ...rest } = plain.headers;
  return { plain: rest, own: own.headers['content-security-policy'] };
}

describe('security headers', () => {
  it('are those @fastify/helmet sets, and a route may still set its own CSP', async () => {
    const ours = await headers((app) => registerSecurityHeaders(app, OPTIONS));
    const theirs = await headers((app) => app.register(helmet, OPTIONS));
    expect(ours).toEqual(theirs);
    expect(ours.plain['content-security-policy']).toContain("default-src 'self'");
    expect(ours.plain['x-content-type-options']).toBe('nosniff');
    expect(ours.own).toBe("default-src 'none'");
  });
});
