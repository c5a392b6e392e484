import { join, resolve } from 'node:path';
import { findConfigFile } from '../app/config-locate.js';
import type { AppContext } from '../app/context.js';
import { systemClock } from '../app/context.js';
import type { IncidentService } from '../app/incident-service.js';
import { UserError } from '../core/errors.js';
import type { EpochMs, IncidentId } from '../core/ids.js';
import type { CalmConfig } from '../core/severity/config-schema.js';
import type { SeverityFramework } from '../core/severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../core/severity/presets.js';
import { parseWhen } from '../core/time.js';
import type { StoreLocation, StoreSet } from '../store/open.js';
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
  private stores?: StoreSet;
  private config?: Promise<CalmConfig>;
  private service?: Promise<IncidentService>;
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

  /** The team server this CLI talks to (CALM_URL and CALM_TOKEN), or undefined: embedded. */
  get remote(): { url: string; token: string } | undefined {
    const url = this.io.env.CALM_URL;
    if (!url) return undefined;
    const token = this.io.env.CALM_TOKEN;
    if (!token)
      throw new UserError(
        'CALM_URL is set but CALM_TOKEN is not; create a token (`calm token create` on the server) and set CALM_TOKEN',
      );
    if (this.options.as)
      throw new UserError(
        "--as works on the embedded store only; over the API, entries are by the token's account",
      );
    return { url, token };
  }

  /** The team's severity framework: the config file's, or the server's when remote. */
  async framework(): Promise<SeverityFramework> {
    return this.remote ? (await this.incidents()).framework() : this.loadFramework();
  }

  /** Incidents embedded (the store here) or remote (the team server's API), for commands alike. */
  incidents(): Promise<IncidentService> {
    this.service ??= (async () => {
      const remote = this.remote;
      if (remote) {
        const { ApiClient } = await import('./remote/api-client.js');
        const { remoteIncidents } = await import('./remote/remote-incidents.js');
        return remoteIncidents(new ApiClient(remote.url, remote.token), this.locations.home);
      }
      const { embeddedIncidents } = await import('../app/incident-service.js');
      return embeddedIncidents(await this.app());
    })();
    return this.service;
  }

  /** The config file (severity framework, channels), or the shipped default: embedded and for the server. */
  loadConfig(): Promise<CalmConfig> {
    this.config ??= (async () => {
      const path = await this.configPath();
      // Without a config file the shipped default applies, and the validator need not load.
      if (!path) return { severity: DEFAULT_FRAMEWORK, channels: [] };
      const { loadConfig } = await import('../app/config-file.js');
      return loadConfig(path);
    })();
    return this.config;
  }

  async loadFramework(): Promise<SeverityFramework> {
    return (await this.loadConfig()).severity;
  }

  /** The data folder's SQLite file, or PostgreSQL when CALM_DATABASE_URL is set. */
  get storeLocation(): StoreLocation {
    const url = this.io.env.CALM_DATABASE_URL;
    return { sqlitePath: join(this.locations.home, DB_FILE), ...(url ? { databaseUrl: url } : {}) };
  }

  async app(): Promise<AppContext> {
    if (!this.stores) {
      const { openStoreSet } = await import('../store/open.js');
      this.stores = await openStoreSet(this.storeLocation);
    }
    return {
      store: this.stores.incidents,
      outbox: this.stores.outbox,
      analyses: this.stores.analyses,
      framework: () => this.loadFramework(),
      channels: async () => (await this.loadConfig()).channels,
      clock: this.clock,
      author: this.author,
    };
  }

  async incidentId(ref: string | undefined): Promise<IncidentId> {
    return (await this.incidents()).resolveIncidentId(ref);
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

  /**
   * Without a server, the CLI delivers the news its command queued before it
   * exits; what fails stays in the outbox for the next command to retry.
   */
  async close(): Promise<void> {
    if (!this.stores) return;
    try {
      // A config the command already refused has nothing to deliver.
      const channels = await this.loadConfig().then(
        (config) => config.channels,
        () => [],
      );
      if (channels.length) {
        const { OutboxWorker } = await import('../notify/outbox-worker.js');
        const worker = new OutboxWorker({
          outbox: this.stores.outbox,
          channels,
          clock: this.clock,
        });
        const { failed, parked } = await worker.runOnce();
        if (failed + parked)
          this.io.err(
            `calm: ${failed + parked} notification(s) not delivered yet; see \`calm notifications\`\n`,
          );
      }
    } finally {
      await this.stores.close();
    }
  }
}

export function requireValue<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new UserError(message);
  return value;
}
