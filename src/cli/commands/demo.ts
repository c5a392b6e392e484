import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AppContext, Clock } from '../../app/context.js';
import * as incidents from '../../app/incidents.js';
import { evaluateChecklist } from '../../core/guide/checklist.js';
import { nextSteps } from '../../core/guide/next.js';
import { updateSchedule } from '../../core/guide/schedule.js';
import { type EpochMs, entrySeq, epochMs, type IncidentId } from '../../core/ids.js';
import { findLevel } from '../../core/severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../../core/severity/presets.js';
import { renderList, renderSummary } from '../format/incident.js';
import { renderTimeline } from '../format/timeline.js';
import { examples, type GetContext } from './shared.js';

/** Yesterday's afternoon, minute by minute: every time in the demo is in the past. */
class DemoClock implements Clock {
  private current: number;
  constructor(private readonly day: Date) {
    this.current = day.getTime();
  }
  now(): EpochMs {
    return epochMs(this.current);
  }
  /** HH:MM on the demo's day. */
  time(hhmm: string): EpochMs {
    const [hours, minutes] = hhmm.split(':').map(Number);
    const next = new Date(this.day);
    next.setHours(hours ?? 0, minutes ?? 0, 0, 0);
    return epochMs(next.getTime());
  }
  /** Moves the clock to HH:MM on the demo's day. */
  at(hhmm: string): void {
    this.current = this.time(hhmm);
  }
}

/**
 * A sample incident that walks through every feature, in a throwaway store:
 * the 14:00 deploy breaks card payments; the team assesses, rates, staffs,
 * tells, tests hypotheses, rolls back, traces the root cause, corrects a
 * mistake in the log, resolves and closes. A second report is declined.
 */
