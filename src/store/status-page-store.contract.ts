import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entrySeq, epochMs, type IncidentId } from '../core/ids.js';
import { replayTimeline } from '../core/incident/incident.js';
import type { EntryBody, TimelineEntry } from '../core/timeline/entry.js';
import type { Database } from './schema.js';
import type { StatusPageStore } from './status-page-store.js';
import type { IncidentStore } from './store.js';

/**
 * What the status page's store must do on every engine: `open` gives a fresh,
 * empty database with its incident store, its status page store and a raw
 * handle (to check what plain SQL may not do).
 */
export interface OpenedStatusPageStore {
  statusPage: StatusPageStore;
  incidents: IncidentStore;
  raw: Kysely<Database>;
  cleanup(): Promise<void>;
}

const DAY = 86_400_000;
/** 2026-03-14 14:00 UTC. */
const T0 = Date.UTC(2026, 2, 14, 14, 0);
const at = (ms: number) => epochMs(ms);

/** An incident whose entries were each written at their time (so the snapshot's updated_at is the last). */
async function incidentWith(
  store: IncidentStore,
  steps: { at: number; body: EntryBody }[],
): Promise<IncidentId> {
  const state = await store.createIncident((id) => {
    const entries: TimelineEntry[] = steps.map((step, index) => ({
      incidentId: id,
      seq: entrySeq(index + 1),
      occurredAt: at(step.at),
      recordedAt: at(step.at),
      author: 'alice',
      body: step.body,
    }));
    const folded = replayTimeline(entries);
    if (!folded) throw new Error('no entries');
    return { entries, state: folded };
  });
  return state.id;
}

const declared = (title: string, services: string[] = ['api']): EntryBody => ({
  kind: 'declared',
  title,
  summary: '',
  services,
});

