/**
 * One log event, whatever format it came from: the unit the evidence engine
 * counts, mines and compares. Fields a source does not carry are undefined.
 */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface HttpFields {
  method?: string;
  path?: string;
  /** Query parameters, decoded; a repeated key keeps its last value. */
  query?: Record<string, string>;
  status?: number;
  /** Request duration in milliseconds. */
  durationMs?: number;
  userAgent?: string;
}

export interface LogEvent {
  /** Epoch milliseconds (UTC); undefined when the line carries no readable time. */
  time?: number;
  host?: string;
  service?: string;
  level?: Level;
  /** The human message (for access logs: "GET /path 500"). */
  message: string;
  /**
   * The message was composed from the request (an access log has no message
   * of its own): its template is the endpoint, not a mined one.
   */
  fromRequest?: boolean;
  http?: HttpFields;
  traceId?: string;
  /**
   * Other fields of a structured line (JSON, logfmt) that no field above
   * took, flattened (`user.region`), scalar values only, a bounded number.
   * Readers leave it out and keep `raw` instead: `fieldsOf` (read/extra-
   * fields.ts) reads them from the line when they are wanted.
   */
  fields?: Record<string, string | number | boolean>;
  /** The structured line (JSON or logfmt) the event was read from, for `fieldsOf`. */
  raw?: string;
  /** Continuation lines (stack trace frames) that belong to this event. */
  stack?: string[];
  /** Level error or worse, HTTP status >= 500, or an exception. */
  isError: boolean;
  /** HTTP status 400-499, counted apart from errors. */
  isClientError: boolean;
  /** Where it came from, for evidence: the source name and 1-based line number. */
  source: string;
  line: number;
}
