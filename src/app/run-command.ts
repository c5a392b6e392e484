import { UserError } from '../core/errors.js';
import { type EpochMs, entrySeq, formatIncidentKey, type IncidentId } from '../core/ids.js';
import type { Change } from '../core/incident/commands.js';
import { applyEntry, type IncidentState, replayTimeline } from '../core/incident/incident.js';
import type { TimelineEntry } from '../core/timeline/entry.js';
import { AlreadyRecordedError, VersionConflictError, type WriteOptions } from '../store/store.js';
import type { AppContext } from './context.js';
import { outboxDrafts } from './notifications.js';

export interface CommandResult {
  state: IncidentState;
  entries: TimelineEntry[];
  /** The request had been done before (same idempotency key): these are its entries. */
  replayed?: boolean;
}

/** A personal incident (personal mode) is one engineer's own: it tells nobody. */
const tellingTeams =
  (drafts: NonNullable<WriteOptions['outbox']>): NonNullable<WriteOptions['outbox']> =>
  (state, entries) =>
    state.personal ? [] : drafts(state, entries);

/** How a change is written: under the request's idempotency key, with the news it causes. */
export async function writeOptions(ctx: AppContext): Promise<WriteOptions> {
  const now = ctx.clock.now();
  const channels = (await ctx.channels?.()) ?? [];
  const audit = ctx.audit;
  return {
    ...(ctx.idempotency ? { idempotency: { ...ctx.idempotency, at: now } } : {}),
    ...(channels.length
      ? { outbox: tellingTeams(outboxDrafts(channels, await ctx.framework(), now)) }
      : {}),
    ...(audit
      ? {
          audit: (state: IncidentState, entries: TimelineEntry[]) => ({
            at: now,
            actor: audit.actor,
            action: audit.action,
            target: state.key,
            sourceIp: audit.sourceIp,
            detail: { entries: entries.map((entry) => entry.seq), via: audit.via },
          }),
        }
      : {}),
  };
}

/** What a request already done recorded, for its retry. */
export async function recorded(
  ctx: AppContext,
  done: AlreadyRecordedError,
): Promise<CommandResult> {
  const state = await requireIncident(ctx, done.incidentId);
  const entries = await ctx.store.listEntries(done.incidentId, {
    afterSeq: done.firstSeq - 1,
    limit: done.lastSeq - done.firstSeq + 1,
  });
  return { state, entries, replayed: true };
}

export async function requireIncident(
  ctx: Pick<AppContext, 'store'>,
  id: IncidentId,
): Promise<IncidentState> {
  const state = await ctx.store.getIncident(id);
  if (!state) throw noSuchIncident(id);
  return state;
}

const noSuchIncident = (id: IncidentId) =>
  new UserError(`there is no incident ${formatIncidentKey(id)}; see \`calm list\``, 'not_found');

/** Numbers the changes after the incident's last entry (`version`) and stamps them. */
export function toEntries(
  ctx: AppContext,
  state: Pick<IncidentState, 'id' | 'version'>,
  changes: Change[],
  at?: EpochMs,
): TimelineEntry[] {
  const recordedAt = ctx.clock.now();
  return changes.map((change, index) => ({
    incidentId: state.id,
    seq: entrySeq(state.version + 1 + index),
    occurredAt: change.occurredAt ?? at ?? recordedAt,
    recordedAt,
    author: ctx.author,
    body: change.body,
  }));
}

/** Opens an incident whose log starts with `changes` (a declaration first), numbered from 1. */
export async function createIncidentFrom(
  ctx: AppContext,
  changes: Change[],
  options: WriteOptions,
): Promise<CommandResult> {
  let entries: TimelineEntry[] = [];
  const state = await ctx.store.createIncident((id) => {
    entries = toEntries(ctx, { id, version: 0 }, changes);
    const declared = replayTimeline(entries);
    if (!declared) throw new Error('a declaration always has its first entry');
    return { entries, state: declared };
  }, options);
  return { state, entries };
}

const MAX_ATTEMPTS = 25;

/**
 * The shape of every change to an incident: read its state, let the domain
 * decide the entries, append them if nobody wrote in between, else decide
 * again on the fresh state. Two people logging at once both succeed, in order:
 * the store runs one change per incident at a time, each decided on the state
 * the one before left (IncidentStore.changeIncident); writers elsewhere (the
 * CLI, another instance) are caught by the version check and decided again.
 */
export async function runIncidentCommand(
  ctx: AppContext,
  id: IncidentId,
  decide: (state: IncidentState) => Change[] | Promise<Change[]>,
  at?: EpochMs,
): Promise<CommandResult> {
  const options = await writeOptions(ctx);
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await ctx.store.changeIncident(id, async (state) => {
        ctx.precondition?.(state);
        const entries = toEntries(ctx, state, await decide(state), at);
        const next = entries.reduce<IncidentState>(
          (current, entry) => applyEntry(current, entry),
          state,
        );
        return { entries, next, options };
      });
      if (!result) throw noSuchIncident(id);
      return result;
    } catch (error) {
      if (error instanceof AlreadyRecordedError) return recorded(ctx, error);
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