export function describeStatusPageStoreContract(
  name: string,
  open: () => Promise<OpenedStatusPageStore>,
): void {
  describe(`StatusPageStore contract: ${name}`, () => {
    let opened: OpenedStatusPageStore;
    let store: StatusPageStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.statusPage;
    });
    afterEach(async () => opened.cleanup());

    const create = (name: string, extra: { services?: string[]; position?: number } = {}) =>
      store.createComponent({
        name,
        description: `${name} for customers`,
        services: extra.services ?? [],
        ...(extra.position !== undefined ? { position: extra.position } : {}),
        state: 'operational',
        at: at(T0),
        author: 'alice',
        reason: 'created',
      });

    it('keeps components in order with their services and first state', async () => {
      const api = await create('API', { services: ['api', 'gateway', 'api'] });
      const checkout = await create('Checkout', { services: ['payments'] });
      await create('Dashboard', { position: 0 });
      const listed = await store.listComponents();
      expect(listed.map((c) => c.name)).toEqual(['Dashboard', 'API', 'Checkout']);
      expect(listed.find((c) => c.id === api)).toMatchObject({
        services: ['api', 'gateway'],
        state: 'operational',
        stateSince: T0,
        createdAt: T0,
        archivedAt: null,
      });
      expect((await store.getComponent(checkout))?.services).toEqual(['payments']);
      expect(await store.getComponent(999)).toBeUndefined();
    });

    it('refuses a second component of the same name as a duplicate', async () => {
      await create('API');
      const error = await create('API').catch((e: unknown) => e);
      expect(store.isDuplicate(error)).toBe(true);
    });

    it('changes name, description, services and position, and archives without forgetting', async () => {
      const id = await create('API', { services: ['api'] });
      expect(
        await store.updateComponent(
          id,
          { name: 'Public API', services: ['api-v2'], position: 7, description: 'REST' },
          at(T0 + 1000),
        ),
      ).toBe(true);
      expect(await store.getComponent(id)).toMatchObject({
        name: 'Public API',
        services: ['api-v2'],
        position: 7,
        description: 'REST',
        updatedAt: T0 + 1000,
      });
      expect(await store.updateComponent(id, { archived: true }, at(T0 + 2000))).toBe(true);
      expect(await store.listComponents()).toEqual([]);
      expect((await store.listComponents({ archived: true }))[0]?.archivedAt).toBe(T0 + 2000);
      expect(await store.updateComponent(999, { name: 'x' }, at(T0))).toBe(false);
    });

    it('records state changes as history: the latest is the state, earlier ones stay', async () => {
      const api = await create('API');
      const checkout = await create('Checkout');
      const change = (componentId: number, state: 'major_outage' | 'operational', when: number) =>
        store.recordState({ componentId, state, at: at(when), author: 'bob', reason: 'db-2' });
      expect(await change(api, 'major_outage', T0 + 10 * DAY)).toBe(true);
      expect(await change(api, 'operational', T0 + 10 * DAY + 3_600_000)).toBe(true);
      expect(await change(checkout, 'major_outage', T0 + 20 * DAY)).toBe(true);
      expect(await change(999, 'operational', T0)).toBe(false);
      expect(await store.getComponent(api)).toMatchObject({
        state: 'operational',
        stateSince: T0 + 10 * DAY + 3_600_000,
      });
      // since day 15: API's state then (its last change before), Checkout's first state and its change
      const history = await store.stateHistory(at(T0 + 15 * DAY));
      expect(history.map((h) => [h.componentId, h.state, h.at])).toEqual([
        [checkout, 'operational', T0],
        [api, 'operational', T0 + 10 * DAY + 3_600_000],
        [checkout, 'major_outage', T0 + 20 * DAY],
      ]);
      expect((await store.stateHistory(at(T0 + 5 * DAY), api)).map((h) => h.state)).toEqual([
        'operational',
        'major_outage',
        'operational',
      ]);
    });

    it('refuses to change or delete a recorded state or public title, even in plain SQL', async () => {
      const api = await create('API');
      const incident = await incidentWith(opened.incidents, [{ at: T0, body: declared('x') }]);
      await store.setPublicTitle(incident, 'Slow API', at(T0), 'alice');
      for (const table of ['status_component_states', 'status_public_titles']) {
        await expect(
          sql`update ${sql.table(table)} set author = 'eve'`.execute(opened.raw),
        ).rejects.toThrow(/append-only/);
        await expect(sql`delete from ${sql.table(table)}`.execute(opened.raw)).rejects.toThrow(
          /append-only/,
        );
      }
      expect((await store.getComponent(api))?.state).toBe('operational');
    });

    it('answers the latest public title of each incident', async () => {
      const one = await incidentWith(opened.incidents, [{ at: T0, body: declared('one') }]);
      const two = await incidentWith(opened.incidents, [{ at: T0, body: declared('two') }]);
      await store.setPublicTitle(one, 'Slow API', at(T0), 'alice');
      await store.setPublicTitle(one, 'API errors', at(T0 + 1000), 'bob');
      const titles = await store.publicTitles([one, two]);
      expect([...titles]).toEqual([[one, 'API errors']]);
    });

    it('reads active incidents and those written to since the window, with only the kinds the page may use', async () => {
      const since = T0 - 90 * DAY;
      const active = await incidentWith(opened.incidents, [
        { at: T0 - 200 * DAY, body: declared('old but still open') },
        { at: T0 - 200 * DAY, body: { kind: 'note', text: 'secret note' } },
        { at: T0 - 200 * DAY, body: { kind: 'status_update', audience: 'customers', text: 'hi' } },
      ]);
      const recent = await incidentWith(opened.incidents, [
        { at: T0 - 95 * DAY, body: declared('resolved in the window') },
        {
          at: T0 - 95 * DAY,
          body: { kind: 'hypothesis', number: 1, status: 'proposed', text: 'h' },
        },
        { at: T0 - 89 * DAY, body: { kind: 'status_changed', from: 'triage', to: 'resolved' } },
      ]);
      await incidentWith(opened.incidents, [
        { at: T0 - 120 * DAY, body: declared('resolved long ago') },
        { at: T0 - 100 * DAY, body: { kind: 'status_changed', from: 'triage', to: 'resolved' } },
      ]);
      await incidentWith(opened.incidents, [
        { at: T0, body: declared('declined') },
        { at: T0, body: { kind: 'status_changed', from: 'triage', to: 'declined' } },
      ]);
      await store.setPublicTitle(recent, 'Checkout errors', at(T0), 'alice');
      const sources = await store.publicSources(at(since));
      expect(sources.map((s) => s.state.id)).toEqual([active, recent]);
      expect(sources[0]?.entries.map((e) => e.body.kind)).toEqual(['status_update']);
      expect(sources[0]?.publicTitle).toBeUndefined();
      expect(sources[1]?.entries.map((e) => e.body.kind)).toEqual(['status_changed']);
      expect(sources[1]?.publicTitle).toBe('Checkout errors');
    });
  });
}
