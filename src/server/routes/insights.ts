/**
 * Insights across the team's incidents, and recurrence: which earlier
 * incidents one repeats. Reads only; a viewer may see them.
 */
import { z } from 'zod';
import { getInsights, relatedIncidents } from '../../app/insights.js';
import { epochMs, parseIncidentKey } from '../../core/ids.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { incidentParams } from '../schemas.js';

/** A day (YYYY-MM-DD, from its start in UTC), an ISO 8601 time with a zone, or epoch ms. */
export const dateQuery = z
  .string()
  .max(40)
  .transform((text, context) => {
    const ms = /^\d{1,15}$/.test(text)
      ? Number(text)
      : /^\d{4}-\d{2}-\d{2}$/.test(text)
        ? Date.parse(`${text}T00:00:00Z`)
        : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text)
          ? Date.parse(text)
          : Number.NaN;
    if (Number.isNaN(ms)) {
      context.addIssue({
        code: 'custom',
        message: 'use a day (2026-01-31), an ISO time with a zone, or epoch milliseconds',
      });
      return z.NEVER;
    }
    return ms;
  });

export function insightsRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/insights',
      role: 'viewer',
      tag: 'review',
      summary:
        'Counts by severity, service and cause category; time to detect, acknowledge and resolve by month (mean, median, n); open action items; postmortems owed; recurring incidents',
      query: z.object({ since: dateQuery.optional(), until: dateQuery.optional() }).strict(),
      handler: ({ query }) =>
        getInsights(
          { store: deps.incidents, framework: deps.framework },
          {
            ...(query.since !== undefined ? { since: epochMs(query.since) } : {}),
            ...(query.until !== undefined ? { until: epochMs(query.until) } : {}),
          },
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/related',
      role: 'viewer',
      tag: 'review',
      summary:
        'The earlier incidents this one repeats (same stack fingerprint, error template, or cause category on a shared service), most alike first, each with why',
      params: incidentParams,
      handler: ({ params }) =>
        relatedIncidents({ store: deps.incidents }, parseIncidentKey(params.incident)),
    }),
  ];
}
