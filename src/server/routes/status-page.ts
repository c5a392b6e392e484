/**
 * The public status page, without login: the page itself (HTML), the same
 * content as JSON, and an Atom feed of the public updates. What they may show
 * is decided in one place (core/status-page/public-view.ts); these only render
 * it and say how long a cache may keep it.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readPublicStatus } from '../../app/status-page.js';
import { UserError } from '../../core/errors.js';
import { COMPONENT_STATES } from '../../core/status-page/component.js';
import { PUBLIC_STATUSES } from '../../core/status-page/public-view.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { renderStatusAtom } from '../status-page/render-atom.js';
import { renderStatusHtml, STATUS_PAGE_CSP } from '../status-page/render-html.js';

/** How long a browser or proxy may reuse the page without asking again, in seconds. */
const MAX_AGE = 30;

const publicIncident = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(PUBLIC_STATUSES),
  components: z.array(z.string()),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  updates: z.array(
    z.object({ id: z.string(), at: z.string(), status: z.enum(PUBLIC_STATUSES), text: z.string() }),
  ),
});

const publicStatus = z.object({
  updatedAt: z.string(),
  overall: z.object({ state: z.enum(COMPONENT_STATES), label: z.string() }),
  components: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      description: z.string(),
      state: z.enum(COMPONENT_STATES),
      since: z.string(),
      incidents: z.array(z.string()),
      days: z.array(z.object({ date: z.string(), state: z.enum(COMPONENT_STATES).nullable() })),
    }),
  ),
  activeIncidents: z.array(publicIncident),
  history: z.array(z.object({ date: z.string(), incidents: z.array(publicIncident) })),
  historyDays: z.number(),
});

/** Sends `body` with a validator: a client that has it already gets a 304 and no body. */
function sendCacheable(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  body: string,
  crossOrigin: boolean,
) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  reply.header('cache-control', `public, max-age=${MAX_AGE}`).header('etag', etag);
  if (crossOrigin)
    // public data, read without credentials: other sites may show it (a widget, a dashboard)
    reply
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type(type).send(body);
}

export function statusPageRoutes(deps: ServerDeps): AnyRoute[] {
  const read = () => {
    if (!deps.statusPage) throw new UserError('this server keeps no status page', 'not_found');
    return readPublicStatus({ statusPage: deps.statusPage, clock: deps.clock });
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/status',
      role: 'public',
      tag: 'status page',
      summary:
        'The public status page (HTML): components, current incidents with their public updates, 90 days of history',
      async handler({ request, reply }) {
        const html = renderStatusHtml(await read());
        reply.header('content-security-policy', STATUS_PAGE_CSP);
        return sendCacheable(request, reply, 'text/html; charset=utf-8', html, false);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/status.json',
      role: 'public',
      tag: 'status page',
      summary: 'The public status page as JSON (the same content as GET /status)',
      response: publicStatus,
      async handler({ request, reply }) {
        const json = JSON.stringify(await read());
        return sendCacheable(request, reply, 'application/json; charset=utf-8', json, true);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/status/feed.atom',
      role: 'public',
      tag: 'status page',
      summary: 'The public updates as an Atom 1.0 feed, newest first',
      async handler({ request, reply }) {
        const atom = renderStatusAtom(await read());
        return sendCacheable(request, reply, 'application/atom+xml; charset=utf-8', atom, true);
      },
    }),
  ];
}
