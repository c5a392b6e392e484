import { SqlIncidentStore } from './sql-store.js';
import { openSqliteAdapter } from './sqlite.js';
import type { IncidentStore } from './store.js';

/** Opens (creating and migrating as needed) the embedded store at `path`. */
export async function openSqliteStore(path: string): Promise<IncidentStore> {
  const adapter = openSqliteAdapter(path);
  await adapter.migrate();
  return new SqlIncidentStore(adapter);
}
