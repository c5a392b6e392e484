/**
 * Kinds 1-5: each generates all its files, deterministically, and its planted
 * truth holds in the data it wrote (read back without Calm's reader).
 */
import { describe, expect, it } from 'vitest';
import { checkFilesAndDeterminism, HOUR, MINUTE, SEED } from './file-checks.js';
import {
  accessRecords,
  appRecords,
  changes,
  cronEntries,
  cronRuns,
  metricRows,
  scenario,
  sorted,
} from './support.js';

describe('deploy-breaks-input-shape', () => {
  checkFilesAndDeterminism('deploy-breaks-input-shape');
  it('fails exactly the decimal amounts after the deploy', () => {
    const s = scenario('deploy-breaks-input-shape', SEED);
    const onset = s.truth.onset?.time as number;
    const blamed = s.truth.suspects?.filter((x) => x.blamed) ?? [];
    expect(blamed).toHaveLength(1);
    const deploy = changes(s).find((c) => c.id === blamed[0]?.changeId);
    expect(deploy?.kind).toBe('deploy');
    expect(onset - (deploy?.time as number)).toBeGreaterThan(0);
    // the first host switches within a minute; the first decimal payment comes when it comes
    expect(onset - (deploy?.time as number)).toBeLessThan(15 * MINUTE);
    const concentrated = s.truth.hosts?.concentrated;
    const onDeployed = (host: string) => concentrated === 'all' || concentrated?.includes(host);
    // a rolling deploy reaches the last host within minutes of the first
    const settled = onset + 10 * MINUTE;
    const payments = accessRecords(s).filter((r) => r.query.has('amount') && r.method === 'POST');
    const decimal = (r: (typeof payments)[number]) => (r.query.get('amount') ?? '').includes('.');
    const after = payments.filter((r) => r.time >= settled && onDeployed(r.host));
    expect(after.filter(decimal).length).toBeGreaterThan(50);
    expect(after.filter(decimal).every((r) => r.status === 500)).toBe(true);
    const wholeFailing = after.filter((r) => !decimal(r) && r.status >= 500).length;
    expect(wholeFailing / after.filter((r) => !decimal(r)).length).toBeLessThan(0.02);
    const before = payments.filter((r) => r.time < onset);
    expect(before.filter((r) => r.status === 500).length / before.length).toBeLessThan(0.02);
    // the trace is a NumberFormatException on a decimal, and only after the onset
    const traces = appRecords(s).filter((r) =>
      r.stack?.startsWith('java.lang.NumberFormatException'),
    );
    expect(traces.length).toBeGreaterThan(50);
    for (const r of traces) {
      expect(r.stack).toMatch(/For input string: "\d+\.\d+"/);
      expect(r.time).toBeGreaterThanOrEqual(onset);
    }
    expect(s.truth.contrasts).toContainEqual({ attribute: 'amount', value: 'decimal' });
  });
});

describe('cron-periodic-timeouts', () => {
  checkFilesAndDeterminism('cron-periodic-timeouts');
  it('puts a burst of 504s after every run of the aligned job, and nowhere else', () => {
    const s = scenario('cron-periodic-timeouts', SEED);
    const aligned = s.truth.cron?.filter((c) => c.aligned) ?? [];
    expect(aligned).toHaveLength(1);
    const entries = cronEntries(s);
    const job = entries.find((e) => e.name === aligned[0]?.job);
    if (!job) throw new Error('the aligned job is not in the cron file');
    const runs = cronRuns(job, s.span.from, s.span.to);
    expect(runs.length).toBeGreaterThan(10);
    const gaps = new Set(runs.slice(1).map((t, i) => t - (runs[i] as number)));
    expect([...gaps]).toEqual([s.truth.period?.ms]);
    const timeouts = sorted(
      accessRecords(s)
        .filter((r) => r.status === 504)
        .map((r) => r.time),
    );
    const inBurst = (t: number) => runs.some((run) => t >= run && t < run + 4 * MINUTE);
    expect(timeouts.filter(inBurst).length / timeouts.length).toBeGreaterThan(0.99);
    for (const run of runs.slice(0, -1))
      expect(timeouts.some((t) => t >= run && t < run + 4 * MINUTE)).toBe(true);
    // the harmless jobs never run within minutes of a burst
    for (const other of entries.filter((e) => e !== job))
      for (const t of cronRuns(other, s.span.from, s.span.to))
        expect(runs.some((run) => t >= run - 2 * MINUTE && t < run + 6 * MINUTE)).toBe(false);
  });
});

