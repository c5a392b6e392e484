import { describe, expect, it } from 'vitest';
import type { SeverityLevel } from '../severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { atMinute, incident, MINUTE, strike } from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import { updateSchedule } from './schedule.js';

const [SEV1, , SEV3] = DEFAULT_FRAMEWORK.levels as [SeverityLevel, SeverityLevel, SeverityLevel];

const update = (audience: 'responders' | 'support', text = 'no news'): EntryBody => ({
  kind: 'status_update',
  audience,
  text,
});

describe('updateSchedule', () => {
  it('dates the first update of each audience one cadence after the declaration', () => {
    expect(updateSchedule(incident(), SEV1, atMinute(20))).toEqual([
      {
        audience: 'responders',
        everyMs: 15 * MINUTE,
        dueAt: atMinute(15),
        overdueByMs: 5 * MINUTE,
      },
      { audience: 'support', everyMs: 30 * MINUTE, dueAt: atMinute(30), overdueByMs: -10 * MINUTE },
      {
        audience: 'executives',
        everyMs: 60 * MINUTE,
        dueAt: atMinute(60),
        overdueByMs: -40 * MINUTE,
      },
      {
        audience: 'customers',
        everyMs: 60 * MINUTE,
        dueAt: atMinute(60),
        overdueByMs: -40 * MINUTE,
      },
    ]);
  });

  it('dates the next update one cadence after the last time the audience was told', () => {
    const state = incident(
      { body: update('responders'), at: 10 },
      { body: update('responders'), at: 22 },
      { body: { kind: 'communication', to: 'Support', via: 'email' }, at: 12 },
    );
    const [responders, support] = updateSchedule(state, SEV1, atMinute(40));
    expect(responders).toEqual({
      audience: 'responders',
      everyMs: 15 * MINUTE,
      lastAt: atMinute(22),
      dueAt: atMinute(37),
      overdueByMs: 3 * MINUTE,
    });
    expect(support).toEqual({
      audience: 'support',
      everyMs: 30 * MINUTE,
      lastAt: atMinute(12),
      dueAt: atMinute(42),
      overdueByMs: -2 * MINUTE,
    });
  });

  it('forgets a struck update', () => {
    const state = incident(
      { body: update('responders'), at: 10 },
      { body: strike(2, 'never sent'), at: 11 },
    );
    const [responders] = updateSchedule(state, SEV1, atMinute(20));
    expect(responders?.lastAt).toBeUndefined();
    expect(responders?.dueAt).toBe(atMinute(15));
  });

  it('follows the cadences of the level', () => {
    expect(updateSchedule(incident(), SEV3, atMinute(200))).toEqual([
      {
        audience: 'responders',
        everyMs: 120 * MINUTE,
        dueAt: atMinute(120),
        overdueByMs: 80 * MINUTE,
      },
    ]);
  });

  it('has nothing due without a level', () => {
    expect(updateSchedule(incident(), undefined, atMinute(500))).toEqual([]);
  });

  it.each([
    ['resolved', [{ kind: 'status_changed', from: 'triage', to: 'resolved' }]],
    [
      'closed',
      [
        { kind: 'status_changed', from: 'triage', to: 'resolved' },
        { kind: 'status_changed', from: 'resolved', to: 'closed' },
      ],
    ],
    ['declined', [{ kind: 'status_changed', from: 'triage', to: 'declined', reason: 'a bug' }]],
  ] as [string, EntryBody[]][])('has nothing due once the incident is %s', (_status, steps) => {
    expect(updateSchedule(incident(...steps), SEV1, atMinute(500))).toEqual([]);
  });

  it('keeps updates due while monitoring', () => {
    const state = incident({ kind: 'status_changed', from: 'triage', to: 'monitoring' });
    expect(updateSchedule(state, SEV1, atMinute(20))).toHaveLength(4);
  });
});
