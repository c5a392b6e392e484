/** Logging in and out, accounts (admins), personal API tokens, and the audit log. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createAccount, newTokenSecret } from '../../app/accounts.js';
import { DUMMY_HASH, verifyPassword } from '../../app/passwords.js';
import { ROLES, TOKEN_SCOPES } from '../../core/account/roles.js';
import { UserError } from '../../core/errors.js';
import { recordAudit } from '../audit.js';
import { accountOf, SESSION_COOKIE } from '../auth/authenticate.js';
import type { ServerDeps } from '../deps.js';
import { type AnyRoute, defineRoute } from '../route.js';
import { idParams, LIMITS, pageQuery, shortText } from '../schemas.js';

const SESSION_MS = 12 * 3_600_000;
const account = z.object({ id: z.number(), name: z.string(), role: z.enum(ROLES) });
const password = z.string().min(10, 'use at least 10 characters').max(200);
const userName = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}._@-]{1,64}$/u, 'letters, digits and . _ @ - (at most 64)');
export function accountRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/session',
      role: 'public',
      tag: 'accounts',
      summary: 'Log in: sets the session cookie and returns the CSRF token for writes',
      body: z.object({ name: z.string().max(LIMITS.name), password: z.string().max(200) }),
      response: z.object({ user: account, csrfToken: z.string() }),
      async handler({ body, reply, caller }) {
        const user = await deps.accounts.userByName(body.name);
        // verified against a dummy when there is no such user, so the time taken does not tell
        const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
        if (!user || !ok) {
          await recordAudit(deps, caller, 'login.failed', `user:${body.name}`);
          throw new UserError('wrong name or password', 'unauthorized');
        }
        const token = randomBytes(32).toString('base64url');
        const csrfToken = randomBytes(24).toString('base64url');
        await deps.accounts.createSession(token, user.id, csrfToken, deps.clock.now() + SESSION_MS);
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.secureCookies,
          path: '/',
          maxAge: SESSION_MS / 1000,
        });
        const { passwordHash: _hash, ...shown } = user;
        await recordAudit(deps, { ...caller, account: shown }, 'login', `user:${user.name}`);
        return { user: shown, csrfToken };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/session',
      role: 'viewer',
      tag: 'accounts',
      summary: 'Log out: ends the session',
      async handler({ request, reply }) {
        const token = request.cookies?.[SESSION_COOKIE];
        if (token) await deps.accounts.deleteSession(token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/me',
      role: 'viewer',
      tag: 'accounts',
      summary: 'Who the credentials belong to',
      response: account,
      handler: async ({ caller }) => accountOf(caller),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/users',
      role: 'admin',
      tag: 'accounts',
      summary: 'Every account and its role',
      response: z.object({ items: z.array(account) }),
      handler: async () => ({ items: await deps.accounts.listUsers() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users',
      role: 'admin',
      tag: 'accounts',
      summary: 'Create an account',
      status: 201,
      body: z.object({ name: userName, password, role: z.enum(ROLES) }),
      response: account,
      handler: ({ body, caller }) =>
        createAccount(
          deps.accounts,
          body,
          { actor: accountOf(caller).name, sourceIp: caller.ip, detail: { via: caller.via } },
          deps.clock.now(),
        ),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/users/:id',
      role: 'admin',
      tag: 'accounts',
      summary: "Change an account's role",
      params: idParams,
      body: z.object({ role: z.enum(ROLES) }),
      response: account,
      async handler({ params, body, caller }) {
        const changed = await deps.accounts.setRole(params.id, body.role);
        if (!changed) throw new UserError(`there is no account ${params.id}`, 'not_found');
        await recordAudit(deps, caller, 'user.role', `user:${changed.name}`, { role: body.role });
        return changed;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/tokens',
      role: 'viewer',
      tag: 'accounts',
      summary: 'Your API tokens (never their secrets)',
      handler: async ({ caller }) => ({
        items: await deps.accounts.listTokens(accountOf(caller).id),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/tokens',
      role: 'viewer',
      tag: 'accounts',
      summary: 'Create a personal API token; its secret is shown once',
      status: 201,
      body: z.object({
        name: shortText(LIMITS.name),
        scope: z.enum(TOKEN_SCOPES).default('write'),
      }),
      response: z.object({
        id: z.number(),
        name: z.string(),
        scope: z.enum(TOKEN_SCOPES),
        token: z.string(),
      }),
      async handler({ body, caller }) {
        const owner = accountOf(caller);
        const token = newTokenSecret();
        const id = await deps.accounts.createToken(
          owner.id,
          body.name,
          token,
          body.scope,
          deps.clock.now(),
        );
        await recordAudit(deps, caller, 'token.create', `token:${id}`, {
          name: body.name,
          scope: body.scope,
        });
        return { id, name: body.name, scope: body.scope, token };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/tokens/:id',
      role: 'viewer',
      tag: 'accounts',
      summary: 'Revoke one of your API tokens',
      params: idParams,
      async handler({ params, caller }) {
        if (!(await deps.accounts.revokeToken(accountOf(caller).id, params.id, deps.clock.now())))
          throw new UserError(
            `you have no active token ${params.id}; see GET /api/tokens`,
            'not_found',
          );
        await recordAudit(deps, caller, 'token.revoke', `token:${params.id}`);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/audit',
      role: 'admin',
      tag: 'accounts',
      summary: 'The audit log, newest first: who changed what, when, from where',
      query: pageQuery,
      async handler({ query }) {
        const before = query.cursor === undefined ? undefined : Number(query.cursor);
        if (before !== undefined && !Number.isInteger(before))
          throw new UserError('cursor: use the nextCursor of the last page');
        const items = await deps.accounts.listAudit(query.limit, before);
        const last = items[items.length - 1];
        return { items, nextCursor: items.length === query.limit && last ? String(last.id) : null };
      },
    }),
  ];
}
