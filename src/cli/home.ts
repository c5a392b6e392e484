import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const HOME_DIR_NAME = '.calm';
export const DB_FILE = 'calm.db';

export interface Locations {
  /** The folder holding the store. */
  home: string;
  /** Folders searched, in order, for calm.config.yaml|yml|json. */
  configDirs: string[];
}

function findUpwards(start: string, name: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Where Calm keeps its data, like git finds its repository: `--home` or
 * CALM_HOME, else the nearest `.calm` folder from here upwards (made by
 * `calm init`), else `~/.calm`. The config file sits beside that `.calm`
 * folder (the project's root) or inside it.
 */
export function locate(cwd: string, env: NodeJS.ProcessEnv, explicitHome?: string): Locations {
  const chosen = explicitHome ?? env.CALM_HOME;
  if (chosen) {
    const home = resolve(cwd, chosen);
    return { home, configDirs: [home, cwd] };
  }
  const found = findUpwards(cwd, HOME_DIR_NAME);
  if (found) return { home: found, configDirs: [dirname(found), found] };
  const home = join(homedir(), HOME_DIR_NAME);
  return { home, configDirs: [cwd, home] };
}
