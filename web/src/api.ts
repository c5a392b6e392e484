/**
 * The one way the app talks to the server: JSON over fetch, with the session
 * cookie (sent by the browser) and, on writes, the CSRF token login returned
 * and an Idempotency-Key, so that a write retried by hand is not logged twice.
 * A 401 anywhere means the session ended: the app shows the login page.
 */
const CSRF_KEY = 'calm.csrf';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const LOGGED_OUT_EVENT = 'calm:logged-out';

export function setCsrfToken(token: string | null): void {
  if (token === null) localStorage.removeItem(CSRF_KEY);
  else localStorage.setItem(CSRF_KEY, token);
}

export const hasCsrfToken = () => localStorage.getItem(CSRF_KEY) !== null;

/** For writes sent without api() (a form with files): the session's CSRF token. */
export const csrfToken = () => localStorage.getItem(CSRF_KEY) ?? '';

export function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  init: Pick<RequestInit, 'cache'> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    headers['x-csrf-token'] = localStorage.getItem(CSRF_KEY) ?? '';
    headers['idempotency-key'] = idempotencyKey();
  }
  const response = await fetch(path, {
    ...init,
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (response.status === 401 && path !== '/api/session')
      window.dispatchEvent(new Event(LOGGED_OUT_EVENT));
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `the server answered ${response.status}`,
    );
  }
  return data as T;
}

/** `cache: 'no-cache'` asks again of a resource the server lets browsers keep (/status.json). */
export const get = <T>(path: string, init?: Pick<RequestInit, 'cache'>) =>
  api<T>('GET', path, undefined, init);
export const post = <T>(path: string, body: unknown) => api<T>('POST', path, body);

/** The message to show for a failed request. */
export const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : 'something went wrong';
