import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../analyzer.js';
import { seededRandom } from '../../series/testing.js';
import {
  type ChangeContext,
  type ChangeRecord,
  changeContextOf,
  formatDuration,
  joinRollouts,
  rankSuspects,
  type ScopeShares,
  sameScopeName,
} from './changes.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ONSET = Date.UTC(2026, 2, 14, 14, 0);
const SPAN = { from: ONSET - 6 * HOUR, to: ONSET + 2 * HOUR };

/** A change `minutesBefore` the onset (negative: after it). */
function change(minutesBefore: number, extra: Partial<ChangeRecord> = {}): ChangeRecord {
  return {
    time: ONSET - minutesBefore * MIN,
    kind: 'deploy',
    description: '',
    source: 'changes.jsonl',
    line: 1,
    ...extra,
  };
}

function shares(errorShares: Record<string, number>): ScopeShares {
  const names = Object.keys(errorShares);
  return Object.fromEntries(
    names.map((n) => [n, { errorShare: errorShares[n] ?? 0, trafficShare: 1 / names.length }]),
  );
}

const WEB2 = shares({ 'web-1': 0.02, 'web-2': 0.96, 'web-3': 0.01, 'web-4': 0.01 });
const EVEN = shares({ 'web-1': 0.25, 'web-2': 0.25, 'web-3': 0.25, 'web-4': 0.25 });

function rank(changes: ChangeRecord[], context: ChangeContext = {}) {
  return rankSuspects(changes, { onset: ONSET, span: SPAN, errorCount: 5000, ...context });
}

describe('rankSuspects: scenarios', () => {
  it('blames a deploy minutes before the onset, on the host where the errors are', () => {
    const bad = change(4, { service: 'checkout', version: 'v2.3.1', hosts: ['web-2'] });
    const old = change(200, { service: 'checkout', version: 'v2.3.0' });
    const answer = rank([old, bad], { hosts: WEB2 });
    expect(answer.suspects[0]?.change).toBe(bad);
    expect(answer.suspects[0]?.verdict).toBe('likely');
    expect(answer.answer).toMatch(
      /^Likely cause: deploy checkout v2\.3\.1 to web-2, 4 min before the onset, on the host where 96% of the errors are/,
    );
    expect(answer.suspects[0]?.evidence).toMatchObject({ source: 'changes.jsonl', time: bad.time });
    expect(answer.suspects[1]?.verdict).toBe('unlikely');
  });

  it('does not blame an innocent old deploy in a third-party outage', () => {
    const answer = rank([change(5 * 60, { service: 'checkout', version: 'v2.3.0' })], {
      hosts: EVEN,
    });
    expect(answer.suspects[0]?.verdict).toBe('unlikely');
    expect(answer.answer).toBe(
      'No change recorded in the 60 min before the onset (the nearest: deploy checkout v2.3.0, 5 h before).',
    );
    expect(answer.confidence).toBeGreaterThan(0.85);
  });

  it('prefers the change where the errors are over a closer one elsewhere', () => {
    const elsewhere = change(3, { service: 'search', version: 'v9', hosts: ['web-3'] });
    const config = change(12, { kind: 'config', description: 'pool size 50', hosts: ['web-2'] });
    const answer = rank([elsewhere, config], { hosts: WEB2 });
    expect(answer.suspects.map((s) => s.change)).toEqual([config, elsewhere]);
    expect(answer.suspects[1]?.scope.match).toBe('disjoint');
    expect(answer.suspects[1]?.verdict).toBe('unlikely');
  });

  it('matches services, and pods named after their service', () => {
    const payments = change(6, { service: 'payments' });
    const checkout = change(20, { service: 'checkout' });
    const byService = rank([payments, checkout], {
      services: {
        checkout: { errorShare: 0.99, trafficShare: 0.6 },
        payments: { errorShare: 0.01, trafficShare: 0.4 },
      },
    });
    expect(byService.suspects[0]?.change).toBe(checkout);
    const byPod = rank([payments, checkout], {
      hosts: {
        'checkout-7d-x1': { errorShare: 0.5, trafficShare: 0.2 },
        'checkout-7d-x2': { errorShare: 0.49, trafficShare: 0.2 },
        'payments-5c-a': { errorShare: 0.01, trafficShare: 0.6 },
      },
    });
    expect(byPod.suspects[0]?.change).toBe(checkout);
    expect(byPod.suspects[0]?.reason).toContain('hosts checkout-7d-x1, checkout-7d-x2');
  });

  it('matches other fields such as a region', () => {
    const eu = change(15, { kind: 'config', labels: { region: 'eu-west-1' } });
    const us = change(10, { kind: 'config', labels: { region: 'us-east-1' } });
    const region = {
      'eu-west-1': { errorShare: 0.97, trafficShare: 0.3 },
      'us-east-1': { errorShare: 0.03, trafficShare: 0.7 },
    };
    const answer = rank([us, eu], { labels: { region } });
    expect(answer.suspects[0]?.change).toBe(eu);
    expect(answer.suspects[0]?.reason).toContain('on region eu-west-1 where 97% of the errors are');
  });

  it('reports a rollback after the onset as a mitigation, not a suspect', () => {
    const deploy = change(8, { service: 'checkout', version: 'v2.3.1' });
    const rollback = change(-29, { kind: 'rollback', service: 'checkout', version: 'v2.3.0' });
    const answer = rank([deploy, rollback]);
    expect(answer.suspects.map((s) => s.change)).toEqual([deploy]);
    expect(answer.mitigations.map((s) => s.change)).toEqual([rollback]);
    expect(answer.answer).toContain(
      'Mitigation: rollback checkout v2.3.0, 29 min after the onset.',
    );
  });

  it('still suspects a change just after the onset, within its uncertainty', () => {
    const flag = change(-0.5, { kind: 'feature-flag', description: 'new-pricing on' });
    const answer = rank([flag], { onsetUncertaintyMs: 2 * MIN });
    expect(answer.suspects[0]?.verdict).toBe('likely');
    expect(answer.suspects[0]?.reason).toContain('30 s after the onset (within its +-2 min');
    expect(rank([flag], { onsetUncertaintyMs: 10_000 }).suspects).toEqual([]);
  });

  it('does not blame changes more than a day before, or before the logs by over an hour', () => {
    const dayBefore = rank([change(30 * 60, { service: 'checkout' })]);
    expect(dayBefore.suspects).toEqual([]);
    expect(dayBefore.answer).toContain('30 h before, too long before to blame');
    const shortLogs = { from: ONSET - 10 * MIN, to: ONSET + HOUR };
    expect(rank([change(50)], { span: shortLogs }).suspects).toHaveLength(1);
    expect(rank([change(70)], { span: shortLogs }).suspects).toEqual([]);
  });

  it('finds a commit weak evidence in a busy repository', () => {
    const commits = Array.from({ length: 150 }, (_, i) =>
      change(i * 10 + 4, { kind: 'commit', version: `c${i}`, description: `fix ${i}` }),
    );
    const answer = rank(commits);
    expect(answer.suspects[0]?.verdict).toBe('unlikely');
    expect(answer.answer).toMatch(/^6 changes in the 60 min before the onset, none a likely cause/);
  });

  it('names the last deploy when it is not the suspect', () => {
    const flag = change(5, { kind: 'feature-flag', description: 'new-pricing on' });
    const deploy = change(3 * 60, { service: 'checkout', version: 'v2.3.0' });
    expect(rank([deploy, flag]).answer).toMatch(
      /The last deploy before it: deploy checkout v2\.3\.0 at .*, 3 h before\.$/,
    );
  });

  it('says the evidence cannot tell without an onset, and handles no records', () => {
    const none = rank([change(4)], { onset: undefined });
    expect(none.answer).toMatch(/^The evidence cannot tell: no onset of errors/);
    expect(none.confidence).toBe(0);
    expect(rank([]).answer).toBe('No change recorded before the onset (0 records).');
  });

  it('scales confidence by the onset detector confidence', () => {
    const bad = change(4, { hosts: ['web-2'] });
    const sure = rank([bad], { hosts: WEB2 }).suspects[0]?.confidence ?? 0;
    const unsure = rank([bad], { hosts: WEB2, onsetConfidence: 0.5 }).suspects[0]?.confidence;
    expect(unsure).toBeCloseTo(sure * 0.5, 10);
  });
});

