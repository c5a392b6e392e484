import { describe, expect, it } from 'vitest';
import {
  amend,
  atMinute,
  declared,
  entry,
  incident,
  note,
  seq,
  strike,
  T0,
  timeline,
} from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import {
  applyEntry,
  type IncidentState,
  lastToldAt,
  replayTimeline,
  stateFromSnapshot,
} from './incident.js';

const statusTo = (from: IncidentState['status'], to: IncidentState['status']): EntryBody => ({
  kind: 'status_changed',
  from,
  to,
});
const assign = (role: 'commander' | 'communications' | 'scribe' | 'responder', person: string) =>
  ({ kind: 'role_changed', role, person, change: 'assigned' }) satisfies EntryBody;
const unassign = (role: 'commander' | 'communications' | 'scribe' | 'responder', person: string) =>
  ({ kind: 'role_changed', role, person, change: 'removed' }) satisfies EntryBody;
const cause = (text: string, root = false): EntryBody => ({
  kind: 'root_cause',
  text,
  categories: root ? ['bad-logic'] : [],
  root,
});
const hypothesis = (
  number: number,
  status: 'proposed' | 'testing' | 'eliminated' | 'confirmed',
  text: string,
  reason?: string,
): EntryBody => ({ kind: 'hypothesis', number, status, text, ...(reason ? { reason } : {}) });

describe('replayTimeline: declaring', () => {
  it('has no state for an empty timeline', () => {
    expect(replayTimeline([])).toBeUndefined();
  });

  it('starts a declared incident in triage with nothing recorded yet', () => {
    const state = replayTimeline([
      entry(1, declared({ title: 'Payments down', summary: 'all cards fail', services: ['pay'] }), {
        author: 'bob',
        incident: 12,
      }),
    ]);
    expect(state).toEqual({
      id: 12,
      key: 'INC-12',
      title: 'Payments down',
      summary: 'all cards fail',
      services: ['pay'],
      status: 'triage',
      severity: null,
      impact: {},
      impactUpdates: [],
      milestones: { declared: T0 },
      roles: { responders: [] },
      hypotheses: [],
      causeChain: [],
      tellings: [],
      actionItems: [],
      postmortem: { status: 'draft', sections: {} },
      logged: 0,
      declaredBy: 'bob',
      version: 1,
      lastEntryAt: T0,
    });
  });

  it('refuses a timeline that does not start with "declared"', () => {
    expect(() => replayTimeline([entry(1, note())])).toThrow(
      'timeline of INC-7 must start with "declared"',
    );
  });

  it('refuses a second "declared" entry', () => {
    expect(() => replayTimeline(timeline(declared(), declared()))).toThrow(
      'INC-7 is declared twice (entry #2)',
    );
  });

  it('tracks the version and the latest time any entry happened, even backdated ones', () => {
    const state = incident({ body: note('late'), at: 30 }, { body: note('backdated'), at: 5 });
    expect(state.version).toBe(3);
    expect(state.lastEntryAt).toBe(atMinute(30));
  });
});

describe('replayTimeline: logged entries', () => {
  it('counts notes, actions, findings and decisions', () => {
    const state = incident(
      note(),
      { kind: 'action', text: 'rolled back to v2.13' },
      { kind: 'finding', text: 'db-2 p99 is normal', source: 'grafana' },
      { kind: 'decision', text: 'page the payments team' },
    );
    expect(state.logged).toBe(4);
  });

  it('does not count state changes as logged entries', () => {
    const state = incident(
      { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'subset' },
      statusTo('triage', 'investigating'),
      { kind: 'impact', impact: { affected: 'all' } },
    );
    expect(state.logged).toBe(0);
  });

  it('takes a struck note out of the count', () => {
    const state = incident(note('one'), note('two'), strike(2));
    expect(state.logged).toBe(1);
  });

  it('leaves the count alone when a note is amended', () => {
    const state = incident(note('one'), amend(2, 'one, corrected'));
    expect(state.logged).toBe(1);
  });
});

