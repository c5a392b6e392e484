/**
 * Who is calling, and whether they may: a personal API token
 * (`Authorization: Bearer calm_...`) or a session cookie set at login. A
 * session's writes must carry its CSRF token in `X-CSRF-Token` (a page on
 * another site can make the browser send the cookie, not read the token).
 * A read-scoped token may only read.
 */
import type { FastifyRequest } from 'fastify';
import { type AccountRole, allows } from '../../core/account/roles.js';
import { UserError } from '../../core/errors.js';
import type { Account } from '../../store/account-store.js';
import type { ServerDeps } from '../deps.js';

export const SESSION_COOKIE = 'calm_session';

export interface Caller {
  /** Undefined on public routes called without credentials. */
  account: Account | undefined;
  /** How they proved it. */
  via: 'token' | 'session' | 'webhook' | 'none';
  /** On 'webhook' routes: the sender (an alert source's name). */
  sender?: string;
  ip: string;
}

const READS = new Set(['GET', 'HEAD']);

export async function authenticate(
  deps: ServerDeps,
  request: FastifyRequest,
  spec: {
    role: AccountRole | 'public' | 'webhook';
    method: string;
    verifySender?(request: FastifyRequest): Promise<string>;
  },
): Promise<Caller> {
  const ip = request.ip;
  if (spec.role === 'webhook') {
    // its own credential only: a Calm login or token does not stand for an alert source
    if (!spec.verifySender) throw new Error('a webhook route must check its sender');
    return { account: undefined, via: 'webhook', sender: await spec.verifySender(request), ip };
  }
  const header = request.headers.authorization;
  let caller: Caller = { account: undefined, via: 'none', ip };
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const owner = token ? await deps.accounts.tokenOwner(token) : undefined;
    if (!owner)
      throw new UserError(
        'the API token is unknown or revoked; create one with `calm token create`',
        'unauthorized',
      );
    if (owner.scope === 'read' && !READS.has(spec.method) && spec.role !== 'public')
      throw new UserError(
        'this token may only read; create a write token for changes',
        'forbidden',
      );
    caller = { account: owner.account, via: 'token', ip };
  } else {
    const cookie = request.cookies?.[SESSION_COOKIE];
    const session = cookie ? await deps.accounts.session(cookie, deps.clock.now()) : undefined;
    if (session) {
      if (
        !READS.has(spec.method) &&
        request.headers['x-csrf-token'] !== session.csrfToken &&
        spec.role !== 'public'
      )
        throw new UserError(
          'missing or wrong X-CSRF-Token header: send the token login returned',
          'forbidden',
        );
      caller = { account: session.account, via: 'session', ip };
    }
  }
  if (spec.role === 'public') return caller;
  if (!caller.account)
    throw new UserError('log in first (POST /api/session) or send an API token', 'unauthorized');
  if (!allows(caller.account.role, spec.role))
    throw new UserError(`this needs the ${spec.role} role; ask an admin`, 'forbidden');
  return caller;
}

/** The caller's account on a route that requires a login. */
export function accountOf(caller: Caller): Account {
  if (!caller.account) throw new UserError('log in first', 'unauthorized');
  return caller.account;
}
