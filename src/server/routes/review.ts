/**
 * The blameless linter over HTTP, for the web app's editors and for scripts:
 * any text, or an incident's whole timeline.
 */
import { z } from 'zod';
import { lintIncident } from '../../app/review.js';
import { parseIncidentKey } from '../../core/ids.js';
import { lintBlame } from '../../core/review/blame.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { incidentParams, LIMITS } from '../schemas.js';

const names = z.array(z.string().min(1).max(LIMITS.name)).max(LIMITS.list);

export function reviewRoutes(deps: ServerDeps): AnyRoute[] {
  const teamLists = () => deps.blame ?? {};
  return [
    defineRoute({
      method: 'POST',
      url: '/api/review/lint',
      role: 'viewer',
      tag: 'review',
      summary:
        "Flag blame in a text (a person named as the cause, 'careless', 'should have known') with a system-focused wording for each",
      body: z
        .object({
          text: z.string().max(LIMITS.text),
          /** People's names, known to be people (the incident's authors and roles). */
          people: names.optional(),
        })
        .strict(),
      handler: async ({ body }) => ({
        findings: lintBlame(body.text, {
          ...teamLists(),
          ...(body.people ? { people: body.people } : {}),
        }),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/lint',
      role: 'viewer',
      tag: 'review',
      summary: "Flag blame in every entry of an incident's timeline, as the entries read now",
      params: incidentParams,
      handler: async ({ params }) => {
        const { incident, findings } = await lintIncident(
          { store: deps.incidents },
          parseIncidentKey(params.incident),
          teamLists(),
        );
        return { incident: incident.key, findings };
      },
    }),
  ];
}
