/**
 * The web app (web/, built by scripts/build.mjs into dist/web) served at `/`.
 * Its files are read once at start and kept in memory, gzipped beside: a
 * few hundred kB that every responder loads. Hashed assets are cached for a
 * year; index.html is revalidated every time, so a new build shows at the
 * next load. Any other GET path is one of the app's own routes and gets
 * index.html, except under /api/ and /status, which keep their JSON 404.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
/** Paths that belong to the server, never to the app's client-side routes. */
const SERVER_PATHS = /^\/(api(\/|$)|status([/.]|$))/;

interface WebFile {
  body: Buffer;
  gzipped: Buffer | undefined;
  type: string;
  etag: string;
  cacheControl: string;
}

/**
 * The built app next to the bundle that runs: dist/web beside dist/calm.js, or
 * one folder up from a chunk in dist/chunks/. Undefined when it is not built.
 */
export function findWebRoot(moduleUrl: string): string | undefined {
  const here = fileURLToPath(new URL('.', moduleUrl));
  for (const candidate of [join(here, 'web'), join(here, '..', 'web')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (!entry.name.startsWith('.')) yield path;
  }
}

function loadFiles(root: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  for (const path of walk(root)) {
    const url = `/${relative(root, path).split(sep).join('/')}`;
    const body = readFileSync(path);
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const compressible = /^(text|application\/json|image\/svg)/.test(type) && body.length > 1024;
    files.set(url, {
      body,
      gzipped: compressible ? gzipSync(body, { level: 9 }) : undefined,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      // Vite names every file under /assets/ by its content hash
      cacheControl: url.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
    });
  }
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebFile) {
  reply
    .header('content-type', file.type)
    .header('cache-control', file.cacheControl)
    .header('etag', file.etag)
    .header('vary', 'accept-encoding');
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  const accepts = request.headers['accept-encoding'];
  if (file.gzipped && typeof accepts === 'string' && /\bgzip\b/.test(accepts))
    return reply.header('content-encoding', 'gzip').send(file.gzipped);
  return reply.send(file.body);
}

/** Serves the app from `root`; without one, `/` says how to build it. */
export function registerWebApp(app: FastifyInstance, root: string | undefined): void {
  const files = root ? loadFiles(root) : new Map<string, WebFile>();
  const index = files.get('/index.html');
  app.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (SERVER_PATHS.test(path)) return reply.callNotFound();
    const file = files.get(path);
    if (file) return send(request, reply, file);
    // a missing file (a name with a dot) is a 404, not the page: a stale page asking for an
    // old chunk must fail
    if (path.startsWith('/assets/') || /\.[^/]*$/.test(path)) return reply.callNotFound();
    if (!index)
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built: run `npm run build` (or `npm start`), then reload.\n');
    return send(request, reply, index);
  });
}
