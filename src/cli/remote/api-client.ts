/**
 * The team server's HTTP API as the CLI calls it (CALM_URL, CALM_TOKEN):
 * JSON in and out, the server's one-line errors passed on as the user's, and
 * writes retried safely. Each write carries an Idempotency-Key that its
 * retries reuse, so a request whose answer was lost (a dropped connection, a
 * server restarting) is never recorded twice.
 */
import { randomUUID } from 'node:crypto';
import { UserError, type UserErrorCode } from '../../core/errors.js';

const ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 250;
const TIMEOUT_MS = 30_000;
/** Answers that say "try again": the server (or a proxy before it) is busy or restarting. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | string[] | undefined>;
  body?: unknown;
  /** Answer with the body as text (Markdown, HTML) instead of parsing JSON. */
  text?: boolean;
}

export class ApiClient {
  readonly base: URL;

  constructor(
    url: string,
    private readonly token: string,
  ) {
    try {
      this.base = new URL(url);
    } catch {
      throw new UserError(`CALM_URL is not a URL: "${url}"; set it like http://127.0.0.1:4100`);
    }
    if (!/^https?:$/.test(this.base.protocol))
      throw new UserError(`CALM_URL must start with http:// or https://, not "${url}"`);
  }

  async request<T>(request: ApiRequest): Promise<T> {
    const method = request.method ?? 'GET';
    const url = new URL(request.path, this.base);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value])
        url.searchParams.append(name, String(one));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: request.text ? 'text/*' : 'application/json',
    };
    // a form (files) sets its own multipart type and boundary
    const form = request.body instanceof FormData;
    if (request.body !== undefined && !form) headers['content-type'] = 'application/json';
    if (method === 'POST' || method === 'PUT') headers['idempotency-key'] = randomUUID();

    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          body:
            request.body === undefined
              ? undefined
              : form
                ? (request.body as FormData)
                : JSON.stringify(request.body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (error) {
        if (attempt < ATTEMPTS && (safeToRepeat(method) || reason(error) === 'ECONNREFUSED')) {
          await backoff(attempt);
          continue;
        }
        throw new UserError(
          `cannot reach the Calm server at ${this.base.origin} (${reason(error)}); is it running? check CALM_URL`,
          'unavailable',
        );
      }
      if (RETRYABLE_STATUS.has(response.status) && safeToRepeat(method) && attempt < ATTEMPTS) {
        await response.body?.cancel();
        await backoff(attempt, response.headers.get('retry-after'));
        continue;
      }
      return this.answer<T>(response, method, url, request.text);
    }
  }

  private async answer<T>(
    response: Response,
    method: string,
    url: URL,
    asText = false,
  ): Promise<T> {
    const text = await response.text();
    if (response.ok) return (asText ? text : text ? JSON.parse(text) : undefined) as T;
    const error = parseError(text);
    if (response.status === 401)
      throw new UserError(
        `the server refused CALM_TOKEN (${error?.message ?? 'unauthorized'}); create a token with \`calm token create\` on the server, or POST /api/tokens`,
        'unauthorized',
      );
    if (response.status < 500 && error)
      throw new UserError(error.message, error.code as UserErrorCode);
    // Anything else is a fault on the server's side, not the user's mistake.
    throw new Error(
      `the server answered ${response.status} to ${method} ${url.pathname}${error ? `: ${error.message}` : ''}`,
    );
  }
}

/** Reads repeat harmlessly; POSTs and PUTs carry an Idempotency-Key; others might act twice. */
const safeToRepeat = (method: string) => method === 'GET' || method === 'POST' || method === 'PUT';

function parseError(text: string): { code: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const { code, message } = parsed.error ?? {};
    return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
  } catch {
    return undefined;
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).message ?? String(error);
}

function backoff(attempt: number, retryAfter?: string | null): Promise<void> {
  const asked = retryAfter ? Number(retryAfter) * 1000 : Number.NaN;
  const ms = Number.isFinite(asked)
    ? Math.min(asked, 5_000)
    : FIRST_BACKOFF_MS * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
