import { UserError } from '../core/errors.js';
import { AccountStore } from './account-store.js';
import type { DialectAdapter } from './dialect.js';
import { SqlIncidentStore } from './sql-store.js';
import { openSqliteAdapter } from './sqlite.js';
import type { IncidentStore } from './store.js';

/** Opens (creating and migrating as needed) the embedded store at `path`. */
export async function openSqliteStore(path: string): Promise<IncidentStore> {
  const adapter = openSqliteAdapter(path);
  await adapter.migrate();
  return new SqlIncidentStore(adapter);
}

/** Opens and migrates the PostgreSQL store at `url` (postgres://user@host:port/db). */
export async function openPostgresStore(url: string): Promise<IncidentStore> {
  // loaded on demand: the embedded CLI starts without the PostgreSQL driver
  const { openPostgresAdapter } = await import('./postgres.js');
  const adapter = openPostgresAdapter(url);
  try {
    await adapter.migrate();
  } catch (error) {
    await adapter.close();
    const reason = (error as Error)?.message ?? String(error);
    throw new UserError(
      `cannot open the PostgreSQL database at ${redact(url)}: ${reason}; check CALM_DATABASE_URL`,
      'unavailable',
    );
  }
  return new SqlIncidentStore(adapter);
}

/** Both stores of the team server, on one database. */
export interface StoreSet {
  incidents: IncidentStore;
  accounts: AccountStore;
  engine: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/** The SQLite file at `sqlitePath`, or PostgreSQL when `databaseUrl` is set. */
export async function openStoreSet(where: {
  sqlitePath: string;
  databaseUrl?: string;
}): Promise<StoreSet> {
  let adapter: DialectAdapter;
  if (where.databaseUrl) {
    const { openPostgresAdapter } = await import('./postgres.js');
    adapter = openPostgresAdapter(where.databaseUrl);
  } else adapter = openSqliteAdapter(where.sqlitePath);
  try {
    await adapter.migrate();
  } catch (error) {
    await adapter.close();
    if (!where.databaseUrl) throw error;
    const reason = (error as Error)?.message ?? String(error);
    throw new UserError(
      `cannot open the PostgreSQL database at ${redact(where.databaseUrl)}: ${reason}; check CALM_DATABASE_URL`,
      'unavailable',
    );
  }
  return {
    incidents: new SqlIncidentStore(adapter),
    accounts: new AccountStore(adapter),
    engine: adapter.name,
    close: () => adapter.close(),
  };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