describe('replayTimeline: severity and status', () => {
  it('takes the severity from the latest change', () => {
    const state = incident(
      { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'subset affected' },
      { kind: 'severity_changed', from: 'SEV2', to: 'SEV1', reason: 'all customers now' },
    );
    expect(state.severity).toBe('SEV1');
  });

  it('follows status changes', () => {
    const state = incident(
      statusTo('triage', 'investigating'),
      statusTo('investigating', 'identified'),
    );
    expect(state.status).toBe('identified');
    expect(state.milestones).toEqual({ declared: T0 });
  });

  it('marks the incident mitigated when it moves to monitoring', () => {
    const state = incident({ body: statusTo('triage', 'monitoring'), at: 20 });
    expect(state.status).toBe('monitoring');
    expect(state.milestones).toEqual({ declared: T0, mitigated: atMinute(20) });
  });

  it('marks it mitigated and resolved when it is resolved straight away', () => {
    const state = incident({ body: statusTo('triage', 'resolved'), at: 25 });
    expect(state.milestones).toEqual({
      declared: T0,
      mitigated: atMinute(25),
      resolved: atMinute(25),
    });
  });

  it('keeps the first mitigation time when monitoring is followed by resolution', () => {
    const state = incident(
      { body: statusTo('triage', 'monitoring'), at: 20 },
      { body: statusTo('monitoring', 'resolved'), at: 50 },
    );
    expect(state.milestones.mitigated).toBe(atMinute(20));
    expect(state.milestones.resolved).toBe(atMinute(50));
  });

  it('moves the resolved time when a regression is resolved again, and records the close', () => {
    const state = incident(
      { body: statusTo('triage', 'resolved'), at: 10 },
      { body: statusTo('resolved', 'investigating'), at: 30 },
      { body: statusTo('investigating', 'resolved'), at: 60 },
      { body: statusTo('resolved', 'closed'), at: 24 * 60 },
    );
    expect(state.status).toBe('closed');
    expect(state.milestones).toEqual({
      declared: T0,
      mitigated: atMinute(10),
      resolved: atMinute(60),
      closed: atMinute(24 * 60),
    });
  });

  it('records a declined incident without any milestone', () => {
    const state = incident({
      kind: 'status_changed',
      from: 'triage',
      to: 'declined',
      reason: 'a bug',
    });
    expect(state.status).toBe('declined');
    expect(state.milestones).toEqual({ declared: T0 });
  });
});

describe('replayTimeline: milestones', () => {
  it('sets milestones from explicit milestone entries at their time', () => {
    const state = incident(
      { body: { kind: 'milestone', milestone: 'impact_started' }, at: -30 },
      { body: { kind: 'milestone', milestone: 'detected' }, at: -10 },
    );
    expect(state.milestones).toEqual({
      declared: T0,
      impact_started: atMinute(-30),
      detected: atMinute(-10),
    });
  });

  it('lets a later explicit milestone entry replace an earlier time', () => {
    const state = incident(
      { body: { kind: 'milestone', milestone: 'detected' }, at: -10 },
      { body: { kind: 'milestone', milestone: 'detected' }, at: -15 },
    );
    expect(state.milestones.detected).toBe(atMinute(-15));
  });

  it('lets an explicit mitigated milestone override the one a status change set', () => {
    const state = incident(
      { body: statusTo('triage', 'monitoring'), at: 20 },
      { body: { kind: 'milestone', milestone: 'mitigated' }, at: 12 },
    );
    expect(state.milestones.mitigated).toBe(atMinute(12));
  });

  it('sets acknowledged when the first commander is assigned, and only then', () => {
    const state = incident(
      { body: assign('scribe', 'carol'), at: 2 },
      { body: assign('commander', 'alice'), at: 5 },
      { body: assign('commander', 'bob'), at: 40 },
    );
    expect(state.milestones.acknowledged).toBe(atMinute(5));
    expect(state.roles.commander).toBe('bob');
  });
});

