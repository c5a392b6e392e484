/**
 * Security headers: helmet's for pages, OWASP's REST set for the API.
 *
 * Helmet's headers are worked out once. @fastify/helmet builds the helmet
 * middleware anew for every request, parsing the CSP directives each time: about
 * 5% of the server's CPU under 50 concurrent appends, for headers that never
 * change here (no per-request CSP nonces). So helmet answers one request of a
 * throwaway instance at start, and its headers are set on every response, on
 * the raw response as helmet does (so that streamed and hijacked responses carry
 * them too, and a route's own reply.header still overrides one).
 */
import { createHash } from 'node:crypto';
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

/**
 * What an answer of the API gets: the set OWASP's REST Security Cheat Sheet gives for
 * APIs. Helmet's set is made for HTML documents (a CSP listing fonts, images and
 * scripts; headers for IE8's downloads, Flash's cross-domain policies, DNS prefetch):
 * on a JSON answer it is 900 bytes that no browser acts on, and under 50 concurrent
 * appends it cost a sixth of the server's throughput (writing it, and the client
 * reading it). Nothing may render or frame an answer (`default-src 'none'`,
 * `frame-ancestors 'none'`, DENY), nor sniff it into another type, nor be read from
 * another origin's page. A route that sends a document sets the CSP it needs.
 */
export const API_HEADERS: readonly [string, string][] = [
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['cross-origin-resource-policy', 'same-origin'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
];

/**
 * The Content-Security-Policy of a page Calm renders itself (the status page, a
 * postmortem): nothing loads, nothing runs, only its own style element applies.
 */
export function ownPageCsp(style: string): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Answers under /api/ get API_HEADERS; pages (the web app, the status page) helmet's with `options`. */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const pages = await helmetHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    const headers = request.url.startsWith('/api/') ? API_HEADERS : pages;
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
