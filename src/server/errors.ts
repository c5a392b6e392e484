import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isUserError, type UserErrorCode } from '../core/errors.js';

const STATUS: Record<UserErrorCode, number> = {
  invalid: 400,
  config: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  illegal_transition: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** Every error body: `{ "error": { "code": "not_found", "message": "..." } }`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({
  error: { code, message },
});

/**
 * A user's mistake becomes its 4xx with the one-line message; Fastify's own
 * 4xx (a body too large, malformed JSON) keep their status; anything else is
 * a bug: logged in full, answered with a 500 that shows no stack or detail.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isUserError(error)) {
    // If-Match named a version the incident has moved past
    if ((error as { precondition?: boolean }).precondition)
      return reply.status(412).send(errorBody('precondition_failed', error.message));
    return reply.status(STATUS[error.code]).send(errorBody(error.code, error.message));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = status === 413 ? 'too_large' : status === 429 ? 'rate_limited' : 'invalid';
    const message =
      status === 413
        ? 'the request body is too large; send at most 1 MiB'
        : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'send the body as JSON (Content-Type: application/json)'
          : String(error.message ?? 'bad request').replace(/\s+/g, ' ');
    return reply.status(status).send(errorBody(code, message));
  }
  request.log.error({ err: error }, 'request failed');
  return reply
    .status(500)
    .send(errorBody('internal', 'internal error; the server log has the details'));
}
