/**
 * Export and import between stores: an incident with its whole review goes
 * SQLite -> PostgreSQL -> SQLite and comes back the same (import.ts says what
 * "the same" means), and a bad file writes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { addActionItem, changeActionItem } from '../../src/app/action-items.js';
import type { AppContext } from '../../src/app/context.js';
import { exportIncident } from '../../src/app/export.js';
import { importIncident, parseIncidentJson } from '../../src/app/import.js';
import * as incidents from '../../src/app/incidents.js';
import {
  completePostmortem,
  renderIncidentPostmortem,
  writePostmortemSection,
} from '../../src/app/postmortem.js';
import { UserError } from '../../src/core/errors.js';
import { entrySeq, epochMs, type IncidentId } from '../../src/core/ids.js';
import { DEFAULT_FRAMEWORK } from '../../src/core/severity/presets.js';
import { openPostgresStore, openSqliteStore } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';
import type { IncidentStore } from '../../src/store/store.js';

const T0 = Date.UTC(2026, 2, 14, 9, 0);
const min = (m: number) => epochMs(T0 + m * 60_000);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqlite(): Promise<IncidentStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calm-roundtrip-'));
  const store = await openSqliteStore(path.join(dir, 'calm.db'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return store;
}

async function postgres(): Promise<IncidentStore> {
  const schema = await freshPostgresSchema(inject('pgUrl'));
  const store = await openPostgresStore(schema.url);
  cleanups.push(() => schema.drop());
  cleanups.push(() => store.close());
  return store;
}

/** The context of a person working on `store`; the clock stands still at 12:00. */
const as = (store: IncidentStore, author: string): AppContext => ({
  store,
  framework: async () => DEFAULT_FRAMEWORK,
  clock: { now: () => min(180) },
  author,
});

/** A reviewed incident built through the use cases: every kind of entry, two authors, backdated. */
async function reviewedIncident(store: IncidentStore): Promise<IncidentId> {
  const alice = as(store, 'alice');
  const bob = as(store, 'bob');
  const { state } = await incidents.declareIncident(alice, {
    title: 'Checkout returns 500',
    summary: 'card payments fail',
    services: ['checkout', 'payments'],
    severity: 'SEV1',
    impactStartedAt: min(-12),
    detectedAt: min(-5),
  });
  const id = state.id;
  await incidents.assignRole(alice, id, 'commander', 'alice', false, min(1));
  await incidents.assignRole(alice, id, 'responder', 'bob', false, min(2));
  await incidents.recordImpact(
    alice,
    id,
    { affected: 'all', canRollBack: true },
    'all card payments',
    min(3),
  );
  await incidents.changeStatus(alice, id, 'investigating', undefined, min(4));
  await incidents.proposeHypothesis(bob, id, 'the 08:45 deploy', min(5));
  await incidents.proposeHypothesis(bob, id, 'db-2 overloaded', min(6));
  await incidents.recordFindings(
    bob,
    id,
    [
      { text: 'p99 on db-2 normal', source: 'grafana' },
      {
        text: 'Error signatures: "card token <*> is null"',
        source: 'calm analyze',
        evidence: {
          templates: ['card token <*> is null'],
          stacks: [
            { fingerprint: '0123456789abcdef', signature: 'NullPointerException @ Pay.charge' },
          ],
        },
      },
    ],
    min(8),
  );
  await incidents.moveHypothesis(bob, id, 2, 'eliminated', 'p99 is normal', min(9));
  await incidents.postStatusUpdate(
    alice,
    id,
    'support',
    'card payments fail; rolling back',
    min(10),
  );
  await incidents.recordCommunication(alice, id, 'payments-team', 'slack', 'FYI', min(11));
  const { entries } = await incidents.logEntry(bob, id, 'note', 'wrong channel note', min(12));
  await incidents.correctEntry(
    alice,
    id,
    entries[0]?.seq ?? entrySeq(1),
    'strike',
    'wrong incident',
  );
  await incidents.logEntry(bob, id, 'action', 'rolled back to v2.13', min(14));
  await incidents.moveHypothesis(
    bob,
    id,
    1,
    'confirmed',
    'errors stopped after the rollback',
    min(15),
  );
  await incidents.addCauseLink(
    alice,
    id,
    'a null card token',
    ['unanticipated-input'],
    false,
    min(20),
  );
  await incidents.addCauseLink(
    alice,
    id,
    'no test for tokenless cards',
    ['untested-code'],
    true,
    min(21),
  );
  await incidents.changeStatus(alice, id, 'resolved', 'error rate at baseline', min(30));
  await addActionItem(alice, id, {
    title: 'test tokenless cards',
    kind: 'prevent',
    owner: 'bob',
    due: '2026-04-01',
  });
  await addActionItem(alice, id, { title: 'alert on 5xx rate', kind: 'detect', owner: 'alice' });
  await changeActionItem(alice, id, 2, { status: 'in_progress' });
  await writePostmortemSection(alice, id, 'summary', 'Card payments failed for 42 minutes.');
  await writePostmortemSection(
    bob,
    id,
    'lucky',
    'The rollback was quick because v2.13 was cached.',
  );
  await completePostmortem(alice, id);
  return id;
}

