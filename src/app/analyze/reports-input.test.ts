import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBugReports } from '../../analysis/explain/reports/bug-reports.js';
import { parseReports, readReportsFile } from './reports-input.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0';

describe('CSV', () => {
  it('finds the columns by name, whatever their spelling, and keeps quoted newlines', () => {
    const csv = [
      'Created At,User Agent,Page URL,Description',
      `2026-03-14T14:05:00Z,"${FIREFOX}",https://shop.example/checkout/4521,"Pay button does nothing"`,
      `2026-03-14T14:07:00Z,"${FIREFOX}",/checkout/99,"Pressed pay, then
nothing happened"`,
      ',,,',
      '2026-03-14T14:09:00Z,,/cart,"Cart empty"',
    ].join('\n');
    const input = parseReports(csv, 'reports.csv');
    expect(input).toMatchObject({ format: 'csv', bad: 1, unreadableTimes: 0 });
    expect(input.badSamples[0]?.reason).toMatch(/no time, browser/);
    expect(input.reports).toHaveLength(3);
    expect(input.reports[0]).toEqual({
      source: 'reports.csv',
      line: 2,
      time: Date.UTC(2026, 2, 14, 14, 5),
      userAgent: FIREFOX,
      page: 'https://shop.example/checkout/4521',
      description: 'Pay button does nothing',
    });
    expect(input.reports[1]?.description).toBe('Pressed pay, then\nnothing happened');
    expect(input.reports[2]).toMatchObject({ line: 6, page: '/cart' });
  });

  it('joins browser and version columns, and reads times in the given zone', () => {
    const csv =
      'date;browser;browser_version;os;os_version;text\n2026-03-14 14:02;Firefox;126;Windows;11;broken\n';
    const input = parseReports(csv, 'r.csv', { defaultZone: 'Europe/Berlin' });
    expect(input.reports[0]).toMatchObject({
      time: Date.UTC(2026, 2, 14, 13, 2),
      browser: 'Firefox 126',
      os: 'Windows 11',
      description: 'broken',
    });
  });

  it('keeps a report whose time does not read, without the time, and counts it', () => {
    const input = parseReports('time,browser\nyesterday-ish,Chrome 124\n', 'r.csv');
    expect(input.unreadableTimes).toBe(1);
    expect(input.reports[0]).toEqual({ source: 'r.csv', line: 2, browser: 'Chrome 124' });
  });
});

describe('JSON', () => {
  it('an array, with nested browser objects and epoch times', () => {
    const json = JSON.stringify([
      {
        ts: 1773497100,
        browser: { name: 'Safari', version: '17.4' },
        platform: 'iOS 17',
        url: '/pay',
      },
      { createdAt: '2026-03-14T14:06:00+01:00', userAgent: FIREFOX, body: 'stuck' },
      'not a report',
      {},
    ]);
    const input = parseReports(json, 'r.json');
    expect(input).toMatchObject({ format: 'json', bad: 2 });
    expect(input.reports[0]).toMatchObject({
      line: 1,
      time: 1773497100000,
      browser: 'Safari 17.4',
      os: 'iOS 17',
      page: '/pay',
    });
    expect(input.reports[1]).toMatchObject({ line: 2, time: Date.UTC(2026, 2, 14, 13, 6) });
  });

  it('an object holding the array, as support tools export', () => {
    const input = parseReports(
      JSON.stringify({ count: 1, data: [{ title: 'slow', os: 'Android' }] }),
      'r.json',
    );
    expect(input.reports).toEqual([
      { source: 'r.json', line: 1, description: 'slow', os: 'Android' },
    ]);
  });

  it('JSON lines, a broken line counted with its number', () => {
    const text = `{"time":"2026-03-14T14:00:00Z","page":"/a"}\n{"time": oops\n\n{"time":"2026-03-14T14:01:00Z","page":"/b"}\n`;
    const input = parseReports(text, 'r.jsonl');
    expect(input).toMatchObject({
      format: 'jsonl',
      bad: 1,
      badSamples: [{ line: 2, reason: 'not JSON' }],
    });
    expect(input.reports.map((r) => [r.line, r.page])).toEqual([
      [1, '/a'],
      [4, '/b'],
    ]);
  });

  it('a broken JSON document is one bad record, not a crash', () => {
    expect(parseReports('[{"a": 1},', 'r.json')).toMatchObject({ bad: 1, reports: [] });
  });
});

describe('readReportsFile', () => {
  it('reads a real file into reports that the analysis takes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calm-reports-'));
    const path = join(dir, 'reports.csv');
    const rows = Array.from(
      { length: 6 },
      (_, i) => `2026-03-14T14:0${i}:00Z,"${FIREFOX}",/checkout/${100 + i},Payment fails`,
    );
    writeFileSync(path, `\uFEFFtime,user_agent,page,description\n${rows.join('\n')}\n`);
    const input = await readReportsFile(path);
    expect(input.reports).toHaveLength(6);
    expect(input.reports[0]?.source).toBe(path);
    const result = analyzeBugReports(input.reports);
    expect(result.commonalities[0]?.sentence).toBe(
      'All 6 reports are from Firefox 126 on Windows 10.',
    );
  });
});