describe('replayTimeline: impact', () => {
  it('merges impact answers field by field, later answers winning', () => {
    const state = incident(
      { kind: 'impact', impact: { affected: 'subset', canRollBack: true } },
      { kind: 'impact', impact: { affected: 'all', dataLost: false }, text: 'worse' },
    );
    expect(state.impact).toEqual({ affected: 'all', canRollBack: true, dataLost: false });
    expect(state.impactUpdates).toEqual([
      { seq: 2, impact: { affected: 'subset', canRollBack: true } },
      { seq: 3, impact: { affected: 'all', dataLost: false } },
    ]);
  });

  it('recomputes the impact from the remaining updates when one is struck', () => {
    const state = incident(
      { kind: 'impact', impact: { affected: 'subset', canRollBack: true } },
      { kind: 'impact', impact: { affected: 'all', workaroundAvailable: false } },
      strike(3, 'that was another service'),
    );
    expect(state.impact).toEqual({ affected: 'subset', canRollBack: true });
    expect(state.impactUpdates.map((u) => u.seq)).toEqual([2]);
  });

  it('has no impact once its only impact entry is struck', () => {
    const state = incident({ kind: 'impact', impact: { affected: 'all' } }, strike(2));
    expect(state.impact).toEqual({});
    expect(state.logged).toBe(0);
  });
});

describe('replayTimeline: cause chain', () => {
  it('keeps the links in order, symptom first', () => {
    const state = incident(cause('500s on /checkout'), cause('gateway timeout'));
    expect(state.causeChain).toEqual([
      { seq: 2, text: '500s on /checkout', categories: [], root: false },
      { seq: 3, text: 'gateway timeout', categories: [], root: false },
    ]);
  });

  it('keeps one root: a new root link clears the older root flag', () => {
    const state = incident(
      cause('500s on /checkout'),
      cause('CPU spike', true),
      cause('a loop computing pi', true),
    );
    expect(state.causeChain.map((l) => [l.text, l.root])).toEqual([
      ['500s on /checkout', false],
      ['CPU spike', false],
      ['a loop computing pi', true],
    ]);
  });

  it('does not clear the root when a non-root link is added after it', () => {
    const state = incident(cause('a loop computing pi', true), cause('500s on /checkout'));
    expect(state.causeChain.map((l) => l.root)).toEqual([true, false]);
  });

  it('takes a struck link out of the chain', () => {
    const state = incident(cause('500s'), cause('gateway timeout'), strike(3, 'not related'));
    expect(state.causeChain.map((l) => l.text)).toEqual(['500s']);
    expect(state.logged).toBe(0);
  });

  it('shows the amended text of a link, keeping its place, categories and root flag', () => {
    const state = incident(
      cause('500s'),
      cause('a loop computing pie', true),
      amend(3, 'a loop computing pi'),
    );
    expect(state.causeChain[1]).toEqual({
      seq: 3,
      text: 'a loop computing pi',
      categories: ['bad-logic'],
      root: true,
    });
  });
});

describe('replayTimeline: tellings', () => {
  it('records status updates by audience and communications by who was told, lower-cased', () => {
    const state = incident(
      { body: { kind: 'status_update', audience: 'support', text: 'investigating' }, at: 5 },
      { body: { kind: 'communication', to: 'Payments-Team', via: 'slack', text: 'fyi' }, at: 6 },
    );
    expect(state.tellings).toEqual([
      { seq: 2, at: atMinute(5), to: 'support', via: 'status update', kind: 'status_update' },
      { seq: 3, at: atMinute(6), to: 'payments-team', via: 'slack', kind: 'communication' },
    ]);
  });

  it('takes a struck telling out', () => {
    const state = incident(
      { kind: 'status_update', audience: 'support', text: 'investigating' },
      { kind: 'communication', to: 'executives', via: 'email' },
      strike(2, 'sent to the wrong channel'),
    );
    expect(state.tellings.map((t) => t.seq)).toEqual([3]);
    expect(state.logged).toBe(0);
  });

  it('finds the last time an audience or person was told, ignoring case', () => {
    const state = incident(
      { body: { kind: 'status_update', audience: 'support', text: 'second' }, at: 30 },
      { body: { kind: 'communication', to: 'support', via: 'email' }, at: 10 },
      { body: { kind: 'communication', to: 'Alice', via: 'phone' }, at: 12 },
    );
    expect(lastToldAt(state, 'support')).toBe(atMinute(30));
    expect(lastToldAt(state, 'ALICE')).toBe(atMinute(12));
    expect(lastToldAt(state, 'executives')).toBeUndefined();
  });
});

