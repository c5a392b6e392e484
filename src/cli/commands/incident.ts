import type { Command } from 'commander';
import { ACTIVE_STATUSES } from '../../app/incidents.js';
import { UserError } from '../../core/errors.js';
import { evaluateChecklist } from '../../core/guide/checklist.js';
import { updateSchedule } from '../../core/guide/schedule.js';
import { parseIncidentKey } from '../../core/ids.js';
import { parseStatus, STATUSES } from '../../core/incident/lifecycle.js';
import { zoneLabel } from '../../core/local-time.js';
import { findLevel } from '../../core/severity/framework.js';
import { renderList, renderSummary } from '../format/incident.js';
import { renderTimeline } from '../format/timeline.js';
import {
  atOption,
  examples,
  type GetContext,
  incidentOption,
  joinWords,
  jsonOption,
  parseList,
} from './shared.js';

export function registerIncidentCommands(program: Command, context: GetContext): void {
  examples(
    program
      .command('declare')
      .description('open an incident and make it the current one')
      .argument('<title...>', 'what is wrong, in a few words')
      .option('--summary <text>', 'a sentence or two on what is known')
      .option('--service <names>', 'affected services, comma-separated', parseList)
      .option(
        '--severity <level>',
        'a level of the severity framework, e.g. SEV2 (or assess it later)',
      )
      .option('--impact-started <time>', 'when impact began, if before now')
      .option('--detected <time>', 'when it was noticed, if before now')
      .option('--at <time>', 'when it was declared, if before now (a log written up afterwards)')
      .option(
        '--personal',
        'your own incident, kept on this machine: no team server, no notifications; review it with `calm reflect`',
      )
      .addOption(jsonOption())
      .action(async (title: string[], opts) => {
        const ctx = context();
        if (opts.personal && ctx.remote)
          throw new UserError(
            'a personal incident stays on this machine, never on the team server; unset CALM_URL to declare it',
          );
        const calm = await ctx.incidents();
        const { state } = await calm.declareIncident({
          title: joinWords(title),
          summary: opts.summary,
          services: opts.service,
          severity: opts.severity,
          impactStartedAt: ctx.when(opts.impactStarted),
          detectedAt: ctx.when(opts.detected),
          declaredAt: ctx.when(opts.at),
          ...(opts.personal ? { personal: true } : {}),
        });
        if (opts.json) return ctx.json(state);
        ctx.print(
          state.personal
            ? `Declared ${state.key} (personal): ${state.title}\nIt stays on this machine and tells nobody. Keep your log with \`calm log\`; review it with \`calm reflect\`.`
            : `Declared ${state.key}: ${state.title}${state.severity ? ` (${state.severity})` : ''}\nIt is now the current incident. Next: \`calm next\``,
        );
      }),
    [
      'calm declare "Checkout returns 500" --service checkout --severity SEV1',
      'calm declare "Push notifications delayed" --impact-started 13:50 --detected 14:02',
      'calm declare --personal "I ran the migration against production"',
    ],
  );

  examples(
    program
      .command('use')
      .description('make an incident the current one')
      .argument('<id>', 'e.g. INC-3')
      .action(async (id: string) => {
        const ctx = context();
        const state = await (await ctx.incidents()).useIncident(parseIncidentKey(id));
        ctx.print(`${state.key} is now the current incident: ${state.title}`);
      }),
    ['calm use INC-3'],
  );

  examples(
    program
      .command('list')
      .description('list incidents, newest first')
      .option('--status <statuses>', `filter by status: ${STATUSES.join(', ')}`, (v) =>
        parseList(v).map(parseStatus),
      )
      .option('--active', 'only incidents being worked on')
      .option('--severity <levels>', 'filter by severity, e.g. SEV1,SEV2', (v) =>
        parseList(v).map((s) => s.toUpperCase()),
      )
      .option('--service <name>', 'filter by affected service')
      .option('--since <time>', 'declared at or after')
      .option('--until <time>', 'declared before')
      .option('--search <words>', 'words in the title or summary')
      .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10))
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const status = opts.active ? ACTIVE_STATUSES : opts.status;
        const list = await calm.listIncidents({
          status: status ? [...status] : undefined,
          severity: opts.severity,
          service: opts.service,
          since: ctx.when(opts.since),
          until: ctx.when(opts.until),
          text: opts.search,
          limit: Number.isFinite(opts.limit) ? opts.limit : undefined,
        });
        if (opts.json) return ctx.json(list);
        ctx.print(renderList(list));
      }),
    [
      'calm list --active',
      'calm list --severity SEV1,SEV2 --since "2026-01-01 00:00" --json',
      'calm list --service checkout --search timeout',
    ],
  );

  examples(
    program
      .command('show')
      .description('the readable timeline of an incident, in local time')
      .argument('[id]', 'the incident (default: the current one)')
      .addOption(jsonOption())
      .action(async (id: string | undefined, opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const {
          incident: state,
          entries,
          origin,
        } = await calm.exportIncident(await ctx.incidentId(id));
        if (opts.json) return ctx.json({ incident: state, entries });
        const framework = await ctx.framework();
        const level = state.severity ? findLevel(framework, state.severity) : undefined;
        const header = `${state.key}  ${state.title}\n${state.severity ? `${state.severity}${level ? ` ${level.name}` : ''}` : 'unrated'} · ${state.status} · ${entries.length} entries · times in ${zoneLabel(ctx.clock.now())}${state.personal ? ' · personal' : ''}${origin.key === state.key ? '' : ` · imported from ${origin.key}`}\n\n`;
        const { earlier } = await calm.relatedIncidents(state.id);
        const before = earlier.length
          ? `This happened before: ${earlier.map((link) => link.key).join(', ')} (see \`calm related ${state.key}\`)\n\n`
          : '';
        ctx.print(header + before + renderTimeline(entries));
      }),
    ['calm show', 'calm show INC-3 --json'],
  );

  examples(
    program
      .command('status')
      .description(
        'without a status: where the incident stands; with one: move it (e.g. identified)',
      )
      .argument('[status]', `the new status: ${STATUSES.join(', ')}`)
      .option('--reason <text>', 'why it moves')
      .addOption(incidentOption())
      .addOption(atOption())
      .addOption(jsonOption())
      .action(async (status: string | undefined, opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const id = await ctx.incidentId(opts.incident);
        if (status) {
          const { state } = await calm.changeStatus(
            id,
            parseStatus(status),
            opts.reason,
            ctx.when(opts.at),
          );
          if (opts.json) return ctx.json(state);
          return ctx.print(`${state.key} is now ${state.status}.`);
        }
        const state = await calm.requireIncident(id);
        const framework = await ctx.framework();
        const level = state.severity ? findLevel(framework, state.severity) : undefined;
        const now = ctx.clock.now();
        const schedule = updateSchedule(state, level, now);
        const checklist = evaluateChecklist(state, level);
        if (opts.json) return ctx.json({ incident: state, updates: schedule, checklist });
        ctx.print(renderSummary(state, now, level, schedule, checklist));
      }),
    [
      'calm status',
      'calm status identified --reason "the 14:00 deploy broke card payments"',
      'calm status --json',
    ],
  );

  const move = (
    name: string,
    to: 'resolved' | 'closed' | 'declined',
    description: string,
    example: string[],
  ) =>
    examples(
      program
        .command(name)
        .description(description)
        .option('--reason <text>', 'why')
        .addOption(incidentOption())
        .addOption(atOption())
        .action(async (opts) => {
          const ctx = context();
          const id = await ctx.incidentId(opts.incident);
          const { state } = await (await ctx.incidents()).changeStatus(
            id,
            to,
            opts.reason,
            ctx.when(opts.at),
          );
          ctx.print(
            `${state.key} is now ${state.status}.${to === 'resolved' ? ' Next: review the log (`calm show`), then `calm close`.' : ''}`,
          );
        }),
      example,
    );
  move('resolve', 'resolved', 'mark the incident resolved: impact is over', [
    'calm resolve --reason "rolled back to v2.13; error rate back to baseline"',
  ]);
  move('close', 'closed', 'close a resolved incident after its review', [
    'calm close --reason "postmortem done"',
  ]);
  move('decline', 'declined', 'decide in triage that this is a bug, not an incident', [
    'calm decline --reason "a bug, not an incident: one user, cosmetic"',
  ]);

  examples(
    program
      .command('edit')
      .description('change the title, summary or services (recorded on the timeline)')
      .option('--title <text>', 'new title')
      .option('--summary <text>', 'new summary')
      .option('--service <names>', 'the affected services, comma-separated', parseList)
      .addOption(incidentOption())
      .action(async (opts) => {
        const ctx = context();
        const id = await ctx.incidentId(opts.incident);
        const { state } = await (await ctx.incidents()).changeDetails(id, {
          title: opts.title,
          summary: opts.summary,
          services: opts.service,
        });
        ctx.print(`${state.key} updated.`);
      }),
    [
      'calm edit --summary "card payments fail with 500 since the 14:00 deploy" --service checkout,payments',
    ],
  );
}
