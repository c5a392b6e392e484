/*
 * Structured fields (JSON objects, logfmt pairs) to the parts of a LogEvent.
 * Each event field has a list of accepted key names; when a line has several
 * (both `time` and `ts`, say) the better-ranked name wins whatever the order.
 * Nested objects are walked for the known parents only (`http`, `error`,
 * `log`, `req`, ...), their keys seen as dotted names (`http.status_code`).
 */
import type { Level } from '../event.js';
import { splitTarget, targetOut } from './http.js';
import { levelFromRange, levelFromText, levelFromValue } from './level.js';
import { type Clock, epochFromNumber, parseStamp, parseTimeText, stampOut } from './time.js';

const NONE = 1000;

/** The fields of one line as they are read, before it becomes a LogEvent. */
export class Draft {
  readonly clock: Clock;
  time = Number.NaN;
  timeRank = NONE;
  level: Level | undefined = undefined;
  levelRank = NONE;
  message: string | undefined = undefined;
  messageRank = NONE;
  host: string | undefined = undefined;
  hostRank = NONE;
  service: string | undefined = undefined;
  serviceRank = NONE;
  method: string | undefined = undefined;
  methodRank = NONE;
  path: string | undefined = undefined;
  query: string | undefined = undefined;
  pathRank = NONE;
  status = 0;
  statusRank = NONE;
  durationMs = Number.NaN;
  durationRank = NONE;
  userAgent: string | undefined = undefined;
  userAgentRank = NONE;
  traceId: string | undefined = undefined;
  traceRank = NONE;
  /** Stack lines carried by the line itself (a `stack` field). */
  stack: string[] | undefined = undefined;
  /** An exception object or stack trace is present. */
  exception = false;
  /** A one-line `error` value, kept in the stack. */
  errorText: string | undefined = undefined;
  errorType: string | undefined = undefined;
  /** Serilog compact JSON: no `@l` means Information. */
  clef = false;
  /**
   * The message is a line of a container's own output, as the runtime wrote it
   * (Docker's `log`, with its newline; a CRI line's payload): read it through.
   */
  fromLog = false;
  /** The runtime's stream of that line: 0 not known, 1 stdout, 2 stderr. */
  stream = 0;
  /** The runtime split the line: this is a part, the rest follows (CRI `P`). */
  partial = false;
  /** The message was composed from the request line (an access log has none of its own). */
  fromRequest = false;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  reset(): void {
    this.time = Number.NaN;
    this.timeRank = NONE;
    this.level = undefined;
    this.levelRank = NONE;
    this.message = undefined;
    this.messageRank = NONE;
    this.host = undefined;
    this.hostRank = NONE;
    this.service = undefined;
    this.serviceRank = NONE;
    this.method = undefined;
    this.methodRank = NONE;
    this.path = undefined;
    this.query = undefined;
    this.pathRank = NONE;
    this.status = 0;
    this.statusRank = NONE;
    this.durationMs = Number.NaN;
    this.durationRank = NONE;
    this.userAgent = undefined;
    this.userAgentRank = NONE;
    this.traceId = undefined;
    this.traceRank = NONE;
    this.stack = undefined;
    this.exception = false;
    this.errorText = undefined;
    this.errorType = undefined;
    this.clef = false;
    this.fromLog = false;
    this.stream = 0;
    this.partial = false;
    this.fromRequest = false;
  }

