/**
 * Kinds 6-10: each generates all its files, deterministically, and its planted
 * truth holds in the data it wrote (read back without Calm's reader).
 */
import UAParser from 'ua-parser-js';
import { describe, expect, it } from 'vitest';
import { checkFilesAndDeterminism, HOUR, MINUTE, SEED } from './file-checks.js';
import {
  accessRecords,
  appRecords,
  changes,
  cronEntries,
  cronRuns,
  metricRows,
  reports,
  scenario,
  sorted,
} from './support.js';

const isIosSafari17 = (ua: string | undefined) => {
  const r = new UAParser(ua).getResult();
  return r.browser.name === 'Mobile Safari' && r.browser.major === '17' && r.os.name === 'iOS';
};

describe('memory-leak-restarts', () => {
  checkFilesAndDeterminism('memory-leak-restarts');
  it('climbs and drops four times on one host, out-of-memory errors before each drop', () => {
    const s = scenario('memory-leak-restarts', SEED);
    const host = s.truth.health?.[0]?.host as string;
    expect(s.truth.health).toEqual([{ host, kind: 'memory-leak' }]);
    const rows = metricRows(s);
    const mem = rows.filter((r) => r.host === host);
    const drops = mem.slice(1).filter((r, i) => (mem[i] as { mem: number }).mem - r.mem > 30);
    expect(drops).toHaveLength(4);
    for (const other of new Set(rows.map((r) => r.host))) {
      if (other === host) continue;
      const levels = rows.filter((r) => r.host === other).map((r) => r.mem);
      expect(Math.max(...levels) - Math.min(...levels)).toBeLessThan(12);
    }
    const oom = appRecords(s).filter((r) => r.message.endsWith('failed: out of memory'));
    expect(oom.length).toBeGreaterThan(10);
    expect(new Set(oom.map((r) => r.host))).toEqual(new Set([host]));
    for (const r of oom)
      expect(drops.some((d) => r.time <= d.time && r.time > d.time - 30 * MINUTE)).toBe(true);
    expect(s.truth.hosts).toEqual({ concentrated: [host] });
  });
});

describe('browser-specific-failure', () => {
  checkFilesAndDeterminism('browser-specific-failure');
  it('fails checkouts from Mobile Safari 17 on iOS only; the reports come mostly from them', () => {
    const s = scenario('browser-specific-failure', SEED);
    const onset = s.truth.onset?.time as number;
    const checkouts = accessRecords(s).filter(
      (r) => r.method === 'POST' && /\/checkout$/.test(r.path),
    );
    const failing = checkouts.filter((r) => r.status === 500 && r.time >= onset);
    expect(failing.length).toBeGreaterThan(20);
    const planted = failing.filter((r) => isIosSafari17(r.ua));
    expect(planted.length / failing.length).toBeGreaterThan(0.9);
    const targetsAfter = checkouts.filter((r) => r.time >= onset && isIosSafari17(r.ua));
    expect(targetsAfter.every((r) => r.status === 500)).toBe(true);
    const before = checkouts.filter((r) => r.time < onset && isIosSafari17(r.ua));
    expect(before.filter((r) => r.status === 500).length).toBeLessThanOrEqual(2);
    const scriptErrors = appRecords(s).filter((r) => r.page === '/checkout' && r.level === 'error');
    expect(scriptErrors.length).toBeGreaterThan(10);
    expect(scriptErrors.every((r) => isIosSafari17(r.ua) && r.time >= onset)).toBe(true);
    const complaints = reports(s).filter((r) => r.page === '/checkout');
    expect(complaints.length).toBeGreaterThanOrEqual(8);
    expect(
      complaints.filter((r) => isIosSafari17(r.user_agent)).length / complaints.length,
    ).toBeGreaterThan(0.6);
    const blamed = s.truth.suspects?.filter((x) => x.blamed) ?? [];
    const deploy = changes(s).find((c) => c.id === blamed[0]?.changeId);
    expect(onset - (deploy?.time as number)).toBeGreaterThan(0);
    expect(onset - (deploy?.time as number)).toBeLessThan(10 * MINUTE);
  });
});

