/*
 * The host a log file came from, read off its path when its lines do not say:
 *
 *   web-3/access.log                  -> web-3
 *   web-3.access.log, web-3.log.2.gz  -> web-3
 *   logs/2026-03-14/web-3.log         -> web-3
 *   /var/log/pods/shop_checkout-7d9f_0a1b.../app/0.log  -> checkout-7d9f  (Kubernetes pod)
 *   /var/log/containers/checkout-7d9f_shop_app-0a1b.log -> checkout-7d9f
 *   /var/log/nginx/access.log         -> undefined (no host-like part)
 *
 * The deepest path part that is host-like wins: after dropping extensions,
 * rotation suffixes, dates and generic words (log, access, nginx, ...), it
 * must contain a digit or be a domain name, and not be a date, a number, a
 * version or a uid. A name without a digit (`frontend/access.log`) is not
 * taken for a host: use `hostPattern`. A `hostPattern` replaces all this: its first capture group is the
 * host, and when it does not match there is no host.
 */

const GENERIC = new Set([
  'var',
  'log',
  'logs',
  'tmp',
  'temp',
  'home',
  'data',
  'srv',
  'opt',
  'mnt',
  'media',
  'users',
  'root',
  'app',
  'apps',
  'nginx',
  'apache',
  'apache2',
  'httpd',
  'caddy',
  'haproxy',
  'traefik',
  'envoy',
  'access',
  'error',
  'errors',
  'server',
  'current',
  'latest',
  'stdout',
  'stderr',
  'out',
  'err',
  'output',
  'combined',
  'messages',
  'syslog',
  'daemon',
  'kern',
  'auth',
  'debug',
  'info',
  'warn',
  'trace',
  'application',
  'service',
  'services',
  'containers',
  'pods',
  'archive',
  'archives',
  'old',
  'rotated',
  'backup',
  'incident',
  'incidents',
  'export',
  'exports',
  'download',
  'downloads',
  'journal',
  'docker',
  'k8s',
  'kubernetes',
  'json',
  'text',
  'main',
  'default',
  'system',
  'local',
  'gz',
  'log4j',
  'logback',
]);

const EXTENSIONS = new Set([
  'gz',
  'bz2',
  'xz',
  'zst',
  'zip',
  'lz4',
  'log',
  'logs',
  'txt',
  'json',
  'jsonl',
  'ndjson',
  'out',
  'err',
  'csv',
  'old',
]);

const isDigit = (c: number) => c >= 48 && c <= 57;

function allDigits(s: string): boolean {
  if (s === '') return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** 2026-03-14, 2026_03_14, 20260314, 2026-03-14T09, 2026.03.14 */
function isDate(s: string): boolean {
  const digits = s.replace(/[-_.:T]/g, '');
  return allDigits(digits) && digits.length >= 6 && /^(19|20)\d\d/.test(digits);
}

/** v1.2.3, 1.2.3 */
function isVersion(s: string): boolean {
  return /^v?\d+(\.\d+)+$/.test(s);
}

/** A file name without extensions, rotation numbers and date suffixes. */
function stem(name: string): string {
  let parts = name.split('.');
  while (parts.length > 1) {
    const last = parts[parts.length - 1] ?? '';
    if (EXTENSIONS.has(last.toLowerCase()) || allDigits(last) || isDate(last)) parts.pop();
    else break;
  }
  // "access.log-20260314", "web-3-2026-03-14"
  parts = parts.map((p) => p.replace(/[-_](19|20)\d\d-?\d\d-?\d\d(T?\d+)?$/, ''));
  return parts.join('.');
}

/** Generic words dropped from a name: dotted parts, and dash/underscore words at either end. */
function clean(name: string): string {
  const dotted = name.split('.').filter((p) => p !== '' && !GENERIC.has(p.toLowerCase()));
  let s = dotted.join('.');
  for (;;) {
    const m = /^([A-Za-z0-9]+)[-_](.+)$/.exec(s);
    if (m?.[1] !== undefined && m[2] !== undefined && GENERIC.has(m[1].toLowerCase())) {
      s = m[2];
      continue;
    }
    const e = /^(.+)[-_]([A-Za-z0-9]+)$/.exec(s);
    if (e?.[1] !== undefined && e[2] !== undefined && GENERIC.has(e[2].toLowerCase())) {
      s = e[1];
      continue;
    }
    return s;
  }
}

function isHostLike(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s)) return false;
  if (GENERIC.has(s.toLowerCase()) || allDigits(s) || isDate(s) || isVersion(s)) return false;
  // a lone hex blob (a container or pod uid) is not a host name
  if (/^[0-9a-f]{16,}$/i.test(s) || /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s)) return false;
  // a digit (web-3, ip-10-0-1-5, db01) or a domain name (db.prod.example.com)
  return /[0-9]/.test(s) || /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(s);
}

/** The host named by a source path, or undefined. */
export function hostFromSource(source: string, pattern?: RegExp): string | undefined {
  if (pattern !== undefined) {
    pattern.lastIndex = 0;
    const m = pattern.exec(source);
    const host = m?.[1];
    return host === undefined || host === '' ? undefined : host;
  }
  const parts = source.split(/[\\/]+/).filter((p) => p !== '' && p !== '.' && p !== '..');
  // Kubernetes: /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log
  const pods = parts.lastIndexOf('pods');
  const podDir = pods >= 0 ? parts[pods + 1] : undefined;
  if (podDir !== undefined) {
    const fields = podDir.split('_');
    if (fields.length === 3 && fields[1]) return fields[1];
  }
  // Kubernetes: /var/log/containers/<pod>_<namespace>_<container>-<id>.log
  const containers = parts.lastIndexOf('containers');
  const containerFile = containers >= 0 ? parts[containers + 1] : undefined;
  if (containerFile !== undefined) {
    const fields = containerFile.split('_');
    if (fields.length >= 3 && fields[0]) return fields[0];
  }
  for (let k = parts.length - 1; k >= 0; k--) {
    const part = parts[k] ?? '';
    const candidate = clean(k === parts.length - 1 ? stem(part) : part);
    if (isHostLike(candidate)) return candidate;
  }
  return undefined;
}
