import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  isActive,
  isStatus,
  parseStatus,
  STATUSES,
  type Status,
} from './lifecycle.js';

const LEGAL: [Status, Status][] = [
  ['triage', 'investigating'],
  ['triage', 'identified'],
  ['triage', 'monitoring'],
  ['triage', 'resolved'],
  ['triage', 'declined'],
  ['investigating', 'identified'],
  ['investigating', 'monitoring'],
  ['investigating', 'resolved'],
  ['identified', 'investigating'],
  ['identified', 'monitoring'],
  ['identified', 'resolved'],
  ['monitoring', 'investigating'],
  ['monitoring', 'identified'],
  ['monitoring', 'resolved'],
  ['resolved', 'investigating'],
  ['resolved', 'closed'],
];

const isLegal = (from: Status, to: Status) => LEGAL.some(([f, t]) => f === from && t === to);

const ALL_PAIRS = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as [Status, Status]));
const ILLEGAL = ALL_PAIRS.filter(([from, to]) => !isLegal(from, to));

function transitionError(from: Status, to: Status): UserError {
  try {
    assertTransition(from, to);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`expected ${from} -> ${to} to be refused`);
}

describe('incident lifecycle', () => {
  it.each(LEGAL)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('lists exactly the legal moves from each status', () => {
    for (const from of STATUSES) {
      const expected = LEGAL.filter(([f]) => f === from).map(([, to]) => to);
      expect([...allowedTransitions(from)].sort()).toEqual(expected.sort());
    }
  });

  it.each(ILLEGAL)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const error = transitionError(from, to);
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toContain(`cannot move the incident from ${from} to ${to}`);
  });

  it('never allows a move to the same status', () => {
    for (const status of STATUSES) {
      expect(canTransition(status, status)).toBe(false);
      expect(transitionError(status, status).code).toBe('illegal_transition');
    }
  });

  it('names the allowed moves when refusing a move', () => {
    expect(transitionError('investigating', 'closed').message).toBe(
      'cannot move the incident from investigating to closed: from investigating it can move to identified, monitoring, resolved',
    );
    expect(transitionError('resolved', 'monitoring').message).toBe(
      'cannot move the incident from resolved to monitoring: from resolved it can move to investigating, closed',
    );
  });

  it('only allows declining an incident during triage', () => {
    for (const from of STATUSES) {
      expect(canTransition(from, 'declined')).toBe(from === 'triage');
    }
  });

  it('only allows closing a resolved incident', () => {
    for (const from of STATUSES) {
      expect(canTransition(from, 'closed')).toBe(from === 'resolved');
    }
  });

  it.each(['closed', 'declined'] as const)('treats %s as final', (final) => {
    expect(allowedTransitions(final)).toEqual([]);
    for (const to of STATUSES) {
      const error = transitionError(final, to);
      expect(error.code).toBe('illegal_transition');
      expect(error.message).toBe(
        `cannot move the incident from ${final} to ${to}: a ${final} incident is final; declare a new incident if the problem is back`,
      );
    }
  });

  it('counts only unresolved incidents as active', () => {
    expect(STATUSES.filter(isActive)).toEqual([
      'triage',
      'investigating',
      'identified',
      'monitoring',
    ]);
  });
});

describe('parseStatus', () => {
  it.each(STATUSES)('reads %s', (status) => {
    expect(parseStatus(status)).toBe(status);
  });

  it('ignores case and surrounding space', () => {
    expect(parseStatus('  Monitoring ')).toBe('monitoring');
    expect(parseStatus('RESOLVED')).toBe('resolved');
  });

  it.each(['', 'open', 'resolve', 'in progress'])('refuses %j and lists the statuses', (input) => {
    expect(() => parseStatus(input)).toThrow(UserError);
    expect(() => parseStatus(input)).toThrow(
      `unknown status "${input}"; use one of triage, investigating, identified, monitoring, resolved, closed, declined`,
    );
  });

  it('tells statuses apart from other words', () => {
    expect(isStatus('triage')).toBe(true);
    expect(isStatus('Triage')).toBe(false);
    expect(isStatus('toString')).toBe(false);
  });
});
