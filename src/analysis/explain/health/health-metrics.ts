/**
 * What a metric measures, read from its name: the resource (CPU, memory, disk,
 * load), whether it counts what is used or what is left, its unit, and whether
 * it is a cumulative counter. Names come from every kind of exporter and
 * spreadsheet (`cpu`, `cpu_percent`, `node_load1`, `memory_used_bytes`,
 * `node_memory_MemAvailable_bytes`, `disk_used_percent`, `filesystem_avail_bytes`),
 * so the name is cut into lowercase words (snake_case, camelCase, dots, dashes)
 * and judged by its words, not matched against a list of exact names.
 */

export type ResourceKind = 'cpu' | 'memory' | 'disk' | 'load' | 'other';
/** The unit a series is analysed in: fractions are turned into percent, KB/MB/GB into bytes. */
export type MetricUnit = 'percent' | 'bytes' | 'count';

/** One reading of one metric on one host, as the metrics inputs deliver it. */
export interface MetricSample {
  /** Epoch milliseconds (UTC). */
  time: number;
  host: string;
  metric: string;
  value: number;
  /** What the metric is about when a host has several: a mount point, device, core. */
  resource?: string;
  /** Where the reading was read, for evidence. */
  source?: string;
  line?: number;
}

export interface MetricIdentity {
  kind: ResourceKind;
  /** `free` metrics shrink as the resource fills (idle CPU, available memory, free disk). */
  polarity: 'used' | 'free';
  /** From the name; undefined when only the values can tell (see `resolveUnit`). */
  unit?: 'percent' | 'fraction' | 'bytes' | 'count';
  /** Multiplies values into bytes (a `_mb` column holds mebibytes). */
  scale: number;
  /** A cumulative counter (`_total`, `_count`): analysed as its rate per second. */
  counter: boolean;
  /** The size of the resource (`size_bytes`, `MemTotal`, `limit`): a denominator, not health. */
  capacity: boolean;
}

