import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openStoreSet } from './open.js';
import { openPostgresAdapter } from './postgres.js';
import { freshPostgresSchema } from './postgres.testing.js';
import { openSqliteAdapter } from './sqlite.js';
import { describeStatusPageStoreContract } from './status-page-store.contract.js';

describeStatusPageStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calm-status-page-'));
  const file = path.join(dir, 'calm.db');
  const stores = await openStoreSet({ sqlitePath: file });
  const raw = openSqliteAdapter(file);
  return {
    statusPage: stores.statusPage,
    incidents: stores.incidents,
    raw: raw.db,
    async cleanup() {
      await raw.close();
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeStatusPageStoreContract('postgres', async () => {
  const schema = await freshPostgresSchema(inject('pgUrl'));
  const stores = await openStoreSet({ sqlitePath: '', databaseUrl: schema.url });
  const raw = openPostgresAdapter(schema.url, { maxConnections: 1 });
  return {
    statusPage: stores.statusPage,
    incidents: stores.incidents,
    raw: raw.db,
    async cleanup() {
      await raw.close();
      await stores.close();
      await schema.drop();
    },
  };
});
