/** A server in process on a fresh store (SQLite file or PostgreSQL schema), with one account per role. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { hashPassword } from '../../src/app/passwords.js';
import type { AccountRole } from '../../src/core/account/roles.js';
import { epochMs } from '../../src/core/ids.js';
import { DEFAULT_FRAMEWORK } from '../../src/core/severity/presets.js';
import { buildServer } from '../../src/server/app.js';
import type { ServerDeps } from '../../src/server/deps.js';
import { LocalBus } from '../../src/server/events/bus.js';
import { openStoreSet, type StoreSet } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';

export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];
export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  app: FastifyInstance;
  deps: ServerDeps;
  stores: StoreSet;
  /** A write-scoped API token per role. */
  tokens: Record<AccountRole, string>;
  close(): Promise<void>;
}

export async function openHarness(
  engine: Engine,
  options: { loginAttemptsPerMinute?: number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'calm-server-test-'));
  const schema = engine === 'postgres' ? await freshPostgresSchema(inject('pgUrl')) : undefined;
  const stores = await openStoreSet({
    sqlitePath: join(dir, 'calm.db'),
    ...(schema ? { databaseUrl: schema.url } : {}),
  });
  let now = Date.UTC(2026, 2, 14, 14, 0);
  const deps: ServerDeps = {
    incidents: stores.incidents,
    accounts: stores.accounts,
    statusPage: stores.statusPage,
    analyses: { store: stores.analyses },
    framework: async () => DEFAULT_FRAMEWORK,
    clock: {
      now: () => {
        now += 1000;
        return epochMs(now);
      },
    },
    bus: new LocalBus(),
    secureCookies: false,
    loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 1000,
  };
  const tokens = {} as Record<AccountRole, string>;
  for (const role of ['viewer', 'responder', 'admin'] as const) {
    const user = await stores.accounts.createUser(role, await hashPassword(PASSWORD), role, now);
    tokens[role] = `calm_test_${role}_token`;
    await stores.accounts.createToken(user.id, 'tests', tokens[role], 'write', now);
  }
  const app = await buildServer(deps);
  return {
    app,
    deps,
    stores,
    tokens,
    async close() {
      await app.close();
      await stores.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