describe('replayTimeline: hypotheses', () => {
  it('adds a proposed hypothesis with its statement and first move', () => {
    const state = incident({
      body: hypothesis(1, 'proposed', 'the 14:00 deploy broke checkout'),
      at: 3,
    });
    expect(state.hypotheses).toEqual([
      {
        number: 1,
        statement: 'the 14:00 deploy broke checkout',
        status: 'proposed',
        moves: [{ status: 'proposed', reason: undefined, at: atMinute(3), seq: 2 }],
      },
    ]);
  });

  it('moves a hypothesis, keeping its statement and every move with its reason', () => {
    const state = incident(
      hypothesis(1, 'proposed', 'the deploy'),
      hypothesis(2, 'proposed', 'the database'),
      hypothesis(1, 'testing', 'the deploy'),
      hypothesis(1, 'eliminated', 'the deploy', 'rollback did not help'),
    );
    const [first, second] = state.hypotheses;
    expect(first?.status).toBe('eliminated');
    expect(first?.statement).toBe('the deploy');
    expect(first?.moves.map((m) => [m.status, m.reason, m.seq])).toEqual([
      ['proposed', undefined, 2],
      ['testing', undefined, 4],
      ['eliminated', 'rollback did not help', 5],
    ]);
    expect(second?.status).toBe('proposed');
    expect(second?.moves).toHaveLength(1);
  });
});

describe('replayTimeline: roles', () => {
  it('adds responders once each and removes them', () => {
    const state = incident(
      assign('responder', 'alice'),
      assign('responder', 'bob'),
      assign('responder', 'alice'),
      assign('responder', 'carol'),
      unassign('responder', 'bob'),
    );
    expect(state.roles.responders).toEqual(['alice', 'carol']);
  });

  it('replaces the holder of a lead role and removes it', () => {
    const state = incident(
      assign('communications', 'dana'),
      assign('communications', 'erin'),
      assign('scribe', 'frank'),
      unassign('scribe', 'frank'),
    );
    expect(state.roles).toEqual({ communications: 'erin', responders: [] });
    expect(state.milestones.acknowledged).toBeUndefined();
  });

  it('keeps acknowledged when the commander is removed', () => {
    const state = incident(
      { body: assign('commander', 'alice'), at: 4 },
      unassign('commander', 'alice'),
    );
    expect(state.roles.commander).toBeUndefined();
    expect(state.milestones.acknowledged).toBe(atMinute(4));
  });
});

describe('replayTimeline: details', () => {
  it('changes only the details given', () => {
    const state = incident(
      { kind: 'details_changed', title: 'Card payments fail' },
      { kind: 'details_changed', services: ['checkout', 'payments'] },
    );
    expect(state.title).toBe('Card payments fail');
    expect(state.summary).toBe('card payments fail');
    expect(state.services).toEqual(['checkout', 'payments']);
  });

  it('can clear the summary with an empty one', () => {
    expect(incident({ kind: 'details_changed', summary: '' }).summary).toBe('');
  });
});

