import { lookupAlias } from '../aliases.js';
import { UserError } from '../errors.js';

export const ROLES = ['commander', 'communications', 'scribe', 'responder'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Readonly<Record<Role, string>> = {
  commander: 'incident commander',
  communications: 'communications lead',
  scribe: 'scribe',
  responder: 'responder',
};

/** One person per lead role; any number of responders. */
export interface Roles {
  commander?: string;
  communications?: string;
  scribe?: string;
  responders: string[];
}

/** Whether somebody holds the role (for responders: at least one person). */
export function roleFilled(roles: Roles, role: Role): boolean {
  return role === 'responder' ? roles.responders.length > 0 : Boolean(roles[role]);
}

export function parseRole(value: string): Role {
  const aliases: Record<string, Role> = {
    commander: 'commander',
    ic: 'commander',
    'incident-commander': 'commander',
    communications: 'communications',
    comms: 'communications',
    'communications-lead': 'communications',
    scribe: 'scribe',
    responder: 'responder',
    responders: 'responder',
  };
  const role = lookupAlias(aliases, value);
  if (!role) {
    throw new UserError(`unknown role "${value}"; use one of ${ROLES.join(', ')}`);
  }
  return role;
}

export function holderOf(roles: Roles, role: Exclude<Role, 'responder'>): string | undefined {
  return roles[role];
}
