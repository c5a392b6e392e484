import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Kept apart from config-file.ts so that finding the file does not load the
// validator and YAML parser: most commands never read the config.
export const CONFIG_NAMES = ['calm.config.yaml', 'calm.config.yml', 'calm.config.json'] as const;

/** The first config file found in `dirs`, in order. */
export function findConfigFile(dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
  }
  return undefined;
}
