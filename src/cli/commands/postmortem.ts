import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ReviewSettings } from '../../app/postmortem.js';
import { reviewClock } from '../../app/postmortem.js';
import { UserError } from '../../core/errors.js';
import { sectionText } from '../../core/review/postmortem.js';
import {
  POSTMORTEM_SECTION_TITLES,
  parsePostmortemSection,
} from '../../core/review/postmortem-record.js';
import { renderStageReview } from '../../core/review/stages-text.js';
import { parseDuration } from '../../core/time.js';
import type { CliContext } from '../context.js';
import { editInEditor } from '../editor.js';
import { examples, type GetContext, incidentOption, joinWords, jsonOption } from './shared.js';

const FORMATS = ['md', 'html', 'json'] as const;

function parseGap(input: string): number {
  const ms = parseDuration(input);
  if (ms === undefined || ms < 60_000)
    throw new UserError(
      `--gap takes a duration of a minute or more, e.g. 45m or 1h, not "${input}"`,
    );
  return Math.round(ms / 60_000);
}

/** The team's review settings: the config file's, with --gap over them. Remote, the server's apply. */
async function settingsOf(ctx: CliContext, gap: number | undefined): Promise<ReviewSettings> {
  const review = ctx.remote ? undefined : (await ctx.loadConfig()).review;
  const gapMinutes = gap ?? review?.gapMinutes;
  return {
    ...(gapMinutes !== undefined ? { gapMinutes } : {}),
    ...(review?.blame ? { blame: review.blame } : {}),
  };
}

export function registerPostmortemCommands(program: Command, context: GetContext): void {
  const postmortem = program
    .command('postmortem')
    .description(
      "the incident's postmortem, drafted from its log: print it (Markdown, HTML or JSON), write its sections, mark it complete",
    )
    .argument('[incident]', 'the incident (default: the current one)')
    .option('--format <format>', 'md, html or json', 'md')
    .option('--out <file>', 'write it to a file instead of printing it')
    .option('--stages', 'print only the stage review: where the time went')
    .option('--gap <duration>', 'show silences in the log longer than this (default 30m)', parseGap)
    .action(async (incident: string | undefined, opts) => {
      const ctx = context();
      if (opts.stages) return printStages(ctx, incident, opts.gap, false);
      const format = FORMATS.find((f) => f === String(opts.format).toLowerCase());
      if (!format) throw new UserError(`--format takes md, html or json, not "${opts.format}"`);
      const calm = await ctx.incidents();
      const id = await ctx.incidentId(incident);
      const settings = await settingsOf(ctx, opts.gap);
      const text =
        format === 'json'
          ? `${JSON.stringify(await calm.draftPostmortem(id, settings), null, 2)}\n`
          : await calm.renderPostmortem(id, format, settings);
      if (!opts.out) return ctx.io.out(text);
      writeFileSync(resolve(ctx.io.cwd, opts.out), text);
      ctx.print(`Wrote the postmortem to ${opts.out}.`);
    });
  examples(postmortem, [
    'calm postmortem                      # the current incident, as Markdown',
    'calm postmortem INC-3 --format html --out INC-3-postmortem.html',
    'calm postmortem write lucky "A staging snapshot taken 6 hours earlier existed."',
    'calm postmortem write summary        # edit the drafted summary in $EDITOR',
    'calm postmortem complete',
  ]);

  postmortem
    .command('write')
    .description("write a section, replacing Calm's draft of it")
    .argument(
      '<section>',
      'summary, impact, detection, response, investigation, root-cause, resolution, went-well, went-poorly, lucky',
    )
    .argument(
      '[text...]',
      'the text; - reads standard input; without it, edit the current draft in $EDITOR',
    )
    .addOption(incidentOption())
    .addOption(jsonOption())
    .action(async (sectionName: string, words: string[], opts) => {
      const ctx = context();
      const section = parsePostmortemSection(sectionName);
      const calm = await ctx.incidents();
      const id = await ctx.incidentId(opts.incident);
      let text: string;
      if (words.length === 1 && words[0] === '-') text = readFileSync(0, 'utf8');
      else if (words.length) text = joinWords(words);
      else {
        const model = await calm.draftPostmortem(id, await settingsOf(ctx, undefined));
        const name = section.replace(/_/g, '-');
        text = editInEditor(
          sectionText(model, section),
          [
            `${POSTMORTEM_SECTION_TITLES[section]} of the postmortem of ${model.key}, as drafted now.`,
            'Edit it; lines starting with # are dropped; an empty text writes nothing.',
          ],
          `give the text (\`calm postmortem write ${name} "..."\`, or - for standard input)`,
        );
        if (!text) throw new UserError('the section was empty, so nothing was written');
      }
      const { state, entries } = await calm.writePostmortemSection(id, section, text);
      if (opts.json) return ctx.json({ incident: state, entries });
      const name = section.replace(/_/g, '-');
      ctx.print(
        entries[0]
          ? `Logged #${entries[0].seq}: the ${name} section of ${state.key}'s postmortem.`
          : `The ${name} section of ${state.key}'s postmortem already says that; nothing was logged.`,
      );
    });

  postmortem
    .command('complete')
    .description(
      'mark the postmortem complete (the incident resolved or closed; action items with owners where the level requires)',
    )
    .argument('[incident]', 'the incident (default: the current one)')
    .addOption(jsonOption())
    .action(async (incident: string | undefined, opts) => {
      const ctx = context();
      const calm = await ctx.incidents();
      const { state, entries } = await calm.completePostmortem(await ctx.incidentId(incident));
      if (opts.json) return ctx.json({ incident: state, entries });
      ctx.print(`Logged #${entries[0]?.seq}: the postmortem of ${state.key} is complete.`);
    });

  postmortem
    .command('reopen')
    .description('reopen a completed postmortem, saying why')
    .argument('[incident]', 'the incident (default: the current one)')
    .requiredOption('--reason <text>', 'why it is reopened')
    .addOption(jsonOption())
    .action(async (incident: string | undefined, opts) => {
      const ctx = context();
      const calm = await ctx.incidents();
      const { state, entries } = await calm.reopenPostmortem(
        await ctx.incidentId(incident),
        opts.reason,
      );
      if (opts.json) return ctx.json({ incident: state, entries });
      ctx.print(`Logged #${entries[0]?.seq}: the postmortem of ${state.key} is open again.`);
    });

  examples(
    program
      .command('stages')
      .description(
        'the stage review: time to detect, acknowledge, declare, mitigate, resolve; hypotheses; gaps; late updates',
      )
      .argument('[incident]', 'the incident (default: the current one)')
      .option(
        '--gap <duration>',
        'show silences in the log longer than this (default 30m)',
        parseGap,
      )
      .addOption(jsonOption())
      .action((incident: string | undefined, opts) =>
        printStages(context(), incident, opts.gap, Boolean(opts.json)),
      ),
    ['calm stages', 'calm stages INC-3 --gap 1h --json'],
  );
}

async function printStages(
  ctx: CliContext,
  incident: string | undefined,
  gap: number | undefined,
  json: boolean,
): Promise<void> {
  const calm = await ctx.incidents();
  const review = await calm.incidentStages(
    await ctx.incidentId(incident),
    await settingsOf(ctx, gap),
  );
  if (json) return ctx.json(review);
  ctx.print(
    `${review.incident}: where the time went\n\n${renderStageReview(review.stages, reviewClock)}`,
  );
}
