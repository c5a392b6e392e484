import { describe, expect, it } from 'vitest';
import {
  describeSeries,
  formatApproxDuration,
  formatRatePerHour,
  formatValue,
  identifyMetric,
  resolveUnit,
} from './health-metrics.js';

describe('identifyMetric', () => {
  it.each([
    ['cpu', 'cpu', 'used', undefined],
    ['cpu_percent', 'cpu', 'used', 'percent'],
    ['CPUUtilization', 'cpu', 'used', 'fraction'],
    ['cpu_idle', 'cpu', 'free', undefined],
    ['system.cpu.usage', 'cpu', 'used', undefined],
    ['mem', 'memory', 'used', undefined],
    ['mem_percent', 'memory', 'used', 'percent'],
    ['memory_used_bytes', 'memory', 'used', 'bytes'],
    ['node_memory_MemAvailable_bytes', 'memory', 'free', 'bytes'],
    ['container_memory_working_set_bytes', 'memory', 'used', 'bytes'],
    ['heap_used_mb', 'memory', 'used', 'bytes'],
    ['disk_used_percent', 'disk', 'used', 'percent'],
    ['node_filesystem_avail_bytes', 'disk', 'free', 'bytes'],
    ['disk-free-gb', 'disk', 'free', 'bytes'],
    ['load1', 'load', 'used', 'count'],
    ['node_load15', 'load', 'used', 'count'],
    ['loadavg', 'load', 'used', 'count'],
    ['queue_depth', 'other', 'used', undefined],
  ] as const)('%s: %s, %s, unit %s', (name, kind, polarity, unit) => {
    const identity = identifyMetric(name);
    expect(identity.kind).toBe(kind);
    expect(identity.polarity).toBe(polarity);
    expect(identity.unit).toBe(unit);
    expect(identity.counter).toBe(false);
    expect(identity.capacity).toBe(false);
  });

  it('tells sizes from counters: mem_total and size_bytes are sizes, _total counters count', () => {
    for (const name of [
      'node_filesystem_size_bytes',
      'mem_total',
      'node_memory_MemTotal_bytes',
      'memory_limit_bytes',
    ])
      expect(identifyMetric(name)).toMatchObject({ capacity: true, counter: false });
    for (const name of [
      'node_cpu_seconds_total',
      'http_requests_total',
      'node_disk_written_bytes_total',
      'rpc_count',
    ])
      expect(identifyMetric(name)).toMatchObject({ capacity: false, counter: true });
    expect(identifyMetric('cpu_count').counter).toBe(false);
  });

  it('scales KB, MB and GB columns into bytes', () => {
    expect(identifyMetric('mem_used_kb').scale).toBe(1024);
    expect(identifyMetric('disk_free_GiB').scale).toBe(1024 ** 3);
  });
});

describe('resolveUnit: the values decide what the name leaves open', () => {
  it('fractions become percent; percent names stay; bytes are bytes', () => {
    expect(resolveUnit(identifyMetric('cpu'), 0.05, 0.97)).toEqual({
      unit: 'percent',
      factor: 100,
    });
    expect(resolveUnit(identifyMetric('cpu'), 3, 97)).toEqual({ unit: 'percent', factor: 1 });
    expect(resolveUnit(identifyMetric('cpu_percent'), 0.1, 0.9)).toEqual({
      unit: 'percent',
      factor: 1,
    });
    expect(resolveUnit(identifyMetric('CPUUtilization'), 0.1, 0.9)).toEqual({
      unit: 'percent',
      factor: 100,
    });
    expect(resolveUnit(identifyMetric('mem'), 1e9, 2e9)).toEqual({ unit: 'bytes', factor: 1 });
    expect(resolveUnit(identifyMetric('load5'), 0, 0.5)).toEqual({ unit: 'count', factor: 1 });
  });
});

describe('wording', () => {
  it('names series the way people say them', () => {
    expect(describeSeries('cpu_percent', 'cpu')).toBe('CPU');
    expect(describeSeries('disk_used_percent', 'disk', '/')).toBe('disk /');
    expect(describeSeries('node_memory_Active_bytes', 'memory')).toBe(
      'memory (node_memory_Active_bytes)',
    );
    expect(describeSeries('queue_depth', 'other')).toBe('queue_depth');
  });

  it('formats values, rates and projections', () => {
    expect(formatValue(91.23, 'percent')).toBe('91%');
    expect(formatValue(2.5 * 1024 ** 3, 'bytes')).toBe('2.5 GB');
    expect(formatValue(0.734, 'count')).toBe('0.73');
    expect(formatRatePerHour(4.04, 'percent')).toBe('+4%/h');
    expect(formatRatePerHour(199.4 * 1024 ** 2, 'bytes')).toBe('+200 MB/h');
    expect(formatApproxDuration(2.25 * 3_600_000)).toBe('~2 h 15 min');
    expect(formatApproxDuration(1.99 * 3_600_000)).toBe('~2 h');
    expect(formatApproxDuration(40 * 60_000)).toBe('~40 min');
    expect(formatApproxDuration(5 * 86_400_000)).toBe('~5 days');
  });
});
