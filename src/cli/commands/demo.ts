import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { AppContext, Clock } from '../../app/context.js';
import * as incidents from '../../app/incidents.js';
import { evaluateChecklist } from '../../core/guide/checklist.js';
import { nextSteps } from '../../core/guide/next.js';
import { updateSchedule } from '../../core/guide/schedule.js';
import { type EpochMs, entrySeq, epochMs } from '../../core/ids.js';
import { findLevel } from '../../core/severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../../core/severity/presets.js';
import { renderList, renderSummary } from '../format/incident.js';
import { renderTimeline } from '../format/timeline.js';
import { examples, type GetContext } from './shared.js';

const MINUTE = 60_000;

class DemoClock implements Clock {
  constructor(private current: number) {}
  now(): EpochMs {
    return epochMs(this.current);
  }
  advance(minutes: number): void {
    this.current += minutes * MINUTE;
  }
}

/**
 * A sample incident that walks through every feature, in a throwaway store:
 * a deploy breaks checkout; the team assesses, rates, staffs, tells, tests
 * hypotheses, rolls back, traces the root cause, corrects a mistake in the
 * log, resolves and closes. A second report is declined as a plain bug.
 */
export async function runDemo(print: (text: string) => void, keep = false): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'calm-demo-'));
  const { openSqliteStore } = await import('../../store/open.js');
  const store = await openSqliteStore(join(home, 'calm.db'));
  // Start 3 hours ago, on the minute, so every time shown is in the past.
  const clock = new DemoClock(Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE);
  const as = (author: string): AppContext => ({
    store,
    clock,
    author,
    framework: async () => DEFAULT_FRAMEWORK,
  });
  const alice = as('alice');
  const bob = as('bob');
  const carol = as('carol');
  const dave = as('dave');
  const guide = async (id: Parameters<typeof incidents.requireIncident>[1]) => {
    const state = await incidents.requireIncident(alice, id);
    const level = state.severity ? findLevel(DEFAULT_FRAMEWORK, state.severity) : undefined;
    const [first] = nextSteps(state, level, clock.now());
    if (first) print(`  calm next -> ${first.what}\n               ${first.command}`);
  };
  const step = (text: string) => print(`\n$ ${text}`);

  try {
    print(`Calm demo: a sample incident in a throwaway store (${home}).`);
    const impactStarted = clock.now();
    clock.advance(6);
    step(
      'calm declare "Checkout returns 500 for card payments" --service checkout,payments --impact-started -6m',
    );
    const { state: declared } = await incidents.declareIncident(alice, {
      title: 'Checkout returns 500 for card payments',
      summary: 'Customers cannot pay by card since about the 14:00 deploy.',
      services: ['checkout', 'payments'],
      impactStartedAt: impactStarted,
      detectedAt: epochMs(impactStarted + 4 * MINUTE),
    });
    const id = declared.id;
    await guide(id);

    clock.advance(1);
    step('calm impact --affected all --customer-facing checkout --workaround no --rollback yes');
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
    step('calm log "error rate on /checkout jumped to 42% at 14:02; PayPal payments still work"');
    await incidents.logEntry(
      alice,
      id,
      'note',
      'error rate on /checkout jumped to 42% at 14:02; PayPal payments still work',
    );
    step('calm severity assess --customer-facing yes --affected all --workaround no');
    const { assessment } = await incidents.assessAndSetSeverity(alice, id, {
      customerFacing: true,
      affected: 'all',
      workaround: false,
    });
    print(`  ${assessment.level.key} ${assessment.level.name}, because ${assessment.reason}.`);
    await guide(id);

    clock.advance(1);
    step(
      'calm role commander alice; calm role communications bob; calm role scribe carol; calm role responder dave',
    );
    await incidents.assignRole(alice, id, 'commander', 'alice', false);
    await incidents.assignRole(alice, id, 'communications', 'bob', false);
    await incidents.assignRole(alice, id, 'scribe', 'carol', false);
    await incidents.assignRole(alice, id, 'responder', 'dave', false);
    await guide(id);

    clock.advance(2);
    step('calm told support --via email -m "SEV1: card payments failing; updates every 30 min"');
    await incidents.recordCommunication(
      bob,
      id,
      'support',
      'email',
      'SEV1: card payments failing; updates every 30 min',
    );
    await incidents.recordCommunication(bob, id, 'responders', 'slack #inc-checkout');
    await incidents.recordCommunication(bob, id, 'executives', 'email');
    step(
      'calm update customers "We are investigating failed card payments. Next update in 60 minutes."',
    );
    await incidents.postStatusUpdate(
      bob,
      id,
      'customers',
      'We are investigating failed card payments. Next update in 60 minutes.',
    );
    await incidents.changeStatus(alice, id, 'investigating');
    await guide(id);

    clock.advance(3);
    step(
      'calm hypothesis add "the payments database is overloaded"; calm hypothesis add "the 14:00 deploy (v2.14) broke card payments"',
    );
    await incidents.proposeHypothesis(alice, id, 'the payments database is overloaded');
    await incidents.proposeHypothesis(alice, id, 'the 14:00 deploy (v2.14) broke card payments');
    await incidents.moveHypothesis(alice, id, 1, 'testing');
    clock.advance(4);
    await incidents.logEntry(
      carol,
      id,
      'finding',
      'db-payments-1 CPU 20%, p99 query time 4 ms, no lock waits',
    );
    step('calm hypothesis eliminate 1 --reason "database metrics normal throughout"');
    await incidents.moveHypothesis(
      alice,
      id,
      1,
      'eliminated',
      'database metrics normal throughout (CPU 20%, p99 4 ms)',
    );
    await incidents.moveHypothesis(alice, id, 2, 'testing');
    await incidents.logEntry(
      carol,
      id,
      'finding',
      'errors start 14:02, two minutes after v2.14 reached all hosts; the gateway logs 504 from pricing',
    );
    step(
      'calm log --finding "errors start at 14:02, 2 minutes after v2.14"  (then corrected: it was 3 minutes)',
    );
    const { entries: wrong } = await incidents.logEntry(dave, id, 'note', 'web-3 is down');
    const { entries: typo } = await incidents.logEntry(
      carol,
      id,
      'note',
      'v2.14 reached the last host at 14:00',
    );
    await incidents.correctEntry(
      carol,
      id,
      typo[0]?.seq ?? entrySeq(1),
      'amend',
      'deploy log shows 13:59',
      'v2.14 reached the last host at 13:59',
    );
    await incidents.correctEntry(
      carol,
      id,
      wrong[0]?.seq ?? entrySeq(1),
      'strike',
      'web-3 was drained on purpose; not related',
    );

    clock.advance(5);
    step(
      'calm log --decision "roll back to v2.13 rather than fix forward"; calm log --action "rolled back to v2.13"',
    );
    await incidents.logEntry(alice, id, 'decision', 'roll back to v2.13 rather than fix forward');
    clock.advance(4);
    await incidents.logEntry(dave, id, 'action', 'rolled back checkout to v2.13');
    clock.advance(5);
    await incidents.logEntry(
      carol,
      id,
      'finding',
      'error rate back to 0.1% (baseline) five minutes after the rollback',
    );
    step('calm hypothesis confirm 2 --reason "errors stopped after the rollback"');
    await incidents.moveHypothesis(
      alice,
      id,
      2,
      'confirmed',
      'errors stopped after rolling back to v2.13',
    );
    await incidents.changeStatus(alice, id, 'monitoring', 'rolled back; watching the error rate');
    await incidents.postStatusUpdate(
      bob,
      id,
      'support',
      'Card payments work again since 14:25 after a rollback. Watching for 30 minutes.',
    );

    clock.advance(10);
    step('calm cause add ... (from the symptom to the root cause)');
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

    clock.advance(20);
    step('calm resolve --reason "error rate at baseline for 30 minutes"');
    await incidents.changeStatus(alice, id, 'resolved', 'error rate at baseline for 30 minutes');
    await incidents.postStatusUpdate(
      bob,
      id,
      'customers',
      'Card payments have worked normally since 14:25. We are sorry for the trouble.',
    );
    await guide(id);
    clock.advance(30);
    step('calm close --reason "reviewed the log with the team"');
    await incidents.changeStatus(alice, id, 'closed', 'reviewed the log with the team');

    step('calm declare "Typo on the invoice page"; calm decline --reason "a bug, not an incident"');
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
    step(`calm status -i ${state.key}`);
    print(
      renderSummary(
        state,
        clock.now(),
        level,
        updateSchedule(state, level, clock.now()),
        evaluateChecklist(state, level),
      ),
    );
    step(`calm show ${state.key}`);
    print(renderTimeline(entries));
    step('calm list');
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
