import { describe, expect, it } from 'vitest';
import { epochMs } from '../ids.js';
import type { IncidentState } from '../incident/incident.js';
import type { SeverityLevel } from '../severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { atMinute, incident, MINUTE, note, type Step } from '../testing/builders.js';
import type { Audience, EntryBody } from '../timeline/entry.js';
import { nextSteps } from './next.js';

const [SEV1, , SEV3] = DEFAULT_FRAMEWORK.levels as [SeverityLevel, SeverityLevel, SeverityLevel];

const impact: EntryBody = { kind: 'impact', impact: { affected: 'all', canRollBack: true } };
const sev1: EntryBody = {
  kind: 'severity_changed',
  from: null,
  to: 'SEV1',
  reason: 'all customers',
};
const sev3: EntryBody = { kind: 'severity_changed', from: null, to: 'SEV3', reason: 'workaround' };
const role = (r: 'commander' | 'communications' | 'scribe', person: string): EntryBody => ({
  kind: 'role_changed',
  role: r,
  person,
  change: 'assigned',
});
const told = (to: string): EntryBody => ({ kind: 'communication', to, via: 'email' });
const update = (audience: Audience): EntryBody => ({
  kind: 'status_update',
  audience,
  text: 'no news',
});
const status = (from: IncidentState['status'], to: IncidentState['status']): EntryBody => ({
  kind: 'status_changed',
  from,
  to,
});
const hypothesis = (
  number: number,
  to: 'proposed' | 'testing' | 'eliminated' | 'confirmed',
  text = `cause ${number}`,
): EntryBody => ({ kind: 'hypothesis', number, status: to, text });

/** Impact assessed, the log started, rated SEV1 and all three lead roles filled. */
const STAFFED_SEV1: EntryBody[] = [
  impact,
  note(),
  sev1,
  role('commander', 'alice'),
  role('communications', 'bob'),
  role('scribe', 'carol'),
];
/** The above, with everyone SEV1 names told. */
const TOLD_SEV1: EntryBody[] = [
  ...STAFFED_SEV1,
  told('responders'),
  told('support'),
  told('executives'),
];

const whats = (state: IncidentState, level: SeverityLevel | undefined, now: number = atMinute(5)) =>
  nextSteps(state, level, epochMs(now)).map((step) => step.what);

describe('nextSteps: getting started', () => {
  it('first suggests assessing the impact of a fresh incident', () => {
    const [first] = nextSteps(incident(), undefined, atMinute(1));
    expect(first).toEqual({
      what: 'Assess the impact.',
      why: 'Who is affected, and whether you can roll back, decide everything that follows.',
      command: 'calm impact --affected all|subset|internal --rollback yes|no',
    });
  });

  it('walks a fresh, unrated incident through the practice in order', () => {
    expect(nextSteps(incident(), undefined, atMinute(1))).toEqual([
      expect.objectContaining({ what: 'Assess the impact.' }),
      {
        what: 'Start the log: write down what the impact is and what has happened.',
        why: 'You will thank yourself later: the log is what the review is built from.',
        command: 'calm log "checkout returns 500 since 14:02"',
      },
      {
        what: 'Determine the severity.',
        why: 'The severity decides who responds, who must be told and how often.',
        command: 'calm severity assess',
      },
      {
        what: 'Report the problem to someone.',
        why: 'Your lead or support should hear it from you first.',
        command: 'calm told support --via email',
      },
      {
        what: 'Move the incident to investigating.',
        why: 'Triage is done once the impact and severity are known.',
        command: 'calm status investigating',
      },
      {
        what: 'Find the root cause: propose what might be causing this.',
        why: 'Eliminate causes one by one, and keep notes of why each was ruled out.',
        command: 'calm hypothesis add "the 14:00 deploy broke checkout"',
      },
    ]);
  });

  it('still suggests assessing the impact first for a fresh SEV1 incident', () => {
    expect(whats(incident(sev1), SEV1)[0]).toBe('Assess the impact.');
  });

  it('drops each step once the log shows it done', () => {
    const state = incident(impact, note(), sev1);
    const steps = whats(state, SEV1);
    expect(steps).not.toContain('Assess the impact.');
    expect(steps).not.toContain('Determine the severity.');
    expect(steps.some((what) => what.startsWith('Start the log'))).toBe(false);
  });

  it('asks for every lead role the level requires', () => {
    const steps = nextSteps(
      incident(impact, note(), sev1, role('communications', 'bob')),
      SEV1,
      atMinute(5),
    );
    expect(steps.filter((s) => s.what.startsWith('Nobody is the'))).toEqual([
      {
        what: 'Nobody is the incident commander: SEV1 requires one.',
        why: 'Named roles keep people from doing work twice or not at all.',
        command: 'calm role commander NAME',
      },
      {
        what: 'Nobody is the scribe: SEV1 requires one.',
        why: 'Named roles keep people from doing work twice or not at all.',
        command: 'calm role scribe NAME',
      },
    ]);
  });

  it('asks for responders when the level requires them, until there is one', () => {
    const level: SeverityLevel = {
      ...SEV3,
      policy: { ...SEV3.policy, responders: { roles: ['responder'], teams: [] } },
    };
    expect(whats(incident(impact, note(), sev3), level)).toContain(
      'Nobody is the responder: SEV3 requires one.',
    );
    const staffed = incident(impact, note(), sev3, {
      kind: 'role_changed',
      role: 'responder',
      person: 'dave',
      change: 'assigned',
    });
    expect(whats(staffed, level).some((what) => what.startsWith('Nobody is the'))).toBe(false);
  });
});