  /**
   * This draft holds a container's own line (read from `outer`'s message):
   * the runtime's time wins (it always has a zone, and one clock for every
   * container), and the wrapper's other fields fill what the line lacks.
   */
  adopt(outer: Draft): void {
    if (!Number.isNaN(outer.time)) {
      this.time = outer.time;
      this.timeRank = outer.timeRank;
    }
    if (this.level === undefined) this.level = outer.level;
    if (this.host === undefined) this.host = outer.host;
    if (this.service === undefined) this.service = outer.service;
    if (this.method === undefined) this.method = outer.method;
    if (this.path === undefined) {
      this.path = outer.path;
      this.query = outer.query;
    }
    if (this.status === 0) this.status = outer.status;
    if (Number.isNaN(this.durationMs)) this.durationMs = outer.durationMs;
    if (this.userAgent === undefined) this.userAgent = outer.userAgent;
    if (this.traceId === undefined) this.traceId = outer.traceId;
    if (this.stack === undefined) this.stack = outer.stack;
    if (this.errorText === undefined) this.errorText = outer.errorText;
    if (this.errorType === undefined) this.errorType = outer.errorType;
    this.exception ||= outer.exception;
    this.clef ||= outer.clef;
    this.stream = outer.stream;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// What a key means
const IGNORE = 0;
const TIME = 1;
const LEVEL = 2;
const MESSAGE = 3;
/** Docker's `log`: a message with its newline, or ECS's `log: {level, logger}`. */
const LOG = 4;
/** Serilog's message template (`@mt`): a message, and the mark of compact JSON. */
const TEMPLATE = 5;
const HOST = 6;
const SERVICE = 7;
const STATUS = 8;
const PATH = 9;
/** A request line "GET /a HTTP/1.1", or a target. */
const REQUEST = 10;
const QUERY = 11;
const METHOD = 12;
const DURATION = 13;
const AGENT = 14;
const TRACE = 15;
/** `error`/`err`/`exception`: an object (an exception), a multi-line stack, or a one-line text. */
const ERROR = 16;
const STACK = 17;
const ERROR_TEXT = 18;
const ERROR_TYPE = 19;
/** Docker's `stream`: stdout or stderr. */
const STREAM = 20;

// Duration units
const MS = 0;
const SECONDS = 1;
const MICROS = 2;
const NANOS = 3;
/** Seconds when the number has a fraction ("0.123"), else ms (nginx-style request_time). */
const SECONDS_IF_FRACTION = 4;

/** One key of a key table: what it means and, for a parent, the table of its keys. */
export class KeyNode {
  readonly name: string;
  readonly hash: number;
  kind = IGNORE;
  rank = 0;
  unit = MS;
  children: KeyTable | undefined = undefined;
  constructor(name: string) {
    this.name = name;
    this.hash = hashRange(name, 0, name.length);
  }
}

const SLOTS = 512;
/** Fibonacci hashing: the top 9 bits of the hash times 2^32 / phi. */
const slotOf = (h: number) => Math.imul(h, 0x9e3779b1) >>> 23;

/** A cheap hash of the key s[i, j): its length, first two and last characters. */
export function hashRange(s: string, i: number, j: number): number {
  const n = j - i;
  if (n === 0) return 0;
  const second = n > 1 ? s.charCodeAt(i + 1) : 0;
  return (((n * 31 + s.charCodeAt(i)) * 31 + second) * 31 + s.charCodeAt(j - 1)) | 0;
}

/**
 * Key names to their meaning. Looked up by name (JSON.parse keys, logfmt) or
 * by hash and range of the line (the JSON scanner), which costs no string.
 */
export class KeyTable {
  private readonly byName = new Map<string, KeyNode>();
  /** Open addressing on the hash; SLOTS is well above the number of keys. */
  private readonly slots: (KeyNode | undefined)[] = new Array<KeyNode | undefined>(SLOTS).fill(
    undefined,
  );

  node(name: string): KeyNode {
    let node = this.byName.get(name);
    if (node === undefined) {
      node = new KeyNode(name);
      this.byName.set(name, node);
      let slot = slotOf(node.hash);
      while (this.slots[slot] !== undefined) slot = (slot + 1) & (SLOTS - 1);
      this.slots[slot] = node;
    }
    return node;
  }

  get(name: string): KeyNode | undefined {
    const node = this.byName.get(name);
    if (node !== undefined) return node;
    const c = name.charCodeAt(0);
    // "Level", "Message", "Timestamp": retried in lower case
    return c >= 65 && c <= 90 ? this.byName.get(name.toLowerCase()) : undefined;
  }

  /** The key s[i, j) (no escapes in it) whose hashRange is h. */
  find(h: number, s: string, i: number, j: number): KeyNode | undefined {
    const n = j - i;
    let slot = slotOf(h);
    for (;;) {
      const node = this.slots[slot];
      if (node === undefined) break;
      if (node.hash === h && node.name.length === n && s.startsWith(node.name, i)) return node;
      slot = (slot + 1) & (SLOTS - 1);
    }
    const c = s.charCodeAt(i);
    return c >= 65 && c <= 90 ? this.byName.get(s.slice(i, j).toLowerCase()) : undefined;
  }
}

/**
 * Every accepted key: [name, kind, rank, unit]. A dotted name is accepted
 * both as written (`"http.status_code": 500`, logfmt) and nested
 * (`"http": {"status_code": 500}`). Lower rank wins when a line has several.
 */
const KEYS: readonly (readonly [string, number, number?, number?])[] = [
  ['@timestamp', TIME, 0],
  ['timestamp', TIME, 1],
  ['time', TIME, 2],
  ['ts', TIME, 3],
  ['@t', TIME, 3],
  ['datetime', TIME, 4],
  ['date', TIME, 4],
  ['eventTime', TIME, 4],
  ['event_time', TIME, 4],
  ['t', TIME, 5],

  ['level', LEVEL, 0],
  ['log.level', LEVEL, 0],
  ['@l', LEVEL, 0],
  ['severity', LEVEL, 1],
  ['levelname', LEVEL, 1],
  ['level_name', LEVEL, 1],
  ['loglevel', LEVEL, 1],
  ['log_level', LEVEL, 1],
  ['lvl', LEVEL, 2],
  ['at', LEVEL, 2],

  ['msg', MESSAGE, 0],
  ['message', MESSAGE, 1],
  ['@m', MESSAGE, 1],
  ['event', MESSAGE, 2],
  ['log', LOG, 3],
  ['@mt', TEMPLATE, 4],
  ['messagetemplate', TEMPLATE, 4],
  ['desc', MESSAGE, 5],

  ['host', HOST, 0],
  ['hostname', HOST, 1],
  ['host.name', HOST, 1],
  ['host.hostname', HOST, 1],
  ['pod', HOST, 2],
  ['pod_name', HOST, 2],
  ['kubernetes.pod_name', HOST, 2],
  ['k8s.pod.name', HOST, 2],
  ['container', HOST, 3],
  ['container_name', HOST, 3],
  ['container.name', HOST, 3],
  ['instance', HOST, 4],
  ['dyno', HOST, 4],

  ['service', SERVICE, 0],
  ['service.name', SERVICE, 0],
  ['service_name', SERVICE, 0],
  ['app', SERVICE, 1],
  ['application', SERVICE, 1],
  ['app_name', SERVICE, 1],
  ['logger', SERVICE, 2],
  ['logger_name', SERVICE, 2],
  ['log.logger', SERVICE, 2],
  ['component', SERVICE, 3],
  ['kubernetes.container_name', SERVICE, 3],

  ['status', STATUS],
  ['status_code', STATUS],
  ['statusCode', STATUS],
  ['http.status_code', STATUS],
  ['http.status', STATUS],
  ['http.response.status_code', STATUS],
  ['response.status', STATUS],
  ['response.status_code', STATUS],
  ['response.statusCode', STATUS],
  ['res.statusCode', STATUS],
  ['res.status', STATUS],
  ['httpRequest.status', STATUS],
  ['response_status', STATUS],

  ['path', PATH, 0],
  ['http.path', PATH, 0],
  ['url.path', PATH, 0],
  ['req.path', PATH, 0],
  ['request.path', PATH, 0],
  ['uri', PATH, 1],
  ['request_uri', PATH, 1],
  ['http.target', PATH, 1],
  ['url.original', PATH, 1],
  ['req.url', PATH, 1],
  ['request.url', PATH, 1],
  ['request.uri', PATH, 1],
  ['url', PATH, 2],
  ['http.url', PATH, 2],
  ['url.full', PATH, 2],
  ['httpRequest.requestUrl', PATH, 2],
  ['request_url', PATH, 2],
  ['request', REQUEST, 1],
  ['url.query', QUERY],

  ['method', METHOD],
  ['http.method', METHOD],
  ['http.request.method', METHOD],
  ['request_method', METHOD],
  ['req.method', METHOD],
  ['request.method', METHOD],
  ['httpRequest.requestMethod', METHOD],
  ['verb', METHOD],

  ['duration_ms', DURATION, 0, MS],
  ['durationMs', DURATION, 0, MS],
  ['elapsed_ms', DURATION, 0, MS],
  ['latency_ms', DURATION, 0, MS],
  ['response_time_ms', DURATION, 0, MS],
  ['request_time_ms', DURATION, 0, MS],
  ['took_ms', DURATION, 0, MS],
  ['responseTime', DURATION, 0, MS],
  ['took', DURATION, 0, MS],
  ['duration', DURATION, 1, MS],
  ['latency', DURATION, 1, MS],
  ['elapsed', DURATION, 1, MS],
  ['httpRequest.latency', DURATION, 1, MS],
  ['http.duration', DURATION, 1, MS],
  ['request_time', DURATION, 1, SECONDS_IF_FRACTION],
  ['response_time', DURATION, 1, SECONDS_IF_FRACTION],
  ['upstream_response_time', DURATION, 1, SECONDS_IF_FRACTION],
  ['duration_s', DURATION, 0, SECONDS],
  ['duration_sec', DURATION, 0, SECONDS],
  ['duration_seconds', DURATION, 0, SECONDS],
  ['elapsed_s', DURATION, 0, SECONDS],
  ['latency_s', DURATION, 0, SECONDS],
  ['latency_seconds', DURATION, 0, SECONDS],
  ['duration_us', DURATION, 0, MICROS],
  ['duration_micros', DURATION, 0, MICROS],
  ['latency_us', DURATION, 0, MICROS],
  ['elapsed_us', DURATION, 0, MICROS],
  ['duration_ns', DURATION, 0, NANOS],
  ['latency_ns', DURATION, 0, NANOS],
  ['elapsed_ns', DURATION, 0, NANOS],
  ['event.duration', DURATION, 0, NANOS],

  ['user_agent', AGENT, 0],
  ['userAgent', AGENT, 1],
  ['http_user_agent', AGENT, 1],
  ['user_agent.original', AGENT, 1],
  ['http.user_agent', AGENT, 1],
  ['useragent', AGENT, 1],
  ['httpRequest.userAgent', AGENT, 1],
  ['req.headers.user-agent', AGENT, 1],
  ['request.headers.user-agent', AGENT, 1],
  ['ua', AGENT, 1],

  ['trace_id', TRACE, 0],
  ['traceId', TRACE, 0],
  ['traceID', TRACE, 0],
  ['trace.id', TRACE, 0],
  ['traceid', TRACE, 0],
  ['dd.trace_id', TRACE, 0],
  ['otelTraceID', TRACE, 0],
  ['logging.googleapis.com/trace', TRACE, 0],
  ['trace', TRACE, 1],

  ['error', ERROR],
  ['err', ERROR],
  ['exception', ERROR],
  ['@x', ERROR],
  ['exc', ERROR],
  ['stack', STACK],
  ['stack_trace', STACK],
  ['stacktrace', STACK],
  ['stackTrace', STACK],
  ['exc_info', STACK],
  ['error.stack', STACK],
  ['error.stack_trace', STACK],
  ['error.stacktrace', STACK],
  ['err.stack', STACK],
  ['exception.stack', STACK],
  ['exception.stacktrace', STACK],
  ['exception.stack_trace', STACK],
  ['error.message', ERROR_TEXT],
  ['err.message', ERROR_TEXT],
  ['exception.message', ERROR_TEXT],
  ['error.msg', ERROR_TEXT],
  ['error.type', ERROR_TYPE],
  ['error.kind', ERROR_TYPE],
  ['error.name', ERROR_TYPE],
  ['err.type', ERROR_TYPE],
  ['err.name', ERROR_TYPE],
  ['exception.type', ERROR_TYPE],
  ['exception.class', ERROR_TYPE],

  ['stream', STREAM],
];

/** The keys of a log line's top level. */
export const ROOT = new KeyTable();

for (const [name, kind, rank = 0, unit = MS] of KEYS) {
  const meaning = (node: KeyNode) => {
    node.kind = kind;
    node.rank = rank;
    node.unit = unit;
  };
  meaning(ROOT.node(name));
  // nested: http -> response -> status_code
  const parts = name.split('.');
  if (parts.length > 1 && !name.includes('/')) {
    let table = ROOT;
    for (let k = 0; k < parts.length - 1; k++) {
      const parent = table.node(parts[k] ?? '');
      parent.children ??= new KeyTable();
      table = parent.children;
    }
    meaning(table.node(parts[parts.length - 1] ?? ''));
  }
}

export const MAX_DEPTH = 4;

/** Every key of a (JSON.parse) object. */
export function applyObject(
  d: Draft,
  o: Record<string, unknown>,
  table: KeyTable,
  depth: number,
): void {
  for (const key in o) {
    const node = table.get(key);
    if (node !== undefined) applyValue(d, node, o[key], depth);
  }
}

/** One key=value (logfmt: the value is a string). */
export function applyField(d: Draft, key: string, v: unknown): void {
  const node = ROOT.get(key);
  if (node !== undefined) applyValue(d, node, v, 0);
}

/** The value of a known key: a JSON value or a string. */
export function applyValue(d: Draft, node: KeyNode, v: unknown, depth: number): void {
  if (isObject(v)) {
    if (node.kind === ERROR) d.exception = true;
    if (node.children !== undefined && depth < MAX_DEPTH) {
      applyObject(d, v, node.children, depth + 1);
    }
    return;
  }
  applyScalar(d, node, v);
}

/** A value that is not an object: string, number, boolean, null or array. */
export function applyScalar(d: Draft, node: KeyNode, v: unknown): void {
  const rank = node.rank;
  switch (node.kind) {
    case TIME:
      setTime(d, v, rank);
      return;
    case LEVEL:
      setLevel(d, v, rank);
      return;
    case MESSAGE:
      setMessage(d, v, rank);
      return;
    case LOG:
      // kept as written: the reader needs the newline (none: a partial line)
      if (typeof v === 'string' && rank < d.messageRank) {
        setMessage(d, v, rank);
        d.fromLog = true;
      }
      return;
    case TEMPLATE:
      if (typeof v === 'string') {
        d.clef = true;
        setMessage(d, v, rank);
      }
      return;
    case HOST:
      setHost(d, v, rank);
      return;
    case SERVICE:
      setService(d, v, rank);
      return;
    case STATUS:
      setStatus(d, v);
      return;
    case PATH:
      setPath(d, v, rank);
      return;
    case REQUEST:
      setRequestLine(d, v);
      return;
    case QUERY:
      if (typeof v === 'string' && d.query === undefined) d.query = v;
      return;
    case METHOD:
      setMethod(d, v, rank);
      return;
    case DURATION:
      setDuration(d, v, rank, node.unit);
      return;
    case AGENT:
      setUserAgent(d, v, rank);
      return;
    case TRACE:
      setTrace(d, v, rank);
      return;
    case ERROR:
      setError(d, v);
      return;
    case STACK:
      setStack(d, v);
      return;
    case ERROR_TEXT:
      if (typeof v === 'string' && v !== '') d.errorText = v;
      return;
    case ERROR_TYPE:
      if (typeof v === 'string' && v !== '') d.errorType = v;
      return;
    case STREAM:
      if (v === 'stdout') d.stream = 1;
      else if (v === 'stderr') d.stream = 2;
      return;
    default:
      return;
  }
}

/** A time value read straight from the line, s[i, j) (a JSON string's content). */
export function applyTimeRange(d: Draft, node: KeyNode, s: string, i: number, j: number): void {
  if (node.rank >= d.timeRank) return;
  let t = parseStamp(s, i, d.clock);
  if (Number.isNaN(t) || stampOut.end !== j) t = parseTimeText(s.slice(i, j), d.clock);
  if (!Number.isNaN(t)) {
    d.time = t;
    d.timeRank = node.rank;
  }
}

export const isTimeKey = (node: KeyNode) => node.kind === TIME;
export const isLevelKey = (node: KeyNode) => node.kind === LEVEL;

/** A level value read straight from the line, s[i, j) (a JSON string's content). */
export function applyLevelRange(d: Draft, node: KeyNode, s: string, i: number, j: number): void {
  if (node.rank >= d.levelRank) return;
  const level = levelFromRange(s, i, j) ?? levelFromText(s.slice(i, j));
  if (level !== undefined) {
    d.level = level;
    d.levelRank = node.rank;
  }
}
export const isErrorKey = (node: KeyNode) => node.kind === ERROR;
export const isStackKey = (node: KeyNode) => node.kind === STACK;

function setTime(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.timeRank) return;
  let t: number;
  if (typeof v === 'string') t = parseTimeText(v, d.clock);
  else if (typeof v === 'number') t = epochFromNumber(v);
  else return;
  if (!Number.isNaN(t)) {
    d.time = t;
    d.timeRank = rank;
  }
}

function setLevel(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.levelRank) return;
  const level = levelFromValue(v);
  if (level !== undefined) {
    d.level = level;
    d.levelRank = rank;
  }
}

