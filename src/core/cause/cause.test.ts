import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { entrySeq } from '../ids.js';
import { CAUSE_CATEGORIES, isCauseCategory, parseCauseCategories } from './categories.js';
import { type CauseLink, formatChain, rootCause } from './chain.js';

describe('parseCauseCategories', () => {
  it('reads categories by their keys', () => {
    expect(parseCauseCategories(['bad-logic', 'cpu-maxed', 'ddos'])).toEqual([
      'bad-logic',
      'cpu-maxed',
      'ddos',
    ]);
  });

  it.each([
    ['bad_logic', 'bad-logic'],
    ['Bad Logic', 'bad-logic'],
    ['  BAD-LOGIC ', 'bad-logic'],
    ['third party dependency', 'third-party-dependency'],
    ['sql_injection', 'sql-injection'],
    ['Hardware', 'hardware'],
  ])('reads %j as %s', (input, category) => {
    expect(parseCauseCategories([input])).toEqual([category]);
  });

  it('reads nothing from an empty list', () => {
    expect(parseCauseCategories([])).toEqual([]);
  });

  it.each(['bad logic!', 'CPU maxed out', 'toString', '', 'dns'])(
    'refuses %j and lists the categories',
    (input) => {
      const act = () => parseCauseCategories(['bad-logic', input]);
      expect(act).toThrow(UserError);
      expect(act).toThrow(
        `unknown cause category "${input}"; use one of untested-code, unknown-edge-case,`,
      );
    },
  );

  it('knows only its own keys as categories', () => {
    expect(Object.keys(CAUSE_CATEGORIES)).toHaveLength(22);
    for (const key of Object.keys(CAUSE_CATEGORIES)) expect(isCauseCategory(key)).toBe(true);
    expect(isCauseCategory('hasOwnProperty')).toBe(false);
    expect(isCauseCategory('Bad logic')).toBe(false);
  });
});

describe('cause chain', () => {
  const link = (seq: number, text: string, extra: Partial<CauseLink> = {}): CauseLink => ({
    seq: entrySeq(seq),
    text,
    categories: [],
    root: false,
    ...extra,
  });
  const chain = [
    link(3, '500s on /checkout'),
    link(5, 'gateway timeout'),
    link(8, 'a loop computing pi', { categories: ['bad-logic', 'cpu-maxed'], root: true }),
  ];

  it('finds the root link', () => {
    expect(rootCause(chain)?.seq).toBe(8);
    expect(rootCause(chain.slice(0, 2))).toBeUndefined();
    expect(rootCause([])).toBeUndefined();
  });

  it('formats the chain symptom first, with categories and the root marked', () => {
    expect(formatChain(chain)).toBe(
      [
        '1. 500s on /checkout',
        '2. gateway timeout',
        '3. a loop computing pi [bad-logic, cpu-maxed] (root cause)',
      ].join('\n'),
    );
    expect(formatChain([])).toBe('');
  });
});
