/**
 * A small incident to analyze, as files a responder would upload: a JSON
 * access log of three hosts over two hours in which, from ONSET on, web-2
 * fails payments whose amount has a decimal point with a 500; the deploy
 * to web-2 three minutes before; a crontab. Seeded: every run is the same.
 */
import { seededRandom } from '../../src/analysis/series/testing.js';

export const EVIDENCE_START = Date.UTC(2026, 2, 14, 8, 0, 0);
export const EVIDENCE_ONSET = Date.UTC(2026, 2, 14, 9, 0, 0);
const MINUTE = 60_000;

export function evidenceLog(events = 12_000): string {
  const r = seededRandom(5);
  const lines: string[] = [];
  let t = EVIDENCE_START;
  const step = (2 * 60 * MINUTE) / events;
  for (let i = 0; i < events; i++) {
    t += Math.floor(r() * 2 * step);
    const hostname = `web-${1 + Math.floor(r() * 3)}`;
    const pay = r() < 0.4;
    const decimal = r() < 0.5;
    const url = pay
      ? `/api/pay?amount=${decimal ? `${10 + Math.floor(r() * 90)}.${Math.floor(r() * 90) + 10}` : 10 + Math.floor(r() * 90)}`
      : `/api/cart?id=${i}`;
    const failing = t >= EVIDENCE_ONSET && hostname === 'web-2' && pay && decimal;
    const statusCode = failing ? 500 : r() < 0.003 ? 503 : r() < 0.02 ? 404 : 200;
    lines.push(
      JSON.stringify({
        level: statusCode >= 500 ? 50 : 30,
        time: t,
        hostname,
        req: { method: pay ? 'POST' : 'GET', url },
        res: { statusCode },
        responseTime: 5 + Math.floor(r() * 40),
        msg: failing ? `payment failed: cannot parse amount` : 'request completed',
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function evidenceChanges(): string {
  return [
    {
      time: new Date(EVIDENCE_ONSET - 3 * MINUTE).toISOString(),
      kind: 'deploy',
      service: 'payments',
      version: 'v2.0',
      hosts: ['web-2'],
      description: 'new amount parser',
    },
    {
      time: new Date(EVIDENCE_START - 600 * MINUTE).toISOString(),
      kind: 'deploy',
      service: 'payments',
      version: 'v1.9',
      hosts: ['web-1', 'web-2', 'web-3'],
      description: 'weekly release',
    },
  ]
    .map((change) => JSON.stringify(change))
    .join('\n');
}

export const EVIDENCE_CRONTAB = [
  '# m h dom mon dow user command',
  '*/15 * * * * root /usr/local/bin/reindex.sh',
  '@daily root /usr/local/bin/backup.sh',
  '',
].join('\n');
