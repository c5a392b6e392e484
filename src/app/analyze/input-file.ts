import { readFile } from 'node:fs/promises';
import { UserError, type UserErrorCode } from '../../core/errors.js';

/** Why a file could not be read, in words: "no such file", "is a folder", "cannot read it (EACCES)". */
export function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a folder';
  return `cannot read it (${code ?? 'error'})`;
}

/**
 * The text of an input file (--changes, --reports ...); one that is missing,
 * a folder or unreadable is a one-line error: "`flag`: why`hint`".
 */
export async function readInputText(
  path: string,
  flag: string,
  options: { hint?: string; code?: UserErrorCode } = {},
): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`${flag}: ${unreadable(error)}${options.hint ?? ''}`, options.code);
  }
}
