import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rankSuspects } from '../../analysis/explain/changes/changes.js';
import { UserError } from '../../core/errors.js';
import { parseChanges, readChangeFile } from './changes-input.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/changes');
const NOW = Date.UTC(2026, 2, 15);
const at = (iso: string) => Date.parse(iso);
const temp = mkdtempSync(join(tmpdir(), 'calm-changes-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('readChangeFile', () => {
  it('reads CSV with other column names, a default zone, and counts a bad row', async () => {
    const input = await readChangeFile(join(FIXTURES, 'deploys.csv'), {
      now: NOW,
      defaultZone: 'Europe/Berlin',
      name: 'deploys.csv',
    });
    expect(input.records.map((r) => [r.time, r.kind, r.service, r.version, r.line])).toEqual([
      [at('2026-03-14T08:40:00Z'), 'deploy', 'search', 'v9.1.0', 2],
      [at('2026-03-14T13:56:00Z'), 'deploy', 'checkout', 'v2.3.1', 3],
      [at('2026-03-14T14:00:00Z'), 'config', 'checkout', undefined, 4],
      [at('2026-03-14T14:31:00Z'), 'rollback', 'checkout', 'v2.3.0', 6],
    ]);
    expect(input.records[0]?.description).toBe('Search ranking, take 2');
    expect(input.records[2]?.hosts).toEqual(['web-1', 'web-2', 'web-3', 'web-4']);
    expect(input.records[1]?.labels).toEqual({ region: 'eu-west-1' });
    expect(input.bad).toBe(1);
    expect(input.badSamples[0]).toMatchObject({ source: 'deploys.csv', line: 5 });
    expect(input.badSamples[0]?.text).toMatch(/^time "yesterday" is not a date and time/);
  });

  it('reads JSON lines: nested fields, epoch seconds, kinds from free text', async () => {
    const input = await readChangeFile(join(FIXTURES, 'changes.jsonl'), { now: NOW });
    const byId = new Map(input.records.map((r) => [r.id, r]));
    expect([...byId.keys()]).toEqual(['chg-1', 'chg-2', 'chg-3', 'chg-4']);
    expect(byId.get('chg-3')).toMatchObject({
      time: at('2026-03-14T14:05:00Z'),
      kind: 'feature-flag',
      service: 'checkout',
      description: 'Feature flag new-pricing enabled',
      labels: { region: 'eu-west-1' },
      line: 3,
    });
    expect(byId.get('chg-4')).toMatchObject({ kind: 'rollback', service: 'checkout', line: 5 });
    expect(input.bad).toBe(1);
    expect(input.badSamples[0]).toMatchObject({ line: 4, text: 'not valid JSON: not json at all' });
  });

  it('reads a JSON array and cites the line each element starts on', async () => {
    const input = await readChangeFile(join(FIXTURES, 'deploys.json'), { now: NOW });
    expect(input.records.map((r) => [r.kind, r.line, r.version ?? r.description])).toEqual([
      ['deploy', 2, '3f2a9c1d0b7e'],
      ['migration', 9, 'add index on orders.created_at'],
    ]);
    expect(input.records[0]?.hosts).toEqual(['web-2', 'web-4']);
    expect(input.badSamples[0]?.line).toBe(10);
  });

  it('takes an object holding the array, tabs or semicolons, and quoted commas', () => {
    const wrapped = parseChanges(
      '{"deploys": [{"time": "2026-03-14T14:00:00Z", "type": "release"}]}',
      'w.json',
      { now: NOW },
    );
    expect(wrapped.records[0]?.kind).toBe('deploy');
    const tsv = parseChanges('when\tkind\tdescription\n2026-03-14T14:00:00Z\tflag\ta, b\n', 't', {
      now: NOW,
    });
    expect(tsv.records[0]).toMatchObject({ kind: 'feature-flag', description: 'a, b' });
    const semi = parseChanges('Date;Event;Message\n1773496800000;deploy;"x; y"\n', 's', {
      now: NOW,
    });
    expect(semi.records[0]).toMatchObject({
      time: at('2026-03-14T14:00:00Z'),
      description: 'x; y',
    });
    const split = parseChanges('date,time,kind\n2026-03-14,15:02,deploy\n', 'd', {
      now: NOW,
      defaultZone: '+01:00',
    });
    expect(split.records[0]?.time).toBe(at('2026-03-14T14:02:00Z'));
  });

  it('keeps the window and the latest records within the limit', () => {
    const lines = [10, 11, 12, 13].map((h) => `{"time":"2026-03-14T${h}:00:00Z","kind":"deploy"}`);
    const window = { from: at('2026-03-14T10:30:00Z'), to: at('2026-03-14T23:00:00Z') };
    const input = parseChanges(lines.join('\n'), 'c', { now: NOW, window, limit: 2 });
    expect(input.records.map((r) => r.line)).toEqual([3, 4]);
    expect(input.skipped).toBe(2);
    expect(input.covered).toEqual({ from: at('2026-03-14T12:00:00Z'), to: window.to });
  });

  it('is an error only when nothing is readable', async () => {
    expect(() => parseChanges('a,b\n1,2\n', 'deploys.csv', { now: NOW })).toThrow(
      '--changes deploys.csv: no change records found; expected columns time and kind (or description); found a, b (line 2: no time)',
    );
    expect(() => parseChanges('{"time": "soon", "kind": "deploy"}', 'x', { now: NOW })).toThrow(
      UserError,
    );
    expect(parseChanges('time,kind\n', 'empty.csv', { now: NOW }).records).toEqual([]);
    expect(parseChanges('', 'empty.csv', { now: NOW }).records).toEqual([]);
    await expect(readChangeFile(join(temp, 'missing.csv'), { now: NOW })).rejects.toThrow(
      'no such file',
    );
    expect(() => parseChanges('time,kind\n', 'x', { now: NOW, defaultZone: 'Mars/Base' })).toThrow(
      UserError,
    );
  });

  it('feeds rankSuspects: the deploy on the failing host is the likely cause', async () => {
    const input = await readChangeFile(join(FIXTURES, 'changes.jsonl'), { now: NOW });
    const answer = rankSuspects(input.records, {
      onset: at('2026-03-14T14:00:00Z'),
      span: { from: at('2026-03-14T12:00:00Z'), to: at('2026-03-14T15:00:00Z') },
      hosts: {
        'web-2': { errorShare: 0.9, trafficShare: 0.34 },
        'web-3': { errorShare: 0.05, trafficShare: 0.33 },
        'web-4': { errorShare: 0.05, trafficShare: 0.33 },
      },
    });
    expect(answer.suspects[0]?.change.id).toBe('chg-2');
    expect(answer.answer).toMatch(/^Likely cause: deploy checkout v2\.3\.1 to web-2, 4 min before/);
    expect(answer.mitigations[0]?.change.id).toBe('chg-4');
  });
});