/** "node_memory_MemAvailable_bytes" -> node, memory, mem, available, bytes; "CPUUtilization" -> cpu, utilization. */
export function metricWords(name: string): string[] {
  return name
    .replace(/([KMGT]i?B)(?![a-z])/g, (unit) => ` ${unit.toLowerCase()}`)
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

const FREE_WORDS = new Set(['free', 'avail', 'available', 'idle', 'remaining', 'left', 'unused']);
const CAPACITY_WORDS = new Set(['size', 'capacity', 'limit', 'max', 'total']);
// `pct` is left to the values: Elastic's metricbeat writes fractions under that name.
const PERCENT_WORDS = new Set(['percent', 'percentage', 'perc']);
const FRACTION_WORDS = new Set(['ratio', 'fraction', 'utilisation', 'utilization']);
const COUNTER_ACTIVITY = new Set(['seconds', 'read', 'written', 'writes', 'reads', 'io', 'ops']);
const BYTE_SCALES: Record<string, number> = {
  bytes: 1,
  byte: 1,
  kb: 1024,
  kib: 1024,
  kilobytes: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  megabytes: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  gigabytes: 1024 ** 3,
};

function kindOf(words: readonly string[]): ResourceKind {
  const has = (test: (w: string) => boolean) => words.some(test);
  // Load first: `node_load1` must not be read as anything else; disk before memory
  // so that `container_fs_usage_bytes` is a disk.
  if (has((w) => /^load(avg|average|\d+)?$/.test(w))) return 'load';
  if (has((w) => ['disk', 'filesystem', 'fs', 'volume', 'inodes', 'storage'].includes(w)))
    return 'disk';
  if (has((w) => /^cpus?$/.test(w) || w === 'processor' || /^cpu(usage|util|percent)$/.test(w)))
    return 'cpu';
  if (has((w) => ['mem', 'memory', 'ram', 'rss', 'heap', 'swap'].includes(w))) return 'memory';
  if (has((w) => w === 'memavailable' || w === 'memfree' || w === 'memused')) return 'memory';
  return 'other';
}

/** Reads what a metric measures from its name alone. */
export function identifyMetric(name: string): MetricIdentity {
  const words = metricWords(name);
  const kind = kindOf(words);
  const last = words.at(-1) ?? '';
  const free = words.some((w) => FREE_WORDS.has(w) || w === 'memavailable' || w === 'memfree');
  const byteWord = words.find((w) => BYTE_SCALES[w] !== undefined);
  let unit: MetricIdentity['unit'];
  if (words.some((w) => PERCENT_WORDS.has(w))) unit = 'percent';
  else if (byteWord) unit = 'bytes';
  else if (words.some((w) => FRACTION_WORDS.has(w))) unit = 'fraction';
  else if (kind === 'load') unit = 'count';
  // `_total` ends Prometheus counters, but `mem_total` is the size of memory.
  // Histograms' `_count` and `_sum` are counters too, but `cpu_count` is a number of cores.
  const resourceSize =
    (kind === 'memory' || kind === 'disk') && !words.some((w) => COUNTER_ACTIVITY.has(w));
  const counter =
    (last === 'total' && !resourceSize) ||
    ((last === 'count' || last === 'sum') && kind === 'other');
  const capacity =
    !counter &&
    !free &&
    (kind === 'memory' || kind === 'disk') &&
    words.some((w) => CAPACITY_WORDS.has(w) || w === 'memtotal');
  return {
    kind,
    polarity: free ? 'free' : 'used',
    ...(unit ? { unit } : {}),
    scale: byteWord ? (BYTE_SCALES[byteWord] ?? 1) : 1,
    counter,
    capacity,
  };
}

/**
 * The unit a series is analysed in, from its name or else from its values:
 * a CPU, memory or disk series that stays within [0, 1] is a fraction, within
 * [0, 100] a percentage, and beyond that (memory, disk) a number of bytes.
 */
export function resolveUnit(
  identity: MetricIdentity,
  low: number,
  high: number,
): { unit: MetricUnit; factor: number } {
  if (identity.counter) return { unit: 'count', factor: 1 };
  switch (identity.unit) {
    case 'percent':
      return { unit: 'percent', factor: 1 };
    case 'fraction':
      return high <= 1.0001 ? { unit: 'percent', factor: 100 } : { unit: 'percent', factor: 1 };
    case 'bytes':
      return { unit: 'bytes', factor: identity.scale };
    case 'count':
      return { unit: 'count', factor: 1 };
  }
  if (identity.kind === 'load' || identity.kind === 'other') return { unit: 'count', factor: 1 };
  if (low >= 0 && high <= 1) return { unit: 'percent', factor: 100 };
  if (low >= 0 && high <= 100) return { unit: 'percent', factor: 1 };
  return identity.kind === 'cpu' ? { unit: 'count', factor: 1 } : { unit: 'bytes', factor: 1 };
}

const KIND_LABEL: Record<ResourceKind, string> = {
  cpu: 'CPU',
  memory: 'memory',
  disk: 'disk',
  load: 'load',
  other: '',
};

/** How a series is named in sentences: "CPU", "disk /", "memory (MemAvailable)", "queue_depth". */
export function describeSeries(metric: string, kind: ResourceKind, resource?: string): string {
  const label = KIND_LABEL[kind] || metric;
  const generic = kind !== 'other' && isPlainName(metric, kind);
  const base = generic ? label : kind === 'other' ? metric : `${label} (${metric})`;
  return resource ? `${base} ${resource}` : base;
}

/** A name that says no more than its kind: `cpu_percent`, `mem`, `disk_used_percent`, `load1`. */
function isPlainName(metric: string, kind: ResourceKind): boolean {
  const extra = metricWords(metric).filter(
    (w) =>
      kindOf([w]) !== kind &&
      !PERCENT_WORDS.has(w) &&
      !FRACTION_WORDS.has(w) &&
      BYTE_SCALES[w] === undefined &&
      ![
        'used',
        'usage',
        'util',
        'node',
        'system',
        'host',
        'avg',
        'average',
        'value',
        'pct',
        'total',
      ].includes(w),
  );
  return extra.length === 0;
}

/** "95%", "1.4 GB", "0.73": the value in its unit, rounded for reading. */
export function formatValue(value: number, unit: MetricUnit): string {
  if (unit === 'percent') return `${round(value)}%`;
  if (unit === 'bytes') return formatBytes(value);
  return round(value);
}

/** A rate per hour: "+4%/h" (percentage points), "+200 MB/h", "+0.5/h"; two significant digits. */
export function formatRatePerHour(perHour: number, unit: MetricUnit): string {
  const sign = perHour < 0 ? '-' : '+';
  const size = Math.abs(perHour);
  if (unit === 'bytes') return `${sign}${formatBytes(size, 2)}/h`;
  return `${sign}${formatValue(Number(size.toPrecision(2)), unit)}/h`;
}

function round(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 10 ? 0 : abs >= 1 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

function formatBytes(bytes: number, significant?: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = Math.abs(bytes);
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const shown = significant ? String(Number(value.toPrecision(significant))) : round(value);
  return `${bytes < 0 ? '-' : ''}${shown} ${units[i]}`;
}

/** "~2 h 15 min", "~40 min", "~3 days": a projection, so rounded and marked approximate. */
export function formatApproxDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `~${minutes} min`;
  if (minutes >= 48 * 60) return `~${Math.round(minutes / 1440)} days`;
  // To 5 minutes below ten hours, to the hour above.
  const step = minutes >= 600 ? 60 : 5;
  const rounded = Math.round(minutes / step) * step;
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest ? `~${hours} h ${rest} min` : `~${hours} h`;
}
