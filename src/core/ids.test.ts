import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUserError, UserError } from './errors.js';
import { formatIncidentKey, incidentId, parseEntrySeq, parseIncidentKey } from './ids.js';

describe('incident keys', () => {
  it('formats an incident id as INC-<n>', () => {
    expect(formatIncidentKey(incidentId(12))).toBe('INC-12');
  });

  it.each([
    ['INC-12', 12],
    ['inc-12', 12],
    ['Inc-7', 7],
    ['12', 12],
    ['  INC-3 ', 3],
    ['INC-007', 7],
    ['999999999', 999_999_999],
  ])('reads %j as %d', (input, id) => {
    expect(parseIncidentKey(input)).toBe(id);
  });

  it.each([
    '',
    'INC-',
    'INC-0',
    '0',
    'INC12',
    'INC-1.5',
    '#12',
    'INC--12',
    '-12',
    '1234567890',
    'INC-12a',
  ])('refuses %j', (input) => {
    const error = (() => {
      try {
        parseIncidentKey(input);
      } catch (e) {
        return e;
      }
    })();
    expect(isUserError(error)).toBe(true);
    expect((error as UserError).code).toBe('invalid');
    expect((error as UserError).message).toBe(
      `"${input}" is not an incident id; use the form INC-12 (see \`calm list\`)`,
    );
  });

  it('reads back every key it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), (n) => {
        expect(parseIncidentKey(formatIncidentKey(incidentId(n)))).toBe(n);
      }),
    );
  });
});

describe('entry numbers', () => {
  it.each([
    ['7', 7],
    ['#7', 7],
    [' #42 ', 42],
    ['0012', 12],
  ])('reads %j as %d', (input, seq) => {
    expect(parseEntrySeq(input)).toBe(seq);
  });

  it.each(['', '#', '0', '#0', 'seven', '7a', '-7', '##7', '1234567890'])('refuses %j', (input) => {
    expect(() => parseEntrySeq(input)).toThrow(
      `"${input}" is not a timeline entry number; use the number shown by \`calm show\`, e.g. 7 or #7`,
    );
    expect(() => parseEntrySeq(input)).toThrow(UserError);
  });
});

describe('UserError', () => {
  it('defaults to the "invalid" code and is told apart from other errors', () => {
    const error = new UserError('bad input');
    expect(error.code).toBe('invalid');
    expect(error.name).toBe('UserError');
    expect(error).toBeInstanceOf(Error);
    expect(isUserError(error)).toBe(true);
    expect(isUserError(new Error('bad input'))).toBe(false);
    expect(isUserError('bad input')).toBe(false);
  });
});
