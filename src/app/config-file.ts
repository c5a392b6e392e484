import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { type CalmConfig, parseConfig, toConfigDocument } from '../core/severity/config-schema.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../core/severity/presets.js';

/** Loaded only when a YAML file is read or written; `yaml` is CommonJS, so its API is the default export. */
async function loadYaml() {
  return (await import('yaml')).default;
}

/** Reads and validates a config file; without one, the shipped default framework. */
export async function loadConfig(path: string | undefined): Promise<CalmConfig> {
  if (!path) return { severity: DEFAULT_FRAMEWORK, channels: [] };
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
      document = (await loadYaml()).parse(text);
    }
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    throw new UserError(
      `${basename(path)} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${detail}; fix the syntax`,
      'config',
    );
  }
  return parseConfig(expandEnvironment(document, basename(path), process.env), basename(path));
}

/**
 * `${NAME}` in a string value is replaced by that environment variable, so
 * that secrets (webhook secrets, SMTP passwords) stay out of the file.
 */
export function expandEnvironment(
  value: unknown,
  source: string,
  env: NodeJS.ProcessEnv,
  path = '',
): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined)
        throw new UserError(
          `${source}: ${path || 'the top level'}: \${${name}} is not set in the environment; export it or write the value`,
          'config',
        );
      return found;
    });
  if (Array.isArray(value))
    return value.map((item, index) => expandEnvironment(item, source, env, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        expandEnvironment(item, source, env, path ? `${path}.${key}` : key),
      ]),
    );
  return value;
}

/** The config file a team edits, with a framework written out in full. */
export async function renderConfigFile(
  framework: SeverityFramework,
  preset: string,
): Promise<string> {
  const { stringify } = await loadYaml();
  const document = toConfigDocument(framework);
  const header = [
    `# Calm configuration (preset ${preset}). Edit it to match your team's own framework.`,
    '# severity.levels: most severe first. Each policy says who responds (roles: commander,',
    '#   communications, scribe, responder; teams: free names), who is notified, how often each',
    '#   audience (responders, support, executives, customers) hears an update (30m, 1h ...),',
    '#   and whether a postmortem and customer communication are required.',
    '# severity.rules: the assessment. The first rule whose answers all match suggests its level.',
    '#   Answers: customerFacing, affected (all|subset|internal|none), dataLoss, coreFunction,',
    '#   workaround, performanceOnly. Check a change with `calm severity list`.',
  ].join('\n');
  return `${header}\n${stringify(document, { lineWidth: 100 })}`;
}
