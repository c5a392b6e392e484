/**
 * Incidents and their timelines: everything the CLI does, over HTTP. Each
 * write runs the same use case as the CLI (src/app/incidents.ts), as the
 * caller, records who did it in the audit log, and wakes the live timelines.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { exportIncident, exportMarkdown } from '../../app/export.js';
import * as incidents from '../../app/incidents.js';
import type { CommandResult } from '../../app/run-command.js';
import { postNoNewsUpdate } from '../../app/status-updates.js';
import { UserError } from '../../core/errors.js';
import { HYPOTHESIS_STATUSES } from '../../core/hypothesis/hypothesis.js';
import { entrySeq, epochMs, type IncidentId, parseIncidentKey } from '../../core/ids.js';
import { AFFECTED } from '../../core/incident/impact.js';
import { type IncidentState, snapshotOf } from '../../core/incident/incident.js';
import { STATUSES } from '../../core/incident/lifecycle.js';
import { MILESTONES } from '../../core/incident/milestones.js';
import { ROLES as INCIDENT_ROLES } from '../../core/incident/roles.js';
import { accountOf, type Caller } from '../auth/authenticate.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import {
  audience,
  incidentParams,
  instant,
  LIMITS,
  logKind,
  longText,
  pageQuery,
  services,
  shortText,
} from '../schemas.js';

const IDEMPOTENCY_KEY = /^[\w.:-]{1,100}$/;

/**
 * The use cases' context for this request: the caller is the author, the change
 * is audited as `action` in its own transaction, and If-Match, when sent, must
 * name the version the change is decided on (else 412 and nothing is written).
 */
export function contextFor(
  deps: ServerDeps,
  caller: Caller,
  request: FastifyRequest,
  action: string,
): AppContext {
  const account = accountOf(caller);
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
    throw new UserError('Idempotency-Key: use 1-100 letters, digits, and . _ : -');
  const expected = request.headers['if-match'];
  return {
    store: deps.incidents,
    framework: deps.framework,
    ...(deps.channels ? { channels: deps.channels } : {}),
    clock: deps.clock,
    author: account.name,
    ...(key ? { idempotency: { scope: `user:${account.id}`, key } } : {}),
    audit: { actor: account.name, action, sourceIp: caller.ip, via: caller.via },
    ...(expected !== undefined && expected !== '*'
      ? { precondition: (state: IncidentState) => checkIfMatch(expected, state) }
      : {}),
  };
}

/** The incident's version as an entity tag: it changes with every entry. */
export const etagOf = (version: number) => `"v${version}"`;

function checkIfMatch(expected: string, state: IncidentState) {
  if (expected === etagOf(state.version)) return;
  throw Object.assign(
    new UserError(
      `the incident changed since you read it (now ${etagOf(state.version)}); read it again and retry`,
      'conflict',
    ),
    { precondition: true },
  );
}

/**
 * Wakes the live timelines for a write, and answers it: `{ incident, entries }`, the
 * fields the use case added, and `more`. The incident's JSON is the snapshot the store
 * has just saved, not worked out again.
 */
export async function written(
  deps: ServerDeps,
  reply: FastifyReply,
  result: CommandResult & { assessment?: unknown },
  more: Record<string, unknown> = {},
): Promise<string> {
  // the audit line was written with the change (contextFor)
  if (!result.replayed && result.entries.length) {
    await deps.bus.publish({ incidentId: result.state.id, seq: result.state.version });
    deps.notifier?.wake();
  }
  reply.header('etag', etagOf(result.state.version));
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  const { state, entries, replayed: _, ...extra } = result;
  reply.type('application/json; charset=utf-8');
  return `{"incident":${snapshotOf(state)},${JSON.stringify({ entries, ...extra, ...more }).slice(1)}`;
}

const incidentQuery = pageQuery.extend({
  status: z
    .array(z.enum(STATUSES))
    .max(STATUSES.length)
    .or(z.enum(STATUSES).transform((s) => [s]))
    .optional(),
  severity: z
    .array(z.string().max(LIMITS.name))
    .max(LIMITS.list)
    .or(
      z
        .string()
        .max(LIMITS.name)
        .transform((s) => [s]),
    )
    .optional(),
  service: z.string().max(LIMITS.name).optional(),
  q: z.string().max(LIMITS.title).optional(),
  since: z.coerce.number().int().nonnegative().optional(),
  until: z.coerce.number().int().nonnegative().optional(),
});

