import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import type { HypothesisStatus } from '../hypothesis/hypothesis.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import {
  applyChanges,
  atMinute,
  entry,
  incident,
  note,
  seq,
  strike,
  T0,
} from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import {
  addCauseLink,
  assignRole,
  changeDetails,
  changeStatus,
  correctEntry,
  declareIncident,
  logText,
  moveHypothesis,
  proposeHypothesis,
  recordCommunication,
  recordImpact,
  recordStatusUpdate,
  setMilestone,
  setSeverity,
} from './commands.js';
import type { IncidentState } from './incident.js';

/** Runs `act` and returns the UserError it throws. */
function userError(act: () => unknown): UserError {
  try {
    act();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

const fresh = () => incident();

describe('declareIncident', () => {
  it('declares with a trimmed title and defaults for the rest', () => {
    expect(declareIncident({ title: '  Checkout down ' }, DEFAULT_FRAMEWORK)).toEqual([
      { body: { kind: 'declared', title: 'Checkout down', summary: '', services: [] } },
    ]);
  });

  it('records the severity (by its canonical key), impact start and detection time', () => {
    const changes = declareIncident(
      {
        title: 'Checkout down',
        summary: ' card payments fail ',
        services: ['checkout'],
        severity: 'sev1',
        impactStartedAt: atMinute(-20),
        detectedAt: atMinute(-5),
      },
      DEFAULT_FRAMEWORK,
    );
    expect(changes).toEqual([
      {
        body: {
          kind: 'declared',
          title: 'Checkout down',
          summary: 'card payments fail',
          services: ['checkout'],
        },
      },
      { body: { kind: 'severity_changed', from: null, to: 'SEV1', reason: 'set when declared' } },
      { body: { kind: 'milestone', milestone: 'impact_started' }, occurredAt: atMinute(-20) },
      { body: { kind: 'milestone', milestone: 'detected' }, occurredAt: atMinute(-5) },
    ]);
  });

  it('keeps the reason given for the severity', () => {
    const changes = declareIncident(
      { title: 'x', severity: 'SEV2', severityReason: 'a subset of customers' },
      DEFAULT_FRAMEWORK,
    );
    expect(changes[1]?.body).toMatchObject({ to: 'SEV2', reason: 'a subset of customers' });
  });

  it('refuses an empty title', () => {
    const error = userError(() => declareIncident({ title: '   ' }, DEFAULT_FRAMEWORK));
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/^the title is empty; /);
  });

  it('refuses a severity the framework does not have', () => {
    expect(() => declareIncident({ title: 'x', severity: 'P1' }, DEFAULT_FRAMEWORK)).toThrow(
      'unknown severity "P1"; this team\'s levels are SEV1, SEV2, SEV3 (see `calm severity list`)',
    );
  });
});

describe('logText', () => {
  it.each(['note', 'action', 'finding', 'decision'] as const)(
    'logs a %s with trimmed text',
    (kind) => {
      expect(logText(kind, '  rolled back to v2.13\n')).toEqual([
        { body: { kind, text: 'rolled back to v2.13' } },
      ]);
    },
  );

  it('refuses empty text, naming the kind', () => {
    expect(() => logText('finding', ' \t ')).toThrow(
      'the finding is empty; write what happened, e.g. calm log "rolled back to v2.13"',
    );
  });
});

describe('recordImpact', () => {
  it('records the impact and a trimmed description', () => {
    expect(recordImpact({ affected: 'all' }, ' checkout is down ')).toEqual([
      { body: { kind: 'impact', impact: { affected: 'all' }, text: 'checkout is down' } },
    ]);
  });

  it('leaves out a blank description', () => {
    expect(recordImpact({ canRollBack: false }, '  ')).toEqual([
      { body: { kind: 'impact', impact: { canRollBack: false } } },
    ]);
  });

  it('accepts words alone', () => {
    expect(recordImpact({}, 'slow pages')[0]?.body).toEqual({
      kind: 'impact',
      impact: {},
      text: 'slow pages',
    });
  });

  it('refuses an impact with nothing in it', () => {
    expect(() => recordImpact({})).toThrow(/^no impact given; /);
    expect(() => recordImpact({ affected: undefined }, ' ')).toThrow(UserError);
  });
});

describe('hypotheses', () => {
  it('numbers proposed hypotheses H1, H2, ...', () => {
    const first = proposeHypothesis(fresh(), ' the deploy broke checkout ');
    expect(first).toEqual([
      {
        body: {
          kind: 'hypothesis',
          number: 1,
          status: 'proposed',
          text: 'the deploy broke checkout',
        },
      },
    ]);
    const state = applyChanges(fresh(), first);
    expect(proposeHypothesis(state, 'the database')[0]?.body).toMatchObject({ number: 2 });
  });

  it('refuses an empty hypothesis', () => {
    expect(() => proposeHypothesis(fresh(), '')).toThrow(/^the hypothesis is empty; /);
  });

  type Move = [to: 'testing' | 'eliminated' | 'confirmed', reason?: string];

  /** An incident with H1 "the deploy", moved as listed. */
  function withHypothesis(...moves: Move[]) {
    let state = applyChanges(fresh(), proposeHypothesis(fresh(), 'the deploy'));
    for (const [to, reason] of moves) {
      state = applyChanges(state, moveHypothesis(state, 1, to, reason));
    }
    return state;
  }

  it('moves a hypothesis to testing without a reason', () => {
    expect(moveHypothesis(withHypothesis(), 1, 'testing', undefined)).toEqual([
      { body: { kind: 'hypothesis', number: 1, status: 'testing', text: 'the deploy' } },
    ]);
  });

  it('eliminates a hypothesis with a trimmed reason', () => {
    expect(
      moveHypothesis(withHypothesis(['testing']), 1, 'eliminated', ' no deploy today '),
    ).toEqual([
      {
        body: {
          kind: 'hypothesis',
          number: 1,
          status: 'eliminated',
          text: 'the deploy',
          reason: 'no deploy today',
        },
      },
    ]);
  });

  it('confirms a proposed hypothesis directly and reopens it for testing', () => {
    const confirmed = withHypothesis(['confirmed', 'rollback fixed it']);
    expect(confirmed.hypotheses[0]?.status).toBe('confirmed');
    const reopened = applyChanges(
      confirmed,
      moveHypothesis(confirmed, 1, 'testing', 'errors are back'),
    );
    expect(reopened.hypotheses[0]?.status).toBe('testing');
    expect(reopened.hypotheses[0]?.moves.at(-1)?.reason).toBe('errors are back');
  });

  it.each(['eliminated', 'confirmed'] as const)(
    'refuses to mark a hypothesis %s without a reason',
    (to) => {
      const state = withHypothesis(['testing']);
      for (const reason of [undefined, '', '   ']) {
        const error = userError(() => moveHypothesis(state, 1, to, reason));
        expect(error.code).toBe('invalid');
        expect(error.message).toBe(
          `say why H1 is ${to}: add --reason "..." (the log keeps why each cause was ruled in or out)`,
        );
      }
    },
  );

  it('refuses a hypothesis the incident does not have, listing the ones it has', () => {
    const none = userError(() => moveHypothesis(fresh(), 3, 'testing', undefined));
    expect(none.code).toBe('not_found');
    expect(none.message).toBe(
      'INC-7 has no hypothesis H3 (it has none yet); see `calm hypothesis list`',
    );
    const some = userError(() => moveHypothesis(withHypothesis(), 2, 'testing', undefined));
    expect(some.message).toContain('(it has H1)');
  });

  it.each<[string, Move[], HypothesisStatus, string]>([
    [
      'proposed again',
      [],
      'proposed',
      'H1 is proposed and cannot become proposed; from proposed it can become testing or eliminated or confirmed',
    ],
    [
      'tested twice',
      [['testing']],
      'testing',
      'H1 is testing and cannot become testing; from testing it can become eliminated or confirmed',
    ],
    [
      'confirmed once eliminated',
      [['eliminated', 'no deploy today']],
      'confirmed',
      'H1 is eliminated and cannot become confirmed; from eliminated it can become testing',
    ],
    [
      'eliminated once confirmed',
      [['confirmed', 'rollback fixed it']],
      'eliminated',
      'H1 is confirmed and cannot become eliminated; from confirmed it can become testing',
    ],
  ])('refuses a hypothesis %s', (_name, moves, to, message) => {
    const error = userError(() => moveHypothesis(withHypothesis(...moves), 1, to, 'a reason'));
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toBe(message);
  });
});

describe('setSeverity', () => {
  it('records the change from the current severity, with the canonical key', () => {
    expect(setSeverity(fresh(), DEFAULT_FRAMEWORK, ' sev2 ', ' a subset is affected ')).toEqual([
      {
        body: { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'a subset is affected' },
      },
    ]);
    const sev2 = applyChanges(fresh(), setSeverity(fresh(), DEFAULT_FRAMEWORK, 'SEV2', 'r'));
    expect(setSeverity(sev2, DEFAULT_FRAMEWORK, 'SEV1', '')[0]?.body).toEqual({
      kind: 'severity_changed',
      from: 'SEV2',
      to: 'SEV1',
      reason: 'no reason given',
    });
  });

  it('refuses to set the severity the incident already has, in any case', () => {
    const sev2 = applyChanges(fresh(), setSeverity(fresh(), DEFAULT_FRAMEWORK, 'SEV2', 'r'));
    const error = userError(() => setSeverity(sev2, DEFAULT_FRAMEWORK, 'sev2', 'again'));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('INC-7 is already SEV2; nothing to change');
  });

  it('refuses an unknown severity', () => {
    const error = userError(() => setSeverity(fresh(), DEFAULT_FRAMEWORK, 'SEV0', 'r'));
    expect(error.code).toBe('invalid');
    expect(error.message).toContain('unknown severity "SEV0"');
  });
});

describe('changeStatus', () => {
  it('records a legal move with its trimmed reason', () => {
    expect(changeStatus(fresh(), 'investigating', '  on it ')).toEqual([
      { body: { kind: 'status_changed', from: 'triage', to: 'investigating', reason: 'on it' } },
    ]);
    expect(changeStatus(fresh(), 'resolved')).toEqual([
      { body: { kind: 'status_changed', from: 'triage', to: 'resolved' } },
    ]);
  });

  it('refuses an illegal move', () => {
    const error = userError(() => changeStatus(fresh(), 'closed'));
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toContain('from triage it can move to investigating, identified');
  });

  it('declines an incident only with a reason', () => {
    expect(() => changeStatus(fresh(), 'declined', ' ')).toThrow(
      'say why this is not an incident: add --reason "a bug, not an incident: ..."',
    );
    expect(changeStatus(fresh(), 'declined', 'a bug')[0]?.body).toEqual({
      kind: 'status_changed',
      from: 'triage',
      to: 'declined',
      reason: 'a bug',
    });
  });

  it('refuses to move a closed incident', () => {
    const closed = applyChanges(applyChanges(fresh(), changeStatus(fresh(), 'resolved')), [
      { body: { kind: 'status_changed', from: 'resolved', to: 'closed' } },
    ]);
    expect(userError(() => changeStatus(closed, 'investigating')).code).toBe('illegal_transition');
  });
});

describe('assignRole', () => {
  const withRoles = (...bodies: EntryBody[]) => incident(...bodies);
  const assigned = (role: 'commander' | 'responder', person: string): EntryBody => ({
    kind: 'role_changed',
    role,
    person,
    change: 'assigned',
  });

  it('assigns a lead role, naming who held it before', () => {
    expect(assignRole(fresh(), 'commander', ' alice ')).toEqual([
      { body: { kind: 'role_changed', role: 'commander', person: 'alice', change: 'assigned' } },
    ]);
    expect(assignRole(withRoles(assigned('commander', 'alice')), 'commander', 'bob')).toEqual([
      {
        body: {
          kind: 'role_changed',
          role: 'commander',
          person: 'bob',
          change: 'assigned',
          previous: 'alice',
        },
      },
    ]);
  });

  it('removes the holder of a lead role', () => {
    expect(
      assignRole(withRoles(assigned('commander', 'alice')), 'commander', 'alice', true),
    ).toEqual([
      { body: { kind: 'role_changed', role: 'commander', person: 'alice', change: 'removed' } },
    ]);
  });

  it('refuses to assign a lead role to the person who holds it', () => {
    const error = userError(() =>
      assignRole(withRoles(assigned('commander', 'alice')), 'commander', 'alice'),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('alice is already the commander on INC-7');
  });

  it('refuses to remove someone who does not hold the lead role', () => {
    const error = userError(() =>
      assignRole(withRoles(assigned('commander', 'alice')), 'commander', 'bob', true),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('bob is not the commander on INC-7');
    expect(userError(() => assignRole(fresh(), 'scribe', 'bob', true)).code).toBe('not_found');
  });

  it('adds and removes responders', () => {
    expect(assignRole(fresh(), 'responder', 'carol')[0]?.body).toEqual({
      kind: 'role_changed',
      role: 'responder',
      person: 'carol',
      change: 'assigned',
    });
    expect(
      assignRole(withRoles(assigned('responder', 'carol')), 'responder', 'carol', true)[0]?.body,
    ).toEqual({
      kind: 'role_changed',
      role: 'responder',
      person: 'carol',
      change: 'removed',
    });
  });

  it('refuses to add a responder twice or remove one who is not there', () => {
    const twice = userError(() =>
      assignRole(withRoles(assigned('responder', 'carol')), 'responder', 'carol'),
    );
    expect(twice.code).toBe('conflict');
    expect(twice.message).toBe('carol is already a responder on INC-7');
    const missing = userError(() => assignRole(fresh(), 'responder', 'dave', true));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toBe('dave is not a responder on INC-7');
  });

  it('refuses an empty name', () => {
    expect(() => assignRole(fresh(), 'scribe', '  ')).toThrow(/^the name is empty; /);
  });
});

describe('telling people', () => {
  it('records a status update with trimmed text', () => {
    expect(recordStatusUpdate('support', ' still investigating ')).toEqual([
      { body: { kind: 'status_update', audience: 'support', text: 'still investigating' } },
    ]);
    expect(() => recordStatusUpdate('support', '')).toThrow(/^the status update is empty; /);
  });

  it('records who was told through which channel', () => {
    expect(recordCommunication(' executives ', ' email ', ' heads-up ')).toEqual([
      { body: { kind: 'communication', to: 'executives', via: 'email', text: 'heads-up' } },
    ]);
    expect(recordCommunication('support', 'slack')).toEqual([
      { body: { kind: 'communication', to: 'support', via: 'slack' } },
    ]);
  });

  it('refuses a communication without a recipient or a channel', () => {
    expect(() => recordCommunication('', 'email')).toThrow(/^the name of who was told is empty; /);
    expect(() => recordCommunication('support', ' ')).toThrow(/^the channel is empty; /);
  });
});

describe('addCauseLink', () => {
  it('records a link with its categories and root flag', () => {
    expect(addCauseLink(' a loop computing pi ', ['bad-logic', 'cpu-maxed'], true)).toEqual([
      {
        body: {
          kind: 'root_cause',
          text: 'a loop computing pi',
          categories: ['bad-logic', 'cpu-maxed'],
          root: true,
        },
      },
    ]);
  });

  it('refuses an empty cause', () => {
    expect(() => addCauseLink(' ', [], false)).toThrow(/^the cause is empty; /);
  });
});

describe('setMilestone', () => {
  it('records the milestone at the time given', () => {
    expect(setMilestone('impact_started', atMinute(-45))).toEqual([
      { body: { kind: 'milestone', milestone: 'impact_started' }, occurredAt: atMinute(-45) },
    ]);
  });

  it('refuses to set the declared time', () => {
    expect(() => setMilestone('declared', T0)).toThrow(
      'the declared time is when the incident was opened and cannot be set; set impact-started or detected instead',
    );
  });
});

describe('changeDetails', () => {
  it('records only the details given, trimmed', () => {
    expect(changeDetails({ title: ' New title ', services: ['api'] })).toEqual([
      { body: { kind: 'details_changed', title: 'New title', services: ['api'] } },
    ]);
    expect(changeDetails({ summary: '  ' })).toEqual([
      { body: { kind: 'details_changed', summary: '' } },
    ]);
  });

  it('refuses an empty title and a change with nothing in it', () => {
    expect(() => changeDetails({ title: '' })).toThrow(/^the title is empty; /);
    expect(() => changeDetails({})).toThrow(
      'nothing to change; give --title, --summary or --services',
    );
  });
});

describe('correctEntry', () => {
  const entries = {
    note: entry(2, note('rolled back')),
    impact: entry(3, { kind: 'impact', impact: { affected: 'all' } }),
    status: entry(4, { kind: 'status_changed', from: 'triage', to: 'investigating' }),
    severity: entry(5, { kind: 'severity_changed', from: null, to: 'SEV1', reason: 'r' }),
    hypothesis: entry(6, { kind: 'hypothesis', number: 1, status: 'proposed', text: 'x' }),
    role: entry(7, { kind: 'role_changed', role: 'scribe', person: 'a', change: 'assigned' }),
    cause: entry(8, { kind: 'root_cause', text: 'cpu', categories: [], root: true }),
  };
  const state: IncidentState = incident(
    entries.note.body,
    entries.impact.body,
    entries.status.body,
    entries.severity.body,
    entries.hypothesis.body,
    entries.role.body,
    entries.cause.body,
  );
  const notStruck = { struck: false };

  it('strikes an entry with a trimmed reason', () => {
    expect(
      correctEntry(state, entries.note, seq(2), notStruck, 'strike', ' wrong incident '),
    ).toEqual([
      { body: { kind: 'correction', target: 2, action: 'strike', reason: 'wrong incident' } },
    ]);
  });

  it('strikes an impact entry', () => {
    expect(
      correctEntry(state, entries.impact, seq(3), notStruck, 'strike', 'other service')[0]?.body,
    ).toEqual({ kind: 'correction', target: 3, action: 'strike', reason: 'other service' });
  });

  it('amends an entry with its new text', () => {
    expect(
      correctEntry(state, entries.cause, seq(8), notStruck, 'amend', 'typo', ' CPU at 100% '),
    ).toEqual([
      {
        body: {
          kind: 'correction',
          target: 8,
          action: 'amend',
          text: 'CPU at 100%',
          reason: 'typo',
        },
      },
    ]);
  });

  it('refuses an entry that does not exist', () => {
    const error = userError(() =>
      correctEntry(state, undefined, seq(99), notStruck, 'strike', 'r'),
    );
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('INC-7 has no entry #99; see the numbers in `calm show`');
  });

  it.each([
    ['status', 4, 'status changed'],
    ['severity', 5, 'severity changed'],
    ['hypothesis', 6, 'hypothesis'],
    ['role', 7, 'role changed'],
  ] as const)('refuses to correct a %s entry Calm recorded', (name, n, label) => {
    for (const action of ['strike', 'amend'] as const) {
      const error = userError(() =>
        correctEntry(state, entries[name], seq(n), notStruck, action, 'r', 'text'),
      );
      expect(error.code).toBe('invalid');
      expect(error.message).toBe(
        `entry #${n} (${label}) was recorded by Calm and cannot be corrected; make a new change instead`,
      );
    }
  });

  it('refuses to correct the declared entry', () => {
    const declaredEntry = entry(1, { kind: 'declared', title: 't', summary: '', services: [] });
    expect(() => correctEntry(state, declaredEntry, seq(1), notStruck, 'strike', 'r')).toThrow(
      'entry #1 (declared) was recorded by Calm',
    );
  });

  it('refuses to correct an entry that is already struck', () => {
    for (const action of ['strike', 'amend'] as const) {
      const error = userError(() =>
        correctEntry(state, entries.note, seq(2), { struck: true }, action, 'again', 'text'),
      );
      expect(error.code).toBe('conflict');
      expect(error.message).toBe('entry #2 is already struck');
    }
  });

  it('refuses a correction without a reason', () => {
    expect(() => correctEntry(state, entries.note, seq(2), notStruck, 'strike', '  ')).toThrow(
      /^the reason for the correction is empty; /,
    );
  });

  it('refuses to amend an impact entry', () => {
    expect(() =>
      correctEntry(state, entries.impact, seq(3), notStruck, 'amend', 'typo', 'subset'),
    ).toThrow(
      'an impact entry cannot be amended; strike it and log the right impact with `calm impact`',
    );
  });

  it('refuses an amendment without new text', () => {
    expect(() => correctEntry(state, entries.note, seq(2), notStruck, 'amend', 'typo')).toThrow(
      /^the amended text is empty; /,
    );
  });

  it('takes the struck entry out of the state once applied', () => {
    const struck = applyChanges(
      state,
      correctEntry(state, entries.impact, seq(3), notStruck, 'strike', 'r'),
    );
    expect(struck.impact).toEqual({});
    const alsoNote = applyChanges(struck, [{ body: strike(2) }]);
    expect(alsoNote.logged).toBe(0);
  });
});