describe('parseChanges: round trip', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,;"'.#-]{0,20}[A-Za-z0-9]$/);
  const recordArb = fc.record({
    time: fc.integer({ min: at('2001-01-01T00:00:00Z'), max: at('2099-01-01T00:00:00Z') }),
    kind: fc.constantFrom('deploy', 'config', 'feature-flag', 'migration', 'rollback', 'tag'),
    service: word,
    version: word,
    description: word,
  });
  const csvField = (v: string) => `"${v.replaceAll('"', '""')}"`;

  it('reads back what JSON lines, a JSON array and CSV say', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 8 }), (records) => {
        const rows = records.map((r) => ({ ...r, time: new Date(r.time).toISOString() }));
        const csv = [
          'timestamp,type,app,version,summary',
          ...rows.map((r) =>
            [r.time, r.kind, r.service, r.version, r.description].map(csvField).join(','),
          ),
        ].join('\n');
        const expected = [...records].sort((a, b) => a.time - b.time);
        for (const body of [
          rows.map((r) => JSON.stringify(r)).join('\n'),
          JSON.stringify(rows, null, 2),
          csv,
        ]) {
          const read = parseChanges(body, 'x', { now: NOW });
          expect(read.bad).toBe(0);
          const fields = read.records.map(({ time, kind, service, version, description }) => ({
            time,
            kind,
            service,
            version,
            description,
          }));
          expect(fields.map((f) => f.time)).toEqual(expected.map((r) => r.time));
          expect(new Set(fields.map((f) => JSON.stringify(f)))).toEqual(
            new Set(records.map((r) => JSON.stringify({ ...r }))),
          );
        }
      }),
      { seed: 45, numRuns: 150 },
    );
  });
});
