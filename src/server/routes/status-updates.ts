/**
 * When each audience must next hear from an incident, and a draft of the
 * update to edit. Posting one is `POST /api/incidents/:incident/updates`
 * (incidents.ts), with either the edited text or `noNews: true`.
 */
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { draftStatusUpdate, statusUpdatesDue } from '../../app/status-updates.js';
import { parseIncidentKey } from '../../core/ids.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { audience, incidentParams } from '../schemas.js';

export function statusUpdateRoutes(deps: ServerDeps): AnyRoute[] {
  /** Reading needs no author: nothing is written. */
  const reader = (): AppContext => ({
    store: deps.incidents,
    framework: deps.framework,
    clock: deps.clock,
    author: '',
  });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/updates',
      role: 'viewer',
      tag: 'incidents',
      summary:
        'When each audience must next hear from the incident: "next update to support due in 7m" or "overdue by 3m"',
      params: incidentParams,
      handler: async ({ params }) => {
        const { incident, updates } = await statusUpdatesDue(
          reader(),
          parseIncidentKey(params.incident),
        );
        return { incident: incident.key, updates };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/updates/draft',
      role: 'viewer',
      tag: 'incidents',
      summary:
        "A draft status update for one audience, pre-filled from the incident's state and latest findings and actions",
      params: incidentParams,
      query: z.object({ audience }),
      handler: async ({ params, query }) =>
        draftStatusUpdate(reader(), parseIncidentKey(params.incident), query.audience),
    }),
  ];
}
