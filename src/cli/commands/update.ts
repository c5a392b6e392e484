import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { UpdateDraft } from '../../core/communication/composer.js';
import { UserError } from '../../core/errors.js';
import { parseAudience } from '../../core/timeline/audience.js';
import {
  atOption,
  examples,
  type GetContext,
  incidentOption,
  joinWords,
  jsonOption,
} from './shared.js';

const COMMENT = /^#.*$/gm;

/**
 * Lets the person edit the draft in their editor ($VISUAL, else $EDITOR), as
 * `git commit` does: lines starting with # are dropped, and an empty text posts
 * nothing.
 */
function editDraft(draft: UpdateDraft, incidentKey: string): string {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor)
    throw new UserError(
      'no editor to edit the draft in: set $EDITOR, or give the text (`calm update support "..."`), or post `--no-news`',
    );
  const dir = mkdtempSync(join(tmpdir(), 'calm-update-'));
  const file = join(dir, 'UPDATE.txt');
  try {
    writeFileSync(
      file,
      [
        draft.text,
        '',
        `# Status update to ${draft.audience} on ${incidentKey}, drafted from the incident's state`,
        '# and latest entries. Edit it; lines starting with # are dropped; an empty update posts nothing.',
        '',
      ].join('\n'),
    );
    // through the shell, as git does, so that EDITOR="code --wait" works
    const run = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    if (run.status !== 0)
      throw new UserError(
        `the editor (${editor}) exited with ${run.status ?? run.signal}; nothing was posted`,
      );
    return readFileSync(file, 'utf8').replace(COMMENT, '').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerUpdateCommand(program: Command, context: GetContext): void {
  examples(
    program
      .command('update')
      .description(
        'post a status update to an audience: your text, a draft to edit, or "no new information"',
      )
      .argument('<audience>', 'responders, support, executives or customers')
      .argument(
        '[text...]',
        'what is happening, who is affected, what we are doing, when the next update comes; without it, edit a draft in $EDITOR',
      )
      .option('-n, --no-news', 'post "no new information since ..., next update by ..." at once')
      .option('--draft', 'print the draft for this audience and post nothing')
      .addOption(incidentOption())
      .addOption(atOption())
      .addOption(jsonOption())
      .action(async (audience: string, words: string[], opts) => {
        const ctx = context();
        const parsed = parseAudience(audience);
        const calm = await ctx.incidents();
        const id = await ctx.incidentId(opts.incident);
        const noNews = opts.news === false;
        if ((opts.draft ? 1 : 0) + (noNews ? 1 : 0) + (words.length ? 1 : 0) > 1)
          throw new UserError('give the text, --no-news or --draft, not more than one');
        if (opts.draft) {
          const draft = await calm.draftStatusUpdate(id, parsed);
          return opts.json ? ctx.json(draft) : ctx.print(draft.text);
        }
        const at = ctx.when(opts.at);
        let written: Awaited<ReturnType<typeof calm.postStatusUpdate>>;
        if (noNews) written = await calm.postNoNewsUpdate(id, parsed, at);
        else {
          const text = words.length
            ? joinWords(words)
            : editDraft(
                await calm.draftStatusUpdate(id, parsed),
                (await calm.requireIncident(id)).key,
              );
          if (!text) throw new UserError('the update was empty, so nothing was posted');
          written = await calm.postStatusUpdate(id, parsed, text, at);
        }
        const { state, entries } = written;
        if (opts.json) return ctx.json({ incident: state, entries });
        const posted = entries[0];
        ctx.print(`Logged #${posted?.seq}: status update to ${parsed} on ${state.key}.`);
        if (noNews && posted?.body.kind === 'status_update') ctx.print(posted.body.text);
      }),
    [
      'calm update support "Card payments fail for all customers; rolling back; next update 15:30"',
      'calm update customers          # edit a draft in $EDITOR, then post it',
      'calm update executives --draft # see the draft only',
      'calm update support -n         # no new information; next update by ...',
    ],
  );
}