export async function runDemo(print: (text: string) => void, keep = false): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'calm-demo-'));
  const { openSqliteStore } = await import('../../store/open.js');
  const store = await openSqliteStore(join(home, 'calm.db'));
  const yesterday = new Date();
  yesterday.setDate(yesterday.getDate() - 1);
  const clock = new DemoClock(yesterday);
  const as = (author: string): AppContext => ({
    store,
    clock,
    author,
    framework: async () => DEFAULT_FRAMEWORK,
  });
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(as) as [
    AppContext,
    AppContext,
    AppContext,
    AppContext,
  ];
  const step = (time: string, command: string) => {
    clock.at(time);
    print(`\n${time}  $ ${command}`);
  };
  const guide = async (id: IncidentId) => {
    const state = await incidents.requireIncident(alice, id);
    const level = state.severity ? findLevel(DEFAULT_FRAMEWORK, state.severity) : undefined;
    const [first] = nextSteps(state, level, clock.now());
    if (first) print(`       calm next: ${first.what}\n                  ${first.command}`);
  };

  try {
    print(`Calm demo: a sample incident, yesterday afternoon, in a throwaway store (${home}).`);
    step(
      '14:08',
      'calm declare "Checkout returns 500 for card payments" --service checkout,payments --impact-started 14:02 --detected 14:06',
    );
    const { state: declared } = await incidents.declareIncident(alice, {
      title: 'Checkout returns 500 for card payments',
      summary: 'Customers cannot pay by card since about the 14:00 deploy.',
      services: ['checkout', 'payments'],
      impactStartedAt: clock.time('14:02'),
      detectedAt: clock.time('14:06'),
    });
    const id = declared.id;
    await guide(id);

    step(
      '14:09',
      'calm impact --affected all --customer-facing checkout --workaround no --rollback yes "every card payment fails with HTTP 500"',
    );
    await incidents.recordImpact(
      alice,
      id,
      {
        affected: 'all',
        customerFacingServices: ['checkout'],
        workaroundAvailable: false,
        canRollBack: true,
        dataLost: false,
      },
      'every card payment fails with HTTP 500',
    );
    step(
      '14:09',
      'calm log "error rate on /checkout jumped to 42% at 14:02; PayPal payments still work"',
    );
    await incidents.logEntry(
      alice,
      id,
      'note',
      'error rate on /checkout jumped to 42% at 14:02; PayPal payments still work',
    );
    step('14:10', 'calm severity assess --customer-facing yes --affected all --workaround no');
    const { assessment } = await incidents.assessAndSetSeverity(alice, id, {
      customerFacing: true,
      affected: 'all',
      workaround: false,
    });
    print(`       ${assessment.level.key} ${assessment.level.name}, because ${assessment.reason}.`);
    await guide(id);

    step(
      '14:11',
      'calm role commander alice && calm role communications bob && calm role scribe carol && calm role responder dave',
    );
    await incidents.assignRole(alice, id, 'commander', 'alice', false);
    await incidents.assignRole(alice, id, 'communications', 'bob', false);
    await incidents.assignRole(alice, id, 'scribe', 'carol', false);
    await incidents.assignRole(alice, id, 'responder', 'dave', false);
    await guide(id);

    step(
      '14:13',
      'calm told responders --via "slack #inc-checkout" && calm told support --via email && calm told executives --via email',
    );
    await incidents.recordCommunication(bob, id, 'responders', 'slack #inc-checkout');
    await incidents.recordCommunication(
      bob,
      id,
      'support',
      'email',
      'SEV1: card payments failing for everyone; updates every 30 min',
    );
    await incidents.recordCommunication(bob, id, 'executives', 'email');
    step(
      '14:14',
      'calm update customers "We are investigating failed card payments. Next update by 15:15."',
    );
    await incidents.postStatusUpdate(
      bob,
      id,
      'customers',
      'We are investigating failed card payments. Next update by 15:15.',
    );
    step('14:14', 'calm status investigating');
    await incidents.changeStatus(alice, id, 'investigating');
    await guide(id);

    step(
      '14:16',
      'calm hypothesis add "the payments database is overloaded" && calm hypothesis add "the 14:00 deploy (v2.14) broke card payments" && calm hypothesis test 1',
    );
    await incidents.proposeHypothesis(alice, id, 'the payments database is overloaded');
    await incidents.proposeHypothesis(alice, id, 'the 14:00 deploy (v2.14) broke card payments');
    await incidents.moveHypothesis(alice, id, 1, 'testing');
    step('14:20', 'calm log --finding "db-payments-1 CPU 20%, p99 query time 4 ms, no lock waits"');
    await incidents.logEntry(
      carol,
      id,
      'finding',
      'db-payments-1 CPU 20%, p99 query time 4 ms, no lock waits',
    );
    step(
      '14:20',
      'calm hypothesis eliminate 1 --reason "database metrics normal throughout" && calm hypothesis test 2',
    );
    await incidents.moveHypothesis(
      alice,
      id,
      1,
      'eliminated',
      'database metrics normal throughout (CPU 20%, p99 4 ms)',
    );
    await incidents.moveHypothesis(alice, id, 2, 'testing');
    step('14:21', 'calm log --as dave "web-3 is down"  (a mistake, struck below)');
    const { entries: wrong } = await incidents.logEntry(dave, id, 'note', 'web-3 is down');
    step(
      '14:22',
      'calm log --finding "v2.14 reached the last host at 14:01; the gateway logs 504 from pricing"',
    );
    const { entries: typo } = await incidents.logEntry(
      carol,
      id,
      'finding',
      'v2.14 reached the last host at 14:01; the gateway logs 504 from pricing',
    );
    step(
      '14:23',
      `calm correct ${typo[0]?.seq} --amend "... at 13:59 ..." --reason "deploy log shows 13:59" && calm correct ${wrong[0]?.seq} --strike --reason "..."`,
    );
    await incidents.correctEntry(
      carol,
      id,
      typo[0]?.seq ?? entrySeq(1),
      'amend',
      'deploy log shows 13:59',
      'v2.14 reached the last host at 13:59; the gateway logs 504 from pricing',
    );
    await incidents.correctEntry(
      dave,
      id,
      wrong[0]?.seq ?? entrySeq(1),
      'strike',
      'web-3 was drained on purpose; not related',
    );

    step('14:24', 'calm log --decision "roll back to v2.13 rather than fix forward"');
    await incidents.logEntry(alice, id, 'decision', 'roll back to v2.13 rather than fix forward');
    step('14:28', 'calm log --action "rolled back checkout to v2.13" --as dave');
    await incidents.logEntry(dave, id, 'action', 'rolled back checkout to v2.13');
    step('14:33', 'calm log --finding "error rate back to 0.1% (baseline) since 14:30"');
    await incidents.logEntry(
      carol,
      id,
      'finding',
      'error rate back to 0.1% (baseline) since 14:30',
    );
    step(
      '14:33',
      'calm hypothesis confirm 2 --reason "errors stopped after rolling back to v2.13" && calm status monitoring',
    );
    await incidents.moveHypothesis(
      alice,
      id,
      2,
      'confirmed',
      'errors stopped after rolling back to v2.13',
    );
    await incidents.changeStatus(alice, id, 'monitoring', 'rolled back; watching the error rate');
    step(
      '14:35',
      'calm update support "Card payments work again since 14:30 after a rollback. Next update 15:05."',
    );
    await incidents.postStatusUpdate(
      bob,
      id,
      'support',
      'Card payments work again since 14:30 after a rollback. Next update 15:05.',
    );
    await guide(id);
    step('14:36', 'calm update responders "rolled back; monitoring until 15:05"');
    await incidents.postStatusUpdate(
      bob,
      id,
      'responders',
      'rolled back to v2.13; monitoring until 15:05',
    );

    step('14:45', 'calm cause add ... (symptom first, down to the root cause)');
    await incidents.addCauseLink(carol, id, '/checkout returns 500 for card payments', [], false);
    await incidents.addCauseLink(
      carol,
      id,
      'the gateway times out calling the pricing service',
      ['hidden-dependency'],
      false,
    );
    await incidents.addCauseLink(
      carol,
      id,
      'CPU at 100% on the pricing hosts',
      ['cpu-maxed'],
      false,
    );
    await incidents.addCauseLink(
      carol,
      id,
      'v2.14 added a loop computing 10,000 digits of pi on every price request',
      ['bad-logic', 'untested-code'],
      true,
    );
    await guide(id);

    step('15:05', 'calm resolve --reason "error rate at baseline for 35 minutes"');
    await incidents.changeStatus(alice, id, 'resolved', 'error rate at baseline for 35 minutes');
    await incidents.postStatusUpdate(
      bob,
      id,
      'customers',
      'Card payments have worked normally since 14:30. We are sorry for the trouble.',
    );
    await guide(id);
    step('16:30', 'calm close --reason "reviewed the log with the team"');
    await incidents.changeStatus(alice, id, 'closed', 'reviewed the log with the team');

    step(
      '16:40',
      'calm declare "Typo on the invoice page" && calm decline --reason "a bug, not an incident"',
    );
    const { state: typoIncident } = await incidents.declareIncident(bob, {
      title: 'Typo on the invoice page',
      services: ['billing'],
    });
    await incidents.changeStatus(
      bob,
      typoIncident.id,
      'declined',
      'a bug, not an incident: filed as BUG-812',
    );

    const { state, entries } = await incidents.getTimeline(alice, id);
    const level = findLevel(DEFAULT_FRAMEWORK, state.severity ?? '');
    print(`\n$ calm status -i ${state.key}`);
    print(
      renderSummary(
        state,
        clock.now(),
        level,
        updateSchedule(state, level, clock.now()),
        evaluateChecklist(state, level),
      ),
    );
    print(`$ calm show ${state.key}`);
    print(renderTimeline(entries));
    print('$ calm list');
    print(renderList(await store.listIncidents()));
    return home;
  } finally {
    await store.close();
    if (!keep) rmSync(home, { recursive: true, force: true });
  }
}

export function registerDemoCommand(program: Command, context: GetContext): void {
  examples(
    program
      .command('demo')
      .description('walk through a sample incident in a throwaway store and print its timeline')
      .option('--keep', 'keep the throwaway store and print where it is')
      .action(async (opts) => {
        const ctx = context();
        const home = await runDemo((text) => ctx.print(text), Boolean(opts.keep));
        if (opts.keep) ctx.print(`\nThe demo store is kept: CALM_HOME=${home} calm show INC-1`);
      }),
    ['calm demo', 'calm demo --keep'],
  );
}
