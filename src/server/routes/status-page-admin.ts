/**
 * Managing the public status page (the web app's "status page admin"):
 * admins keep the list of components and the services each stands for;
 * responders put components in a state during an incident and choose the
 * title an incident is shown under. Public updates themselves are status
 * updates to the customers audience (POST /api/incidents/:incident/updates).
 */
import { z } from 'zod';
import * as statusPage from '../../app/status-page.js';
import { UserError } from '../../core/errors.js';
import { parseIncidentKey } from '../../core/ids.js';
import { COMPONENT_STATES } from '../../core/status-page/component.js';
import { recordAudit } from '../audit.js';
import { accountOf, type Caller } from '../auth/authenticate.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { idParams, incidentParams, LIMITS, services, shortText } from '../schemas.js';

const componentState = z.enum(COMPONENT_STATES);
const position = z.number().int().min(0).max(1_000_000);
const description = z.string().trim().max(LIMITS.title);

export function statusPageAdminRoutes(deps: ServerDeps): AnyRoute[] {
  const contextFor = (caller: Caller): statusPage.StatusPageContext => {
    if (!deps.statusPage) throw new UserError('this server keeps no status page', 'not_found');
    return {
      statusPage: deps.statusPage,
      incidents: deps.incidents,
      clock: deps.clock,
      author: accountOf(caller).name,
    };
  };
  const audit = (caller: Caller, action: string, target: string, detail = {}) =>
    recordAudit(deps, caller, action, target, detail);

  return [
    defineRoute({
      method: 'GET',
      url: '/api/status-page/components',
      role: 'viewer',
      tag: 'status page',
      summary: 'The status page components in page order, with state and services',
      query: z.object({ archived: z.enum(['true', 'false']).default('false') }),
      async handler({ query, caller }) {
        const ctx = contextFor(caller);
        return {
          items: await ctx.statusPage.listComponents({ archived: query.archived === 'true' }),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/status-page/components',
      role: 'admin',
      tag: 'status page',
      summary: 'Add a component to the status page (its state starts as given, else operational)',
      status: 201,
      body: z
        .object({
          name: shortText(LIMITS.name),
          description: description.optional(),
          position: position.optional(),
          services: services.optional(),
          state: componentState.optional(),
        })
        .strict(),
      async handler({ body, caller, reply }) {
        const component = await statusPage.createComponent(contextFor(caller), body);
        await audit(caller, 'status.component.create', `component:${component.id}`, {
          name: component.name,
        });
        reply.header('location', `/api/status-page/components/${component.id}`);
        return component;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/status-page/components/:id',
      role: 'viewer',
      tag: 'status page',
      summary: 'One component, with its state changes of the last 90 days (who and why included)',
      params: idParams,
      async handler({ params, caller }) {
        const ctx = contextFor(caller);
        const component = await statusPage.requireComponent(ctx, params.id);
        return { ...component, history: await statusPage.componentHistory(ctx, params.id) };
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/status-page/components/:id',
      role: 'admin',
      tag: 'status page',
      summary: 'Rename, describe, reorder or relink a component, or archive it (its history stays)',
      params: idParams,
      body: z
        .object({
          name: shortText(LIMITS.name).optional(),
          description: description.optional(),
          position: position.optional(),
          services: services.optional(),
          archived: z.boolean().optional(),
        })
        .strict(),
      async handler({ params, body, caller }) {
        const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
        const component = await statusPage.updateComponent(contextFor(caller), params.id, changes);
        await audit(caller, 'status.component.update', `component:${params.id}`, changes);
        return component;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/status-page/components/:id/state',
      role: 'responder',
      tag: 'status page',
      summary:
        'Put a component in a state: operational, degraded_performance, partial_outage, major_outage, under_maintenance',
      params: idParams,
      body: z.object({ state: componentState, reason: z.string().max(2000).optional() }).strict(),
      async handler({ params, body, caller }) {
        const component = await statusPage.setComponentState(
          contextFor(caller),
          params.id,
          body.state,
          body.reason ?? '',
        );
        await audit(caller, 'status.component.state', `component:${params.id}`, {
          state: body.state,
        });
        return component;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/status-page/incidents/:incident',
      role: 'viewer',
      tag: 'status page',
      summary: 'How an incident shows on the public page: its public id, title and components',
      params: incidentParams,
      async handler({ params, caller }) {
        return statusPage.publicFace(contextFor(caller), parseIncidentKey(params.incident));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/status-page/incidents/:incident/title',
      role: 'responder',
      tag: 'status page',
      summary:
        'Give an incident the title the public page shows (else a neutral "Degraded service on <components>")',
      params: incidentParams,
      body: z.object({ title: shortText(LIMITS.title) }).strict(),
      async handler({ params, body, caller }) {
        const id = parseIncidentKey(params.incident);
        const face = await statusPage.setPublicTitle(contextFor(caller), id, body.title);
        await audit(caller, 'status.incident.title', face.incident, { title: body.title });
        return face;
      },
    }),
  ];
}
