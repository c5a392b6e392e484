import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { exportMarkdown } from '../../app/export.js';
import { evaluateChecklist } from '../../core/guide/checklist.js';
import { nextSteps } from '../../core/guide/next.js';
import { findLevel } from '../../core/severity/framework.js';
import { renderChecklist } from '../format/incident.js';
import { examples, type GetContext, incidentOption, jsonOption } from './shared.js';

export function registerGuideCommands(program: Command, context: GetContext): void {
  examples(
    program
      .command('next')
      .description('what to do now, and why, judged from what the log holds')
      .addOption(incidentOption())
      .option('--all', 'list every open step, not just the first three')
      .addOption(jsonOption())
      .action(async (opts) => {
        const ctx = context();
        const calm = await ctx.incidents();
        const state = await calm.requireIncident(await ctx.incidentId(opts.incident));
        const framework = await ctx.framework();
        const level = state.severity ? findLevel(framework, state.severity) : undefined;
        const steps = nextSteps(state, level, ctx.clock.now());
        const checklist = evaluateChecklist(state, level);
        if (opts.json) return ctx.json({ incident: state.key, next: steps, checklist });
        const [first, ...later] = steps;
        const lines = [`${state.key}  ${state.title}`, ''];
        if (first)
          lines.push(`Now: ${first.what}`, `  Why: ${first.why}`, `  Log it: ${first.command}`);
        const shown = opts.all ? later : later.slice(0, 2);
        if (shown.length)
          lines.push('', 'Then:', ...shown.map((s) => `  - ${s.what}  (${s.command})`));
        lines.push('', 'Checklist:', ...renderChecklist(checklist));
        ctx.print(lines.join('\n'));
      }),
    ['calm next', 'calm next --all', 'calm next --json'],
  );

  examples(
    program
      .command('export')
      .description('the whole incident: JSON (lossless) or Markdown')
      .argument('[id]', 'the incident (default: the current one)')
      .addOption(
        new Option('--format <format>', 'json or md').choices(['json', 'md']).default('md'),
      )
      .option('-o, --output <file>', 'write to a file instead of printing')
      .action(async (id: string | undefined, opts) => {
        const ctx = context();
        const exported = await (await ctx.incidents()).exportIncident(await ctx.incidentId(id));
        const { incident: state, entries, origin } = exported;
        const text =
          opts.format === 'json'
            ? `${JSON.stringify(exported, null, 2)}\n`
            : exportMarkdown(state, entries, origin.key === state.key ? undefined : origin.key);
        if (opts.output) {
          writeFileSync(resolve(ctx.io.cwd, opts.output), text);
          return ctx.print(`Wrote ${state.key} to ${opts.output}.`);
        }
        ctx.io.out(text);
      }),
    ['calm export --format md -o INC-3.md', 'calm export INC-3 --format json'],
  );
}
