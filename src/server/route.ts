/**
 * One declaration per endpoint: its method and path, the role it needs, and
 * one zod schema per part of the request. The same schemas validate requests
 * at run time, type the handler, and make the OpenAPI 3.1 document
 * (openapi.ts), so the document cannot drift from what the server accepts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccountRole } from '../core/account/roles.js';
import { UserError } from '../core/errors.js';
import { authenticate, type Caller } from './auth/authenticate.js';
import type { ServerDeps } from './deps.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec<P, Q, B> {
  method: Method;
  url: string;
  /**
   * The least role that may call it; 'public' for no login (logging in, the document);
   * 'webhook' for senders that are not accounts (alert sources): `verifySender` checks
   * their own credential before the body is read, and no Calm login is accepted instead.
   */
  role: AccountRole | 'public' | 'webhook';
  /** For 'webhook' routes: the sender's name once its credential checks out, else a 401. */
  verifySender?(request: FastifyRequest): Promise<string>;
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * A form of files (multipart/form-data) instead of a JSON body: its fields, for
   * the document. The handler reads the stream itself (see evidence-upload.ts).
   */
  upload?: z.ZodType;
  /** The largest JSON body it takes, in bytes, when larger than the server's default. */
  bodyLimit?: number;
  /** Documented response (200 unless `status`). */
  response?: z.ZodType;
  status?: number;
  /** Takes an Idempotency-Key header: a retry is answered with what the first request did. */
  idempotent?: boolean;
  handler(input: {
    params: P;
    query: Q;
    body: B;
    caller: Caller;
    request: FastifyRequest;
    reply: FastifyReply;
  }): Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry of routes of every shape
export type AnyRoute = RouteSpec<any, any, any>;

export const defineRoute = <P = unknown, Q = unknown, B = unknown>(spec: RouteSpec<P, Q, B>) =>
  spec;

/** The first problem zod found, as one line that names the field. */
function describeIssue(part: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `invalid ${part}`;
  const path = issue.path.length ? issue.path.join('.') : part;
  return `${path}: ${issue.message}`;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, part: string): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value ?? (part === 'body' ? undefined : {}));
  if (!result.success) throw new UserError(describeIssue(part, result.error));
  return result.data;
}

export function registerRoute(app: FastifyInstance, deps: ServerDeps, spec: AnyRoute): void {
  // No lock here: the store runs one change per incident at a time (IncidentStore.changeIncident).
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (request, reply) => {
      const caller = await authenticate(deps, request, spec);
      const params = parse(spec.params, request.params, 'path');
      const query = parse(spec.query, request.query, 'query');
      const body = parse(spec.body, request.body, 'body');
      const result = await spec.handler({ params, query, body, caller, request, reply });
      if (reply.sent) return reply;
      if (spec.status && reply.statusCode === 200) reply.status(spec.status);
      return result === undefined ? reply.status(204).send() : result;
    },
  });
}
