import type { Command } from 'commander';
import type { ActionItemFilter } from '../../app/action-items.js';
import {
  type ActionItemFields,
  parseActionItemKind,
  parseActionItemPriority,
  parseActionItemRef,
  parseActionItemStatus,
} from '../../core/review/action-item.js';
import type { CliContext } from '../context.js';
import { actionItemTable, describeFields } from '../format/action-items.js';
import {
  atOption,
  examples,
  type GetContext,
  incidentOption,
  joinWords,
  jsonOption,
  parseList,
} from './shared.js';

interface FieldOptions {
  title?: string;
  kind?: string;
  priority?: string;
  status?: string;
  owner?: string;
  due?: string;
  link?: string;
}

/** The fields given as options, parsed (the due day and link are checked by the domain). */
function fieldsOf(opts: FieldOptions): Partial<ActionItemFields> {
  return {
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    ...(opts.kind !== undefined ? { kind: parseActionItemKind(opts.kind) } : {}),
    ...(opts.priority !== undefined ? { priority: parseActionItemPriority(opts.priority) } : {}),
    ...(opts.status !== undefined ? { status: parseActionItemStatus(opts.status) } : {}),
    ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
    ...(opts.due !== undefined ? { due: opts.due } : {}),
    ...(opts.link !== undefined ? { link: opts.link } : {}),
  };
}

/**
 * Without a server, the overdue items' reminders are queued by `calm actions`
 * and `calm notifications` and delivered before the command exits (as the
 * CLI delivers all its news); a daily `calm actions --overdue` in cron keeps
 * them going out. On a team server its sweep does this.
 */
export async function queueOverdueReminders(ctx: CliContext): Promise<void> {
  if (ctx.remote) return;
  const app = await ctx.app();
  const channels = (await app.channels?.()) ?? [];
  if (!channels.length || !app.outbox) return;
  const { queueActionItemReminders } = await import('../../app/action-item-reminders.js');
  await queueActionItemReminders({
    incidents: app.store,
    outbox: app.outbox,
    channels,
    now: ctx.clock.now(),
  });
}

const kindHelp = 'prevent, detect, mitigate or process';

export function registerActionItemCommands(program: Command, context: GetContext): void {
  const action = examples(
    program
      .command('action')
      .description(
        "the review's follow-ups: add one, change one, mark one done (list: calm actions)",
      ),
    ['calm action add "alert on queue depth" --kind detect --owner bob --due 2026-04-01'],
  );
  const change = async (
    ref: string,
    opts: FieldOptions & { incident?: string; reason?: string; json?: boolean },
  ) => {
    const ctx = context();
    const number = parseActionItemRef(ref);
    const calm = await ctx.incidents();
    const { state, entries } = await calm.changeActionItem(
      await ctx.incidentId(opts.incident),
      number,
      fieldsOf(opts),
      opts.reason,
    );
    if (opts.json) return ctx.json(entries);
    const body = entries[0]?.body;
    const what = body?.kind === 'action_item_changed' ? describeFields(body.changes) : '';
    ctx.print(`Updated A${number} of ${state.key}: ${what}.`);
  };

  examples(
    action
      .command('add')
      .description('add an action item to the incident (any time: during the incident too)')
      .argument('<title...>', 'what will change, e.g. "alert on queue depth"')
      .option('--kind <kind>', `${kindHelp} (default prevent)`)
      .option('--owner <name>', 'who will do it (required before a postmortem is complete)')
      .option('--due <day>', 'due by the end of this day, YYYY-MM-DD')
      .option('--priority <p>', 'p1, p2 or p3 (default p2)')
      .option('--link <url>', 'where the work is tracked: the issue or pull request')
      .addOption(incidentOption())
      .addOption(atOption())
      .addOption(jsonOption())
      .action(async (words: string[], opts) => {
        const ctx = context();
        const at = ctx.when(opts.at);
        const fields = fieldsOf(opts);
        const calm = await ctx.incidents();
        const { state, entries } = await calm.addActionItem(
          await ctx.incidentId(opts.incident),
          { ...fields, title: joinWords(words) },
          at,
        );
        if (opts.json) return ctx.json(entries);
        const body = entries[0]?.body;
        if (body?.kind !== 'action_item') return;
        const { title, status: _open, ...rest } = body.item;
        ctx.print(`Added A${body.number} to ${state.key}: ${title} (${describeFields(rest)}).`);
      }),
    [
      'calm action add "alert on checkout 5xx rate" --kind detect --owner bob --due 2026-04-01',
      'calm action add "mandatory review for config changes" --kind process --priority p1 -i INC-3',
    ],
  );

  examples(
    action
      .command('update')
      .description('change an action item: status, owner, due day, priority, kind, title, link')
      .argument('<item>', 'its number as shown, e.g. A2')
      .option('--status <status>', 'open, in_progress, done or wont_do (needs --reason)')
      .option('--owner <name>', 'who will do it')
      .option('--due <day>', 'due by the end of this day, YYYY-MM-DD')
      .option('--priority <p>', 'p1, p2 or p3')
      .option('--kind <kind>', kindHelp)
      .option('--title <text>', 'what will change')
      .option('--link <url>', 'where the work is tracked')
      .option('--reason <text>', 'why (required when it will not be done)')
      .addOption(incidentOption())
      .addOption(jsonOption())
      .action(change),
    [
      'calm action update A2 --owner carol --due 2026-04-15',
      'calm action update A3 --status wont_do --reason "the queue is being removed"',
    ],
  );

  examples(
    action
      .command('done')
      .description('mark an action item done')
      .argument('<item>', 'its number as shown, e.g. A2')
      .option('--reason <text>', 'a note on how it was done')
      .addOption(incidentOption())
      .addOption(jsonOption())
      .action((ref: string, opts) => change(ref, { ...opts, status: 'done' })),
    ['calm action done A2', 'calm action done A1 -i INC-3'],
  );

  examples(
    program
      .command('actions')
      .description(
        'action items across incidents (or of one), overdue first; reminds of overdue ones',
      )
      .option('-i, --incident <id>', "only this incident's items")
      .option('--open', 'only items still to do (open or in progress)')
      .option('--overdue', 'only items past their due day')
      .option('--owner <name>', "only this person's or team's items")
      .option('--status <list>', 'only these statuses, e.g. done,wont_do')
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const status = opts.open
          ? (['open', 'in_progress'] as const)
          : opts.status
            ? parseList(opts.status).map(parseActionItemStatus)
            : undefined;
        const filter: ActionItemFilter = {
          ...(status ? { status: [...status] } : {}),
          ...(opts.overdue ? { overdue: true } : {}),
          ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
        };
        const calm = await ctx.incidents();
        const rows =
          opts.incident !== undefined
            ? await calm.listActionItems(await ctx.incidentId(opts.incident), filter)
            : await calm.listActionItemsAcross(filter);
        await queueOverdueReminders(ctx);
        if (opts.json) return ctx.json(rows);
        ctx.print(
          rows.length
            ? actionItemTable(rows, opts.incident !== undefined)
            : 'No action items match. Add one with `calm action add "..." --owner NAME --due YYYY-MM-DD`.',
        );
      }),
    ['calm actions --open', 'calm actions --overdue --owner bob', 'calm actions -i INC-3 --json'],
  );
}