function setMessage(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.messageRank) return;
  if (typeof v === 'string') d.message = v;
  else if (typeof v === 'number' || typeof v === 'boolean') d.message = String(v);
  else return;
  d.messageRank = rank;
  d.fromLog = false;
}

function setHost(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.hostRank || typeof v !== 'string' || v === '' || v === '-') return;
  d.host = v;
  d.hostRank = rank;
}

function setService(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.serviceRank || typeof v !== 'string' || v === '' || v === '-') return;
  // Heroku's router writes `service=30ms`: a duration, not a name.
  const c = v.charCodeAt(0);
  if (c >= 48 && c <= 57) return;
  d.service = v;
  d.serviceRank = rank;
}

function setStatus(d: Draft, v: unknown): void {
  if (d.status !== 0) return;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && v.length === 3) n = Number(v);
  else return;
  if (Number.isInteger(n) && n >= 100 && n <= 599) d.status = n;
}

function setPath(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.pathRank || typeof v !== 'string' || v === '' || v === '-') return;
  splitTarget(v);
  d.path = targetOut.path;
  if (targetOut.query !== undefined) d.query = targetOut.query;
  d.pathRank = rank;
}

/** `request` is a request line ("GET /a?b=1 HTTP/1.1") or a target. */
function setRequestLine(d: Draft, v: unknown): void {
  if (typeof v !== 'string') return;
  const sp = v.indexOf(' ');
  if (sp === -1) {
    setPath(d, v, 1);
    return;
  }
  const sp2 = v.indexOf(' ', sp + 1);
  setMethod(d, v.slice(0, sp), 1);
  setPath(d, v.slice(sp + 1, sp2 === -1 ? v.length : sp2), 1);
}

