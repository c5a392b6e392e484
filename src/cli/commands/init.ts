import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { CONFIG_NAMES } from '../../app/config-locate.js';
import { UserError } from '../../core/errors.js';
import { PRESET_NAMES, type PresetName, presetFramework } from '../../core/severity/presets.js';
import { DB_FILE, HOME_DIR_NAME } from '../home.js';
import { examples, type GetContext } from './shared.js';

export function registerInitCommand(program: Command, context: GetContext): void {
  examples(
    program
      .command('init')
      .description(
        'set Calm up in this folder: a .calm store and a calm.config.yaml with a severity framework',
      )
      .addOption(
        new Option('--preset <name>', 'the severity scale to start from')
          .choices(PRESET_NAMES)
          .default('sev1-sev3'),
      )
      .option('--force', 'overwrite an existing calm.config.yaml')
      .action(async (opts) => {
        const ctx = context();
        const { renderConfigFile } = await import('../../app/config-file.js');
        // Beside the data, like `git init`: ./.calm and ./calm.config.yaml, or
        // both inside the folder that --home or CALM_HOME names.
        const explicitHome = ctx.options.home ?? ctx.io.env.CALM_HOME;
        const home = explicitHome
          ? resolve(ctx.io.cwd, explicitHome)
          : join(ctx.io.cwd, HOME_DIR_NAME);
        const configDir = explicitHome ? home : ctx.io.cwd;
        const existing = CONFIG_NAMES.map((name) => join(configDir, name)).find((path) =>
          existsSync(path),
        );
        if (existing && !opts.force) {
          throw new UserError(
            `${relative(ctx.io.cwd, existing) || existing} already exists; edit it, or pass --force to replace it`,
          );
        }
        const preset = opts.preset as PresetName;
        mkdirSync(home, { recursive: true });
        const configPath = join(configDir, 'calm.config.yaml');
        writeFileSync(configPath, await renderConfigFile(presetFramework(preset), preset));
        // Opening the store creates and migrates it.
        ctx.options.home = home;
        await ctx.app();
        ctx.print(
          `Calm is set up: store ${relative(ctx.io.cwd, join(home, DB_FILE)) || DB_FILE}, severity framework in ${relative(ctx.io.cwd, configPath) || configPath} (${preset}).\nDeclare an incident with \`calm declare "checkout is down"\`.`,
        );
      }),
    ['calm init', 'calm init --preset sev0-sev4'],
  );
}
