import { UserError } from '../core/errors.js';
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

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
