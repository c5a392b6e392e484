import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { type EpochMs, epochMs } from '../../core/ids.js';
import type { CliContext } from '../context.js';
import { renderInsights, renderRelated } from '../format/insights.js';
import { examples, type GetContext, jsonOption } from './shared.js';

/** A day (YYYY-MM-DD: its start in UTC, as insights' months are) or any time `--at` takes. */
export function parseDay(ctx: CliContext, input: string | undefined): EpochMs | undefined {
  if (input === undefined) return undefined;
  const text = input.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(ms) || !new Date(ms).toISOString().startsWith(text))
      throw new UserError(`"${input}" is not a day; use YYYY-MM-DD, e.g. 2026-01-31`);
    return epochMs(ms);
  }
  return ctx.when(text);
}

export function registerInsightsCommands(program: Command, context: GetContext): void {
  examples(
    program
      .command('insights')
      .description(
        'what the incidents say together: counts by severity, service and cause, time to detect, acknowledge and resolve by month, open action items, postmortems owed, recurring incidents',
      )
      .option('--since <day>', 'declared on or after this day (UTC) or time')
      .option('--until <day>', 'declared before this day (UTC) or time')
      .option('--personal', 'count your personal incidents too (this machine only)')
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        if (opts.personal && ctx.remote)
          throw new UserError(
            'personal incidents live on this machine, not on the team server; unset CALM_URL to include them',
          );
        const report = await (await ctx.incidents()).insights({
          since: parseDay(ctx, opts.since),
          until: parseDay(ctx, opts.until),
          ...(opts.personal ? { includePersonal: true } : {}),
        });
        if (opts.json) return ctx.json(report);
        ctx.io.out(renderInsights(report));
      }),
    [
      'calm insights',
      'calm insights --since 2026-01-01 --until 2026-04-01',
      'calm insights --json > insights.json',
    ],
  );

  examples(
    program
      .command('related')
      .description(
        'the earlier incidents this one repeats: same stack fingerprint, error message, or cause on the same service',
      )
      .argument('[id]', 'the incident (default: the current one)')
      .addOption(jsonOption())
      .action(async (id: string | undefined, opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const related = await calm.relatedIncidents(await ctx.incidentId(id));
        if (opts.json) return ctx.json(related);
        ctx.io.out(renderRelated(related));
      }),
    ['calm related', 'calm related INC-31 --json'],
  );
}
