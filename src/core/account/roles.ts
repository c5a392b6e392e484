/**
 * Accounts' roles, from least to most: a viewer reads, a responder also
 * writes to incidents, an admin also manages accounts and reads the audit log.
 */
export const ROLES = ['viewer', 'responder', 'admin'] as const;
export type AccountRole = (typeof ROLES)[number];

export const allows = (role: AccountRole, needed: AccountRole) =>
  ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** What a personal API token may do: read only, or whatever its owner may. */
export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
