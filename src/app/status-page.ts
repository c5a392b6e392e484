/**
 * The public status page's use cases: managing its components and their
 * states, giving an incident a public title, and reading what the public may
 * see (core/status-page/public-view.ts decides that; this only loads it).
 */
import { UserError } from '../core/errors.js';
import { type EpochMs, formatIncidentKey, type IncidentId } from '../core/ids.js';
import {
  type ComponentState,
  componentsOfServices,
  type StatusComponent,
} from '../core/status-page/component.js';
import {
  buildPublicStatus,
  historyStart,
  type PublicStatus,
  publicIncidentId,
  publicTitle,
} from '../core/status-page/public-view.js';
import type { ComponentChanges, StatusPageStore } from '../store/status-page-store.js';
import type { IncidentStore } from '../store/store.js';
import type { Clock } from './context.js';

export interface StatusPageContext {
  statusPage: StatusPageStore;
  incidents: IncidentStore;
  clock: Clock;
  /** Who acts (internal: never shown on the page). */
  author: string;
}

const taken = (name: string) =>
  new UserError(
    `there is already a component named "${name}"; pick another name or change that one`,
    'conflict',
  );

export async function requireComponent(
  ctx: Pick<StatusPageContext, 'statusPage'>,
  id: number,
): Promise<StatusComponent> {
  const component = await ctx.statusPage.getComponent(id);
  if (!component)
    throw new UserError(
      `there is no status page component ${id}; list them with GET /api/status-page/components`,
      'not_found',
    );
  return component;
}

export async function createComponent(
  ctx: StatusPageContext,
  input: {
    name: string;
    description?: string;
    position?: number;
    services?: string[];
    state?: ComponentState;
  },
): Promise<StatusComponent> {
  let id: number;
  try {
    id = await ctx.statusPage.createComponent({
      name: input.name,
      description: input.description ?? '',
      ...(input.position !== undefined ? { position: input.position } : {}),
      services: input.services ?? [],
      state: input.state ?? 'operational',
      at: ctx.clock.now(),
      author: ctx.author,
      reason: 'created',
    });
  } catch (error) {
    if (ctx.statusPage.isDuplicate(error)) throw taken(input.name);
    throw error;
  }
  return requireComponent(ctx, id);
}

export async function updateComponent(
  ctx: StatusPageContext,
  id: number,
  changes: ComponentChanges,
): Promise<StatusComponent> {
  try {
    if (!(await ctx.statusPage.updateComponent(id, changes, ctx.clock.now())))
      await requireComponent(ctx, id);
  } catch (error) {
    if (changes.name !== undefined && ctx.statusPage.isDuplicate(error)) throw taken(changes.name);
    throw error;
  }
  return requireComponent(ctx, id);
}

/** Puts the component in `state` from now; asking for the state it is in records nothing. */
export async function setComponentState(
  ctx: StatusPageContext,
  id: number,
  state: ComponentState,
  reason = '',
): Promise<StatusComponent> {
  const component = await requireComponent(ctx, id);
  if (component.state === state) return component;
  await ctx.statusPage.recordState({
    componentId: id,
    state,
    at: ctx.clock.now(),
    author: ctx.author,
    reason,
  });
  return requireComponent(ctx, id);
}

export async function componentHistory(ctx: StatusPageContext, id: number) {
  await requireComponent(ctx, id);
  return ctx.statusPage.stateHistory(historyStart(ctx.clock.now()), id);
}

/** How an incident shows on the public page, for the people deciding what it says. */
export async function publicFace(
  ctx: Pick<StatusPageContext, 'statusPage' | 'incidents'>,
  id: IncidentId,
) {
  const state = await ctx.incidents.getIncident(id);
  if (!state)
    throw new UserError(
      `there is no incident ${formatIncidentKey(id)}; see GET /api/incidents`,
      'not_found',
    );
  const [titles, components] = await Promise.all([
    ctx.statusPage.publicTitles([id]),
    ctx.statusPage.listComponents(),
  ]);
  const chosen = titles.get(id);
  const names = componentsOfServices(components, state.services).map((c) => c.name);
  return {
    incident: state.key,
    publicId: publicIncidentId(state),
    publicTitle: chosen ?? null,
    shownAs: publicTitle(chosen, names),
    components: names,
  };
}

/** Gives the incident the title the public page shows (the latest set wins; the earlier stay on record). */
export async function setPublicTitle(ctx: StatusPageContext, id: IncidentId, title: string) {
  await publicFace(ctx, id);
  await ctx.statusPage.setPublicTitle(id, title, ctx.clock.now(), ctx.author);
  return publicFace(ctx, id);
}

/** Everything the public page, its JSON and its feed show, as of now. */
export async function readPublicStatus(
  ctx: Pick<StatusPageContext, 'statusPage' | 'clock'>,
  now: EpochMs = ctx.clock.now(),
): Promise<PublicStatus> {
  const since = historyStart(now);
  const [components, stateChanges, incidents] = await Promise.all([
    ctx.statusPage.listComponents(),
    ctx.statusPage.stateHistory(since),
    ctx.statusPage.publicSources(since),
  ]);
  // a personal incident (personal mode) is one engineer's own, never the public's
  const shown = incidents.filter((source) => !source.state.personal);
  return buildPublicStatus({ now, components, stateChanges, incidents: shown });
}
