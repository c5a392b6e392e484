import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { lintIncident } from '../../app/review.js';
import { UserError } from '../../core/errors.js';
import { type BlameFinding, type BlameOptions, lintBlame } from '../../core/review/blame.js';
import { EXIT } from '../exit-codes.js';
import { examples, type GetContext, joinWords, jsonOption } from './shared.js';

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read ${file === '-' ? 'standard input' : file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; give a readable text file`,
    );
  }
}

function render(finding: BlameFinding, where: string): string {
  return [
    `${where}${finding.sentence}`,
    `  ${finding.message}`,
    `  try: ${finding.suggestion}`,
  ].join('\n');
}

export function registerReviewCommands(program: Command, context: GetContext): void {
  examples(
    program
      .command('lint')
      .description(
        "flag blame in text (a person named as the cause, 'careless', 'should have known') and suggest a system-focused wording",
      )
      .argument('[text...]', 'the text to check; or --file, or an incident with -i')
      .option('-f, --file <path>', 'check a file (a postmortem draft); - for standard input')
      .option('-i, --incident <id>', "check every entry of an incident's timeline")
      .addOption(jsonOption())
      .action(async (words: string[], opts) => {
        const ctx = context();
        const given = [words.length > 0, opts.file !== undefined, opts.incident !== undefined];
        if (given.filter(Boolean).length !== 1)
          throw new UserError(
            'give one thing to check: text, --file PATH, or --incident INC-3 (e.g. calm lint "Bob broke it")',
          );
        const config = await ctx.loadConfig();
        const options: BlameOptions = config.review?.blame ?? {};
        if (opts.incident !== undefined) {
          if (ctx.remote)
            throw new UserError(
              'calm lint -i reads the store on this machine; over the API use GET /api/incidents/INC-3/lint',
            );
          const calm = await ctx.app();
          const { incident, findings } = await lintIncident(
            calm,
            await ctx.incidentId(opts.incident),
            options,
          );
          if (opts.json) ctx.json({ incident: incident.key, findings });
          else if (!findings.length) ctx.print(`No blame found in ${incident.key}'s timeline.`);
          else
            ctx.print(
              findings
                .map((f) => render(f, `${incident.key} #${f.seq} (${f.entryKind}): `))
                .join('\n\n'),
            );
          if (findings.length) process.exitCode = EXIT.found;
          return;
        }
        const text = opts.file !== undefined ? readText(opts.file) : joinWords(words);
        const findings = lintBlame(text, options);
        if (opts.json) ctx.json({ findings });
        else if (!findings.length) ctx.print('No blame found.');
        else ctx.print(findings.map((f) => render(f, '')).join('\n\n'));
        if (findings.length) process.exitCode = EXIT.found;
      }),
    [
      'calm lint "Bob broke the deploy because he was careless"',
      'calm lint --file postmortem.md',
      'calm lint -i INC-3 --json',
    ],
  );
}
