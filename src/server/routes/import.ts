/**
 * Importing an exported incident (calm.incident/v1) into the team's store.
 * Admins only: an import writes entries under other people's names and at
 * other times than now, which no responder's change can; the audit line says
 * who imported it.
 */
import { importIncident } from '../../app/import.js';
import { incidentFileSchema } from '../../app/incident-file.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { contextFor, written } from './incidents.js';

/** An export of a long incident is larger than any other request. */
const IMPORT_BYTES = 32 * 1024 * 1024;

export function importRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/import',
      role: 'admin',
      tag: 'incidents',
      summary:
        'Import an incident exported as JSON (GET /api/incidents/:incident/export) with its whole timeline, under a new key; the same timeline twice is refused (409) naming the incident it became',
      body: incidentFileSchema,
      bodyLimit: IMPORT_BYTES,
      status: 201,
      idempotent: true,
      async handler({ caller, request, reply }) {
        const ctx = contextFor(deps, caller, request, 'incident.import');
        // the body as sent (the schema checked it): its fields' order is part of what is kept
        const { originKey, ...result } = await importIncident(ctx, request.body, {
          allowPersonal: false,
        });
        reply.header('location', `/api/incidents/${result.state.key}`);
        return written(deps, reply, result, { origin: { key: originKey } });
      },
    }),
  ];
}
