import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import {
  assertHypothesisMove,
  HYPOTHESIS_STATUSES,
  type Hypothesis,
  type HypothesisStatus,
  parseHypothesisRef,
  reasonRequired,
} from './hypothesis.js';

const inStatus = (status: HypothesisStatus): Hypothesis => ({
  number: 2,
  statement: 'the deploy',
  status,
  moves: [],
});

const LEGAL: [HypothesisStatus, HypothesisStatus][] = [
  ['proposed', 'testing'],
  ['proposed', 'eliminated'],
  ['proposed', 'confirmed'],
  ['testing', 'eliminated'],
  ['testing', 'confirmed'],
  ['eliminated', 'testing'],
  ['confirmed', 'testing'],
];

describe('hypothesis moves', () => {
  it.each(LEGAL)('allows %s -> %s', (from, to) => {
    expect(() => assertHypothesisMove(inStatus(from), to)).not.toThrow();
  });

  it('refuses every other move as an illegal transition', () => {
    for (const from of HYPOTHESIS_STATUSES) {
      for (const to of HYPOTHESIS_STATUSES) {
        if (LEGAL.some(([f, t]) => f === from && t === to)) continue;
        try {
          assertHypothesisMove(inStatus(from), to);
          expect.unreachable(`${from} -> ${to} should be refused`);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
          expect((error as UserError).code).toBe('illegal_transition');
          expect((error as UserError).message).toMatch(
            new RegExp(`^H2 is ${from} and cannot become ${to}; from ${from} it can become `),
          );
        }
      }
    }
  });

  it('never lets an eliminated hypothesis be confirmed without testing it again', () => {
    expect(() => assertHypothesisMove(inStatus('eliminated'), 'confirmed')).toThrow(
      'H2 is eliminated and cannot become confirmed; from eliminated it can become testing',
    );
  });

  it('asks for a reason to eliminate or confirm, not to start testing a proposal', () => {
    expect(HYPOTHESIS_STATUSES.filter((to) => reasonRequired('proposed', to))).toEqual([
      'eliminated',
      'confirmed',
    ]);
  });

  it('asks for a reason to reopen a decided hypothesis', () => {
    expect(reasonRequired('eliminated', 'testing')).toBe(true);
    expect(reasonRequired('confirmed', 'testing')).toBe(true);
    expect(reasonRequired('proposed', 'testing')).toBe(false);
  });
});

describe('parseHypothesisRef', () => {
  it.each([
    ['H2', 2],
    ['h2', 2],
    ['2', 2],
    [' H12 ', 12],
  ])('reads %j as %d', (input, n) => {
    expect(parseHypothesisRef(input)).toBe(n);
  });

  it.each(['', 'H', 'H0', '0', 'HH2', 'H-1', 'two', 'H1234567'])('refuses %j', (input) => {
    expect(() => parseHypothesisRef(input)).toThrow(
      `"${input}" is not a hypothesis; use its number as shown, e.g. H2`,
    );
  });
});
