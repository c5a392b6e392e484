import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { amend, note, seq, strike, timeline } from '../testing/builders.js';
import { parseAudience } from './audience.js';
import { collectCorrections, currentText } from './corrections.js';
import { AUDIENCES, type EntryKind, isCorrectable, KIND_LABELS } from './entry.js';

describe('parseAudience', () => {
  it.each([
    ['responders', 'responders'],
    ['Team', 'responders'],
    ['responder', 'responders'],
    ['support', 'support'],
    ['execs', 'executives'],
    [' Leadership ', 'executives'],
    ['customer', 'customers'],
    ['PUBLIC', 'customers'],
  ])('reads %j as %s', (input, audience) => {
    expect(parseAudience(input)).toBe(audience);
  });

  it.each(['', 'everyone', 'press', 'toString', 'constructor', '__proto__'])(
    'refuses %j',
    (input) => {
      expect(() => parseAudience(input)).toThrow(UserError);
      expect(() => parseAudience(input)).toThrow(
        `unknown audience "${input}"; use one of ${AUDIENCES.join(', ')}`,
      );
    },
  );
});

describe('correctable entries', () => {
  it('lets people correct what they wrote, not what Calm recorded', () => {
    const kinds = Object.keys(KIND_LABELS) as EntryKind[];
    expect(kinds.filter(isCorrectable).sort()).toEqual(
      [
        'action',
        'communication',
        'decision',
        'finding',
        'impact',
        'note',
        'root_cause',
        'status_update',
      ].sort(),
    );
  });
});

describe('collectCorrections', () => {
  it('collects the strikes and amendments made to each entry', () => {
    const entries = timeline(
      note('rolled bakc'),
      note('db is fine'),
      amend(1, 'rolled back', 'typo'),
      amend(1, 'rolled back to v2.13', 'more precise'),
      strike(2, 'it was not'),
    );
    const views = collectCorrections(entries);
    expect([...views.keys()]).toEqual([1, 2]);
    expect(views.get(seq(1))).toEqual({
      amendments: [
        { by: 3, text: 'rolled back', reason: 'typo' },
        { by: 4, text: 'rolled back to v2.13', reason: 'more precise' },
      ],
    });
    expect(views.get(seq(2))).toEqual({ struck: { by: 5, reason: 'it was not' }, amendments: [] });
  });

  it('has nothing to say about an uncorrected timeline', () => {
    expect(collectCorrections(timeline(note(), note())).size).toBe(0);
  });

  it('shows the latest amendment, else the original text', () => {
    const views = collectCorrections(timeline(note('a'), amend(1, 'b'), amend(1, 'c')));
    expect(currentText('a', views.get(seq(1)))).toBe('c');
    expect(currentText('a', undefined)).toBe('a');
    expect(currentText('a', { struck: { by: seq(2), reason: 'r' }, amendments: [] })).toBe('a');
  });
});
