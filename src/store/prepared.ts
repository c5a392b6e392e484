import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

const SENTINEL = '\u0000calm-parameter:';

/**
 * A query built and compiled once, then given new values: the result is the
 * compiled query to run (`trx.executeQuery`) or to plan (group-commit.ts). Kysely
 * builds an operation tree and compiles it to SQL on every call; for the statements
 * every append runs (the incident's snapshot, its entries, the audit line) that was
 * about a tenth of the server's CPU under load. The query is written with the
 * query builder as usual, with `value(i)` in place of the i-th argument; the
 * SQL is the dialect's own, so one definition serves SQLite and PostgreSQL.
 */
export function prepareQuery<Args extends unknown[]>(
  db: Kysely<Database>,
  build: (db: Kysely<Database>, value: (index: number) => never) => Compilable,
): (...args: Args) => CompiledQuery {
  const template = build(db, (index) => `${SENTINEL}${index}` as never).compile();
  const order = template.parameters.map((parameter) => {
    const index =
      typeof parameter === 'string' && parameter.startsWith(SENTINEL)
        ? Number(parameter.slice(SENTINEL.length))
        : Number.NaN;
    if (!Number.isInteger(index)) throw new Error(`${template.sql}: a parameter not from value()`);
    return index;
  });
  return (...args) => ({ ...template, parameters: order.map((index) => args[index]) });
}
