import { randomBytes } from 'node:crypto';
import type { AccountRole, TokenScope } from '../core/account/roles.js';
import { UserError } from '../core/errors.js';
import type { Account, AccountStore } from '../store/account-store.js';
import { hashPassword } from './passwords.js';

/** Who made a change to accounts, for the audit log. */
export interface AuditActor {
  actor: string;
  /** The client's address, or "cli". */
  sourceIp: string;
  detail?: Record<string, unknown>;
}

/**
 * Creates an account (from the API or `calm user add`): the password hashed,
 * a taken name refused as a conflict, the change in the audit log.
 */
export async function createAccount(
  accounts: AccountStore,
  input: { name: string; password: string; role: AccountRole },
  by: AuditActor,
  at: number,
): Promise<Account> {
  let created: Account;
  try {
    created = await accounts.createUser(
      input.name,
      await hashPassword(input.password),
      input.role,
      at,
    );
  } catch (error) {
    if (accounts.isDuplicate(error))
      throw new UserError(
        `there is already an account "${input.name}"; pick another name`,
        'conflict',
      );
    throw error;
  }
  await accounts.audit({
    at,
    actor: by.actor,
    action: 'user.create',
    target: `user:${created.name}`,
    sourceIp: by.sourceIp,
    detail: { role: created.role, ...by.detail },
  });
  return created;
}

/** A new API token's secret: shown once, stored only as its hash. */
export const newTokenSecret = () => `calm_${randomBytes(32).toString('base64url')}`;

/**
 * Creates a personal API token for an account (`calm token create` on the
 * server's machine, for the CLI's CALM_TOKEN), recorded in the audit log.
 */
export async function createApiToken(
  accounts: AccountStore,
  input: { user: string; name: string; scope: TokenScope },
  by: AuditActor,
  at: number,
): Promise<{ id: number; token: string }> {
  const owner = await accounts.userByName(input.user);
  if (!owner)
    throw new UserError(
      `there is no account "${input.user}"; create it with \`calm user add ${input.user}\``,
      'not_found',
    );
  const token = newTokenSecret();
  const id = await accounts.createToken(owner.id, input.name, token, input.scope, at);
  await accounts.audit({
    at,
    actor: by.actor,
    action: 'token.create',
    target: `token:${id}`,
    sourceIp: by.sourceIp,
    detail: { user: owner.name, name: input.name, scope: input.scope },
  });
  return { id, token };
}