describe('nextSteps: telling people', () => {
  it('says nobody has been told yet, naming everyone the level requires', () => {
    const steps = nextSteps(incident(impact, note(), sev1), SEV1, atMinute(5));
    expect(steps).toContainEqual({
      what: 'Nobody has been told yet: SEV1 requires telling responders, support, executives.',
      why: 'Report the problem early; people who know can help, and support can reassure customers.',
      command: 'calm told responders --via email',
    });
  });

  it('names the next audience once somebody has been told', () => {
    const steps = nextSteps(incident(...STAFFED_SEV1, told('Responders')), SEV1, atMinute(10));
    expect(steps).toContainEqual({
      what: 'Support has not been told yet: SEV1 requires it.',
      why: 'Report the problem early; people who know can help, and support can reassure customers.',
      command: 'calm told support --via email',
    });
  });

  it('counts a status update to an audience as telling it', () => {
    const state = incident(...STAFFED_SEV1, update('responders'), update('support'));
    expect(whats(state, SEV1, atMinute(10))).toContain(
      'Executives has not been told yet: SEV1 requires it.',
    );
  });

  it('asks for nothing more once everyone the level names is told', () => {
    const steps = whats(incident(...TOLD_SEV1), SEV1, atMinute(10));
    expect(steps.some((what) => /told/.test(what))).toBe(false);
  });

  /** SEV1, with everyone it names told at minute 10. */
  const toldAt10 = () =>
    incident(
      ...STAFFED_SEV1,
      { body: told('responders'), at: 10 },
      { body: update('support'), at: 10 },
      { body: told('executives'), at: 10 },
    );

  it('puts overdue updates first, with how late they are', () => {
    // Responders expect an update every 15 minutes: due at minute 25.
    const steps = nextSteps(toldAt10(), SEV1, atMinute(30));
    expect(steps[0]).toEqual({
      what: 'The update to responders is overdue by 5m.',
      why: 'SEV1 promises responders an update every 15m, even when there is no news.',
      command: 'calm update responders "no new information; next update in 15m"',
    });
    expect(steps.slice(1).map((step) => step.what)).toEqual([
      'Move the incident to investigating.',
      'Find the root cause: propose what might be causing this.',
    ]);
  });

  it('does not call an update overdue before it is due', () => {
    expect(whats(toldAt10(), SEV1, atMinute(25)).some((what) => what.includes('overdue'))).toBe(
      false,
    );
  });

  it('lists every overdue update, in the order the level names them', () => {
    // Due at minutes 25 (responders), 40 (support) and 70 (executives).
    expect(whats(toldAt10(), SEV1, atMinute(140)).slice(0, 3)).toEqual([
      'The update to responders is overdue by 1h 55m.',
      'The update to support is overdue by 1h 40m.',
      'The update to executives is overdue by 1h 10m.',
    ]);
  });

  it('calls the first update overdue to an audience the cadence names but nobody told', () => {
    // SEV1 promises customers an update every hour; none has been posted since declaring.
    const state = incident(...TOLD_SEV1);
    const declaredAt = state.milestones.declared ?? state.lastEntryAt;
    const steps = whats(state, SEV1, declaredAt + 3 * 60 * MINUTE);
    expect(steps).toContain('The first update to customers is overdue by 2h.');
    expect(
      whats(state, SEV1, declaredAt + 30 * MINUTE).some((what) => what.includes('customers')),
    ).toBe(false);
  });

  it('stops calling an update overdue once it is sent', () => {
    const base: Step[] = [...TOLD_SEV1, { body: update('responders'), at: 25 }];
    const steps = whats(incident(...base), SEV1, atMinute(30));
    expect(steps.some((what) => what.includes('overdue'))).toBe(false);
  });
});

