import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { type CalmConfig, parseConfig } from '../core/severity/config-schema.js';
import { DEFAULT_FRAMEWORK } from '../core/severity/presets.js';

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

/** Reads and validates a config file; without one, the shipped default framework. */
export async function loadConfig(path: string | undefined): Promise<CalmConfig> {
  if (!path) return { severity: DEFAULT_FRAMEWORK };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(
      `cannot read the config file ${path}; check the path or run \`calm init\``,
      'config',
    );
  }
  let document: unknown;
  try {
    if (path.endsWith('.json')) {
      document = JSON.parse(text);
    } else {
      const { parse } = await import('yaml');
      document = parse(text);
    }
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    throw new UserError(
      `${basename(path)} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${detail}; fix the syntax`,
      'config',
    );
  }
  return parseConfig(document, basename(path));
}
