import type { Command } from 'commander';
import { Option } from 'commander';
import { UserError } from '../../core/errors.js';
import { parseEntrySeq } from '../../core/ids.js';
import { parseMilestone } from '../../core/incident/milestones.js';
import { LOGGABLE_KINDS, type LoggableKind } from '../../core/timeline/entry.js';
import {
  atOption,
  examples,
  type GetContext,
  incidentOption,
  joinWords,
  jsonOption,
} from './shared.js';

export function registerLogCommands(program: Command, context: GetContext): void {
  examples(
    program
      .command('log')
      .description("append to the current incident's log (a note, unless --kind says otherwise)")
      .argument('<text...>', 'what happened, what you tried, what you found')
      .addOption(
        new Option('-k, --kind <kind>', 'what the entry is')
          .choices(LOGGABLE_KINDS)
          .default('note'),
      )
      .option('--action', 'shorthand for --kind action: a change tried')
      .option('--finding', 'shorthand for --kind finding: evidence')
      .option('--decision', 'shorthand for --kind decision')
      .addOption(incidentOption())
      .addOption(atOption())
      .addOption(jsonOption())
      .action(async (words: string[], opts) => {
        const ctx = context();
        const kind: LoggableKind = opts.action
          ? 'action'
          : opts.finding
            ? 'finding'
            : opts.decision
              ? 'decision'
              : opts.kind;
        const at = ctx.when(opts.at);
        const calm = await ctx.incidents();
        const { state, entries } = await calm.logEntry(
          await ctx.incidentId(opts.incident),
          kind,
          joinWords(words),
          at,
        );
        if (opts.json) return ctx.json(entries);
        ctx.print(`Logged #${entries[0]?.seq} (${kind}) on ${state.key}.`);
      }),
    [
      'calm log "error rate on /checkout at 40%"',
      'calm log --action "rolled back to v2.13"',
      'calm log --finding "db-2 p99 latency normal" --at 14:20',
      'calm log -k decision "keep the feature flag off until Monday" -i INC-3',
    ],
  );

  examples(
    program
      .command('told')
      .description('record who was told about the incident, and through which channel')
      .argument('<who>', 'an audience (support, executives, ...) or a person or team')
      .requiredOption('--via <channel>', 'how: email, slack, phone, in person, status page ...')
      .option('-m, --message <text>', 'what they were told')
      .addOption(incidentOption())
      .addOption(atOption())
      .action(async (who: string, opts) => {
        const ctx = context();
        const at = ctx.when(opts.at);
        const calm = await ctx.incidents();
        const { state, entries } = await calm.recordCommunication(
          await ctx.incidentId(opts.incident),
          who,
          opts.via,
          opts.message,
          at,
        );
        ctx.print(`Logged #${entries[0]?.seq}: told ${who} via ${opts.via} on ${state.key}.`);
      }),
    [
      'calm told support --via email',
      'calm told "Dana (eng manager)" --via phone -m "SEV1, checkout down, rollback under way" --at 14:10',
    ],
  );

  examples(
    program
      .command('correct')
      .description('amend or strike an earlier entry; the original stays in the log')
      .argument('<entry>', 'the entry number shown by `calm show`, e.g. 7')
      .option('--amend <text>', 'the corrected text')
      .option('--strike', 'mark the entry as wrong')
      .requiredOption('--reason <text>', 'why it is corrected')
      .addOption(incidentOption())
      .action(async (entry: string, opts) => {
        const ctx = context();
        if (Boolean(opts.strike) === (opts.amend !== undefined)) {
          throw new UserError('say how to correct it: either --amend "new text" or --strike');
        }
        const seq = parseEntrySeq(entry);
        const calm = await ctx.incidents();
        const { entries } = await calm.correctEntry(
          await ctx.incidentId(opts.incident),
          seq,
          opts.strike ? 'strike' : 'amend',
          opts.reason,
          opts.amend,
        );
        ctx.print(`Logged #${entries[0]?.seq}: ${opts.strike ? 'struck' : 'amended'} #${seq}.`);
      }),
    [
      'calm correct 7 --amend "error rate on /checkout at 4%" --reason "misread the graph"',
      'calm correct 9 --strike --reason "logged on the wrong incident"',
    ],
  );

  examples(
    program
      .command('milestone')
      .description(
        'record when a milestone happened: impact-started, detected, acknowledged, mitigated, resolved, closed',
      )
      .argument('<milestone>', 'which milestone')
      .addOption(atOption())
      .addOption(incidentOption())
      .addOption(jsonOption())
      .action(async (name: string, opts) => {
        const ctx = context();
        const milestone = parseMilestone(name);
        const at = ctx.when(opts.at ?? 'now') ?? ctx.clock.now();
        const calm = await ctx.incidents();
        const { state } = await calm.setMilestone(
          await ctx.incidentId(opts.incident),
          milestone,
          at,
        );
        if (opts.json) return ctx.json(state.milestones);
        ctx.print(`${state.key}: ${milestone.replace('_', ' ')} recorded.`);
      }),
    ['calm milestone impact-started --at 13:50', 'calm milestone detected --at "2026-03-14 09:15"'],
  );
}