describe('changeContextOf', () => {
  it('takes onset, span and host shares from a real analysis', () => {
    const analyzer = new Analyzer();
    const random = seededRandom(7);
    for (let t = SPAN.from; t < SPAN.to; t += 10_000) {
      for (const host of ['web-1', 'web-2', 'web-3', 'web-4']) {
        const rate = host === 'web-2' && t >= ONSET ? 0.4 : 0.005;
        const isError = random() < rate;
        analyzer.add({
          time: t + Math.floor(random() * 10_000),
          host,
          message: isError ? 'payment failed: bad amount' : 'payment ok',
          isError,
          isClientError: false,
          source: `${host}.log`,
          line: 1,
        });
      }
    }
    const context = changeContextOf(analyzer.finish(SPAN.to));
    expect(Math.abs((context.onset ?? 0) - ONSET)).toBeLessThanOrEqual(
      context.onsetUncertaintyMs ?? 0,
    );
    expect(context.hosts?.['web-2']?.errorShare).toBeGreaterThan(0.8);
    const deploy = change(3, { service: 'payments', version: 'v3.4.1', hosts: ['web-2'] });
    const answer = rankSuspects([change(5 * 60), deploy], context);
    expect(answer.suspects[0]?.change).toBe(deploy);
    expect(answer.suspects[0]?.verdict).toBe('likely');
  });
});

describe('joinRollouts', () => {
  it('joins the per-host records of one rollout, and nothing else', () => {
    const perHost = ['web-3', 'web-1', 'web-2'].map((host, i) =>
      change(10 - i * 2, { service: 'checkout', version: 'v2.3.1', hosts: [host], line: i + 1 }),
    );
    const other = change(9, { service: 'search', version: 'v9', hosts: ['web-4'], line: 9 });
    const later = change(-40, { service: 'checkout', version: 'v2.3.1', hosts: ['web-4'] });
    const joined = joinRollouts([...perHost, other, later]);
    expect(joined).toHaveLength(3);
    expect(joined[0]).toMatchObject({
      time: ONSET - 10 * MIN,
      line: 1,
      hosts: ['web-1', 'web-2', 'web-3'],
    });
    expect(joined[1]).toBe(other);
    expect(joined[2]).toBe(later);
    const answer = rank([...perHost, other], { hosts: EVEN });
    expect(answer.considered).toBe(4);
    expect(answer.suspects).toHaveLength(2);
  });
});

describe('helpers', () => {
  it('matches host and service names loosely but not across numbers', () => {
    expect(sameScopeName('web-2', 'WEB-2.example.com')).toBe(true);
    expect(sameScopeName('checkout', 'checkout-7d9f-x2')).toBe(true);
    expect(sameScopeName('web-1', 'web-10')).toBe(false);
    expect(sameScopeName('', 'web-1')).toBe(false);
  });

  it('formats durations for people', () => {
    expect([40_000, 4 * MIN, 150 * MIN, 30 * HOUR, 3 * DAY].map(formatDuration)).toEqual([
      '40 s',
      '4 min',
      '2.5 h',
      '30 h',
      '3 days',
    ]);
  });
});
