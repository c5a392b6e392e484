/**
 * Action items over HTTP: added (Idempotency-Key) and changed (If-Match) as
 * entries of their incident's log, listed per incident or across all of them
 * with whether each is overdue on the server's today.
 */
import { z } from 'zod';
import * as actionItems from '../../app/action-items.js';
import { epochMs, parseIncidentKey } from '../../core/ids.js';
import {
  ACTION_ITEM_KINDS,
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_STATUSES,
  parseActionItemRef,
} from '../../core/review/action-item.js';
import { ACTION_ITEM_TITLE_MAX } from '../../core/review/action-item-commands.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { incidentParams, instant, LIMITS } from '../schemas.js';
import { contextFor, written } from './incidents.js';

const due = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const link = z.string().max(4000);
// Only bounded here: the domain checks a title or owner (empty, too long) with the CLI's own words.
const fields = {
  title: z.string().max(ACTION_ITEM_TITLE_MAX * 4),
  kind: z.enum(ACTION_ITEM_KINDS),
  priority: z.enum(ACTION_ITEM_PRIORITIES),
  owner: z.string().max(LIMITS.name * 4),
  due,
  link,
};
const statuses = z
  .array(z.enum(ACTION_ITEM_STATUSES))
  .max(ACTION_ITEM_STATUSES.length)
  .or(z.enum(ACTION_ITEM_STATUSES).transform((s) => [s]));
const listQuery = z.object({
  status: statuses.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  owner: z.string().trim().min(1).max(LIMITS.name).optional(),
});
const itemParams = incidentParams.extend({
  number: z.string().regex(/^[aA]?\d{1,6}$/, 'an action item number such as A2 or 2'),
});

export function actionItemRoutes(deps: ServerDeps): AnyRoute[] {
  const reader = { store: deps.incidents, clock: deps.clock };
  const filterOf = (query: z.output<typeof listQuery>): actionItems.ActionItemFilter => ({
    ...(query.status ? { status: query.status } : {}),
    ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
    ...(query.owner ? { owner: query.owner } : {}),
  });
  return [
    defineRoute({
      method: 'POST',
      url: '/api/incidents/:incident/action-items',
      role: 'responder',
      tag: 'review',
      summary:
        'Add an action item (kind prevent unless given, priority p2, status open); Idempotency-Key: a retry adds nothing twice',
      params: incidentParams,
      body: z
        .object({
          ...fields,
          kind: fields.kind.optional(),
          priority: fields.priority.optional(),
          owner: fields.owner.optional(),
          due: due.optional(),
          link: link.optional(),
          at: instant.optional(),
        })
        .strict(),
      status: 201,
      idempotent: true,
      async handler({ params, body, caller, request, reply }) {
        const { at, ...input } = body;
        const result = await actionItems.addActionItem(
          contextFor(deps, caller, request, 'action_item.add'),
          parseIncidentKey(params.incident),
          input,
          at === undefined ? undefined : epochMs(at),
        );
        return written(deps, reply, result);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/incidents/:incident/action-items/:number',
      role: 'responder',
      tag: 'review',
      summary:
        'Change an action item: only the fields given that differ are recorded; wont_do needs a reason (If-Match: the ETag you read)',
      params: itemParams,
      body: z
        .object({
          title: fields.title.optional(),
          kind: fields.kind.optional(),
          priority: fields.priority.optional(),
          status: z.enum(ACTION_ITEM_STATUSES).optional(),
          owner: fields.owner.optional(),
          due: due.optional(),
          link: link.optional(),
          reason: z.string().max(2000).optional(),
        })
        .strict(),
      async handler({ params, body, caller, request, reply }) {
        const { reason, ...changes } = body;
        const result = await actionItems.changeActionItem(
          contextFor(deps, caller, request, 'action_item.change'),
          parseIncidentKey(params.incident),
          parseActionItemRef(params.number),
          Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
          reason,
        );
        return written(deps, reply, result);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/incidents/:incident/action-items',
      role: 'viewer',
      tag: 'review',
      summary: "An incident's action items in the order added, each with whether it is overdue",
      params: incidentParams,
      query: listQuery,
      handler: async ({ params, query }) => ({
        items: await actionItems.listActionItems(
          reader,
          parseIncidentKey(params.incident),
          filterOf(query),
        ),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/action-items',
      role: 'viewer',
      tag: 'review',
      summary:
        'Action items across all incidents, overdue first, then by due day; filtered by status, overdue=true and owner',
      query: listQuery,
      handler: async ({ query }) => ({
        items: await actionItems.listActionItemsAcross(reader, filterOf(query)),
      }),
    }),
  ];
}
