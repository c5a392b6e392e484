import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EpochMs, entrySeq, epochMs, type IncidentId, incidentId } from '../core/ids.js';
import { applyEntry, type IncidentState, replayTimeline } from '../core/incident/incident.js';
import type { EntryBody, TimelineEntry } from '../core/timeline/entry.js';
import {
  AlreadyImportedError,
  AlreadyRecordedError,
  type IncidentStore,
  VersionConflictError,
} from './store.js';

/**
 * What every IncidentStore must do, whatever it stores incidents in. An
 * implementation's test file calls `describeStoreContract` with a function that
 * opens a fresh, empty store; each test gets its own. Only the IncidentStore
 * interface is used here, so the same suite runs against SQLite and PostgreSQL.
 */
export interface OpenedStore {
  store: IncidentStore;
  /** Closes the store and removes whatever `open` created. */
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
/** 2025-01-15 14:00 UTC. */
const T0 = Date.UTC(2025, 0, 15, 14, 0, 0);

/** A clock that moves one second per reading, so every entry has its own instant. */
function makeClock(start = T0) {
  let now = start;
  return () => {
    now += 1000;
    return epochMs(now);
  };
}

function fold(state: IncidentState | undefined, entries: TimelineEntry[]): IncidentState {
  const next = entries.reduce<IncidentState | undefined>(applyEntry, state);
  if (!next) throw new Error('no entries to fold');
  return next;
}

/** Numbers `bodies` after the incident's last entry, as the app layer does. */
function entriesAfter(
  state: { id: IncidentId; version: number },
  bodies: EntryBody[],
  at: EpochMs,
  author = 'alice',
): TimelineEntry[] {
  return bodies.map((body, index) => ({
    incidentId: state.id,
    seq: entrySeq(state.version + 1 + index),
    occurredAt: at,
    recordedAt: at,
    author,
    body,
  }));
}

interface Declaration {
  title: string;
  summary?: string;
  services?: string[];
  /** When it was declared (the declared milestone); defaults to the clock. */
  at?: EpochMs;
  /** Entries written together with the declaration. */
  more?: EntryBody[];
}

async function declare(
  store: IncidentStore,
  clock: () => EpochMs,
  declaration: Declaration,
): Promise<{ state: IncidentState; entries: TimelineEntry[] }> {
  let entries: TimelineEntry[] = [];
  const state = await store.createIncident((id) => {
    const at = declaration.at ?? clock();
    entries = entriesAfter(
      { id, version: 0 },
      [
        {
          kind: 'declared',
          title: declaration.title,
          summary: declaration.summary ?? '',
          services: declaration.services ?? [],
        },
        ...(declaration.more ?? []),
      ],
      at,
    );
    return { entries, state: fold(undefined, entries) };
  });
  return { state, entries };
}

/** One append at the version `state` is at; no retry. */
async function appendTo(
  store: IncidentStore,
  clock: () => EpochMs,
  state: IncidentState,
  bodies: EntryBody[],
): Promise<{ state: IncidentState; entries: TimelineEntry[] }> {
  const entries = entriesAfter(state, bodies, clock());
  const next = fold(state, entries);
  await store.appendEntries(state.version, entries, next);
  return { state: next, entries };
}

/**
 * The app layer's pattern (src/app/run-command.ts): read the incident, decide,
 * append at the version read, and on a conflict read again and retry.
 * Answers how many attempts it took.
 */
export async function appendWithRetry(
  store: IncidentStore,
  id: IncidentId,
  bodies: EntryBody[],
  at: () => EpochMs = () => epochMs(Date.now()),
  maxAttempts = 1000,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const state = await store.getIncident(id);
    if (!state) throw new Error(`incident ${id} is gone`);
    const entries = entriesAfter(state, bodies, at());
    const next = fold(state, entries);
    try {
      await store.appendEntries(state.version, entries, next);
      return attempt;
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= maxAttempts) throw error;
    }
  }
}

