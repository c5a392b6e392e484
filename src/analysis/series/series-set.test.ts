import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesSet } from './series-set.js';

const T0 = Date.UTC(2026, 2, 14, 9, 0, 0);

describe('SeriesSet', () => {
  it('counts per second for a short span and shares the grid between series', () => {
    const set = new SeriesSet();
    set.add('all', T0);
    set.add('all', T0 + 1500);
    set.add('errors', T0 + 1500);
    set.add('all', T0 + 60_000);
    const done = set.finish();
    expect(done?.bucketMs).toBe(1000);
    expect(done?.start).toBe(T0);
    expect(done?.series.get('all')?.length).toBe(61);
    expect(done?.series.get('all')?.slice(0, 2)).toEqual([1, 1]);
    expect(done?.series.get('errors')?.slice(0, 2)).toEqual([0, 1]);
  });

  it('coarsens to stay within its bound and regroups to a nice size for the span', () => {
    const set = new SeriesSet(2000);
    // Six hours, one event a second: 21,600 seconds.
    for (let s = 0; s < 6 * 3600; s++) set.add('all', T0 + s * 1000);
    const done = set.finish();
    expect(done?.bucketMs).toBe(60_000); // 360 one-minute buckets: the finest nice size <= 500 buckets
    const counts = done?.series.get('all') ?? [];
    expect(counts.length).toBe(360);
    expect(counts.every((c) => c === 60)).toBe(true);
  });

  it('accepts times out of order, earlier and later, without losing a count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 * 86_400_000 }), { minLength: 1, maxLength: 300 }),
        (offsets) => {
          const set = new SeriesSet(50);
          for (const offset of offsets) set.add('all', T0 + offset);
          const done = set.finish();
          const total = (done?.series.get('all') ?? []).reduce((a, b) => a + b, 0);
          expect(total).toBe(offsets.length);
          const first = Math.min(...offsets.map((o) => T0 + o));
          const last = Math.max(...offsets.map((o) => T0 + o));
          expect(done?.start).toBeLessThanOrEqual(first);
          expect(
            (done?.start ?? 0) + (done?.series.get('all')?.length ?? 0) * (done?.bucketMs ?? 0),
          ).toBeGreaterThan(last);
        },
      ),
    );
  });

  it('merges grids filled apart into the grid one pass would have filled', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 2 * 86_400_000 }),
            key: fc.constantFrom('all', 'errors', 'host:web-1'),
            part: fc.integer({ min: 0, max: 2 }),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        (items) => {
          const whole = new SeriesSet(50);
          const parts = [new SeriesSet(50), new SeriesSet(50), new SeriesSet(50)];
          for (const { offset, key, part } of items) {
            whole.add(key, T0 + offset);
            parts[part]?.add(key, T0 + offset);
          }
          const merged = new SeriesSet(50);
          for (const part of parts) {
            const snapshot = structuredClone(part.snapshot());
            if (snapshot) merged.merge(snapshot);
          }
          const a = whole.finish();
          const b = merged.finish();
          // Both cover every count; when they settle on the same bucket size they agree bucket by bucket.
          for (const key of ['all', 'errors', 'host:web-1']) {
            const sum = (s: number[] | undefined) => (s ?? []).reduce((x, y) => x + y, 0);
            expect(sum(b?.series.get(key))).toBe(items.filter((i) => i.key === key).length);
            if (a?.bucketMs === b?.bucketMs) {
              expect(b?.start).toBe(a?.start);
              expect(b?.series.get(key) ?? []).toEqual(a?.series.get(key) ?? []);
            }
          }
        },
      ),
    );
  });

  it('renames or leaves out series while merging', () => {
    const part = new SeriesSet();
    part.add('template:7', T0);
    part.add('template:9', T0 + 1000);
    const merged = new SeriesSet();
    merged.add('all', T0 + 2000);
    const empty = {
      bucketMs: 1000,
      origin: 0,
      series: [],
      counts: new Float64Array(),
      slots: new Int32Array(),
    };
    merged.merge(part.snapshot() ?? empty, (key) =>
      key === 'template:7' ? 'template:1' : undefined,
    );
    const done = merged.finish();
    expect([...(done?.series.keys() ?? [])].sort()).toEqual(['all', 'template:1']);
    expect(done?.series.get('template:1')).toEqual([1, 0, 0]);
  });
});
