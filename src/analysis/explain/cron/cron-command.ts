/**
 * A short name for a cron command, as people say it: `backup.sh`, not
 * `cd /srv && flock -n /tmp/b.lock nice -n 19 /srv/bin/backup.sh --full >> /var/log/b 2>&1`.
 * Guard clauses (`test -x ... ||`, `cd`), wrappers (nice, flock, timeout,
 * sudo -u, env) and interpreters (python3 manage.py ...) are skipped to reach
 * the program that does the work. Only for display: the whole command is kept.
 */

/** Segments that prepare or guard rather than do the work. */
const GUARDS = new Set([
  'cd',
  'test',
  '[',
  '[[',
  'true',
  ':',
  'sleep',
  'export',
  'source',
  '.',
  'umask',
  'set',
]);
/**
 * Wrappers: how many arguments (besides options) they take before the
 * command, and which of their options take a value as the next word.
 */
const WRAPPERS = new Map<string, { args: number; valued: string[] }>([
  ['nice', { args: 0, valued: ['-n'] }],
  ['ionice', { args: 0, valued: ['-c', '-n', '-p'] }],
  ['nohup', { args: 0, valued: [] }],
  ['chronic', { args: 0, valued: [] }],
  ['cronic', { args: 0, valued: [] }],
  ['time', { args: 0, valued: [] }],
  ['exec', { args: 0, valued: [] }],
  ['env', { args: 0, valued: ['-u'] }],
  ['run-one', { args: 0, valued: [] }],
  ['timeout', { args: 1, valued: ['-s', '-k'] }],
  ['flock', { args: 1, valued: ['-w', '-E'] }],
  ['setlock', { args: 1, valued: [] }],
  ['sudo', { args: 0, valued: ['-u', '-g', '-U', '-C', '-p'] }],
]);
const INTERPRETERS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'python',
  'python2',
  'python3',
  'php',
  'node',
  'ruby',
  'perl',
  'java',
  'deno',
  'bun',
]);
/** Scripts that only dispatch: their first argument names the task. */
const DISPATCHERS = new Set([
  'manage.py',
  'artisan',
  'rake',
  'run-parts',
  'npm',
  'yarn',
  'make',
  'bundle',
  'console',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

const basename = (word: string) => word.replace(/^["']|["']$/g, '').replace(/.*\//, '') || word;

/** The first word after `from` that is not an option (or the value of one in `valued`). */
function skipOptions(words: string[], from: number, valued: readonly string[] = []): number {
  let i = from;
  while (i < words.length && (words[i] ?? '').startsWith('-'))
    i += valued.includes(words[i] ?? '') ? 2 : 1;
  return i;
}

const unquote = (text: string) => text.replace(/^["']/, '').replace(/["']$/, '');

/** What `python3 -m tasks.cleanup`, `bash -c "..."` or `php artisan x` runs. */
function nameAfterInterpreter(words: string[], at: number): string | undefined {
  for (let i = at; i < words.length; i++) {
    const word = words[i] ?? '';
    if (word === '-c') return nameOfSegment(unquote(words.slice(i + 1).join(' ')));
    if (word === '-m') return words[i + 1];
    if (!word.startsWith('-')) return nameOfProgram(words, i);
  }
  return undefined;
}

function nameOfProgram(words: string[], at: number): string | undefined {
  const program = basename(words[at] ?? '');
  if (!program) return undefined;
  if (INTERPRETERS.has(program.replace(/[\d.]+$/, '')))
    return nameAfterInterpreter(words, at + 1) ?? program;
  if (DISPATCHERS.has(program)) {
    const task = words[skipOptions(words, at + 1)];
    if (task !== undefined) return `${program} ${basename(task)}`;
  }
  return program;
}

function nameOfSegment(segment: string): string | undefined {
  const words = segment
    .replace(/\d*[<>]+&?\S*/g, ' ')
    .replace(/^[\s({]+/, '')
    .split(/\s+/)
    .filter((w) => w !== '');
  let i = 0;
  while (i < words.length && ASSIGNMENT.test(words[i] ?? '')) i++;
  if (GUARDS.has(basename(words[i] ?? ''))) return undefined;
  for (;;) {
    const wrapper = WRAPPERS.get(basename(words[i] ?? ''));
    if (!wrapper) break;
    i = skipOptions(words, i + 1, wrapper.valued) + wrapper.args;
    while (i < words.length && ASSIGNMENT.test(words[i] ?? '')) i++;
  }
  return nameOfProgram(words, i);
}

/** The name of the program a cron command runs, for sentences; the command's start when none is found. */
export function commandName(command: string): string {
  for (const segment of command.split(/&&|\|\||;|\|/)) {
    const name = nameOfSegment(segment);
    if (name) return name.replace(/["')}]+$/, '');
  }
  const start = command.trim();
  return start.length > 40 ? `${start.slice(0, 40)}...` : start;
}