function setMethod(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.methodRank || typeof v !== 'string' || v === '' || v.length > 16) return;
  const c = v.charCodeAt(0);
  d.method = c >= 97 && c <= 122 ? v.toUpperCase() : v;
  d.methodRank = rank;
}

function setUserAgent(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.userAgentRank || typeof v !== 'string' || v === '' || v === '-') return;
  d.userAgent = v;
  d.userAgentRank = rank;
}

function setTrace(d: Draft, v: unknown, rank: number): void {
  if (rank >= d.traceRank || typeof v !== 'string' || v === '') return;
  // Google Cloud: "projects/my-project/traces/06796866738c859f2f19b7cfb3214824"
  const slash = v.charCodeAt(0) === 112 ? v.lastIndexOf('/') : -1;
  d.traceId = slash === -1 ? v : v.slice(slash + 1);
  d.traceRank = rank;
}

/** Splits a multi-line text into stack lines (blank lines dropped). */
export function stackLines(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    let nl = text.indexOf('\n', i);
    if (nl === -1) nl = n;
    let end = nl;
    if (end > i && text.charCodeAt(end - 1) === 13) end--;
    if (end > i) {
      const line = text.slice(i, end);
      if (line.trim() !== '') out.push(line);
    }
    i = nl + 1;
  }
  return out;
}

