import type { AccountRole } from '../core/account/roles.js';
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
