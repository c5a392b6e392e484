/**
 * An incident's postmortem and stage review over HTTP: the draft as JSON,
 * Markdown or HTML; a section written; the review completed and reopened.
 * Writes run the same use cases as the CLI (src/app/postmortem.ts), as the
 * caller, audited, with If-Match and Idempotency-Key like every other write.
 */
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import * as postmortem from '../../app/postmortem.js';
import { parseIncidentKey } from '../../core/ids.js';
import { POSTMORTEM_STYLE, renderPostmortemHtml } from '../../core/review/postmortem-html.js';
import { renderPostmortemMarkdown } from '../../core/review/postmortem-markdown.js';
import { POSTMORTEM_SECTIONS } from '../../core/review/postmortem-record.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { incidentParams, LIMITS } from '../schemas.js';
import { ownPageCsp } from '../security-headers.js';
import { contextFor, written } from './incidents.js';

const sectionParams = incidentParams.extend({
  section: z
    .string()
    .max(LIMITS.name)
    .transform((s) => s.toLowerCase().replace(/-/g, '_'))
    .pipe(z.enum(POSTMORTEM_SECTIONS)),
});

/** The HTML postmortem's own CSP: answers under /api/ forbid every style (API_HEADERS). */
const POSTMORTEM_CSP = ownPageCsp(POSTMORTEM_STYLE);

const gapQuery = {
  /** Show silences in the log longer than this many minutes (default: the server's config, else 30). */
  gapMinutes: z.coerce.number().int().min(1).max(1440).optional(),
};

export function postmortemRoutes(deps: ServerDeps): AnyRoute[] {
  const reader = (): AppContext => ({
    store: deps.incidents,
    framework: deps.framework,
    clock: deps.clock,
    author: '',
  });
  const settings = (gapMinutes: number | undefined): postmortem.ReviewSettings => {
    const gap = gapMinutes ?? deps.review?.gapMinutes;
    return {
      ...(gap !== undefined ? { gapMinutes: gap } : {}),
      ...(deps.blame ? { blame: deps.blame } : {}),
    };
  };
  const idOf = (params: { incident: string }) => parseIncidentKey(params.incident);
  return [
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/postmortem',
      role: 'viewer',
      tag: 'review',
      summary:
        "The postmortem drafted from the incident's log, with the sections people wrote: JSON (the model), or ?format=md|html",
      params: incidentParams,
      query: z.object({ format: z.enum(['json', 'md', 'html']).default('json'), ...gapQuery }),
      async handler({ params, query, reply }) {
        const model = await postmortem.draftIncidentPostmortem(
          reader(),
          idOf(params),
          settings(query.gapMinutes),
        );
        if (query.format === 'md')
          return reply
            .type('text/markdown; charset=utf-8')
            .send(renderPostmortemMarkdown(model, postmortem.reviewClock));
        if (query.format === 'html')
          return reply
            .type('text/html; charset=utf-8')
            .header('content-security-policy', POSTMORTEM_CSP)
            .send(renderPostmortemHtml(model, postmortem.reviewClock));
        return model;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/stages',
      role: 'viewer',
      tag: 'review',
      summary:
        'The stage review: time to detect, acknowledge, declare, mitigate and resolve; time per hypothesis; gaps in the log; late status updates',
      params: incidentParams,
      query: z.object(gapQuery),
      handler: ({ params, query }) =>
        postmortem.incidentStages(reader(), idOf(params), settings(query.gapMinutes)),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/incidents/:incident/postmortem/sections/:section',
      role: 'responder',
      tag: 'review',
      summary:
        "Write a postmortem section, replacing Calm's draft of it (If-Match: the ETag you read; the same text again records nothing)",
      params: sectionParams,
      body: z.object({ text: z.string().max(LIMITS.text) }).strict(),
      idempotent: true,
      async handler({ params, body, caller, request, reply }) {
        const ctx = contextFor(deps, caller, request, 'postmortem.section');
        const result = await postmortem.writePostmortemSection(
          ctx,
          idOf(params),
          params.section,
          body.text,
        );
        return written(deps, reply, result);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/incidents/:incident/postmortem/complete',
      role: 'responder',
      tag: 'review',
      summary:
        'Mark the postmortem complete: the incident resolved or closed, and where the level requires a postmortem, action items that all have owners',
      params: incidentParams,
      body: z.object({}).strict().optional(),
      status: 201,
      idempotent: true,
      async handler({ params, caller, request, reply }) {
        const ctx = contextFor(deps, caller, request, 'postmortem.complete');
        return written(deps, reply, await postmortem.completePostmortem(ctx, idOf(params)));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/incidents/:incident/postmortem/reopen',
      role: 'responder',
      tag: 'review',
      summary: 'Reopen a completed postmortem, saying why',
      params: incidentParams,
      body: z.object({ reason: z.string().max(2000) }).strict(),
      status: 201,
      idempotent: true,
      async handler({ params, body, caller, request, reply }) {
        const ctx = contextFor(deps, caller, request, 'postmortem.reopen');
        return written(
          deps,
          reply,
          await postmortem.reopenPostmortem(ctx, idOf(params), body.reason),
        );
      },
    }),
  ];
}