/**
 * A stack entry that is not a string (a frame object), as JSON. Nested
 * thousands deep, JSON.stringify runs out of call stack: the entry is then
 * no frame worth its text.
 */
function frameText(item: unknown): string {
  try {
    return JSON.stringify(item);
  } catch {
    return Array.isArray(item) ? '[...]' : '{...}';
  }
}

function setStack(d: Draft, v: unknown): void {
  if (typeof v === 'string') {
    if (v.trim() === '' || d.stack !== undefined) return;
    d.stack = stackLines(v);
    d.exception = true;
  } else if (Array.isArray(v)) {
    if (d.stack !== undefined) return;
    const lines: string[] = [];
    for (const item of v) {
      if (typeof item === 'string') lines.push(...stackLines(item));
      else if (item !== null && item !== undefined) lines.push(frameText(item));
    }
    if (lines.length > 0) {
      d.stack = lines;
      d.exception = true;
    }
  } else if (v === true) {
    d.exception = true;
  }
}

/** `error`/`err` as a string: a stack when it spans lines, else a one-line error text. */
function setError(d: Draft, v: unknown): void {
  if (typeof v !== 'string' || v === '') return;
  if (v.indexOf('\n') !== -1) setStack(d, v);
  else d.errorText = v;
}

function durationFromNumber(n: number, unit: number): number {
  switch (unit) {
    case SECONDS:
      return n * 1000;
    case MICROS:
      return n / 1000;
    case NANOS:
      return n / 1e6;
    case SECONDS_IF_FRACTION:
      return Number.isInteger(n) ? n : n * 1000;
    default:
      return n;
  }
}

