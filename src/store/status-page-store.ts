/**
 * The public status page's tables (migrations/005-status-page.ts): components,
 * the services each stands for, their state changes and incidents' public
 * titles, plus the one read the public page makes of the incidents: those
 * active or written to since a given instant, with the few entry kinds the
 * page may draw from (status updates, status changes, corrections).
 */
import type { Kysely } from 'kysely';
import { type EpochMs, entrySeq, epochMs, type IncidentId, incidentId } from '../core/ids.js';
import { type IncidentState, stateFromSnapshot } from '../core/incident/incident.js';
import { ACTIVE_STATUSES } from '../core/incident/lifecycle.js';
import type {
  ComponentState,
  ComponentStateChange,
  StatusComponent,
} from '../core/status-page/component.js';
import type { EntryBody, TimelineEntry } from '../core/timeline/entry.js';
import type { DialectAdapter } from './dialect.js';
import type { Database } from './schema.js';

export interface ComponentDraft {
  name: string;
  description: string;
  position?: number;
  services: string[];
  state: ComponentState;
  at: EpochMs;
  author: string;
  reason: string;
}

export interface ComponentChanges {
  name?: string;
  description?: string;
  position?: number;
  services?: string[];
  archived?: boolean;
}

/** The entry kinds the public page reads; nothing else is loaded. */
const PUBLIC_SOURCE_KINDS = ['status_update', 'status_changed', 'correction'] as const;

const ms = (value: number | string) => epochMs(Number(value));

async function writeComponentServices(trx: Kysely<Database>, id: number, services: string[]) {
  await trx.deleteFrom('status_component_services').where('component_id', '=', id).execute();
  const unique = [...new Set(services)];
  if (unique.length)
    await trx
      .insertInto('status_component_services')
      .values(unique.map((service) => ({ component_id: id, service })))
      .execute();
}

export class StatusPageStore {
  constructor(private readonly adapter: DialectAdapter) {}

  private get db() {
    return this.adapter.db;
  }

  /** A unique violation: a component of that name exists already. */
  isDuplicate(error: unknown): boolean {
    return this.adapter.isUniqueViolation(error);
  }

