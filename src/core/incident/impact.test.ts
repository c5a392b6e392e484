import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import {
  AFFECTED,
  describeImpact,
  type Impact,
  isImpactEmpty,
  mergeImpact,
  parseAffected,
} from './impact.js';

describe('parseAffected', () => {
  it.each([
    ['all', 'all'],
    ['Everyone', 'all'],
    ['all-customers', 'all'],
    ['subset', 'subset'],
    ['some', 'subset'],
    [' PARTIAL ', 'subset'],
    ['internal', 'internal'],
    ['none', 'none'],
  ])('reads %j as %s', (input, affected) => {
    expect(parseAffected(input)).toBe(affected);
  });

  it.each(['', 'most', 'all customers', 'valueOf', 'constructor', '__proto__'])(
    'refuses %j',
    (input) => {
      expect(() => parseAffected(input)).toThrow(UserError);
      expect(() => parseAffected(input)).toThrow(
        `unknown audience affected "${input}"; use all, subset, internal or none`,
      );
    },
  );
});

describe('mergeImpact', () => {
  it('lets later answers override earlier ones field by field', () => {
    expect(
      mergeImpact(
        { affected: 'subset', canRollBack: true, description: 'slow' },
        { affected: 'all', workaroundAvailable: false },
      ),
    ).toEqual({
      affected: 'all',
      canRollBack: true,
      description: 'slow',
      workaroundAvailable: false,
    });
  });

  it('keeps an earlier answer when the update leaves it undefined, and keeps false answers', () => {
    expect(mergeImpact({ dataLost: true }, { dataLost: undefined, canRollBack: false })).toEqual({
      dataLost: true,
      canRollBack: false,
    });
  });

  it('leaves both inputs as they were', () => {
    const base: Impact = { affected: 'subset' };
    const update: Impact = { affected: 'all' };
    mergeImpact(base, update);
    expect(base).toEqual({ affected: 'subset' });
    expect(update).toEqual({ affected: 'all' });
  });

  const impacts = fc.record(
    {
      affected: fc.constantFrom(...AFFECTED),
      dataLost: fc.boolean(),
      canRollBack: fc.boolean(),
      description: fc.string(),
    },
    { requiredKeys: [] },
  );

  it('is the identity with an empty impact on either side', () => {
    fc.assert(
      fc.property(impacts, (impact) => {
        expect(mergeImpact({}, impact)).toEqual(impact);
        expect(mergeImpact(impact, {})).toEqual(impact);
      }),
    );
  });

  it('makes merging the same update twice the same as merging it once', () => {
    fc.assert(
      fc.property(impacts, impacts, (base, update) => {
        const once = mergeImpact(base, update);
        expect(mergeImpact(once, update)).toEqual(once);
      }),
    );
  });
});

describe('isImpactEmpty', () => {
  it('is empty with no answers, or only undefined ones', () => {
    expect(isImpactEmpty({})).toBe(true);
    expect(isImpactEmpty({ affected: undefined })).toBe(true);
  });

  it('is not empty with any answer, even false or an empty list', () => {
    expect(isImpactEmpty({ canRollBack: false })).toBe(false);
    expect(isImpactEmpty({ customerFacingServices: [] })).toBe(false);
    expect(isImpactEmpty({ description: '' })).toBe(false);
  });
});

describe('describeImpact', () => {
  it('describes every answer in a fixed order', () => {
    expect(
      describeImpact({
        description: 'checkout returns 500',
        canRollBack: false,
        workaroundAvailable: true,
        dataBreached: true,
        dataLost: true,
        customerFacingServices: ['checkout', 'cart'],
        affected: 'subset',
      }),
    ).toBe(
      'a subset of customers affected; customer-facing: checkout, cart; data lost; data breached; workaround available; cannot roll back; checkout returns 500',
    );
  });

  it.each<[Impact, string]>([
    [{}, ''],
    [{ affected: 'all' }, 'all customers affected'],
    [{ affected: 'internal' }, 'internal users only'],
    [{ affected: 'none', workaroundAvailable: false }, 'nobody affected; no workaround'],
    [{ canRollBack: true }, 'can roll back'],
    [{ dataLost: false, dataBreached: false, customerFacingServices: [] }, ''],
  ])('describes %j as %j', (impact, text) => {
    expect(describeImpact(impact)).toBe(text);
  });
});
