import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

const COMMENT = /^#.*$/gm;

/**
 * Lets the person edit `initial` in their editor ($VISUAL, else $EDITOR), as
 * `git commit` does: `comments` are shown as lines starting with #, and every
 * such line is dropped from what comes back. `missing` says what to do when
 * no editor is set.
 */
export function editInEditor(initial: string, comments: string[], missing: string): string {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor) throw new UserError(`no editor to write in: set $EDITOR, or ${missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'calm-edit-'));
  const file = join(dir, 'TEXT.md');
  try {
    writeFileSync(file, `${initial}\n\n${comments.map((line) => `# ${line}`).join('\n')}\n`);
    // through the shell, as git does, so that EDITOR="code --wait" works
    const run = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    if (run.status !== 0)
      throw new UserError(
        `the editor (${editor}) exited with ${run.status ?? run.signal}; nothing was written`,
      );
    return readFileSync(file, 'utf8').replace(COMMENT, '').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
