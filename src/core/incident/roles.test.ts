import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { holderOf, parseRole, ROLE_TITLES, ROLES } from './roles.js';

describe('parseRole', () => {
  it.each([
    ['commander', 'commander'],
    ['IC', 'commander'],
    ['incident-commander', 'commander'],
    ['comms', 'communications'],
    ['Communications-Lead', 'communications'],
    [' scribe ', 'scribe'],
    ['responders', 'responder'],
    ['Responder', 'responder'],
  ])('reads %j as %s', (input, role) => {
    expect(parseRole(input)).toBe(role);
  });

  it.each(['', 'lead', 'incident commander', 'toString', 'constructor', '__proto__'])(
    'refuses %j',
    (input) => {
      const act = () => parseRole(input);
      expect(act).toThrow(UserError);
      expect(act).toThrow(
        `unknown role "${input}"; use one of commander, communications, scribe, responder`,
      );
    },
  );

  it('has a title for every role', () => {
    expect(ROLES.map((role) => ROLE_TITLES[role])).toEqual([
      'incident commander',
      'communications lead',
      'scribe',
      'responder',
    ]);
  });

  it('names the holder of a lead role', () => {
    const roles = { commander: 'alice', responders: ['bob'] };
    expect(holderOf(roles, 'commander')).toBe('alice');
    expect(holderOf(roles, 'scribe')).toBeUndefined();
  });
});
