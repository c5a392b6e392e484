import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPath } from './endpoint.js';

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
