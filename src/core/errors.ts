/**
 * A mistake the user can fix: bad input, an unknown name, an illegal move.
 * The message names the problem and the fix in one line; the CLI prints it
 * without a stack trace and exits with code 2, the API answers with a 4xx.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly code: UserErrorCode = 'invalid',
  ) {
    super(message);
  }
}

export type UserErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'illegal_transition'
  | 'config'
  /** A database or server Calm needs cannot be reached. */
  | 'unavailable'
  | 'unauthorized'
  | 'forbidden'
  | 'too_large'
  | 'rate_limited';

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