const impact = z
  .object({
    affected: z.enum(AFFECTED).optional(),
    customerFacingServices: services.optional(),
    dataLost: z.boolean().optional(),
    dataBreached: z.boolean().optional(),
    workaroundAvailable: z.boolean().optional(),
    canRollBack: z.boolean().optional(),
    description: shortText(2000).optional(),
  })
  .strict();

/** Error signatures a tool found (calm analyze --attach): what recurrence compares. */
const findingEvidence = z
  .object({
    templates: z.array(z.string().max(LIMITS.title)).max(LIMITS.list).optional(),
    stacks: z
      .array(
        z
          .object({
            fingerprint: z.string().max(LIMITS.name),
            signature: z.string().max(LIMITS.title),
          })
          .strict(),
      )
      .max(LIMITS.list)
      .optional(),
  })
  .strict();

const idOf = (params: { incident: string }) => parseIncidentKey(params.incident);

/** When it happened, if not now (the CLI's --at): epoch ms or ISO 8601 with a zone. */
const at = { at: instant.optional() };
const whenOf = (body: { at?: number }) => (body.at === undefined ? undefined : epochMs(body.at));

export const answers = z
  .object({
    customerFacing: z.boolean().optional(),
    affected: z.enum(AFFECTED).optional(),
    dataLoss: z.boolean().optional(),
    coreFunction: z.boolean().optional(),
    workaround: z.boolean().optional(),
    performanceOnly: z.boolean().optional(),
  })
  .strict();

