/**
 * Helmet's security headers, worked out once. @fastify/helmet builds the helmet
 * middleware anew for every request, parsing the CSP directives each time: about
 * 5% of the server's CPU under 50 concurrent appends, for headers that never
 * change here (no per-request CSP nonces). So helmet answers one request of a
 * throwaway instance at start, and its headers are set on every response, on
 * the raw response as helmet does (so that streamed and hijacked responses carry
 * them too, and a route's own reply.header still overrides one).
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

async function headersOf(options: FastifyHelmetOptions | undefined) {
  const probe = Fastify();
  if (options) await probe.register(helmet, options);
  probe.get('/', async () => 'ok');
  const response = await probe.inject({ url: '/' });
  await probe.close();
  return response.headers;
}

/** The headers helmet adds with `options`: those of a response with it, less those without. */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string][]> {
  const [withHelmet, without] = await Promise.all([headersOf(options), headersOf(undefined)]);
  return Object.entries(withHelmet)
    .filter(([name]) => !(name in without))
    .map(([name, value]) => [name, String(value)]);
}

export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
