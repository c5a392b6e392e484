import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh, empty schema on the test server, and a URL whose connections use
 * it (search_path): each test gets a store of its own, in milliseconds, where
 * a database per test would take a second each.
 */
export async function freshPostgresSchema(baseUrl: string) {
  const schema = `calm_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
