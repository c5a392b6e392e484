import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { PERSONAL_POSTMORTEM_SECTIONS } from '../../core/review/postmortem-record.js';
import type { CliContext } from '../context.js';
import { examples, type GetContext, incidentOption, joinWords, jsonOption } from './shared.js';

const SECTIONS = PERSONAL_POSTMORTEM_SECTIONS.map((s) => s.replace(/_/g, '-')).join(', ');

/** Personal incidents live in this machine's store: the team server never has one. */
async function here(ctx: CliContext) {
  if (ctx.remote)
    throw new UserError(
      'personal postmortems are kept on this machine, not on the team server; unset CALM_URL',
    );
  return ctx.app();
}

export function registerReflectCommands(program: Command, context: GetContext): void {
  const reflect = program
    .command('reflect')
    .description(
      'your personal postmortem of a personal incident (calm declare --personal): what happened, what you did, what you would do differently, what you change and what the team should',
    )
    .argument('[id]', 'the incident (default: the current one)')
    .option('-o, --output <file>', 'write the Markdown to a file')
    .addOption(jsonOption())
    .action(async (id: string | undefined, opts) => {
      const ctx = context();
      const app = await here(ctx);
      const { personalPostmortem } = await import('../../app/personal.js');
      const { model, markdown } = await personalPostmortem(app, await ctx.incidentId(id));
      if (opts.json) return ctx.json(model);
      if (opts.output) {
        writeFileSync(resolve(ctx.io.cwd, opts.output), markdown);
        return ctx.print(`Wrote the personal postmortem of ${model.key} to ${opts.output}.`);
      }
      ctx.io.out(markdown);
    });
  examples(reflect, [
    'calm reflect',
    'calm reflect write do-differently "ask for a second pair of eyes before a migration"',
    'calm reflect INC-4 -o my-postmortem.md',
  ]);

  examples(
    reflect
      .command('write')
      .description(`write a section in your own words (replaces its draft): ${SECTIONS}`)
      .argument('<section>', SECTIONS)
      .argument('<text...>', 'the section')
      .addOption(incidentOption())
      .action(async (section: string, words: string[], opts) => {
        const ctx = context();
        const app = await here(ctx);
        const { writePersonalSection } = await import('../../app/personal.js');
        const { state, entries } = await writePersonalSection(
          app,
          await ctx.incidentId(opts.incident),
          section,
          joinWords(words),
        );
        ctx.print(
          entries.length
            ? `Wrote ${section} of ${state.key}'s personal postmortem (#${entries[0]?.seq}).`
            : `${section} of ${state.key} already says that; nothing written.`,
        );
      }),
    ['calm reflect write what-i-did "rolled back within 5 minutes, then told my lead"'],
  );
}