/** ms per unit suffix, or NaN. */
function unitFactor(s: string, i: number, j: number): number {
  switch (s.slice(i, j).toLowerCase()) {
    case 'ns':
      return 1e-6;
    case 'us':
    case 'µs':
    case 'μs':
      return 1e-3;
    case 'ms':
      return 1;
    case 's':
    case 'sec':
    case 'secs':
    case 'second':
    case 'seconds':
      return 1000;
    case 'm':
    case 'min':
    case 'mins':
    case 'minute':
    case 'minutes':
      return 60_000;
    case 'h':
    case 'hr':
    case 'hour':
    case 'hours':
      return 3_600_000;
    default:
      return Number.NaN;
  }
}

/** "12.5", "12ms", "0.5s", "1m2.5s", "250µs" to ms; a bare number takes `unit`. */
export function parseDuration(s: string, unit: number): number {
  const n = s.length;
  let i = 0;
  let total = 0;
  let parts = 0;
  while (i < n) {
    const start = i;
    let c = s.charCodeAt(i);
    while ((c >= 48 && c <= 57) || c === 46) c = s.charCodeAt(++i);
    if (i === start) return Number.NaN;
    const value = Number(s.slice(start, i));
    if (Number.isNaN(value)) return Number.NaN;
    while (c === 32) c = s.charCodeAt(++i);
    const unitStart = i;
    while (i < n && !((c >= 48 && c <= 57) || c === 46 || c === 32)) c = s.charCodeAt(++i);
    if (i === unitStart) {
      if (parts > 0 || i < n) return Number.NaN;
      return durationFromNumber(value, unit);
    }
    const factor = unitFactor(s, unitStart, i);
    if (Number.isNaN(factor)) return Number.NaN;
    total += value * factor;
    parts++;
  }
  return parts > 0 ? total : Number.NaN;
}

