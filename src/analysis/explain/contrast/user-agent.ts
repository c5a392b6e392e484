/**
 * Browser, OS and device from a User-Agent header, with ua-parser-js (1.x,
 * MIT, maintained; pure JavaScript with no node:* imports, so it may live in
 * the pure analysis layer). A hand-written parser would rot within months:
 * the library tracks hundreds of browsers, WebViews and OS spellings.
 *
 * Parsing costs about 10 microseconds, far too much for every event, while
 * real traffic repeats a few thousand User-Agent strings: `UserAgentCache`
 * parses each distinct string once and keeps the answers in two generations
 * of a bounded map (an approximate LRU: a hit in the old generation moves to
 * the new one; when the new one is full, the old one is dropped), which is
 * O(1) per lookup with no reordering on hits.
 *
 * A User-Agent the library does not know (`curl/8.5.0`, `MyApp/2.3.1 (iOS)`,
 * `okhttp/4.12`) falls back to its first product token, so that API clients
 * and app versions are counted too: failures often come from one app build.
 */
import UAParser from 'ua-parser-js';
import { detach } from '../../detach.js';

export type DeviceKind = 'mobile' | 'tablet' | 'desktop' | 'other';

/** What a User-Agent (or a bug report's browser and OS columns) says about the client. */
export interface ClientInfo {
  /** Family and major version: "Firefox 126", "Mobile Safari 17", "curl 8". */
  browser?: string;
  /** "Firefox", "Mobile Safari", "curl". */
  browserFamily?: string;
  /** "iOS", "Windows", "Android", "Mac OS". */
  os?: string;
  /** OS and major version: "iOS 17", "Android 14" ("Mac OS 10.15": macOS froze it there). */
  osVersion?: string;
  device?: DeviceKind;
}

const parser = new UAParser();

const major = (version: string | undefined) => version?.match(/^\d+/)?.[0];

/** The client a User-Agent string names; empty when it names none ("-", ""). */
export function parseUserAgent(userAgent: string): ClientInfo {
  parser.setUA(userAgent);
  const browser = parser.getBrowser();
  const os = parser.getOS();
  const device = parser.getDevice();
  const info: ClientInfo = {};
  let family = browser.name;
  let version = browser.major ?? major(browser.version);
  if (!family) {
    // First product token: name/version, the name starting with a letter.
    const token = userAgent.match(/^\s*([A-Za-z][\w.-]{0,40})\/v?(\d+)/);
    if (token && token[1] !== 'Mozilla') {
      family = token[1];
      version = token[2];
    }
  }
  if (family) {
    info.browserFamily = family;
    info.browser = version ? `${family} ${version}` : family;
  }
  let osName = os.name;
  let osVersion = os.version;
  if (!osName) {
    // App clients often say their platform plainly: "MyApp/3.2 (iOS 17.4; iPhone14,2)".
    const platform = userAgent.match(/\b(iOS|iPadOS|Android|Windows|macOS|Linux)[ /]?(\d+[.\d]*)?/);
    osName = platform?.[1] === 'iPadOS' ? 'iOS' : platform?.[1];
    osVersion = platform?.[2];
  }
  if (osName) {
    info.os = osName;
    const osMajor = osName === 'Mac OS' ? osVersion?.match(/^\d+(\.\d+)?/)?.[0] : major(osVersion);
    info.osVersion = osMajor ? `${osName} ${osMajor}` : osName;
  }
  const type = device.type;
  if (type === 'mobile' || type === 'tablet') info.device = type;
  else if (type) info.device = 'other';
  else if (browser.name || os.name) info.device = 'desktop';
  else if (osName === 'iOS' || osName === 'Android') info.device = 'mobile';
  return info;
}

/** User-Agents seen per generation (two generations are kept). */
const DEFAULT_CAPACITY = 4096;

/** Parsed User-Agents by string, bounded (see the file comment). */
/** Entries of the cache's table of recent lookups (a power of two). */
const RECENT = 256;

/** A parsed User-Agent, with the string as kept (detached from its chunk). */
type Parsed = [userAgent: string, info: ClientInfo];

export class UserAgentCache {
  #current = new Map<string, Parsed>();
  #previous = new Map<string, Parsed>();
  #parsed = 0;
  /**
   * Recent lookups, placed by the length and two characters of the string:
   * each event's User-Agent is a fresh string, which a Map lookup hashes
   * whole (a quarter of a microsecond for a browser's, on every failing
   * request of an incident); a comparison with the string in its place
   * is cheaper. A miss goes on to the maps.
   */
  readonly #recent = new Array<Parsed | undefined>(RECENT);

  constructor(readonly capacity = DEFAULT_CAPACITY) {}

  /** How many strings were parsed (misses), for tests and benchmarks. */
  get parsed(): number {
    return this.#parsed;
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  get(userAgent: string): ClientInfo {
    const n = userAgent.length;
    const place =
      (n * 31 + userAgent.charCodeAt(n >> 1) * 7 + userAgent.charCodeAt(n - 1)) & (RECENT - 1);
    const recent = this.#recent[place];
    if (recent !== undefined && recent[0] === userAgent) return recent[1];
    let parsed = this.#current.get(userAgent);
    if (!parsed) {
      parsed = this.#previous.get(userAgent);
      if (!parsed) {
        // The key outlives the event: detach it from the chunk it was cut from.
        parsed = [detach(userAgent), parseUserAgent(userAgent)];
        this.#parsed++;
      }
      if (this.#current.size >= this.capacity) {
        this.#previous = this.#current;
        this.#current = new Map();
      }
      this.#current.set(parsed[0], parsed);
    }
    this.#recent[place] = parsed;
    return parsed[1];
  }
}

export function browserKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/\b(mobile|google|microsoft|browser|webview|mozilla|apple)\b/g, '')
    .replace(/\s+on\s+.*$/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The same for operating systems: "macOS", "OS X" and "Mac OS" are one; iPadOS is iOS. */
export function osKey(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (/^(mac ?os( x)?|os x|macintosh)\b/.test(key)) return 'mac os';
  if (/^(ipados|iphone|ipad|iphone os)\b/.test(key)) return 'ios';
  if (/^win(dows)?\b/.test(key)) return 'windows';
  return key.replace(/ \d.*$/, '');
}

/**
 * A client from free-text columns ("Firefox 126.0", "Windows 11",
 * "Safari on iOS 17"): family and major version as the parser would name
 * them where the text allows.
 */
export function clientFromNames(browser?: string, os?: string): ClientInfo {
  const info: ClientInfo = {};
  const b = browser?.trim();
  if (b) {
    const [, name = b, version] = b.match(/^(.*?)[\s/]*v?(\d+)?(?:[.\d]*)?(?:\s+on\s+.*)?$/) ?? [];
    const family = name.trim() || b;
    info.browserFamily = family;
    info.browser = version ? `${family} ${version}` : family;
    const on = b.match(/\s+on\s+(.+)$/)?.[1];
    if (on && !os) return { ...info, ...osFromName(on) };
  }
  const o = os?.trim();
  return o ? { ...info, ...osFromName(o) } : info;
}

function osFromName(text: string): ClientInfo {
  const [, name = text, version] = text.match(/^(.*?)\s*v?(\d+(?:\.\d+)?)?$/) ?? [];
  const os = name.trim() || text;
  const v = version && osKey(os) !== 'mac os' ? major(version) : version;
  return { os, osVersion: v ? `${os} ${v}` : os };
}