/** The export with the incident's id and key taken out: what must survive every move. */
function withoutIdentity(text: string): string {
  const file = JSON.parse(text);
  file.incident.id = 0;
  file.incident.key = 'INC-?';
  for (const entry of file.entries) entry.incidentId = 0;
  return JSON.stringify(file);
}

const exportText = async (store: IncidentStore, id: IncidentId) =>
  JSON.stringify(await exportIncident({ store }, id), null, 2);

const markdown = async (store: IncidentStore, id: IncidentId, key: string) =>
  (await renderIncidentPostmortem(as(store, 'alice'), id, 'md')).replaceAll(key, 'INC-?');

describe('export and import between stores', () => {
  it('round-trips a reviewed incident SQLite -> PostgreSQL -> SQLite without loss', async () => {
    const first = await sqlite();
    const id = await reviewedIncident(first);
    const exported1 = await exportText(first, id);

    const second = await postgres();
    // keys collide in the target store: it has an incident of its own already
    await incidents.declareIncident(as(second, 'carol'), { title: 'unrelated' });
    const imported2 = await importIncident(as(second, 'carol'), parseIncidentJson(exported1, 'f'), {
      allowPersonal: false,
    });
    expect(imported2.state.key).toBe('INC-2');
    expect(imported2.originKey).toBe('INC-1');
    const exported2 = await exportText(second, imported2.state.id);

    const third = await sqlite();
    const imported3 = await importIncident(as(third, 'dave'), parseIncidentJson(exported2, 'f'), {
      allowPersonal: false,
    });
    const exported3 = await exportText(third, imported3.state.id);

    expect(withoutIdentity(exported2)).toBe(withoutIdentity(exported1));
    expect(withoutIdentity(exported3)).toBe(withoutIdentity(exported1));
    expect(JSON.parse(exported3).origin).toEqual({ key: 'INC-1' });
    const file = JSON.parse(exported3);
    const kinds = new Set(file.entries.map((e: { body: { kind: string } }) => e.body.kind));
    for (const kind of [
      'action_item',
      'action_item_changed',
      'postmortem_section',
      'postmortem_status',
      'correction',
    ])
      expect(kinds).toContain(kind);
    expect(new Set(file.entries.map((e: { author: string }) => e.author))).toEqual(
      new Set(['alice', 'bob']),
    );

    const md1 = await markdown(first, id, 'INC-1');
    expect(md1).toContain('Card payments failed for 42 minutes.');
    expect(await markdown(second, imported2.state.id, 'INC-2')).toBe(md1);
    expect(await markdown(third, imported3.state.id, 'INC-1')).toBe(md1);
  });

  it('refuses the same timeline twice in one store, naming the incident it became', async () => {
    const source = await sqlite();
    const text = await exportText(source, await reviewedIncident(source));
    const target = await postgres();
    const first = await importIncident(as(target, 'carol'), JSON.parse(text), {
      allowPersonal: false,
    });
    const again = importIncident(as(target, 'carol'), JSON.parse(text), { allowPersonal: false });
    await expect(again).rejects.toThrow(
      /INC-1 was already imported here as INC-1; nothing written/,
    );
    expect((await target.listIncidents()).map((s) => s.key)).toEqual([first.state.key]);
  });

  it('refuses a truncated, malformed or edited file in one line and writes nothing', async () => {
    const source = await sqlite();
    const text = await exportText(source, await reviewedIncident(source));
    const target = await sqlite();
    const ctx = as(target, 'carol');
    const attempt = (value: () => unknown) =>
      (async () => importIncident(ctx, value(), { allowPersonal: false }))();
    const edit = (change: (file: ReturnType<typeof JSON.parse>) => void) => () => {
      const file = JSON.parse(text);
      change(file);
      return file;
    };
    const cases: [() => unknown, RegExp][] = [
      [
        () => parseIncidentJson(text.slice(0, text.length / 2), 'INC-1.json'),
        /INC-1.json is not JSON .*truncated/,
      ],
      [edit((f) => f.entries.pop()), /at version \d+ but the file holds \d+ entries/],
      [edit((f) => f.entries.splice(3, 1)), /entry #4 is missing from the file/],
      [edit((f) => (f.entries[2].body.kind = 'gossip')), /entries\.2\.body\.kind/],
      [edit((f) => (f.entries[1].body.extra = 1)), /entries\.1\.body.*extra/],
      [
        edit((f) => (f.incident.title = 'Something else')),
        /incident \(title\) is not what its timeline says/,
      ],
      [edit((f) => (f.format = 'calm.incident/v9')), /format/],
      [() => ({}), /not a Calm incident export/],
    ];
    for (const [value, message] of cases) {
      const error = await attempt(value).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, String(message)).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
    expect(await target.listIncidents()).toEqual([]);
  });
});
