import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../series/testing.js';
import { ContrastCollector } from '../contrast/contrast.js';
import { AGENTS, type AgentName, START, simulateTraffic } from '../contrast/contrast.testing.js';
import type { TrafficMix } from '../contrast/contrast-rank.js';
import {
  analyzeBugReports,
  type BugReport,
  binomialUpperTail,
  holm,
  normalizePage,
} from './bug-reports.js';

const HOUR = 3_600_000;
const window = { from: START, to: START + 2 * HOUR };

/** The traffic mix of two hours of simulated shop traffic. */
function trafficOf(seed: number): TrafficMix {
  const collector = new ContrastCollector();
  for (const e of simulateTraffic({ seed, events: 4000, failure: () => 0.01 })) collector.add(e);
  return collector.result().traffic;
}
const traffic = trafficOf(1);

const report = (i: number, fields: Partial<BugReport>): BugReport => ({
  source: 'reports.csv',
  line: i + 2,
  ...fields,
});

describe('what the reports have in common', () => {
  it('a browser far more common among the reports than in the traffic', () => {
    const agents: AgentName[] = [
      ...Array<AgentName>(9).fill('firefox126'),
      'chromeWindows',
      'safariIos',
    ];
    const reports = agents.map((a, i) =>
      report(i, {
        userAgent: AGENTS[a],
        page: `https://shop.example/api/cart?x=${i}`,
        time: START + i * 600_000,
        description: 'The checkout button does nothing',
      }),
    );
    const result = analyzeBugReports(reports, { traffic, window });
    expect(result.found).toBe(true);
    const top = result.commonalities[0];
    expect(top?.sentence).toMatch(
      /^9 of 11 reports are from Firefox 126 on Windows 10 \(\d\.\d% of the traffic\)\.$/,
    );
    expect(top?.confidence).toBeGreaterThan(0.99);
    expect(top?.examples[0]).toMatchObject({ source: 'reports.csv', line: 2 });
    expect(result.answer).toContain('9 of 11 reports are from Firefox 126');
    // Every report is about the cart, 15% of the requests: that is notable too.
    const cart = result.commonalities.find((c) => c.attribute === 'page');
    expect(cart).toMatchObject({ value: '/api/cart', count: 11, notable: true });
    expect(result.commonalities.find((c) => c.attribute === 'word')?.sentence).toBe(
      'All 11 reports mention "checkout".',
    );
  });

  it('the most common browser of the traffic is no finding', () => {
    const agents: AgentName[] = [
      'chromeWindows',
      'chromeWindows',
      'chromeWindows',
      'chromeWindows',
      'safariIos',
      'edge',
      'firefox125',
      'samsung',
    ];
    const reports = agents.map((a, i) => report(i, { userAgent: AGENTS[a] }));
    const result = analyzeBugReports(reports, { traffic });
    expect(result.found).toBe(false);
    const chrome = result.commonalities.find((c) => c.value === 'Chrome 124');
    expect(chrome?.sentence).toMatch(
      /^4 of 8 reports are from Chrome 124 on Windows 10 \(\d+% of the traffic, so no more than expected\)\.$/,
    );
    expect(result.answer).toMatch(/^The 8 reports have nothing clear in common/);
  });

  it('without traffic, a shared browser is a fact without lift', () => {
    const reports = [0, 1, 2, 3].map((i) =>
      report(i, { browser: 'Firefox 126.0', os: 'Windows 11' }),
    );
    const result = analyzeBugReports([...reports, report(4, { browser: 'Chrome 124' })]);
    const firefox = result.commonalities.find((c) => c.attribute === 'browser');
    expect(firefox).toMatchObject({ value: 'Firefox 126', count: 4, of: 5, notable: true });
    expect(firefox?.lift).toBeUndefined();
    expect(firefox?.sentence).toBe('4 of 5 reports are from Firefox 126 on Windows 11.');
  });

  it('reports drawn at random from the traffic have nothing in common in at least 95% of seeds', () => {
    const mix: [AgentName, number][] = [
      ['chromeWindows', 30],
      ['chromeMac', 10],
      ['firefox126', 6],
      ['firefox125', 4],
      ['safariIos', 18],
      ['safariMac', 8],
      ['edge', 8],
      ['samsung', 8],
      ['curl', 3],
      ['app', 5],
    ];
    let quiet = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(seed);
      const reports = Array.from({ length: 5 + Math.floor(random() * 20) }, (_, i) => {
        let r = random() * 100;
        let agent: AgentName = 'chromeWindows';
        for (const [name, weight] of mix) {
          agent = name;
          r -= weight;
          if (r < 0) break;
        }
        return report(i, { userAgent: AGENTS[agent], time: window.from + random() * 2 * HOUR });
      });
      if (!analyzeBugReports(reports, { traffic, window }).found) quiet++;
    }
    // Measured: 100 of 100.
    expect(quiet).toBeGreaterThanOrEqual(95);
  });
});

describe('when the reports came', () => {
  const day = { from: START, to: START + 24 * HOUR };

  it('a burst of reports within the day', () => {
    const times = [8, 9, 10, 12, 15, 20, 22, 25, 31].map((m) => START + 14 * HOUR + m * 60_000);
    const reports = [...times, START + 3 * HOUR, START + 20 * HOUR].map((time, i) =>
      report(i, { time, browser: `B${i}` }),
    );
    const result = analyzeBugReports(reports, { window: day });
    expect(result.timing?.cluster).toMatchObject({ count: 9 });
    expect(result.timing?.sentence).toMatch(/^9 of the 11 timed reports came within 23 minutes/);
    expect(result.found).toBe(true);
  });

  it('after the onset', () => {
    const random = seededRandom(4);
    const onset = START + 12 * HOUR;
    const reports = Array.from({ length: 10 }, (_, i) =>
      report(i, { time: onset + random() * 12 * HOUR, os: i % 2 ? 'Windows' : 'Android' }),
    );
    const result = analyzeBugReports(reports, { window: day, onset });
    expect(result.timing?.afterOnset).toMatchObject({ count: 10 });
    expect(result.timing?.sentence).toMatch(
      /10 of the 10 timed reports came after the errors started/,
    );
  });

  it('reports spread evenly are no cluster', () => {
    let quiet = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const random = seededRandom(100 + seed);
      const reports = Array.from({ length: 3 + Math.floor(random() * 30) }, (_, i) =>
        report(i, { time: day.from + random() * 24 * HOUR }),
      );
      if (!analyzeBugReports(reports, { window: day }).timing?.cluster) quiet++;
    }
    expect(quiet).toBeGreaterThanOrEqual(95);
  });
});

describe('statistics', () => {
  it('binomial upper tail', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 12);
    // P(X >= 9 | n = 11, p = 0.08), computed exactly.
    const exact = [9, 10, 11].reduce((s, k) => s + choose(11, k) * 0.08 ** k * 0.92 ** (11 - k), 0);
    expect(binomialUpperTail(9, 11, 0.08)).toBeCloseTo(exact, 15);
    expect(binomialUpperTail(5, 10, 0.5)).toBeCloseTo(638 / 1024, 12);
  });

  it('Holm adjusts in step-down order', () => {
    expect(holm([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06]);
  });

  it('pages become their masked paths', () => {
    expect(normalizePage('https://shop.example/checkout/4521?step=2#pay')).toBe('/checkout/<*>');
    expect(normalizePage('/api/cart/')).toBe('/api/cart');
    expect(normalizePage('account/settings')).toBe('/account/settings');
  });
});

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}
