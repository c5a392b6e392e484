import { hash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AccountRole, TokenScope } from '../core/account/roles.js';
import type { DialectAdapter } from './dialect.js';
import { prepareQuery } from './prepared.js';
import type { Database } from './schema.js';

export interface Account {
  id: number;
  name: string;
  role: AccountRole;
}

export interface AuditRecord {
  at: number;
  actor: string;
  action: string;
  target: string;
  sourceIp: string;
  detail: Record<string, unknown>;
}

/** Tokens are kept only as hashes: a leaked table opens nothing. */
export const tokenHash = (token: string) => hash('sha256', token, 'hex');

/** The insert of an audit line, compiled once (prepared.ts), for a store that writes many. */
export function prepareAuditInsert(db: Kysely<Database>) {
  const insert = prepareQuery<unknown[]>(db, (db, v) =>
    db.insertInto('audit_log').values({
      at: v(0),
      actor: v(1),
      action: v(2),
      target: v(3),
      source_ip: v(4),
      detail: v(5),
    }),
  );
  return ({ at, actor, action, target, sourceIp, detail }: AuditRecord) =>
    insert(at, actor, action, target, sourceIp, JSON.stringify(detail));
}

type TokenOwner = { account: Account; scope: TokenScope; tokenId: number };

/**
 * How long a token's owner is remembered, so that a script's every request does
 * not look its token up. A revocation or a role change made through this store
 * forgets them all at once; one made through another instance (or the CLI) on the
 * same database takes up to this long to reach this one.
 */
const TOKEN_OWNER_TTL_MS = 2_000;
/** Tokens remembered at most (only tokens that exist: unknown ones are not kept). */
const TOKEN_OWNERS_KEPT = 10_000;

/** Accounts, sessions, API tokens and the audit log, on the incidents' database. */
export class AccountStore {
  /** By token: the owner, and until when (performance.now()) to believe it. */
  readonly #owners = new Map<string, { owner: TokenOwner; until: number }>();
  /** Counts revocations and role changes: a lookup that overlapped one keeps nothing. */
  #ownersGeneration = 0;

  readonly #insertAudit: ReturnType<typeof prepareAuditInsert>;

  constructor(private readonly adapter: DialectAdapter) {
    this.#insertAudit = prepareAuditInsert(adapter.db);
  }

  private get db() {
    return this.adapter.db;
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async createUser(name: string, passwordHash: string, role: AccountRole, at: number) {
    const row = await this.db
      .insertInto('users')
      .values({ name, password_hash: passwordHash, role, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), name, role } satisfies Account;
  }

  isDuplicate(error: unknown): boolean {
    return this.adapter.isUniqueViolation(error);
  }

  async userByName(name: string) {
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'role', 'password_hash'])
      .where('name', '=', name)
      .executeTakeFirst();
    return row && { ...toAccount(row), passwordHash: row.password_hash };
  }

  async listUsers(): Promise<Account[]> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'role'])
      .orderBy('id')
      .execute();
    return rows.map(toAccount);
  }

  async setRole(id: number, role: AccountRole): Promise<Account | undefined> {
    this.#forgetOwners();
    await this.db.updateTable('users').set({ role }).where('id', '=', id).execute();
    this.#forgetOwners();
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'role'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async createSession(token: string, userId: number, csrfToken: string, expiresAt: number) {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: userId,
        csrf_token: csrfToken,
        expires_at: expiresAt,
      })
      .execute();
  }

  async session(token: string, now: number) {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'users.id',
        'users.name',
        'users.role',
        'sessions.csrf_token',
        'sessions.expires_at',
      ])
      .where('sessions.token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!row || Number(row.expires_at) <= now) return undefined;
    return { account: toAccount(row), csrfToken: row.csrf_token };
  }

  async deleteSession(token: string) {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
  }

  async createToken(userId: number, name: string, token: string, scope: TokenScope, at: number) {
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        user_id: userId,
        name,
        token_hash: tokenHash(token),
        scope,
        created_at: at,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async tokenOwner(token: string): Promise<TokenOwner | undefined> {
    const now = performance.now();
    // Remembered by the token as sent, in this process only (as the request's own copy
    // of it is): hashing it first cost 2% of the server's time under load.
    const known = this.#owners.get(token);
    if (known && known.until > now) return known.owner;
    const generation = this.#ownersGeneration;
    const owner = await this.#tokenOwner(tokenHash(token));
    if (owner && generation === this.#ownersGeneration) {
      if (this.#owners.size >= TOKEN_OWNERS_KEPT) this.#owners.clear();
      this.#owners.set(token, { owner, until: now + TOKEN_OWNER_TTL_MS });
    } else this.#owners.delete(token);
    return owner;
  }

  #forgetOwners() {
    this.#ownersGeneration++;
    this.#owners.clear();
  }

  async #tokenOwner(hash: string): Promise<TokenOwner | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select([
        'users.id',
        'users.name',
        'users.role',
        'api_tokens.scope',
        'api_tokens.id as token_id',
      ])
      .where('api_tokens.token_hash', '=', hash)
      .where('api_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
    return (
      row && {
        account: toAccount(row),
        scope: row.scope as TokenScope,
        tokenId: Number(row.token_id),
      }
    );
  }

  async listTokens(userId: number) {
    const rows = await this.db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'scope', 'created_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      scope: r.scope as TokenScope,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  /** Revokes the user's token `id`; false when there is no such token of theirs. */
  async revokeToken(userId: number, id: number, at: number): Promise<boolean> {
    this.#forgetOwners();
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    this.#forgetOwners(); // what a lookup read while the update ran is stale too
    return Number(result.numUpdatedRows) === 1;
  }

  async audit(record: AuditRecord) {
    await this.db.executeQuery(this.#insertAudit(record));
  }

  async listAudit(limit: number, beforeId?: number) {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      actor: r.actor,
      action: r.action,
      target: r.target,
      sourceIp: r.source_ip,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}

const toAccount = (row: { id: number; name: string; role: string }): Account => ({
  id: Number(row.id),
  name: row.name,
  role: row.role as AccountRole,
});