describe('region-config-change', () => {
  checkFilesAndDeterminism('region-config-change');
  it('breaks one region after the config change, and only that region', () => {
    const s = scenario('region-config-change', SEED);
    const region = s.truth.contrasts?.find((c) => c.attribute === 'region')?.value as string;
    const onset = s.truth.onset?.time as number;
    const change = changes(s).find(
      (c) => c.id === s.truth.suspects?.find((x) => x.blamed)?.changeId,
    );
    expect(change?.kind).toBe('config');
    expect(change?.description).toContain(region);
    const broken = appRecords(s).filter((r) => /tax rates lookup failed/.test(r.message));
    expect(broken.length).toBeGreaterThan(50);
    expect(broken.every((r) => r.region === region && r.time >= onset)).toBe(true);
    const service = broken[0]?.service;
    const served = appRecords(s).filter(
      (r) => r.service === service && r.status !== undefined && r.time >= onset,
    );
    const rate = (rs: typeof served) => rs.filter((r) => (r.status ?? 0) >= 500).length / rs.length;
    expect(rate(served.filter((r) => r.region === region))).toBeGreaterThan(0.5);
    expect(rate(served.filter((r) => r.region !== region))).toBeLessThan(0.02);
  });
});

describe('periodic-no-cron', () => {
  checkFilesAndDeterminism('periodic-no-cron');
  it('logs an error every period, and no cron job runs that often', () => {
    const s = scenario('periodic-no-cron', SEED);
    const period = s.truth.period?.ms as number;
    const stuck = sorted(
      appRecords(s)
        .filter((r) => r.message.startsWith('health check of'))
        .map((r) => r.time),
    );
    expect(stuck.length).toBeGreaterThan((s.span.to - s.span.from) / period - 3);
    for (let i = 1; i < stuck.length; i++)
      expect(
        Math.abs((stuck[i] as number) - (stuck[i - 1] as number) - period),
      ).toBeLessThanOrEqual(8000);
    expect(s.truth.cron?.every((c) => !c.aligned)).toBe(true);
    for (const entry of cronEntries(s)) {
      const runs = cronRuns(entry, s.span.from - 24 * HOUR, s.span.to);
      for (let i = 1; i < runs.length; i++)
        expect((runs[i] as number) - (runs[i - 1] as number)).toBeGreaterThanOrEqual(HOUR);
    }
  });
});

describe('quiet-control', () => {
  checkFilesAndDeterminism('quiet-control');
  it('keeps a flat error rate, steady metrics and innocent changes', () => {
    const s = scenario('quiet-control', SEED);
    expect(s.truth.quiet).toBe(true);
    expect(s.truth.suspects?.some((x) => x.blamed)).toBe(false);
    expect(s.truth.cron?.some((c) => c.aligned)).toBe(false);
    expect(
      changes(s).filter((c) => c.time >= s.span.from && c.time <= s.span.to).length,
    ).toBeGreaterThanOrEqual(2);
    // 5xx per request in six equal parts of the span: homogeneous (chi-square, 5 dof, p > 0.001)
    const requests = accessRecords(s).filter(
      (r) => !r.path.startsWith('/static') && r.path !== '/healthz',
    );
    const parts = 6;
    const width = (s.span.to - s.span.from) / parts;
    const n = new Array<number>(parts).fill(0);
    const e = new Array<number>(parts).fill(0);
    for (const r of requests) {
      const k = Math.min(parts - 1, Math.floor((r.time - s.span.from) / width));
      n[k] = (n[k] as number) + 1;
      if (r.status >= 500) e[k] = (e[k] as number) + 1;
    }
    const rate = e.reduce((a, b) => a + b, 0) / requests.length;
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(0.005);
    let chi2 = 0;
    for (let k = 0; k < parts; k++) {
      const expected = (n[k] as number) * rate;
      chi2 += ((e[k] as number) - expected) ** 2 / (expected * (1 - rate));
    }
    expect(chi2).toBeLessThan(20.5);
    const rows = metricRows(s);
    for (const host of new Set(rows.map((r) => r.host))) {
      const mine = rows.filter((r) => r.host === host);
      const range = (values: number[]) => Math.max(...values) - Math.min(...values);
      expect(range(mine.map((r) => r.disk))).toBeLessThan(2);
      expect(range(mine.map((r) => r.mem))).toBeLessThan(12);
    }
  });
});
