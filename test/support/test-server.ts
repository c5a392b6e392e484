/**
 * The team server on a loopback port over a fresh store (a SQLite file or a
 * PostgreSQL schema), with a responder account and API token per person: what
 * the CLI's remote mode (CALM_URL, CALM_TOKEN) is tested against.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createAccount, createApiToken } from '../../src/app/accounts.js';
import type { AlertsConfig } from '../../src/core/alerts/config.js';
import type { ChannelConfig } from '../../src/core/notification/channels.js';
import { DEFAULT_FRAMEWORK } from '../../src/core/severity/presets.js';
import { serve } from '../../src/server/serve.js';
import { openStoreSet } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';

export type Engine = 'sqlite' | 'postgres';

export interface TestServer {
  url: string;
  /** A write token per person, by name. */
  tokens: Record<string, string>;
  /** What `calm` on the server's machine needs to open its store (CALM_HOME or CALM_DATABASE_URL). */
  storeEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTestServer(
  engine: Engine,
  people: string[],
  options: {
    channels?: ChannelConfig[];
    alerts?: AlertsConfig;
    /** People among `people` who are admins instead of responders. */
    admins?: string[];
  } = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'calm-test-server-'));
  const schema = engine === 'postgres' ? await freshPostgresSchema(inject('pgUrl')) : undefined;
  const location = {
    sqlitePath: join(dir, 'calm.db'),
    ...(schema ? { databaseUrl: schema.url } : {}),
  };
  const tokens: Record<string, string> = {};
  const stores = await openStoreSet(location);
  try {
    const by = { actor: 'test setup', sourceIp: 'cli' };
    for (const name of people) {
      await createAccount(
        stores.accounts,
        {
          name,
          password: 'correct horse battery staple',
          role: options.admins?.includes(name) ? 'admin' : 'responder',
        },
        by,
        Date.now(),
      );
      const created = await createApiToken(
        stores.accounts,
        { user: name, name: 'cli', scope: 'write' },
        by,
        Date.now(),
      );
      tokens[name] = created.token;
    }
  } finally {
    await stores.close();
  }
  const server = await serve({
    host: '127.0.0.1',
    port: 0,
    ...location,
    framework: async () => DEFAULT_FRAMEWORK,
    ...(options.channels ? { channels: options.channels } : {}),
    ...(options.alerts ? { alerts: options.alerts } : {}),
    secureCookies: false,
    log: () => {},
  });
  return {
    url: server.url,
    tokens,
    storeEnv: schema ? { CALM_DATABASE_URL: schema.url } : { CALM_HOME: dir },
    async stop() {
      await server.stop();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