describe('nextSteps: finding the cause', () => {
  const working = (...steps: EntryBody[]) =>
    incident(...TOLD_SEV1, status('triage', 'investigating'), ...steps);

  it('asks to propose a hypothesis when there is none', () => {
    expect(whats(working(), SEV1, atMinute(12))).toEqual([
      'Find the root cause: propose what might be causing this.',
    ]);
  });

  it('asks to test the first proposed hypothesis', () => {
    expect(nextSteps(working(hypothesis(1, 'proposed', 'the deploy')), SEV1, atMinute(14))).toEqual(
      [
        {
          what: 'Test H1: the deploy.',
          why: 'Slow is smooth, smooth is fast: test one possible cause at a time.',
          command: 'calm hypothesis test 1',
        },
      ],
    );
  });

  it('asks to finish testing before testing another', () => {
    const state = working(
      hypothesis(1, 'proposed', 'the deploy'),
      hypothesis(2, 'proposed', 'the database'),
      hypothesis(2, 'testing', 'the database'),
    );
    expect(nextSteps(state, SEV1, atMinute(16))).toEqual([
      {
        what: 'Finish testing H2: the database.',
        why: 'One thing at a time: eliminate or confirm it, and note why.',
        command: 'calm hypothesis eliminate 2 --reason "..."',
      },
    ]);
  });

  it('moves on to the next proposed hypothesis once one is eliminated', () => {
    const state = working(
      hypothesis(1, 'proposed'),
      hypothesis(2, 'proposed'),
      hypothesis(1, 'testing'),
      hypothesis(1, 'eliminated'),
    );
    expect(whats(state, SEV1, atMinute(16))).toEqual(['Test H2: cause 2.']);
  });

  it('asks for the cause chain and the fix once a hypothesis is confirmed', () => {
    const state = working(hypothesis(1, 'proposed'), hypothesis(1, 'confirmed'));
    expect(nextSteps(state, SEV1, atMinute(14))).toEqual([
      {
        what: 'Record the chain from the symptom to the root cause.',
        why: 'The surfaced problem is often second order; the review needs the whole chain.',
        command: 'calm cause add "500s on /checkout" && calm cause add --root "..."',
      },
      {
        what: 'Resolve the problem, then watch that it stays resolved.',
        why: 'The cause is known; fix it and be extra communicative while you do.',
        command: 'calm status monitoring',
      },
    ]);
  });

  it('asks only for the fix once the root cause is recorded, and to resolve while monitoring', () => {
    const rooted = working({ kind: 'root_cause', text: 'a loop', categories: [], root: true });
    expect(nextSteps(rooted, SEV1, atMinute(14)).map((s) => s.command)).toEqual([
      'calm status monitoring',
    ]);
    const monitoring = incident(
      ...TOLD_SEV1,
      { kind: 'root_cause', text: 'a loop', categories: [], root: true },
      status('triage', 'monitoring'),
    );
    expect(nextSteps(monitoring, SEV1, atMinute(14)).map((s) => s.command)).toEqual([
      'calm resolve',
    ]);
  });
});

describe('nextSteps: after the fix', () => {
  it('suggests reviewing a resolved incident, and nothing about its cause', () => {
    const state = incident(...TOLD_SEV1, status('triage', 'resolved'));
    expect(nextSteps(state, SEV1, atMinute(60 * 24))).toEqual([
      {
        what: 'Review the log: look at each stage and whether the time was used well.',
        why: 'SEV1 requires a postmortem; the log is its first draft.',
        command: 'calm show && calm close',
      },
    ]);
  });

  it('suggests a lighter review when no postmortem is required', () => {
    const worked: EntryBody[] = [
      impact,
      note(),
      sev3,
      role('commander', 'alice'),
      told('responders'),
    ];
    expect(whats(incident(...worked), SEV3).some((what) => what.startsWith('Review the log'))).toBe(
      false,
    );
    const resolved = incident(...worked, status('triage', 'resolved'));
    expect(nextSteps(resolved, SEV3, atMinute(30))).toEqual([
      {
        what: 'Review the log: look at each stage and whether the time was used well.',
        why: 'Small lessons are cheapest to learn right after the incident.',
        command: 'calm show && calm close',
      },
    ]);
  });

  it.each([
    ['closed', [status('triage', 'resolved'), status('resolved', 'closed')]],
    ['declined', [{ kind: 'status_changed', from: 'triage', to: 'declined', reason: 'a bug' }]],
  ] as const)('has nothing to do for a %s incident', (final, steps) => {
    expect(nextSteps(incident(...steps), SEV1, atMinute(60))).toEqual([
      {
        what: `Nothing to do: INC-7 is ${final}.`,
        why: 'Its log is complete.',
        command: 'calm list',
      },
    ]);
  });
});
