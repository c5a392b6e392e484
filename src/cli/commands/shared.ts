import { type Command, Option } from 'commander';
import { UserError } from '../../core/errors.js';
import type { CliContext } from '../context.js';

export type GetContext = () => CliContext;

export const incidentOption = () =>
  new Option('-i, --incident <id>', 'the incident (default: the current one, see `calm use`)');
export const atOption = () =>
  new Option('--at <time>', 'when it happened, if not now: 14:02, "2026-03-14 14:02", "15m ago"');
export const jsonOption = () => new Option('--json', 'print JSON instead of text');

export function parseYesNo(value: string, flag: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (['yes', 'y', 'true', '1'].includes(normalized)) return true;
  if (['no', 'n', 'false', '0'].includes(normalized)) return false;
  throw new UserError(`${flag} takes yes or no, not "${value}"`);
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Adds an "Examples:" block to a command's --help. */
export function examples(command: Command, lines: string[]): Command {
  return command.addHelpText(
    'after',
    `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`,
  );
}

export function joinWords(words: string[] | string): string {
  return Array.isArray(words) ? words.join(' ') : words;
}