describe('replayTimeline: review', () => {
  const added = (number: number, title: string, owner?: string): EntryBody => ({
    kind: 'action_item',
    number,
    item: { title, kind: 'prevent', priority: 'p2', status: 'open', ...(owner ? { owner } : {}) },
  });

  it('adds action items and applies their changes, keeping when each was added', () => {
    const state = incident(
      { body: added(1, 'Validate amounts at the edge'), at: 10 },
      { body: added(2, 'Alert on 5xx ratio', 'dana'), at: 11 },
      {
        body: { kind: 'action_item_changed', number: 1, changes: { owner: 'eve', status: 'done' } },
        at: 30,
      },
    );
    expect(state.actionItems).toMatchObject([
      { number: 1, owner: 'eve', status: 'done', createdAt: atMinute(10), updatedAt: atMinute(30) },
      { number: 2, owner: 'dana', status: 'open', seq: 3 },
    ]);
  });

  it('keeps the latest text of each postmortem section, with who wrote it', () => {
    const state = incident(
      { kind: 'postmortem_section', section: 'summary', text: 'first' },
      { kind: 'postmortem_section', section: 'lucky', text: 'it was a Sunday' },
      { kind: 'postmortem_section', section: 'summary', text: 'second' },
    );
    expect(state.postmortem.sections.summary).toMatchObject({ text: 'second', seq: 4 });
    expect(state.postmortem.sections.lucky?.text).toBe('it was a Sunday');
  });

  it('marks the postmortem complete and reopens it', () => {
    const complete = incident({ body: { kind: 'postmortem_status', status: 'complete' }, at: 60 });
    expect(complete.postmortem).toEqual({
      status: 'complete',
      sections: {},
      completedAt: atMinute(60),
    });
    const reopened = applyEntry(
      complete,
      entry(3, { kind: 'postmortem_status', status: 'draft', reason: 'missed a cause' }),
    );
    expect(reopened.postmortem).toEqual({ status: 'draft', sections: {} });
  });

  it('reads a snapshot stored before reviews existed as one with no review yet', () => {
    const { actionItems: _items, postmortem: _postmortem, ...old } = incident(note());
    const revived = stateFromSnapshot(JSON.stringify(old));
    expect(revived).toEqual(incident(note()));
  });
});

describe('applyEntry', () => {
  it('leaves the state it was given as it was', () => {
    const before = incident(
      { kind: 'impact', impact: { affected: 'subset' } },
      assign('responder', 'alice'),
      assign('commander', 'bob'),
      hypothesis(1, 'proposed', 'the deploy'),
      cause('500s', true),
      { kind: 'status_update', audience: 'support', text: 'looking' },
      note(),
    );
    const snapshot = structuredClone(before);
    const bodies: EntryBody[] = [
      { kind: 'impact', impact: { affected: 'all', dataLost: true } },
      strike(2),
      assign('responder', 'carol'),
      unassign('responder', 'alice'),
      unassign('commander', 'bob'),
      assign('scribe', 'dana'),
      hypothesis(1, 'testing', 'the deploy'),
      cause('the deploy', true),
      amend(6, '500s on /checkout'),
      strike(6),
      strike(7),
      strike(8),
      statusTo('triage', 'resolved'),
      { kind: 'milestone', milestone: 'detected' },
      { kind: 'details_changed', title: 'new', services: ['x'] },
      { kind: 'severity_changed', from: null, to: 'SEV1', reason: 'r' },
    ];
    for (const body of bodies) {
      const next = applyEntry(
        before,
        entry(before.version + 1, body, { occurredAt: atMinute(60) }),
      );
      expect(next).not.toBe(before);
      expect(before).toEqual(snapshot);
    }
  });

  it('folds entry by entry to the same state as a replay', () => {
    const entries = timeline(
      declared(),
      note(),
      { kind: 'impact', impact: { affected: 'all' } },
      strike(2),
    );
    let state: IncidentState | undefined;
    for (const e of entries) state = applyEntry(state, e);
    expect(state).toEqual(replayTimeline(entries));
    expect(state?.version).toBe(seq(4));
  });
});