  /** By position, then name; archived ones only when asked. */
  async listComponents(options: { archived?: boolean } = {}): Promise<StatusComponent[]> {
    const rows = await this.db
      .selectFrom('status_components')
      .selectAll()
      .$if(!options.archived, (q) => q.where('archived_at', 'is', null))
      .orderBy('position')
      .orderBy('name')
      .orderBy('id')
      .execute();
    if (!rows.length) return [];
    const ids = rows.map((row) => row.id);
    const [services, states] = await Promise.all([
      this.db
        .selectFrom('status_component_services')
        .selectAll()
        .where('component_id', 'in', ids)
        .orderBy('service')
        .execute(),
      this.db
        .selectFrom('status_component_states')
        .select(['component_id', 'state', 'at'])
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('status_component_states')
            .select((s) => s.fn.max('id').as('id'))
            .where('component_id', 'in', ids)
            .groupBy('component_id'),
        )
        .execute(),
    ]);
    return rows.map((row) => {
      const latest = states.find((s) => s.component_id === row.id);
      return {
        id: row.id,
        name: row.name,
        description: row.description,
        position: row.position,
        services: services.filter((s) => s.component_id === row.id).map((s) => s.service),
        state: (latest?.state ?? 'operational') as ComponentState,
        stateSince: ms(latest?.at ?? row.created_at),
        createdAt: ms(row.created_at),
        updatedAt: ms(row.updated_at),
        archivedAt: row.archived_at === null ? null : ms(row.archived_at),
      };
    });
  }

  async getComponent(id: number): Promise<StatusComponent | undefined> {
    const all = await this.listComponents({ archived: true });
    return all.find((component) => component.id === id);
  }

  /** Adds the component with its first state, so its history starts when it does. */
  async createComponent(draft: ComponentDraft): Promise<number> {
    return this.adapter.writeTransaction(async (trx) => {
      const last = await trx
        .selectFrom('status_components')
        .select((eb) => eb.fn.max('position').as('position'))
        .executeTakeFirst();
      const { id } = await trx
        .insertInto('status_components')
        .values({
          name: draft.name,
          description: draft.description,
          position: draft.position ?? Number(last?.position ?? 0) + 1,
          created_at: draft.at,
          updated_at: draft.at,
          archived_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeComponentServices(trx, id, draft.services);
      await trx
        .insertInto('status_component_states')
        .values({
          component_id: id,
          state: draft.state,
          at: draft.at,
          author: draft.author,
          reason: draft.reason,
        })
        .execute();
      return Number(id);
    });
  }

  /** Changes the name, description, position, services or archived flag; false if there is no such component. */
  async updateComponent(id: number, changes: ComponentChanges, at: EpochMs): Promise<boolean> {
    return this.adapter.writeTransaction(async (trx) => {
      const updated = await trx
        .updateTable('status_components')
        .set({
          updated_at: at,
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.position !== undefined ? { position: changes.position } : {}),
          ...(changes.archived !== undefined ? { archived_at: changes.archived ? at : null } : {}),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      if (changes.services) await writeComponentServices(trx, id, changes.services);
      return true;
    });
  }

  /** Records a state change (never edits one); false if there is no such component. */
  async recordState(change: ComponentStateChange): Promise<boolean> {
    return this.adapter.writeTransaction(async (trx) => {
      const exists = await trx
        .selectFrom('status_components')
        .select('id')
        .where('id', '=', change.componentId)
        .executeTakeFirst();
      if (!exists) return false;
      await trx
        .insertInto('status_component_states')
        .values({
          component_id: change.componentId,
          state: change.state,
          at: change.at,
          author: change.author,
          reason: change.reason,
        })
        .execute();
      return true;
    });
  }

  /**
   * State changes at or after `since` (of one component, or all), and the last
   * one before it of each, which says the state `since` began in; oldest first.
   */
  async stateHistory(since: EpochMs, componentId?: number): Promise<ComponentStateChange[]> {
    const rows = await this.db
      .selectFrom('status_component_states')
      .selectAll()
      .$if(componentId !== undefined, (q) => q.where('component_id', '=', componentId as number))
      .where((eb) =>
        eb.or([
          eb('at', '>=', since),
          eb(
            'id',
            'in',
            eb
              .selectFrom('status_component_states')
              .select((s) => s.fn.max('id').as('id'))
              .where('at', '<', since)
              .groupBy('component_id'),
          ),
        ]),
      )
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      componentId: row.component_id,
      state: row.state as ComponentState,
      at: ms(row.at),
      author: row.author,
      reason: row.reason,
    }));
  }

  async setPublicTitle(id: IncidentId, title: string, at: EpochMs, author: string) {
    await this.db
      .insertInto('status_public_titles')
      .values({ incident_id: id, title, at, author })
      .execute();
  }

  /** The latest public title of each incident that has one. */
  async publicTitles(ids: readonly IncidentId[]): Promise<Map<IncidentId, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .selectFrom('status_public_titles')
      .select(['incident_id', 'title'])
      .where('incident_id', 'in', [...ids])
      .orderBy('id')
      .execute();
    return new Map(rows.map((row) => [incidentId(row.incident_id), row.title]));
  }

  /**
   * What the public page is made from: incidents still active or written to
   * at or after `since` (declined ones never), each with its status updates,
   * status changes and corrections, and its public title if it has one.
   */
  async publicSources(since: EpochMs): Promise<
    {
      state: IncidentState;
      entries: TimelineEntry[];
      publicTitle?: string;
    }[]
  > {
    const incidents = await this.db
      .selectFrom('incidents')
      .select(['id', 'state'])
      .where('version', '>', 0)
      .where('status', '!=', 'declined')
      .where((eb) => eb.or([eb('status', 'in', ACTIVE_STATUSES), eb('updated_at', '>=', since)]))
      .orderBy('id')
      .execute();
    if (!incidents.length) return [];
    const ids = incidents.map((row) => incidentId(row.id));
    const [entryRows, titles] = await Promise.all([
      this.db
        .selectFrom('timeline_entries')
        .select(['incident_id', 'seq', 'occurred_at', 'recorded_at', 'author', 'body'])
        .where('incident_id', 'in', ids)
        .where('kind', 'in', PUBLIC_SOURCE_KINDS)
        .orderBy('incident_id')
        .orderBy('seq')
        .execute(),
      this.publicTitles(ids),
    ]);
    const entries = new Map<number, TimelineEntry[]>();
    for (const row of entryRows) {
      const list = entries.get(row.incident_id) ?? [];
      list.push({
        incidentId: incidentId(row.incident_id),
        seq: entrySeq(row.seq),
        occurredAt: ms(row.occurred_at),
        recordedAt: ms(row.recorded_at),
        author: row.author,
        body: JSON.parse(row.body) as EntryBody,
      });
      entries.set(row.incident_id, list);
    }
    return incidents.map((row) => {
      const title = titles.get(incidentId(row.id));
      return {
        state: stateFromSnapshot(row.state),
        entries: entries.get(row.id) ?? [],
        ...(title !== undefined ? { publicTitle: title } : {}),
      };
    });
  }
}
