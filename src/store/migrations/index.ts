import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { DialectAdapter } from '../dialect.js';
import { initialMigration } from './001-initial.js';
import { refuseReplaceMigration } from './002-refuse-replace.js';
import { accountsMigration } from './003-accounts.js';
import { outboxMigration } from './004-outbox.js';
import { statusPageMigration } from './005-status-page.js';
import { alertsMigration } from './006-alerts.js';
import { analysesMigration } from './008-analyses.js';

/** Versioned migrations, in order; names sort in the order they run. */
export function migrations(adapter: DialectAdapter): Record<string, Migration> {
  return {
    '001-initial': initialMigration(adapter),
    '002-refuse-replace': refuseReplaceMigration(adapter),
    '003-accounts': accountsMigration(adapter),
    '004-outbox': outboxMigration(adapter),
    '005-status-page': statusPageMigration(adapter),
    '006-alerts': alertsMigration(adapter),
    '008-analyses': analysesMigration(adapter),
  };
}

export async function migrateToLatest(adapter: DialectAdapter): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(adapter) };
  const migrator = new Migrator({ db: adapter.db, provider });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