export function incidentRoutes(deps: ServerDeps): AnyRoute[] {
  /** A write to one incident: If-Match checked, the use case run, the result returned. */
  const write = <B>(
    url: string,
    summary: string,
    action: string,
    body: z.ZodType<B>,
    run: (ctx: AppContext, id: IncidentId, body: B) => Promise<CommandResult>,
  ) =>
    defineRoute({
      method: 'POST',
      url: `/api/incidents/:incident${url}`,
      role: 'responder',
      tag: 'incidents',
      summary,
      params: incidentParams,
      body,
      status: 201,
      idempotent: true,
      async handler({ params, body: input, caller, request, reply }) {
        const result = await run(contextFor(deps, caller, request, action), idOf(params), input);
        return written(deps, reply, result);
      },
    });

  return [
    defineRoute({
      method: 'GET',
      url: '/api/incidents',
      role: 'viewer',
      tag: 'incidents',
      summary: 'Incidents, newest first, filtered; pages follow nextCursor',
      query: incidentQuery,
      async handler({ query }) {
        let after: { declaredAt: number; id: number } | undefined;
        if (query.cursor) {
          const [declaredAt, id] = query.cursor.split('.').map(Number);
          if (!Number.isInteger(declaredAt) || !Number.isInteger(id))
            throw new UserError('cursor: use the nextCursor of the last page');
          after = { declaredAt: declaredAt as number, id: id as number };
        }
        const items = await deps.incidents.listIncidents({
          limit: query.limit,
          ...(query.status ? { status: query.status } : {}),
          ...(query.severity ? { severity: query.severity } : {}),
          ...(query.service ? { service: query.service } : {}),
          ...(query.q ? { text: query.q } : {}),
          ...(query.since !== undefined ? { since: epochMs(query.since) } : {}),
          ...(query.until !== undefined ? { until: epochMs(query.until) } : {}),
          ...(after ? { after } : {}),
        });
        const last = items[items.length - 1];
        const nextCursor =
          items.length === query.limit && last
            ? `${last.milestones.declared ?? last.lastEntryAt}.${last.id}`
            : null;
        return { items, nextCursor };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/severity-framework',
      role: 'viewer',
      tag: 'incidents',
      summary: "The team's severity levels, their assessment rules and each level's policy",
      handler: () => deps.framework(),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/incidents',
      role: 'responder',
      tag: 'incidents',
      summary: 'Declare an incident',
      status: 201,
      idempotent: true,
      body: z
        .object({
          title: shortText(),
          summary: z.string().max(LIMITS.text).optional(),
          services: services.optional(),
          severity: z.string().max(LIMITS.name).optional(),
          severityReason: z.string().max(LIMITS.title).optional(),
          impactStartedAt: instant.optional(),
          detectedAt: instant.optional(),
          declaredAt: instant.optional(),
        })
        .strict(),
      async handler({ body, caller, request, reply }) {
        const ctx = contextFor(deps, caller, request, 'incident.declare');
        const result = await incidents.declareIncident(ctx, {
          title: body.title,
          ...(body.summary !== undefined ? { summary: body.summary } : {}),
          ...(body.services ? { services: body.services } : {}),
          ...(body.severity ? { severity: body.severity } : {}),
          ...(body.severityReason ? { severityReason: body.severityReason } : {}),
          ...(body.impactStartedAt !== undefined
            ? { impactStartedAt: epochMs(body.impactStartedAt) }
            : {}),
          ...(body.detectedAt !== undefined ? { detectedAt: epochMs(body.detectedAt) } : {}),
          ...(body.declaredAt !== undefined ? { declaredAt: epochMs(body.declaredAt) } : {}),
        });
        reply.header('location', `/api/incidents/${result.state.key}`);
        return written(deps, reply, result);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident',
      role: 'viewer',
      tag: 'incidents',
      summary: "An incident's current state; its ETag is its version",
      params: incidentParams,
      async handler({ params, reply, request }) {
        const state = await incidents.requireIncident({ store: deps.incidents }, idOf(params));
        const etag = etagOf(state.version);
        reply.header('etag', etag);
        if (request.headers['if-none-match'] === etag) return reply.status(304).send();
        return state;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/incidents/:incident',
      role: 'responder',
      tag: 'incidents',
      summary: 'Change the title, summary or services (If-Match: the ETag you read)',
      params: incidentParams,
      body: z
        .object({
          title: shortText().optional(),
          summary: z.string().max(LIMITS.text).optional(),
          services: services.optional(),
        })
        .strict(),
      async handler({ params, body, caller, request, reply }) {
        const details = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
        const result = await incidents.changeDetails(
          contextFor(deps, caller, request, 'incident.details'),
          idOf(params),
          details,
        );
        return written(deps, reply, result);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/timeline',
      role: 'viewer',
      tag: 'timeline',
      summary: 'Timeline entries in order; pages follow nextCursor (the last entry number)',
      params: incidentParams,
      query: pageQuery,
      async handler({ params, query }) {
        const id = idOf(params);
        await incidents.requireIncident({ store: deps.incidents }, id);
        const afterSeq = query.cursor === undefined ? 0 : Number(query.cursor);
        if (!Number.isInteger(afterSeq) || afterSeq < 0)
          throw new UserError('cursor: use the nextCursor of the last page');
        const items = await deps.incidents.listEntries(id, { afterSeq, limit: query.limit });
        const last = items[items.length - 1];
        return {
          items,
          nextCursor: items.length === query.limit && last ? String(last.seq) : null,
        };
      },
    }),
    write(
      '/timeline',
      'Log a note, action, finding or decision (Idempotency-Key: a retry logs nothing twice)',
      'timeline.log',
      z.object({ kind: logKind.default('note'), text: longText, ...at }).strict(),
      (ctx, id, b) => incidents.logEntry(ctx, id, b.kind, b.text, whenOf(b)),
    ),
    write(
      '/findings',
      'Record findings (evidence from a tool such as calm analyze), one entry each',
      'timeline.findings',
      z
        .object({
          findings: z
            .array(
              z
                .object({
                  text: longText,
                  source: z.string().max(LIMITS.name).optional(),
                  evidence: findingEvidence.optional(),
                })
                .strict(),
            )
            .min(1)
            .max(LIMITS.list),
          ...at,
        })
        .strict(),
      (ctx, id, b) => incidents.recordFindings(ctx, id, b.findings, whenOf(b)),
    ),
    write(
      '/communications',
      'Record who was told, through which channel, and what',
      'incident.told',
      z
        .object({
          to: shortText(LIMITS.name),
          via: shortText(LIMITS.name),
          text: z.string().max(LIMITS.text).optional(),
          ...at,
        })
        .strict(),
      (ctx, id, b) => incidents.recordCommunication(ctx, id, b.to, b.via, b.text, whenOf(b)),
    ),
    write(
      '/corrections',
      'Amend or strike an earlier entry (the original stays in the log)',
      'timeline.correct',
      z
        .object({
          entry: z.number().int().positive(),
          action: z.enum(['amend', 'strike']),
          reason: shortText(2000),
          text: longText.optional(),
        })
        .strict(),
      (ctx, id, b) =>
        incidents.correctEntry(ctx, id, entrySeq(b.entry), b.action, b.reason, b.text),
    ),
    write(
      '/milestones',
      'Record when a milestone happened: impact_started, detected, acknowledged, mitigated, resolved, closed',
      'incident.milestone',
      z.object({ milestone: z.enum(MILESTONES), at: instant }).strict(),
      (ctx, id, b) => incidents.setMilestone(ctx, id, b.milestone, epochMs(b.at)),
    ),
    write(
      '/severity',
      'Set the severity level with a reason, or assess it from answers',
      'incident.severity',
      z.union([
        z
          .object({
            level: shortText(LIMITS.name),
            reason: z.string().max(2000).default(''),
            ...at,
          })
          .strict(),
        z.object({ answers, ...at }).strict(),
      ]),
      async (ctx, id, b) =>
        'level' in b
          ? incidents.setSeverity(ctx, id, b.level, b.reason, whenOf(b))
          : incidents.assessAndSetSeverity(ctx, id, b.answers, whenOf(b)),
    ),
    write(
      '/status',
      'Move the incident to another status (triage, investigating ... resolved)',
      'incident.status',
      z
        .object({ status: z.enum(STATUSES), reason: z.string().max(2000).optional(), ...at })
        .strict(),
      (ctx, id, b) => incidents.changeStatus(ctx, id, b.status, b.reason, whenOf(b)),
    ),
    write(
      '/impact',
      'Record who and what is affected',
      'incident.impact',
      z.object({ impact, text: z.string().max(2000).optional(), ...at }).strict(),
      (ctx, id, b) => incidents.recordImpact(ctx, id, b.impact, b.text, whenOf(b)),
    ),
    write(
      '/hypotheses',
      'Propose a hypothesis',
      'hypothesis.propose',
      z.object({ statement: shortText(2000), ...at }).strict(),
      (ctx, id, b) => incidents.proposeHypothesis(ctx, id, b.statement, whenOf(b)),
    ),
    write(
      '/hypotheses/move',
      'Move hypothesis N to testing, eliminated (with why) or confirmed',
      'hypothesis.move',
      z
        .object({
          number: z.number().int().positive(),
          status: z.enum(HYPOTHESIS_STATUSES),
          reason: z.string().max(2000).optional(),
          ...at,
        })
        .strict(),
      (ctx, id, b) => incidents.moveHypothesis(ctx, id, b.number, b.status, b.reason, whenOf(b)),
    ),
    write(
      '/roles',
      'Assign (or remove) a person to a role: commander, communications, scribe, responder',
      'incident.role',
      z
        .object({
          role: z.enum(INCIDENT_ROLES),
          person: shortText(LIMITS.name),
          remove: z.boolean().default(false),
          ...at,
        })
        .strict(),
      (ctx, id, b) => incidents.assignRole(ctx, id, b.role, b.person, b.remove, whenOf(b)),
    ),
    write(
      '/cause',
      'Add a link to the root-cause chain',
      'incident.cause',
      z
        .object({
          text: shortText(2000),
          categories: z.array(shortText(LIMITS.name)).max(10).default([]),
          root: z.boolean().default(false),
          ...at,
        })
        .strict(),
      (ctx, id, b) => incidents.addCauseLink(ctx, id, b.text, b.categories, b.root, whenOf(b)),
    ),
    write(
      '/updates',
      'Record a status update posted to an audience; `noNews: true` posts "no new information" with the next update time',
      'incident.update',
      z.union([
        z.object({ audience, text: longText, ...at }).strict(),
        z.object({ audience, noNews: z.literal(true), ...at }).strict(),
      ]),
      (ctx, id, b) =>
        'noNews' in b
          ? postNoNewsUpdate(ctx, id, b.audience, whenOf(b))
          : incidents.postStatusUpdate(ctx, id, b.audience, b.text, whenOf(b)),
    ),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/export',
      role: 'viewer',
      tag: 'incidents',
      summary: 'The incident and its whole timeline, as JSON or Markdown',
      params: incidentParams,
      query: z.object({ format: z.enum(['json', 'md']).default('json') }),
      async handler({ params, query, reply }) {
        const id = idOf(params);
        const exported = await exportIncident({ store: deps.incidents }, id);
        if (query.format === 'md') {
          const { incident, entries } = exported;
          const origin = await deps.incidents.getOrigin(id);
          return reply
            .type('text/markdown; charset=utf-8')
            .send(exportMarkdown(incident, entries, origin));
        }
        return exported;
      },
    }),
  ];
}
