import { join, resolve } from 'node:path';
import { findConfigFile } from '../app/config-locate.js';
import type { AppContext } from '../app/context.js';
import { systemClock } from '../app/context.js';
import { resolveIncidentId } from '../app/incidents.js';
import { UserError } from '../core/errors.js';
import type { EpochMs, IncidentId } from '../core/ids.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../core/severity/presets.js';
import { parseWhen } from '../core/time.js';
import type { IncidentStore } from '../store/store.js';
import { DB_FILE, type Locations, locate } from './home.js';

export interface GlobalOptions {
  home?: string;
  config?: string;
  as?: string;
}

export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  isInteractive: boolean;
  /** This program's entry script: worker threads start from it. */
  script?: URL;
}

/**
 * One command's view of the world: where the data is, who is acting, and the
 * store and config, opened only when the command first needs them so that
 * `calm log` stays fast.
 */
export class CliContext {
  private store?: IncidentStore;
  private framework?: Promise<SeverityFramework>;
  readonly clock = systemClock;

  constructor(
    readonly io: Io,
    readonly options: GlobalOptions,
  ) {}

  get locations(): Locations {
    return locate(this.io.cwd, this.io.env, this.options.home);
  }

  get author(): string {
    return (
      this.options.as ??
      this.io.env.CALM_USER ??
      this.io.env.USER ??
      this.io.env.USERNAME ??
      'unknown'
    );
  }

  async configPath(): Promise<string | undefined> {
    const explicit = this.options.config ?? this.io.env.CALM_CONFIG;
    if (explicit) return resolve(this.io.cwd, explicit);
    return findConfigFile(this.locations.configDirs);
  }

  loadFramework(): Promise<SeverityFramework> {
    this.framework ??= (async () => {
      const path = await this.configPath();
      // Without a config file the shipped default applies, and the validator need not load.
      if (!path) return DEFAULT_FRAMEWORK;
      const { loadConfig } = await import('../app/config-file.js');
      return (await loadConfig(path)).severity;
    })();
    return this.framework;
  }

  async app(): Promise<AppContext> {
    if (!this.store) {
      const { openPostgresStore, openSqliteStore } = await import('../store/open.js');
      const url = this.io.env.CALM_DATABASE_URL;
      this.store = url
        ? await openPostgresStore(url)
        : await openSqliteStore(join(this.locations.home, DB_FILE));
    }
    return {
      store: this.store,
      framework: () => this.loadFramework(),
      clock: this.clock,
      author: this.author,
    };
  }

  async incidentId(ref: string | undefined): Promise<IncidentId> {
    return resolveIncidentId(await this.app(), ref);
  }

  when(input: string | undefined): EpochMs | undefined {
    return input === undefined ? undefined : parseWhen(input, this.clock.now());
  }

  json(value: unknown): void {
    this.io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  print(text: string): void {
    this.io.out(text.endsWith('\n') ? text : `${text}\n`);
  }

  async close(): Promise<void> {
    await this.store?.close();
  }
}

export function requireValue<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new UserError(message);
  return value;
}