const seqsOf = (entries: TimelineEntry[]) => entries.map((entry) => Number(entry.seq));
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);
const keysOf = (states: IncidentState[]) => states.map((state) => state.key);

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`IncidentStore contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: IncidentStore;
    let clock: () => EpochMs;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      clock = makeClock();
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    /** The snapshot the store keeps must be the fold of the timeline it keeps. */
    async function expectSnapshotMatchesTimeline(id: IncidentId) {
      const snapshot = await store.getIncident(id);
      const entries = await store.listEntries(id);
      expect(snapshot).toBeDefined();
      expect(snapshot?.version).toBe(entries.length);
      expect(seqsOf(entries)).toEqual(range(1, entries.length));
      expect(snapshot).toEqual(replayTimeline(entries));
    }

    describe('createIncident', () => {
      it('allocates increasing ids and persists the entries and the state', async () => {
        const created = [];
        for (const title of ['first', 'second', 'third']) {
          created.push(await declare(store, clock, { title, services: ['api'] }));
        }
        const ids = created.map(({ state }) => Number(state.id));
        expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
        for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1] ?? 0);

        for (const { state, entries } of created) {
          expect(state.key).toBe(`INC-${state.id}`);
          expect(entries.every((entry) => entry.incidentId === state.id)).toBe(true);
          expect(await store.getIncident(state.id)).toEqual(state);
          expect(await store.listEntries(state.id)).toEqual(entries);
        }
      });

      it('writes several first entries and the state that folds them', async () => {
        const { state, entries } = await declare(store, clock, {
          title: 'checkout is down',
          summary: 'card payments fail',
          services: ['checkout', 'payments'],
          more: [
            { kind: 'severity_changed', from: null, to: 'SEV1', reason: 'set when declared' },
            { kind: 'milestone', milestone: 'detected' },
          ],
        });
        expect(state.version).toBe(3);
        expect(state.severity).toBe('SEV1');
        expect(await store.getIncident(state.id)).toEqual(state);
        expect(await store.listEntries(state.id)).toEqual(entries);
        await expectSnapshotMatchesTimeline(state.id);
      });

      it('writes nothing when building the incident fails', async () => {
        await expect(
          store.createIncident(() => {
            throw new Error('the severity framework is broken');
          }),
        ).rejects.toThrow('the severity framework is broken');
        expect(await store.listIncidents()).toEqual([]);

        const { state } = await declare(store, clock, { title: 'after the failure' });
        expect(await store.listIncidents()).toEqual([state]);
        expect(seqsOf(await store.listEntries(state.id))).toEqual([1]);
      });
    });

    describe('importIncident', () => {
      /** A timeline from another store: other authors, backdated, recorded later. */
      function foreign(bodies: EntryBody[]) {
        return (id: IncidentId) => {
          const entries = bodies.map((body, index) => ({
            incidentId: id,
            seq: entrySeq(index + 1),
            occurredAt: epochMs(T0 - HOUR + index * 60_000),
            recordedAt: epochMs(T0 + index * 1000),
            author: index % 2 ? 'bob' : 'alice',
            body,
          }));
          return { entries, state: fold(undefined, entries) };
        };
      }
      const REVIEWED: EntryBody[] = [
        { kind: 'declared', title: 'queue stalls', summary: '', services: ['jobs'] },
        { kind: 'note', text: 'queue depth 40k' },
        {
          kind: 'action_item',
          number: 1,
          item: { title: 'alert on depth', kind: 'detect', priority: 'p2', status: 'open' },
        },
        { kind: 'postmortem_section', section: 'summary', text: 'the queue stalled' },
        { kind: 'postmortem_status', status: 'complete' },
      ];

      it('writes the timeline as given under a new id, with where it came from', async () => {
        const { state: here } = await declare(store, clock, { title: 'declared here' });
        const state = await store.importIncident(foreign(REVIEWED), {
          originKey: 'INC-12',
          digest: 'a'.repeat(64),
        });
        expect(state.id).not.toBe(here.id);
        const entries = await store.listEntries(state.id);
        expect(entries).toEqual(foreign(REVIEWED)(state.id).entries);
        await expectSnapshotMatchesTimeline(state.id);
        expect(state.postmortem.status).toBe('complete');
        expect(await store.getOrigin(state.id)).toBe('INC-12');
        expect(await store.getOrigin(here.id)).toBeUndefined();
      });

      it('refuses a timeline imported before, naming its incident, and writes nothing', async () => {
        const provenance = { originKey: 'INC-12', digest: 'b'.repeat(64) };
        const first = await store.importIncident(foreign(REVIEWED), provenance);
        const refused = await store.importIncident(foreign(REVIEWED), provenance).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(AlreadyImportedError);
        expect((refused as AlreadyImportedError).incidentId).toBe(first.id);
        expect(keysOf(await store.listIncidents())).toEqual([first.key]);
      });

      it('writes a long timeline in one go', async () => {
        const bodies: EntryBody[] = [
          { kind: 'declared', title: 'long', summary: '', services: [] },
          ...Array.from({ length: 5_000 }, (_, i): EntryBody => ({ kind: 'note', text: `n${i}` })),
        ];
        const state = await store.importIncident(foreign(bodies), {
          originKey: 'INC-1',
          digest: 'c'.repeat(64),
        });
        expect(state.version).toBe(5_001);
        expect((await store.listEntries(state.id)).length).toBe(5_001);
      });

      it('writes nothing when building the incident fails', async () => {
        await expect(
          store.importIncident(
            () => {
              throw new Error('bad file');
            },
            { originKey: 'INC-1', digest: 'd'.repeat(64) },
          ),
        ).rejects.toThrow('bad file');
        expect(await store.listIncidents()).toEqual([]);
        expect(await store.getSetting(`import.digest.${'d'.repeat(64)}`)).toBeUndefined();
      });
    });

    describe('getIncident, listEntries and getEntry', () => {
      it('answers undefined or nothing for an unknown incident', async () => {
        expect(await store.getIncident(incidentId(1))).toBeUndefined();
        expect(await store.getIncident(incidentId(987_654))).toBeUndefined();
        const { state } = await declare(store, clock, { title: 'known' });
        const unknown = incidentId(state.id + 1000);
        expect(await store.getIncident(unknown)).toBeUndefined();
        expect(await store.listEntries(unknown)).toEqual([]);
        expect(await store.getEntry(unknown, entrySeq(1))).toBeUndefined();
      });

      it('lists entries in timeline order, after a number and up to a limit', async () => {
        let { state } = await declare(store, clock, { title: 'paged' });
        const other = await declare(store, clock, { title: 'another incident' });
        for (let batch = 0; batch < 4; batch++) {
          ({ state } = await appendTo(
            store,
            clock,
            state,
            range(1, 5).map((n) => ({ kind: 'note', text: `batch ${batch} note ${n}` })),
          ));
          await appendTo(store, clock, (await store.getIncident(other.state.id)) ?? other.state, [
            { kind: 'note', text: `other ${batch}` },
          ]);
        }

        const all = await store.listEntries(state.id);
        expect(seqsOf(all)).toEqual(range(1, 21));
        expect(all.every((entry) => entry.incidentId === state.id)).toBe(true);
        expect(all[1]?.body).toEqual({ kind: 'note', text: 'batch 0 note 1' });
        expect(all[20]?.body).toEqual({ kind: 'note', text: 'batch 3 note 5' });

        expect(seqsOf(await store.listEntries(state.id, { afterSeq: 5 }))).toEqual(range(6, 21));
        expect(seqsOf(await store.listEntries(state.id, { limit: 3 }))).toEqual([1, 2, 3]);
        expect(seqsOf(await store.listEntries(state.id, { afterSeq: 5, limit: 3 }))).toEqual([
          6, 7, 8,
        ]);
        expect(seqsOf(await store.listEntries(state.id, { afterSeq: 0 }))).toEqual(range(1, 21));
        expect(seqsOf(await store.listEntries(state.id, { afterSeq: 19, limit: 10 }))).toEqual([
          20, 21,
        ]);
        expect(await store.listEntries(state.id, { afterSeq: 21 })).toEqual([]);
        expect(await store.listEntries(state.id, { limit: 0 })).toEqual([]);
        expect(await store.listEntries(state.id, { afterSeq: 5, limit: 3 })).toEqual(
          all.slice(5, 8),
        );
        expect(seqsOf(await store.listEntries(other.state.id))).toEqual(range(1, 5));
      });

      it('gets one entry by its number', async () => {
        const first = await declare(store, clock, { title: 'one' });
        const { entries } = await appendTo(store, clock, first.state, [
          { kind: 'finding', text: 'p99 latency on db-2 is normal', source: 'grafana' },
          { kind: 'decision', text: 'roll back' },
        ]);
        const second = await declare(store, clock, { title: 'two' });

        expect(await store.getEntry(first.state.id, entrySeq(1))).toEqual(first.entries[0]);
        expect(await store.getEntry(first.state.id, entrySeq(2))).toEqual(entries[0]);
        expect(await store.getEntry(first.state.id, entrySeq(3))).toEqual(entries[1]);
        expect(await store.getEntry(first.state.id, entrySeq(4))).toBeUndefined();
        expect(await store.getEntry(second.state.id, entrySeq(1))).toEqual(second.entries[0]);
        expect(await store.getEntry(second.state.id, entrySeq(2))).toBeUndefined();
      });
    });

    describe('appendEntries', () => {
      it('appends at the current version and saves the new snapshot', async () => {
        const declared = await declare(store, clock, { title: 'api errors', services: ['api'] });
        const appended = await appendTo(store, clock, declared.state, [
          { kind: 'note', text: 'error rate 12%' },
          { kind: 'status_changed', from: 'triage', to: 'investigating' },
        ]);
        expect(appended.state.version).toBe(3);
        expect(await store.getIncident(declared.state.id)).toEqual(appended.state);
        expect(await store.listEntries(declared.state.id)).toEqual([
          ...declared.entries,
          ...appended.entries,
        ]);
        const [listed] = await store.listIncidents();
        expect(listed).toEqual(appended.state);
      });

      it('accepts an empty append without changing anything', async () => {
        const { state, entries } = await declare(store, clock, { title: 'quiet' });
        await store.appendEntries(state.version, [], state);
        expect(await store.getIncident(state.id)).toEqual(state);
        expect(await store.listEntries(state.id)).toEqual(entries);
      });

      it('refuses a stale version with VersionConflictError and writes nothing', async () => {
        const declared = await declare(store, clock, { title: 'contended', services: ['api'] });
        const winner = await appendTo(store, clock, declared.state, [
          { kind: 'note', text: 'the first writer' },
        ]);
        const entriesBefore = await store.listEntries(declared.state.id);
        const snapshotBefore = await store.getIncident(declared.state.id);
        const listedBefore = await store.listIncidents();

        // The loser decided on version 1, which is no longer current.
        const loserEntries = entriesAfter(
          declared.state,
          [
            { kind: 'note', text: 'the second writer' },
            { kind: 'details_changed', title: 'renamed by the loser', services: ['web'] },
          ],
          clock(),
        );
        const error = await store
          .appendEntries(declared.state.version, loserEntries, fold(declared.state, loserEntries))
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({
          name: 'VersionConflictError',
          incidentId: declared.state.id,
          expectedVersion: declared.state.version,
        });

        expect(await store.listEntries(declared.state.id)).toEqual(entriesBefore);
        expect(await store.getIncident(declared.state.id)).toEqual(snapshotBefore);
        expect(await store.getIncident(declared.state.id)).toEqual(winner.state);
        expect(await store.listIncidents()).toEqual(listedBefore);
        expect(keysOf(await store.listIncidents({ service: 'api' }))).toEqual([declared.state.key]);
        expect(await store.listIncidents({ service: 'web' })).toEqual([]);
        expect(await store.listIncidents({ text: 'loser' })).toEqual([]);
      });

      it('refuses a version from the future and leaves no gap', async () => {
        const { state, entries } = await declare(store, clock, { title: 'ahead of itself' });
        const ahead = { ...state, version: state.version + 3 };
        const skipped = entriesAfter(ahead, [{ kind: 'note', text: 'too early' }], clock());
        await expect(
          store.appendEntries(ahead.version, skipped, fold(ahead, skipped)),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.listEntries(state.id)).toEqual(entries);
        expect(await store.getIncident(state.id)).toEqual(state);
      });

      it('refuses entries for an incident that does not exist', async () => {
        const { state } = await declare(store, clock, { title: 'exists' });
        const ghost = { ...state, id: incidentId(state.id + 1000) };
        const entries = entriesAfter(ghost, [{ kind: 'note', text: 'nobody home' }], clock());
        await expect(
          store.appendEntries(ghost.version, entries, fold(ghost, entries)),
        ).rejects.toThrow();
        expect(await store.getIncident(ghost.id)).toBeUndefined();
        expect(await store.listEntries(ghost.id)).toEqual([]);
        expect(keysOf(await store.listIncidents())).toEqual([state.key]);
      });

      it('never gives out an entry number twice within an incident', async () => {
        const first = await declare(store, clock, { title: 'first' });
        const second = await declare(store, clock, { title: 'second' });
        // Numbers are per incident: both timelines start at #1.
        const a = await appendTo(store, clock, first.state, [{ kind: 'note', text: 'a' }]);
        const b = await appendTo(store, clock, second.state, [{ kind: 'note', text: 'b' }]);
        expect(seqsOf(await store.listEntries(first.state.id))).toEqual([1, 2]);
        expect(seqsOf(await store.listEntries(second.state.id))).toEqual([1, 2]);

        // Entries numbered over an existing one are refused even at the right version.
        const entriesBefore = await store.listEntries(first.state.id);
        const clash = entriesAfter(
          { id: first.state.id, version: a.state.version - 1 },
          [{ kind: 'note', text: 'renumbered' }],
          clock(),
        );
        await expect(
          store.appendEntries(a.state.version, clash, { ...fold(a.state, clash), version: 3 }),
        ).rejects.toThrow();
        expect(await store.listEntries(first.state.id)).toEqual(entriesBefore);
        expect(await store.getIncident(first.state.id)).toEqual(a.state);
        expect(await store.getIncident(second.state.id)).toEqual(b.state);
      });

      it('keeps the snapshot equal to the replayed timeline through entries of every kind', async () => {
        let { state } = await declare(store, clock, {
          title: 'checkout returns 500',
          summary: 'card payments fail',
          services: ['checkout'],
          more: [{ kind: 'severity_changed', from: null, to: 'SEV2', reason: 'set when declared' }],
        });
        const batches: EntryBody[][] = [
          [
            { kind: 'role_changed', role: 'commander', person: 'alice', change: 'assigned' },
            { kind: 'status_changed', from: 'triage', to: 'investigating' },
          ],
          [{ kind: 'note', text: 'error rate at 40%' }],
          [
            {
              kind: 'impact',
              impact: { affected: 'subset', customerFacingServices: ['checkout'] },
              text: 'EU customers',
            },
          ],
          [{ kind: 'impact', impact: { affected: 'all', canRollBack: true } }],
          [{ kind: 'hypothesis', number: 1, status: 'proposed', text: 'the v2.14 deploy' }],
          [{ kind: 'hypothesis', number: 2, status: 'proposed', text: 'db-2 is overloaded' }],
          [
            { kind: 'finding', text: 'p99 latency on db-2 is normal', source: 'grafana' },
            {
              kind: 'hypothesis',
              number: 2,
              status: 'eliminated',
              text: 'db-2 is overloaded',
              reason: 'p99 is normal',
            },
          ],
          [{ kind: 'hypothesis', number: 1, status: 'testing', text: 'the v2.14 deploy' }],
          [
            { kind: 'severity_changed', from: 'SEV2', to: 'SEV1', reason: 'all customers' },
            { kind: 'role_changed', role: 'responder', person: 'bob', change: 'assigned' },
            { kind: 'role_changed', role: 'responder', person: 'carol', change: 'assigned' },
            { kind: 'role_changed', role: 'scribe', person: 'dave', change: 'assigned' },
          ],
          [{ kind: 'status_update', audience: 'support', text: 'we are rolling back' }],
          [{ kind: 'communication', to: 'Payments-Team', via: 'slack', text: 'FYI' }],
          [{ kind: 'action', text: 'rolled back to v2.13' }],
          [
            { kind: 'decision', text: 'freeze deploys' },
            {
              kind: 'hypothesis',
              number: 1,
              status: 'confirmed',
              text: 'the v2.14 deploy',
              reason: 'errors stopped after rollback',
            },
            { kind: 'status_changed', from: 'investigating', to: 'identified' },
          ],
          [
            {
              kind: 'root_cause',
              text: 'a null card token',
              categories: ['unanticipated-input'],
              root: true,
            },
            {
              kind: 'root_cause',
              text: 'no test for tokenless cards',
              categories: ['untested-code'],
              root: false,
            },
          ],
          [{ kind: 'role_changed', role: 'responder', person: 'bob', change: 'removed' }],
          [{ kind: 'role_changed', role: 'scribe', person: 'dave', change: 'removed' }],
          [{ kind: 'milestone', milestone: 'impact_started' }],
          [
            {
              kind: 'details_changed',
              title: 'checkout rejects tokenless cards',
              services: ['checkout', 'payments'],
            },
          ],
          [{ kind: 'status_changed', from: 'identified', to: 'monitoring' }],
          [{ kind: 'note', text: 'a note to strike' }],
        ];
        for (const bodies of batches) {
          ({ state } = await appendTo(store, clock, state, bodies));
          expect(await store.getIncident(state.id)).toEqual(state);
        }
        const entries = await store.listEntries(state.id);
        const seqOf = (predicate: (body: EntryBody) => boolean) =>
          entries.find((entry) => predicate(entry.body))?.seq ?? entrySeq(0);
        const corrections: EntryBody[][] = [
          [
            {
              kind: 'correction',
              target: seqOf((b) => b.kind === 'root_cause' && b.root),
              action: 'amend',
              text: 'a null card token from the mobile app',
              reason: 'more precise',
            },
          ],
          [
            {
              kind: 'correction',
              target: seqOf((b) => b.kind === 'impact' && b.impact.affected === 'all'),
              action: 'strike',
              reason: 'it was never all customers',
            },
            {
              kind: 'correction',
              target: seqOf((b) => b.kind === 'note' && b.text === 'a note to strike'),
              action: 'strike',
              reason: 'wrong incident',
            },
            {
              kind: 'correction',
              target: seqOf((b) => b.kind === 'communication'),
              action: 'strike',
              reason: 'never sent',
            },
          ],
          [
            { kind: 'status_changed', from: 'monitoring', to: 'resolved' },
            { kind: 'details_changed', summary: 'fixed in v2.15' },
          ],
          [{ kind: 'status_changed', from: 'resolved', to: 'closed' }],
        ];
        for (const bodies of corrections) {
          ({ state } = await appendTo(store, clock, state, bodies));
          expect(await store.getIncident(state.id)).toEqual(state);
        }

        await expectSnapshotMatchesTimeline(state.id);
        const stored = await store.getIncident(state.id);
        expect(stored).toMatchObject({
          title: 'checkout rejects tokenless cards',
          summary: 'fixed in v2.15',
          services: ['checkout', 'payments'],
          status: 'closed',
          severity: 'SEV1',
          impact: { affected: 'subset', customerFacingServices: ['checkout'] },
          roles: { commander: 'alice', responders: ['carol'] },
        });
        expect(stored?.causeChain[0]?.text).toBe('a null card token from the mobile app');
        expect(stored?.hypotheses.map((h) => h.status)).toEqual(['confirmed', 'eliminated']);
        expect(stored?.tellings.map((t) => t.to)).toEqual(['support']);
        expect(stored?.version).toBe(entries.length + 7);
        expect(await store.listIncidents()).toEqual([stored]);
      });
    });

    describe('listIncidents', () => {
      async function seed() {
        // Declared out of id order: the list goes by when they were declared.
        const checkout = await declare(store, clock, {
          title: 'Checkout returns 500',
          summary: 'card payments fail for EU customers',
          services: ['checkout', 'payments'],
          at: epochMs(T0 + 2 * HOUR),
          more: [
            { kind: 'severity_changed', from: null, to: 'SEV1', reason: 'all checkouts' },
            { kind: 'status_changed', from: 'triage', to: 'investigating' },
          ],
        });
        const search = await declare(store, clock, {
          title: 'Search is slow',
          summary: '50% of queries time out',
          services: ['search'],
          at: epochMs(T0),
          more: [
            { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'slow, not down' },
            { kind: 'status_changed', from: 'triage', to: 'resolved' },
          ],
        });
        const login = await declare(store, clock, {
          title: 'login_page renders blank',
          summary: 'users cannot sign in',
          services: ['auth', 'web'],
          at: epochMs(T0 + 3 * HOUR),
        });
        const lookalike = await declare(store, clock, {
          title: 'loginXpage redirect loop',
          summary: 'about 50 users affected; 5000 requests',
          services: ['auth'],
          at: epochMs(T0 + 1 * HOUR),
          more: [{ kind: 'severity_changed', from: null, to: 'SEV3', reason: 'few users' }],
        });
        return {
          checkout: checkout.state,
          search: search.state,
          login: login.state,
          lookalike: lookalike.state,
        };
      }

      it('lists every incident newest first by when it was declared', async () => {
        const { checkout, search, login, lookalike } = await seed();
        expect(await store.listIncidents()).toEqual([login, checkout, lookalike, search]);
        expect(await store.listIncidents({})).toEqual([login, checkout, lookalike, search]);
      });

      it('breaks ties in declaration time by the newer incident first', async () => {
        const at = epochMs(T0);
        const older = await declare(store, clock, { title: 'older', at });
        const newer = await declare(store, clock, { title: 'newer', at });
        expect(keysOf(await store.listIncidents())).toEqual([newer.state.key, older.state.key]);
      });

      it('answers an empty list when there are no incidents', async () => {
        expect(await store.listIncidents()).toEqual([]);
        expect(await store.listIncidents({ text: 'anything', status: ['triage'] })).toEqual([]);
      });

      it('filters by status and severity', async () => {
        const { checkout, search, login, lookalike } = await seed();
        expect(keysOf(await store.listIncidents({ status: ['resolved'] }))).toEqual([search.key]);
        expect(keysOf(await store.listIncidents({ status: ['triage', 'investigating'] }))).toEqual([
          login.key,
          checkout.key,
          lookalike.key,
        ]);
        expect(await store.listIncidents({ status: ['closed'] })).toEqual([]);
        expect(keysOf(await store.listIncidents({ status: [] }))).toHaveLength(4);

        expect(keysOf(await store.listIncidents({ severity: ['SEV1'] }))).toEqual([checkout.key]);
        expect(keysOf(await store.listIncidents({ severity: ['SEV2', 'SEV3'] }))).toEqual([
          lookalike.key,
          search.key,
        ]);
        expect(await store.listIncidents({ severity: ['SEV4'] })).toEqual([]);
        expect(
          keysOf(await store.listIncidents({ status: ['triage'], severity: ['SEV3'] })),
        ).toEqual([lookalike.key]);
      });

      it('filters by service', async () => {
        const { checkout, login, lookalike } = await seed();
        expect(keysOf(await store.listIncidents({ service: 'payments' }))).toEqual([checkout.key]);
        expect(keysOf(await store.listIncidents({ service: 'auth' }))).toEqual([
          login.key,
          lookalike.key,
        ]);
        expect(await store.listIncidents({ service: 'billing' })).toEqual([]);
        expect(await store.listIncidents({ service: 'auth', status: ['resolved'] })).toEqual([]);
      });

      it('filters by when it was declared: since inclusive, until exclusive', async () => {
        const { checkout, search, login, lookalike } = await seed();
        expect(keysOf(await store.listIncidents({ since: epochMs(T0 + HOUR) }))).toEqual([
          login.key,
          checkout.key,
          lookalike.key,
        ]);
        expect(keysOf(await store.listIncidents({ until: epochMs(T0 + HOUR) }))).toEqual([
          search.key,
        ]);
        expect(
          keysOf(
            await store.listIncidents({ since: epochMs(T0 + HOUR), until: epochMs(T0 + 3 * HOUR) }),
          ),
        ).toEqual([checkout.key, lookalike.key]);
        expect(
          await store.listIncidents({
            since: epochMs(T0 + 4 * HOUR),
            until: epochMs(T0 + 5 * HOUR),
          }),
        ).toEqual([]);
      });

      it('searches words in the title and summary, case-insensitively', async () => {
        const { checkout, search, login } = await seed();
        expect(keysOf(await store.listIncidents({ text: 'checkout' }))).toEqual([checkout.key]);
        expect(keysOf(await store.listIncidents({ text: 'CHECKOUT' }))).toEqual([checkout.key]);
        expect(keysOf(await store.listIncidents({ text: 'Time Out' }))).toEqual([search.key]);
        // Every word must match, in the title or in the summary.
        expect(keysOf(await store.listIncidents({ text: 'checkout EU' }))).toEqual([checkout.key]);
        expect(await store.listIncidents({ text: 'checkout search' })).toEqual([]);
        expect(keysOf(await store.listIncidents({ text: '  sign   in  ' }))).toEqual([login.key]);
        expect(await store.listIncidents({ text: 'kafka' })).toEqual([]);
        expect(await store.listIncidents({ text: 'payments', service: 'search' })).toEqual([]);
      });

      it('matches % and _ in the search text literally', async () => {
        const { search, login, lookalike } = await seed();
        expect(keysOf(await store.listIncidents({ text: '50%' }))).toEqual([search.key]);
        expect(keysOf(await store.listIncidents({ text: '%' }))).toEqual([search.key]);
        expect(keysOf(await store.listIncidents({ text: '5%0' }))).toEqual([]);
        expect(keysOf(await store.listIncidents({ text: 'login_page' }))).toEqual([login.key]);
        expect(keysOf(await store.listIncidents({ text: '_' }))).toEqual([login.key]);
        expect(keysOf(await store.listIncidents({ text: 'loginXpage' }))).toEqual([lookalike.key]);
        expect(await store.listIncidents({ text: 'log%page' })).toEqual([]);
        expect(await store.listIncidents({ text: 'l_gin' })).toEqual([]);
        const backslash = await declare(store, clock, { title: 'C:\\temp\\calm is full' });
        expect(keysOf(await store.listIncidents({ text: 'c:\\temp' }))).toEqual([
          backslash.state.key,
        ]);
        expect(await store.listIncidents({ text: '\\%' })).toEqual([]);
      });

      it('stops at the limit, keeping the newest', async () => {
        const { checkout, login, lookalike } = await seed();
        expect(keysOf(await store.listIncidents({ limit: 2 }))).toEqual([login.key, checkout.key]);
        expect(keysOf(await store.listIncidents({ limit: 1, service: 'auth' }))).toEqual([
          login.key,
        ]);
        expect(keysOf(await store.listIncidents({ limit: 2, status: ['triage'] }))).toEqual([
          login.key,
          lookalike.key,
        ]);
        expect(await store.listIncidents({ limit: 10 })).toHaveLength(4);
      });

      it('follows details_changed: new services, title and summary are what filters see', async () => {
        const { checkout } = await seed();
        const current = await store.getIncident(checkout.id);
        if (!current) throw new Error('seeded incident is missing');
        await appendTo(store, clock, current, [
          {
            kind: 'details_changed',
            title: 'Card tokens rejected',
            summary: 'the gateway refuses tokenless cards',
            services: ['gateway', 'payments', 'gateway'],
          },
          { kind: 'status_changed', from: 'investigating', to: 'monitoring' },
        ]);
        expect(await store.listIncidents({ service: 'checkout' })).toEqual([]);
        expect(keysOf(await store.listIncidents({ service: 'gateway' }))).toEqual([checkout.key]);
        expect(keysOf(await store.listIncidents({ service: 'payments' }))).toEqual([checkout.key]);
        expect(await store.listIncidents({ text: 'returns 500' })).toEqual([]);
        expect(keysOf(await store.listIncidents({ text: 'tokenless' }))).toEqual([checkout.key]);
        expect(await store.listIncidents({ status: ['investigating'] })).toEqual([]);
        expect(keysOf(await store.listIncidents({ status: ['monitoring'] }))).toEqual([
          checkout.key,
        ]);

        // A details change that leaves the services alone keeps them.
        const again = await store.getIncident(checkout.id);
        if (!again) throw new Error('seeded incident is missing');
        await appendTo(store, clock, again, [{ kind: 'details_changed', title: 'Card tokens' }]);
        expect(keysOf(await store.listIncidents({ service: 'gateway' }))).toEqual([checkout.key]);

        // And one that empties them takes the incident out of every service.
        const last = await store.getIncident(checkout.id);
        if (!last) throw new Error('seeded incident is missing');
        await appendTo(store, clock, last, [{ kind: 'details_changed', services: [] }]);
        expect(await store.listIncidents({ service: 'gateway' })).toEqual([]);
        expect(await store.listIncidents({ service: 'payments' })).toEqual([]);
        await expectSnapshotMatchesTimeline(checkout.id);
      });
    });

    describe('idempotency keys', () => {
      it('records a keyed append once; its retry gets AlreadyRecordedError and writes nothing', async () => {
        const { state } = await declare(store, clock, { title: 'API errors' });
        const key = { idempotency: { scope: 'user:1', key: 'req-42', at: clock() } };
        const entries = entriesAfter(state, [{ kind: 'note', text: 'first try' }], clock());
        await store.appendEntries(state.version, entries, fold(state, entries), key);
        // The retry, decided again on the fresh state (as the app layer does after a timeout).
        const fresh = (await store.getIncident(state.id)) as IncidentState;
        const retry = entriesAfter(fresh, [{ kind: 'note', text: 'first try' }], clock());
        const error = await store
          .appendEntries(fresh.version, retry, fold(fresh, retry), key)
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AlreadyRecordedError);
        expect(error).toMatchObject({ incidentId: state.id, firstSeq: 2, lastSeq: 2 });
        expect((await store.listEntries(state.id)).map((e) => e.seq)).toEqual([1, 2]);
        expect((await store.getIncident(state.id))?.version).toBe(2);
        // Another user's identical key is another request.
        const other = { idempotency: { scope: 'user:2', key: 'req-42', at: clock() } };
        await store.appendEntries(fresh.version, retry, fold(fresh, retry), other);
        expect((await store.listEntries(state.id)).length).toBe(3);
      });

      it('records a keyed declaration once', async () => {
        const key = { idempotency: { scope: 'user:1', key: 'declare-1', at: clock() } };
        const build = (id: IncidentId) => {
          const entries = entriesAfter(
            { id, version: 0 },
            [{ kind: 'declared', title: 'DB down', summary: '', services: [] }],
            clock(),
          );
          return { entries, state: fold(undefined, entries) };
        };
        const first = await store.createIncident(build, key);
        const error = await store.createIncident(build, key).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AlreadyRecordedError);
        expect(error).toMatchObject({ incidentId: first.id, firstSeq: 1, lastSeq: 1 });
        expect(await store.listIncidents()).toHaveLength(1);
      });
    });

    describe('settings', () => {
      it('gets, sets, overwrites and unsets', async () => {
        expect(await store.getSetting('current_incident')).toBeUndefined();
        await store.setSetting('current_incident', '3');
        expect(await store.getSetting('current_incident')).toBe('3');
        await store.setSetting('current_incident', '4');
        expect(await store.getSetting('current_incident')).toBe('4');
        await store.setSetting('author', 'Zoë 👩‍🚒');
        expect(await store.getSetting('author')).toBe('Zoë 👩‍🚒');
        await store.setSetting('current_incident', undefined);
        expect(await store.getSetting('current_incident')).toBeUndefined();
        expect(await store.getSetting('author')).toBe('Zoë 👩‍🚒');
        await store.setSetting('never_set', undefined);
        expect(await store.getSetting('never_set')).toBeUndefined();
        await store.setSetting('empty', '');
        expect(await store.getSetting('empty')).toBe('');
      });
    });

    describe('concurrency', () => {
      it('lets concurrent appenders that reload and retry all succeed, without gaps', async () => {
        const { state } = await declare(store, clock, { title: 'busy incident' });
        const tasks = 10;
        const appendsPerTask = 10;
        const attempts = await Promise.all(
          range(1, tasks).map(async (task) => {
            const used: number[] = [];
            for (let n = 1; n <= appendsPerTask; n++) {
              used.push(
                await appendWithRetry(
                  store,
                  state.id,
                  [{ kind: 'note', text: `task ${task} note ${n}` }],
                  clock,
                ),
              );
            }
            return used;
          }),
        );
        expect(attempts.flat()).toHaveLength(tasks * appendsPerTask);

        const entries = await store.listEntries(state.id);
        expect(seqsOf(entries)).toEqual(range(1, 1 + tasks * appendsPerTask));
        const texts = entries.slice(1).map((entry) => (entry.body as { text: string }).text);
        expect(new Set(texts).size).toBe(tasks * appendsPerTask);
        for (let task = 1; task <= tasks; task++) {
          // Each task's notes land in the order it wrote them.
          const mine = texts.filter((text) => text.startsWith(`task ${task} `));
          expect(mine).toEqual(range(1, appendsPerTask).map((n) => `task ${task} note ${n}`));
        }
        const snapshot = await store.getIncident(state.id);
        expect(snapshot?.version).toBe(1 + tasks * appendsPerTask);
        expect(snapshot?.logged).toBe(tasks * appendsPerTask);
        await expectSnapshotMatchesTimeline(state.id);
      });

      it('lets concurrent declarations each get their own id', async () => {
        const created = await Promise.all(
          range(1, 10).map((n) => declare(store, clock, { title: `storm ${n}` })),
        );
        const ids = created.map(({ state }) => Number(state.id));
        expect(new Set(ids).size).toBe(10);
        for (const { state, entries } of created) {
          expect(await store.getIncident(state.id)).toEqual(state);
          expect(await store.listEntries(state.id)).toEqual(entries);
        }
        expect(await store.listIncidents()).toHaveLength(10);
      });
    });

    describe('round trips', () => {
      it('keeps large bodies and unicode exactly', async () => {
        const unicode =
          'Zoë’s café — 日本語のテキスト, עברית, العربية, emoji 👩‍🚒🔥🇳🇱, combining e\u0301, ' +
          'zero-width\u200bspace, astral 𝄞, quotes "\'`, tab\tnewline\nCRLF\r\nNUL\u0000end, ' +
          'backslash \\ and JSON-ish {"a":[1,2]}';
        const large = `${'The quick brown fox jumps over the lazy dog. '.repeat(20_000)}${unicode}`;
        expect(large.length).toBeGreaterThan(900_000);

        const declared = await declare(store, clock, {
          title: `Ünïcödé ${unicode.slice(0, 40)}`,
          summary: unicode,
          services: ['café', '日本', 'svc-👩‍🚒'],
        });
        const author = 'Zoë 👩‍🚒 Ø’Brien';
        const entries: TimelineEntry[] = entriesAfter(
          declared.state,
          [
            { kind: 'note', text: large },
            { kind: 'finding', text: unicode, source: '📈 grafana/«db-2»' },
            { kind: 'communication', to: 'Équipe Paiements', via: 'e-mail ✉️', text: unicode },
          ],
          clock(),
          author,
        );
        const next = fold(declared.state, entries);
        await store.appendEntries(declared.state.version, entries, next);

        const stored = await store.listEntries(declared.state.id);
        expect(stored).toEqual([...declared.entries, ...entries]);
        const note = await store.getEntry(declared.state.id, entrySeq(2));
        expect(note?.body.kind === 'note' && note.body.text === large).toBe(true);
        expect(note?.author).toBe(author);
        expect((await store.getEntry(declared.state.id, entrySeq(3)))?.body).toEqual(
          entries[1]?.body,
        );
        expect(await store.getIncident(declared.state.id)).toEqual(next);
        expect(await store.listIncidents()).toEqual([next]);
        expect(keysOf(await store.listIncidents({ service: '日本' }))).toEqual([next.key]);
        expect(keysOf(await store.listIncidents({ service: 'svc-👩‍🚒' }))).toEqual([next.key]);
        expect(keysOf(await store.listIncidents({ text: 'café 日本語' }))).toEqual([next.key]);
        expect(keysOf(await store.listIncidents({ text: 'ÜNÏCÖDÉ' }))).toEqual([next.key]);
        expect(keysOf(await store.listIncidents({ text: 'ZOË’S' }))).toEqual([next.key]);
        expect(await store.listIncidents({ text: 'cafe' })).toEqual([]);
      });

      it('keeps instants far from now exactly', async () => {
        const instants = [0, 1, T0, 4_102_444_800_000, 8_640_000_000_000_000].map(epochMs);
        let { state } = await declare(store, clock, { title: 'time travel', at: epochMs(1) });
        const written: TimelineEntry[] = [];
        for (const at of instants) {
          const entries = entriesAfter(state, [{ kind: 'note', text: `at ${at}` }], at);
          const next = fold(state, entries);
          await store.appendEntries(state.version, entries, next);
          written.push(...entries);
          state = next;
        }
        const stored = await store.listEntries(state.id, { afterSeq: 1 });
        expect(stored).toEqual(written);
        expect(stored.map((entry) => entry.occurredAt)).toEqual(instants);
        expect(await store.getIncident(state.id)).toEqual(state);
        expect(keysOf(await store.listIncidents({ since: epochMs(1), until: epochMs(2) }))).toEqual(
          [state.key],
        );
      });
    });
  });
}
