import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EndpointTable, maskPath } from './endpoint.js';
import { TemplateMiner } from './miner.js';

describe('maskPath', () => {
  it.each([
    ['/api/v1/items/4621', '/api/v1/items/<*>'],
    ['/static/img/products/856582.jpg', '/static/img/products/<*>.jpg'],
    ['/orders/550e8400-e29b-41d4-a716-446655440000/items', '/orders/<*>/items'],
    ['/blobs/deadbeef0', '/blobs/<*>'],
    ['/blobs/deadbeefcafe', '/blobs/deadbeefcafe'], // no digit: a word as far as anyone can tell
    ['/users/abc123/cart', '/users/<*>/cart'],
    ['/api/v10/health', '/api/v10/health'],
    ['/auth/oauth2/callback', '/auth/oauth2/callback'],
    ['/s3/buckets', '/s3/buckets'],
    ['/reset/eyJhbGciOiJIUzI1NiJ9xyzXYZabcdefGHIJ', '/reset/<*>'],
    ['/', '/'],
    ['', ''],
    ['/users/me', '/users/me'],
    ['/a//b/12/', '/a//b/<*>/'],
    ['/report.2026-03-14.csv', '/<*>.csv'],
  ])('%s -> %s', (path, masked) => {
    expect(maskPath(path)).toBe(masked);
  });

  it('returns the same string when nothing is variable', () => {
    const path = '/api/v1/cart/items';
    expect(maskPath(path)).toBe(path);
  });

  it('is idempotent and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (path) => {
        const once = maskPath(path);
        expect(maskPath(once)).toBe(once);
      }),
    );
  });
});

describe('EndpointTable', () => {
  it('gives one template to the requests of one endpoint', () => {
    const miner = new TemplateMiner();
    const table = new EndpointTable(miner);
    const a = table.learn('GET', '/api/items/42', 200);
    expect(table.learn('GET', '/api/items/7', 200)).toBe(a);
    expect(table.learn('GET', '/api/items/7', 500)).not.toBe(a);
    expect(table.learn('POST', '/api/items/7', 200)).not.toBe(a);
    expect(table.learn('GET', '/api/items/<*>', 200)).toBe(a); // its own template, read again
    expect(table.learn('GET', '/api/items/*', 200)).not.toBe(a);
    expect(miner.templateOf(a)).toBe('GET /api/items/<*> 200');
    expect(miner.templateOf(table.learn(undefined, '/x', undefined))).toBe('- /x -');
  });

  it('agrees with maskPath: same masked path, same template', () => {
    const segment = fc.oneof(
      fc.constantFrom('api', 'v1', 'items', 'me', '*', '<*>', '', 'a.jpg', 'x.tar.gz'),
      fc.integer({ min: 0, max: 99999 }).map(String),
      fc.stringMatching(/^[a-f0-9]{8,12}$/),
      fc.string({ maxLength: 6 }),
    );
    const path = fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(path, path, (a, b) => {
        const table = new EndpointTable(new TemplateMiner());
        const same = table.learn('GET', a, 200) === table.learn('GET', b, 200);
        expect(same).toBe(maskPath(a) === maskPath(b));
      }),
    );
  });
});
