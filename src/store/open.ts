import { UserError } from '../core/errors.js';
import { AccountStore } from './account-store.js';
import { AlertStore } from './alert-store.js';
import { AnalysisStore } from './analysis-store.js';
import type { DialectAdapter } from './dialect.js';
import { OutboxStore } from './outbox-store.js';
import { SqlIncidentStore } from './sql-store.js';
import { openSqliteAdapter } from './sqlite.js';
import { StatusPageStore } from './status-page-store.js';
import type { IncidentStore } from './store.js';

/** Where the data is: the SQLite file at `sqlitePath`, or PostgreSQL when `databaseUrl` is set. */
export interface StoreLocation {
  sqlitePath: string;
  databaseUrl?: string;
}

/** Opens and migrates the database; a PostgreSQL server it cannot reach is a one-line error. */
async function openAdapter(where: StoreLocation): Promise<DialectAdapter> {
  const url = where.databaseUrl;
  let adapter: DialectAdapter;
  if (url) {
    // loaded on demand: the embedded CLI starts without the PostgreSQL driver
    const { openPostgresAdapter } = await import('./postgres.js');
    adapter = openPostgresAdapter(url);
  } else adapter = openSqliteAdapter(where.sqlitePath);
  try {
    await adapter.migrate();
  } catch (error) {
    await adapter.close();
    if (!url) throw error;
    const reason = (error as Error)?.message ?? String(error);
    throw new UserError(
      `cannot open the PostgreSQL database at ${redact(url)}: ${reason}; check CALM_DATABASE_URL`,
      'unavailable',
    );
  }
  return adapter;
}

/** Opens (creating and migrating as needed) the embedded store at `path`. */
export async function openSqliteStore(path: string): Promise<IncidentStore> {
  return new SqlIncidentStore(await openAdapter({ sqlitePath: path }));
}

/** Opens and migrates the PostgreSQL store at `url` (postgres://user@host:port/db). */
export async function openPostgresStore(url: string): Promise<IncidentStore> {
  return new SqlIncidentStore(await openAdapter({ sqlitePath: '', databaseUrl: url }));
}

/** Both stores of the team server, on one database. */
export interface StoreSet {
  incidents: IncidentStore;
  accounts: AccountStore;
  outbox: OutboxStore;
  statusPage: StatusPageStore;
  alerts: AlertStore;
  analyses: AnalysisStore;
  engine: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

export async function openStoreSet(where: StoreLocation): Promise<StoreSet> {
  const adapter = await openAdapter(where);
  return {
    incidents: new SqlIncidentStore(adapter),
    accounts: new AccountStore(adapter),
    outbox: new OutboxStore(adapter),
    statusPage: new StatusPageStore(adapter),
    alerts: new AlertStore(adapter),
    analyses: new AnalysisStore(adapter),
    engine: adapter.name,
    close: () => adapter.close(),
  };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
