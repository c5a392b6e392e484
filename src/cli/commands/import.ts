import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { examples, type GetContext, jsonOption } from './shared.js';

export function registerImportCommand(program: Command, context: GetContext): void {
  examples(
    program
      .command('import')
      .description(
        'bring in an incident exported as JSON (calm export --format json) from another store, with its whole timeline and postmortem, under a new id',
      )
      .argument('<file>', 'the export; - for standard input')
      .addOption(jsonOption())
      .action(async (file: string, opts) => {
        const ctx = context();
        const name = file === '-' ? 'standard input' : file;
        let text: string;
        try {
          text = readFileSync(file === '-' ? 0 : resolve(ctx.io.cwd, file), 'utf8');
        } catch (error) {
          throw new UserError(
            `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; give the file calm export wrote`,
          );
        }
        const { parseIncidentJson } = await import('../../app/import.js');
        const value = parseIncidentJson(text, name);
        const { state, entries, originKey } = await (await ctx.incidents()).importIncident(value);
        if (opts.json) return ctx.json({ incident: state, entries, origin: { key: originKey } });
        ctx.print(
          `Imported ${originKey} as ${state.key}: ${state.title} (${entries.length} entries). See \`calm show ${state.key}\`.`,
        );
      }),
    ['calm import INC-3.json', 'curl -s $SERVER/api/incidents/INC-3/export | calm import -'],
  );
}