describe('disk-filling', () => {
  checkFilesAndDeterminism('disk-filling');
  it('fills one disk and fails writes only there, once it is nearly full', () => {
    const s = scenario('disk-filling', SEED);
    const host = s.truth.health?.[0]?.host as string;
    expect(s.truth.health).toEqual([{ host, kind: 'disk-filling' }]);
    const rows = metricRows(s);
    const disk = rows.filter((r) => r.host === host);
    expect((disk[0] as { disk: number }).disk).toBeLessThan(88);
    expect(Math.max(...disk.map((r) => r.disk))).toBeGreaterThan(93);
    for (const other of new Set(rows.map((r) => r.host))) {
      if (other === host) continue;
      const levels = rows.filter((r) => r.host === other).map((r) => r.disk);
      expect(Math.max(...levels) - Math.min(...levels)).toBeLessThan(2);
    }
    const full = appRecords(s).filter((r) => r.message.includes('No space left on device'));
    expect(full.length).toBeGreaterThan(100);
    expect(new Set(full.map((r) => r.host))).toEqual(new Set([host]));
    const nearlyFull = disk.find((r) => r.disk >= 93)?.time as number;
    expect(Math.min(...full.map((r) => r.time))).toBeGreaterThanOrEqual(nearlyFull - MINUTE);
    expect(s.truth.onset?.time).toBe(Math.min(...full.map((r) => r.time)));
  });
});

describe('third-party-outage-innocent-deploy', () => {
  checkFilesAndDeterminism('third-party-outage-innocent-deploy');
  it('times out on every host from T; the only nearby suspect deployed 20 h before', () => {
    const s = scenario('third-party-outage-innocent-deploy', SEED);
    const onset = s.truth.onset?.time as number;
    expect(s.truth.suspects?.every((x) => !x.blamed)).toBe(true);
    const all = changes(s);
    const old = all.filter(
      (c) => c.kind === 'deploy' && Math.abs(onset - c.time - 20 * HOUR) <= HOUR,
    );
    expect(old.length).toBeGreaterThanOrEqual(1);
    expect(all.filter((c) => c.time > onset - 3 * HOUR && c.time <= onset)).toHaveLength(0);
    const timeouts = appRecords(s).filter((r) =>
      /upstream timeout calling \S+ after \d+ms/.test(r.message),
    );
    expect(timeouts.length).toBeGreaterThan(30);
    expect(Math.min(...timeouts.map((r) => r.time))).toBeGreaterThanOrEqual(onset);
    const hosts = new Set(accessRecords(s).map((r) => r.host));
    expect(new Set(timeouts.map((r) => r.host))).toEqual(hosts);
    expect(s.truth.hosts).toEqual({ concentrated: 'all' });
  });
});

describe('time-of-day-surge', () => {
  checkFilesAndDeterminism('time-of-day-surge');
  it('puts the 503s in the same local window on each of the 3 days', () => {
    const s = scenario('time-of-day-surge', SEED);
    const window = s.truth.timeOfDay;
    if (!window) throw new Error('no window');
    expect(window.days).toBe(3);
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: s.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: s.timeZone });
    const inWindow = (t: number) => {
      const m = minutes(local.format(t));
      return m >= minutes(window.from) - 2 && m <= minutes(window.to) + 2;
    };
    const overload = accessRecords(s).filter((r) => r.status === 503);
    expect(overload.length).toBeGreaterThan(30);
    expect(overload.filter((r) => inWindow(r.time)).length / overload.length).toBeGreaterThan(0.98);
    expect(new Set(overload.map((r) => dayOf.format(r.time))).size).toBe(3);
    // logins per minute in the windows, against the rest of the days
    const logins = accessRecords(s).filter((r) => r.path === '/login');
    const inside = logins.filter((r) => inWindow(r.time)).length;
    const windowMinutes = 3 * (minutes(window.to) - minutes(window.from) + 4);
    const rest = (logins.length - inside) / ((s.span.to - s.span.from) / MINUTE - windowMinutes);
    expect(inside / windowMinutes / rest).toBeGreaterThan(4);
  });
});
