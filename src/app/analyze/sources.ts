import { createReadStream, type Stats, statSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UserError } from '../../core/errors.js';

/** Something to read: a file, a gzip file, or standard input. */
export interface LogSource {
  /** As the user will recognise it in evidence: a path relative to where they ran Calm, or "stdin". */
  name: string;
  size?: number;
  /** The file's absolute path (not for standard input): what worker threads open. */
  path?: string;
  gzip?: boolean;
  open(): AsyncIterable<Uint8Array>;
}

const READ_BYTES = 1 << 20;

/**
 * Bytes [start, end) of a plain file, read into one buffer over and over: a
 * chunk is valid only until the next is asked for (the reader decodes each
 * at once). No buffer per chunk means no megabytes of garbage per megabyte
 * read, which kept the threads' memory high.
 */
async function* readRange(path: string, start: number, end: number): AsyncGenerator<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (let position = start; position < end; ) {
      const { bytesRead } = await file.read(
        buffer,
        0,
        Math.min(READ_BYTES, end - position),
        position,
      );
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** Bytes [start, end) of a file (`end` undefined: to its end), gunzipped when it is gzip. */
export function openFile(
  path: string,
  gzip: boolean,
  start = 0,
  end = Number.POSITIVE_INFINITY,
): AsyncIterable<Uint8Array> {
  if (gzip) return createReadStream(path).pipe(createGunzip());
  return readRange(path, start, end);
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.calm']);

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(path, found);
    } else if (entry.isFile()) {
      found.push(path);
    }
  }
}

function fileSource(path: string, cwd: string, stats: Stats): LogSource {
  const name = relative(cwd, path) || path;
  const gzip = path.endsWith('.gz');
  return { name, size: stats.size, path, gzip, open: () => openFile(path, gzip) };
}

/**
 * Turns the command's arguments into sources: files, folders (recursively),
 * globs (quoted, so the shell leaves them alone), `.gz` files, and `-` for
 * standard input. A path that matches nothing is a user error.
 */
export async function resolveSources(
  args: readonly string[],
  cwd: string,
  stdin: () => AsyncIterable<Uint8Array>,
): Promise<LogSource[]> {
  const sources: LogSource[] = [];
  const seen = new Set<string>();
  const addFile = (path: string) => {
    const absolute = resolve(cwd, path);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    sources.push(fileSource(absolute, cwd, statSync(absolute)));
  };
  for (const arg of args.length ? args : ['-']) {
    if (arg === '-') {
      sources.push({ name: 'stdin', open: stdin });
      continue;
    }
    if (isDynamicPattern(arg)) {
      const matches = (await glob(arg, { cwd, absolute: true, onlyFiles: true })).sort();
      if (matches.length === 0) throw new UserError(`no file matches ${arg}; check the pattern`);
      for (const match of matches) addFile(match);
      continue;
    }
    const path = resolve(cwd, arg);
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      throw new UserError(`cannot read ${arg}: no such file or folder`);
    }
    if (stats.isDirectory()) {
      const files: string[] = [];
      await walk(path, files);
      if (files.length === 0) throw new UserError(`the folder ${arg} holds no files`);
      for (const file of files) addFile(file);
    } else {
      addFile(path);
    }
  }
  return sources;
}
