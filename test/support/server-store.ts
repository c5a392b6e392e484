/**
 * The store `calm serve` processes run on: a data folder of their own
 * (CALM_HOME, SQLite), or a fresh PostgreSQL schema (CALM_DATABASE_URL) that
 * any number of processes may share. Accounts are written into it directly,
 * before or between server runs, as `calm user add` would.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { hashPassword } from '../../src/app/passwords.js';
import type { AccountRole } from '../../src/core/account/roles.js';
import { openStoreSet, type StoreLocation } from '../../src/store/open.js';
import { freshPostgresSchema } from '../../src/store/postgres.testing.js';

export type Engine = 'sqlite' | 'postgres';

export interface ServerStore {
  /** The environment a `calm serve` on this store runs with. */
  env: NodeJS.ProcessEnv;
  /** Creates an account with a read-write API token, and returns the token. */
  addAccount(name: string, role?: AccountRole): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeServerStore(engine: Engine): Promise<ServerStore> {
  const home = mkdtempSync(join(tmpdir(), 'calm-serve-test-'));
  const schema = engine === 'postgres' ? await freshPostgresSchema(inject('pgUrl')) : undefined;
  const location: StoreLocation = {
    sqlitePath: join(home, 'calm.db'),
    ...(schema ? { databaseUrl: schema.url } : {}),
  };
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    CALM_HOME: home,
    CALM_USER: 'tests',
    ...(schema ? { CALM_DATABASE_URL: schema.url } : {}),
  };
  return {
    env,
    async addAccount(name, role = 'responder') {
      const stores = await openStoreSet(location);
      try {
        const now = Date.now();
        const user = await stores.accounts.createUser(
          name,
          await hashPassword(randomBytes(12).toString('hex')),
          role,
          now,
        );
        const token = `calm_${randomBytes(24).toString('base64url')}`;
        await stores.accounts.createToken(user.id, 'tests', token, 'write', now);
        return token;
      } finally {
        await stores.close();
      }
    },
    async cleanup() {
      await schema?.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
