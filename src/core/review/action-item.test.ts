import { describe, expect, it } from 'vitest';
import { type EntrySeq, epochMs } from '../ids.js';
import { type ActionItem, isOverdue, parseActionItemRef, parseDueDate } from './action-item.js';

const item = (overrides: Partial<ActionItem> = {}): ActionItem => ({
  number: 1,
  title: 'Alert on queue depth',
  kind: 'detect',
  priority: 'p2',
  status: 'open',
  seq: 9 as EntrySeq,
  createdAt: epochMs(0),
  updatedAt: epochMs(0),
  ...overrides,
});

describe('action items', () => {
  it('takes real calendar days as due dates and refuses the rest with the format', () => {
    expect(parseDueDate(' 2026-12-01 ')).toBe('2026-12-01');
    for (const bad of ['2026-02-30', '2026-13-01', '12/01/2026', 'tomorrow', '']) {
      expect(() => parseDueDate(bad)).toThrow(/use YYYY-MM-DD/);
    }
  });

  it('is overdue only while open and past its due day', () => {
    expect(isOverdue(item({ due: '2026-11-20' }), '2026-11-21')).toBe(true);
    expect(isOverdue(item({ due: '2026-11-21' }), '2026-11-21')).toBe(false);
    expect(isOverdue(item({ due: '2026-11-20', status: 'done' }), '2026-11-21')).toBe(false);
    expect(isOverdue(item(), '2026-11-21')).toBe(false);
  });

  it('reads A2 and 2 as the same item', () => {
    expect(parseActionItemRef('A2')).toBe(2);
    expect(parseActionItemRef('2')).toBe(2);
    expect(() => parseActionItemRef('A0')).toThrow(/e\.g\. A2/);
  });
});
