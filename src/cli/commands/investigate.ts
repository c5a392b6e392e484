import type { Command } from 'commander';
import { CAUSE_CATEGORIES } from '../../core/cause/categories.js';
import { formatChain } from '../../core/cause/chain.js';
import { parseHypothesisRef } from '../../core/hypothesis/hypothesis.js';
import { describeImpact, type Impact, parseAffected } from '../../core/incident/impact.js';
import { parseRole, ROLE_TITLES } from '../../core/incident/roles.js';
import {
  atOption,
  examples,
  type GetContext,
  incidentOption,
  joinWords,
  jsonOption,
  parseList,
  parseYesNo,
} from './shared.js';

export function registerInvestigationCommands(program: Command, context: GetContext): void {
  const hypothesis = program
    .command('hypothesis')
    .alias('hyp')
    .description('propose, test, eliminate and confirm possible causes');
  examples(
    hypothesis
      .command('add')
      .description('propose a possible cause')
      .argument('<statement...>', 'what might be causing it')
      .addOption(incidentOption())
      .addOption(atOption())
      .action(async (words: string[], opts) => {
        const ctx = context();
        const at = ctx.when(opts.at);
        const { entries } = await (await ctx.incidents()).proposeHypothesis(
          await ctx.incidentId(opts.incident),
          joinWords(words),
          at,
        );
        const body = entries[0]?.body;
        ctx.print(
          `Proposed H${body?.kind === 'hypothesis' ? body.number : '?'}. Test it with \`calm hypothesis test ${body?.kind === 'hypothesis' ? body.number : 'N'}\`.`,
        );
      }),
    ['calm hypothesis add "the 14:00 deploy broke card payments"'],
  );
  const moves = [
    ['test', 'testing', 'start testing a hypothesis', 'calm hypothesis test 1'],
    [
      'eliminate',
      'eliminated',
      'rule a hypothesis out, and say why',
      'calm hypothesis eliminate 2 --reason "db-2 metrics normal through the incident"',
    ],
    [
      'confirm',
      'confirmed',
      'confirm a hypothesis, and say why',
      'calm hypothesis confirm 1 --reason "errors stopped after rolling back"',
    ],
  ] as const;
  for (const [name, status, description, example] of moves) {
    examples(
      hypothesis
        .command(name)
        .description(description)
        .argument('<hypothesis>', 'its number, e.g. 2 or H2')
        .option('--reason <text>', 'why (required to eliminate or confirm)')
        .addOption(incidentOption())
        .addOption(atOption())
        .action(async (ref: string, opts) => {
          const ctx = context();
          const number = parseHypothesisRef(ref);
          const at = ctx.when(opts.at);
          const { state } = await (await ctx.incidents()).moveHypothesis(
            await ctx.incidentId(opts.incident),
            number,
            status,
            opts.reason,
            at,
          );
          ctx.print(`H${number} is ${status} on ${state.key}.`);
        }),
      [example],
    );
  }
  examples(
    hypothesis
      .command('list')
      .description('the hypotheses and every move with its reason')
      .addOption(incidentOption())
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const state = await (await ctx.incidents()).requireIncident(
          await ctx.incidentId(opts.incident),
        );
        if (opts.json) return ctx.json(state.hypotheses);
        if (!state.hypotheses.length)
          return ctx.print('No hypotheses yet. Propose one with `calm hypothesis add "..."`.');
        const lines = state.hypotheses.flatMap((h) => [
          `H${h.number} ${h.status}: ${h.statement}`,
          ...h.moves.slice(1).map((m) => `    -> ${m.status}${m.reason ? `: ${m.reason}` : ''}`),
        ]);
        ctx.print(lines.join('\n'));
      }),
    ['calm hypothesis list'],
  );

  examples(
    program
      .command('impact')
      .description('record who is affected and how (later answers override earlier ones)')
      .argument('[description...]', 'what people see, in words')
      .option('--affected <who>', 'all, subset, internal or none', parseAffected)
      .option(
        '--customer-facing <services>',
        'customer-facing services affected, comma-separated',
        parseList,
      )
      .option('--data-lost <yes|no>', 'was customer data lost?', (v) =>
        parseYesNo(v, '--data-lost'),
      )
      .option('--data-breached <yes|no>', 'was customer data breached or compromised?', (v) =>
        parseYesNo(v, '--data-breached'),
      )
      .option('--workaround <yes|no>', 'is a workaround available?', (v) =>
        parseYesNo(v, '--workaround'),
      )
      .option('--rollback <yes|no>', 'can we roll back?', (v) => parseYesNo(v, '--rollback'))
      .addOption(incidentOption())
      .addOption(atOption())
      .addOption(jsonOption())
      .action(async (words: string[], opts) => {
        const ctx = context();
        const impact: Impact = {};
        if (opts.affected !== undefined) impact.affected = opts.affected;
        if (opts.customerFacing !== undefined) impact.customerFacingServices = opts.customerFacing;
        if (opts.dataLost !== undefined) impact.dataLost = opts.dataLost;
        if (opts.dataBreached !== undefined) impact.dataBreached = opts.dataBreached;
        if (opts.workaround !== undefined) impact.workaroundAvailable = opts.workaround;
        if (opts.rollback !== undefined) impact.canRollBack = opts.rollback;
        const at = ctx.when(opts.at);
        const { state } = await (await ctx.incidents()).recordImpact(
          await ctx.incidentId(opts.incident),
          impact,
          joinWords(words),
          at,
        );
        if (opts.json) return ctx.json(state.impact);
        ctx.print(`${state.key} impact: ${describeImpact(state.impact)}`);
      }),
    [
      'calm impact --affected subset --customer-facing checkout --workaround no --rollback yes "card payments fail for EU customers"',
    ],
  );

  examples(
    program
      .command('role')
      .description(
        'assign a role (commander, communications, scribe, responder); without arguments, list them',
      )
      .argument('[role]', 'commander, communications, scribe or responder')
      .argument('[person]', 'who')
      .option('--remove', 'take the person off the role')
      .addOption(incidentOption())
      .addOption(atOption())
      .addOption(jsonOption())
      .action(async (role: string | undefined, person: string | undefined, opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const id = await ctx.incidentId(opts.incident);
        if (!role) {
          const state = await calm.requireIncident(id);
          if (opts.json) return ctx.json(state.roles);
          const r = state.roles;
          return ctx.print(
            `commander: ${r.commander ?? '—'}\ncommunications: ${r.communications ?? '—'}\nscribe: ${r.scribe ?? '—'}\nresponders: ${r.responders.join(', ') || '—'}`,
          );
        }
        const parsed = parseRole(role);
        const at = ctx.when(opts.at);
        const { state } = await calm.assignRole(id, parsed, person ?? '', Boolean(opts.remove), at);
        ctx.print(
          `${state.key}: ${person} ${opts.remove ? 'is no longer' : 'is'} ${parsed === 'responder' ? 'a responder' : `the ${ROLE_TITLES[parsed]}`}.`,
        );
      }),
    [
      'calm role commander alice',
      'calm role responder bob',
      'calm role responder bob --remove',
      'calm role',
    ],
  );

  const cause = program
    .command('cause')
    .description('the root-cause chain, from the symptom to the root cause');
  examples(
    cause
      .command('add')
      .description('add the next link of the chain (symptom first)')
      .argument('<text...>', 'what happened at this link')
      .option(
        '-c, --category <names>',
        `cause categories: ${Object.keys(CAUSE_CATEGORIES).join(', ')}`,
        parseList,
        [],
      )
      .option('--root', 'this link is the root cause')
      .addOption(incidentOption())
      .addOption(atOption())
      .action(async (words: string[], opts) => {
        const ctx = context();
        const at = ctx.when(opts.at);
        const { state } = await (await ctx.incidents()).addCauseLink(
          await ctx.incidentId(opts.incident),
          joinWords(words),
          opts.category,
          Boolean(opts.root),
          at,
        );
        ctx.print(formatChain(state.causeChain));
      }),
    [
      'calm cause add "/checkout returns 500"',
      'calm cause add "gateway times out calling the pricing service"',
      'calm cause add "CPU at 100% on pricing" -c cpu-maxed',
      'calm cause add --root "a loop computes 10,000 digits of pi per request" -c bad-logic,untested-code',
    ],
  );
  examples(
    cause
      .command('show', { isDefault: true })
      .description('print the chain')
      .addOption(incidentOption())
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const state = await (await ctx.incidents()).requireIncident(
          await ctx.incidentId(opts.incident),
        );
        if (opts.json) return ctx.json(state.causeChain);
        ctx.print(
          state.causeChain.length
            ? formatChain(state.causeChain)
            : 'No cause recorded yet. Start from the symptom: `calm cause add "..."`.',
        );
      }),
    ['calm cause', 'calm cause show --json'],
  );
}
