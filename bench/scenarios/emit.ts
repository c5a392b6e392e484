/**
 * Log lines as real software writes them: nginx's combined format with
 * `$request_time`, logstash-logback-encoder JSON for Java services and
 * pino / pino-http JSON for Node services. Lines are built by concatenation
 * (JSON.stringify only on strings that may need escaping): building an
 * object per line and stringifying it was most of the generator's time.
 */
import type { Host, Service } from './catalog.js';
import { clfStamp, perSecond, type Zone } from './clock.js';
import type { Endpoint } from './endpoints.js';
import type { Failure } from './failures.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** Who sent a request. */
export interface Client {
  ip: string;
  ua: string;
  /** `ua` as a JSON string, encoded once. */
  uaJson: string;
  region: string;
  /** A person's browser (not a crawler, app or scanner). */
  human: boolean;
  /** Crawlers ask for pages and files only; the mobile app calls APIs only. */
  role: 'browser' | 'crawler' | 'app' | 'scanner' | 'monitor';
}

export interface Request {
  time: number;
  host: Host;
  endpoint: Endpoint;
  path: string;
  params: [string, string][];
  client: Client;
  status: number;
  durationMs: number;
  bytes: number;
  traceId: string;
  /** Set when the service fails the request: logged with its stack. */
  failure?: Failure;
  /** The service did not answer (restarting): nginx logs the request, the service logs nothing. */
  serviceDown?: boolean;
  /** An info line the service logs while handling it. */
  note?: string;
  /** More fields for the service's lines, JSON-encoded: `"page":"/checkout"`. */
  extra?: string;
  referer: string;
}

const q = JSON.stringify;
const LEVEL_JAVA: Record<Level, string> = {
  debug: '"DEBUG","level_value":10000',
  info: '"INFO","level_value":20000',
  warn: '"WARN","level_value":30000',
  error: '"ERROR","level_value":40000',
};
const LEVEL_PINO: Record<Level, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export function accessLineMaker(zone: Zone): (req: Request, target: string) => string {
  const stamp = perSecond((t) => clfStamp(t, zone));
  return (req, target) =>
    `${req.client.ip} - - [${stamp(req.time)}] "${req.endpoint.method} ${target} HTTP/1.1" ${req.status} ${req.bytes} "${req.referer}" "${req.client.ua}" ${(req.durationMs / 1000).toFixed(3)}`;
}

/** One JSON line of a service's log. */
export interface AppLine {
  time: number;
  host: string;
  service: Service;
  level: Level;
  message: string;
  /** The thread or logger detail, Java only. */
  logger?: string;
  region?: string;
  traceId?: string;
  /** The request's fields: logged on request lines. */
  request?: Request;
  /** The request's target (path and query), written as is: generated targets need no escaping. */
  target?: string;
  failure?: Failure;
  /** Other fields, already JSON-encoded values: `"amount":"12.50"`. */
  extra?: string;
}

export function appLineMaker(zone: Zone): (line: AppLine) => string {
  const javaStamp = perSecond((t) =>
    new Date(t + zone.offsetMin * 60_000).toISOString().slice(0, 20),
  );
  const offset = (() => {
    const m = Math.abs(zone.offsetMin);
    return `${zone.offsetMin < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  })();
  return (line) => {
    const common = `${line.region ? `,"region":"${line.region}"` : ''}${line.traceId ? `,"trace_id":"${line.traceId}"` : ''}${line.extra ? `,${line.extra}` : ''}`;
    const r = line.request;
    if (line.service.language === 'java') {
      const ms = String(line.time % 1000).padStart(3, '0');
      const http = r
        ? `,"method":"${r.endpoint.method}","path":"${line.target}","status":${r.status},"duration_ms":${Math.round(r.durationMs)},"client_ip":"${r.client.ip}","user_agent":${r.client.uaJson}`
        : '';
      const stack = line.failure ? `,"stack_trace":${q(line.failure.stack)}` : '';
      return `{"@timestamp":"${javaStamp(line.time)}${ms}${offset}","@version":"1","message":${q(line.message)},"logger_name":"${line.service.codeRoot}.${line.logger ?? 'web.RequestLog'}","thread_name":"http-nio-8080-exec-${(line.time % 40) + 1}","level":${LEVEL_JAVA[line.level]},"host":"${line.host}","service":"${line.service.name}"${common}${http}${stack}}`;
    }
    const http = r
      ? `,"req":{"method":"${r.endpoint.method}","url":"${line.target}","remoteAddress":"${r.client.ip}","headers":{"user-agent":${r.client.uaJson}}},"res":{"statusCode":${r.status}},"responseTime":${Math.round(r.durationMs)}`
      : '';
    const err = line.failure
      ? `,"err":{"type":${q(line.failure.type)},"message":${q(line.failure.detail)},"stack":${q(line.failure.stack)}}`
      : '';
    return `{"level":${LEVEL_PINO[line.level]},"time":${line.time},"pid":${7 + (line.host.length % 20)},"hostname":"${line.host}","service":"${line.service.name}"${common}${http}${err},"msg":${q(line.message)}}`;
  };
}
