import { describe, expect, it } from 'vitest';
import { hostFromSource } from './host.js';

describe('hostFromSource', () => {
  const cases: [string, string | undefined][] = [
    ['web-3/access.log', 'web-3'],
    ['web-3.access.log', 'web-3'],
    ['logs/2026-03-14/web-3.log', 'web-3'],
    ['/srv/incident/web-3/nginx/access.log.2.gz', 'web-3'],
    ['web-3.log.1', 'web-3'],
    ['web-3-20260314.log', 'web-3'],
    ['access.log-20260314', undefined],
    ['ip-10-0-1-5/syslog', 'ip-10-0-1-5'],
    ['db01.prod.example.com.log', 'db01.prod.example.com'],
    ['exports/api.example.com/app.json', 'api.example.com'],
    ['C:\\logs\\web-7\\app.log', 'web-7'],
    ['/var/log/nginx/access.log', undefined],
    ['/var/log/syslog', undefined],
    ['frontend/access.log', undefined],
    ['/home/alice/incident-42/app.log', undefined],
    ['v2.13/app.log', undefined],
    ['/var/log/pods/shop_checkout-7d9f-x2k4_0a1b2c3d-4e5f/app/0.log', 'checkout-7d9f-x2k4'],
    ['/var/log/containers/checkout-7d9f-x2k4_shop_app-0a1b2c3d4e5f.log', 'checkout-7d9f-x2k4'],
    ['0f3c2a9b8e7d6c5b4a3f2e1d0c9b8a7f/json.log', undefined],
    ['', undefined],
  ];
  for (const [source, host] of cases) {
    it(`${JSON.stringify(source)} -> ${host}`, () => {
      expect(hostFromSource(source)).toBe(host);
    });
  }

  it('uses the first capture group of hostPattern, and nothing else when it does not match', () => {
    expect(hostFromSource('dumps/host=edge-7/nginx.log', /host=([^/]+)/)).toBe('edge-7');
    expect(hostFromSource('web-3/access.log', /host=([^/]+)/)).toBeUndefined();
    const global = /(web-\d+)/g;
    expect(hostFromSource('a/web-1/x.log', global)).toBe('web-1');
    expect(hostFromSource('a/web-2/x.log', global)).toBe('web-2');
  });
});