function setDuration(d: Draft, v: unknown, rank: number, unit: number): void {
  if (rank >= d.durationRank) return;
  let ms: number;
  if (typeof v === 'number') ms = durationFromNumber(v, unit);
  else if (typeof v === 'string') ms = parseDuration(v.trim(), unit);
  else return;
  if (ms >= 0 && ms < 1e12) {
    d.durationMs = Math.round(ms * 1000) / 1000;
    d.durationRank = rank;
  }
}

/** Other fields kept per event by extraFields, and how deep it looks. */
export const MAX_EXTRA_FIELDS = 32;
const MAX_EXTRA_DEPTH = 3;
const MAX_EXTRA_VALUE = 200;

export type FieldValue = string | number | boolean;

/**
 * The fields of a parsed JSON object that no event field took, flattened
 * (`user.region`), scalars only (strings cut to MAX_EXTRA_VALUE), at most
 * MAX_EXTRA_FIELDS. A known parent (`http`) is walked for its unknown keys
 * (`http.client_region`); a known key is left out. Into `out`, a null-
 * prototype object, so that no key ("__proto__") can reach Object.prototype.
 */
export function collectExtraFields(
  o: Record<string, unknown>,
  out: Record<string, FieldValue>,
  table: KeyTable | undefined = ROOT,
  prefix = '',
  depth = 0,
): void {
  for (const key in o) {
    if (Object.keys(out).length >= MAX_EXTRA_FIELDS) return;
    const node = table?.get(key);
    if (node !== undefined && node.kind !== IGNORE) continue;
    const v = o[key];
    const name = prefix + key;
    if (isObject(v)) {
      if (depth + 1 < MAX_EXTRA_DEPTH)
        collectExtraFields(v, out, node?.children, `${name}.`, depth + 1);
    } else if (typeof v === 'string')
      out[name] = v.length > MAX_EXTRA_VALUE ? v.slice(0, MAX_EXTRA_VALUE) : v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name] = v;
  }
}

/** One logfmt pair for extraFields: kept unless the key is a known field. */
export function collectExtraPair(
  key: string,
  value: string,
  out: Record<string, FieldValue>,
): void {
  if (Object.keys(out).length >= MAX_EXTRA_FIELDS) return;
  const node = ROOT.get(key);
  if (node !== undefined && node.kind !== IGNORE) return;
  out[key] = value.length > MAX_EXTRA_VALUE ? value.slice(0, MAX_EXTRA_VALUE) : value;
}
