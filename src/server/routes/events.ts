/**
 * The live timeline: server-sent events, one `entry` event per timeline
 * entry, its id the entry's number. A client that reconnects sends
 * Last-Event-ID (browsers do) and gets what it missed. Entries are read from
 * the store after the last one sent, whenever the bus says there is more
 * (see events/bus.ts), so none is lost or sent twice.
 */
import { z } from 'zod';
import { requireIncident } from '../../app/incidents.js';
import { UserError } from '../../core/errors.js';
import { parseIncidentKey } from '../../core/ids.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { incidentParams } from '../schemas.js';

const BATCH = 500;
const HEARTBEAT_MS = 15_000;

/**
 * The routes, and `endAll`, which ends every open stream when the server
 * stops: a stream never ends by itself, so close() would otherwise wait for
 * its clients forever. Clients reconnect with Last-Event-ID (to another
 * instance, or to this one restarted) and miss nothing.
 */
export function eventRoutes(deps: ServerDeps): { routes: AnyRoute[]; endAll(): void } {
  const endings = new Set<() => void>();
  const routes = [
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/events',
      role: 'viewer',
      tag: 'timeline',
      summary:
        'Live timeline (text/event-stream): every entry after Last-Event-ID or ?after, then new ones as they are written',
      params: incidentParams,
      query: z.object({ after: z.coerce.number().int().nonnegative().optional() }),
      async handler({ params, query, request, reply }) {
        const id = parseIncidentKey(params.incident);
        await requireIncident({ store: deps.incidents }, id);
        const header = request.headers['last-event-id'];
        const resume =
          typeof header === 'string' && header !== '' ? Number(header) : (query.after ?? 0);
        if (!Number.isInteger(resume) || resume < 0)
          throw new UserError('Last-Event-ID: send the id of the last entry received');
        let last = resume;
        let pumping: Promise<void> | undefined;
        let again = false;
        let open = true;

        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
        });
        out.write(': connected\n\n');

        async function drain(): Promise<void> {
          for (;;) {
            const entries = await deps.incidents.listEntries(id, { afterSeq: last, limit: BATCH });
            for (const entry of entries) {
              if (!open) return;
              out.write(`id: ${entry.seq}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`);
              last = entry.seq;
            }
            if (entries.length < BATCH) return;
          }
        }
        /** One reader at a time; a notice during a read makes it read once more. */
        function pump(): void {
          if (pumping) {
            again = true;
            return;
          }
          pumping = drain()
            .catch((error) => request.log.error({ err: error }, 'live timeline read failed'))
            .finally(() => {
              pumping = undefined;
              if (again && open) {
                again = false;
                pump();
              }
            });
        }
        const unsubscribe = deps.bus.subscribe((notice) => {
          if (notice.incidentId === id && notice.seq > last) pump();
        });
        const heartbeat = setInterval(() => out.write(': ping\n\n'), HEARTBEAT_MS);
        const stop = () => {
          open = false;
          unsubscribe();
          clearInterval(heartbeat);
          endings.delete(end);
        };
        // the socket goes too: a finished response would otherwise idle in keep-alive and hold close()
        const end = () => {
          stop();
          out.end(() => out.destroy());
        };
        endings.add(end);
        out.on('close', stop);
        pump();
      },
    }),
  ];
  const endAll = () => {
    for (const end of [...endings]) end();
  };
  return { routes, endAll };
}
