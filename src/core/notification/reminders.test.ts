import { describe, expect, it } from 'vitest';
import { epochMs } from '../ids.js';
import { type IncidentState, replayTimeline } from '../incident/incident.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import type { EntryBody, TimelineEntry } from '../timeline/entry.js';
import { REMIND_BEFORE_MS, remindersDue } from './reminders.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 2, 14, 14, 0);

/** An incident from bodies, one a minute from T0. */
function incident(...bodies: EntryBody[]): IncidentState {
  const entries: TimelineEntry[] = bodies.map((body, i) => ({
    incidentId: 1 as never,
    seq: (i + 1) as never,
    occurredAt: epochMs(T0 + i * MINUTE),
    recordedAt: epochMs(T0 + i * MINUTE),
    author: 'alice',
    body,
  }));
  const state = replayTimeline(entries);
  if (!state) throw new Error('no state');
  return state;
}

const declared: EntryBody = { kind: 'declared', title: 'Checkout down', summary: '', services: [] };
const sev1: EntryBody = {
  kind: 'severity_changed',
  from: null,
  to: 'SEV1',
  reason: 'all customers',
};

describe('reminders of status updates due', () => {
  it('reminds the communications lead shortly before an update is due, then when overdue', () => {
    const state = incident(declared, sev1, {
      kind: 'role_changed',
      role: 'communications',
      person: 'bob',
      change: 'assigned',
    });
    const supportEvery = DEFAULT_FRAMEWORK.levels[0]?.policy.updateEvery.support ?? 0;
    const dueAt = T0 + supportEvery;
    expect(remindersDue(state, DEFAULT_FRAMEWORK, epochMs(dueAt - REMIND_BEFORE_MS - 1))).toEqual(
      expect.not.arrayContaining([
        expect.objectContaining({ subject: expect.stringMatching(/support/) }),
      ]),
    );
    const soon = remindersDue(state, DEFAULT_FRAMEWORK, epochMs(dueAt - 4 * MINUTE)).find((r) =>
      r.subject.includes('support'),
    );
    expect(soon).toMatchObject({
      kind: 'reminder',
      eventKey: `INC-1:reminder:support:${dueAt}:due`,
      subject: '[SEV1] INC-1 update to support due in 4m',
      audiences: ['responders'],
    });
    expect(soon?.text).toMatch(
      /^bob \(communications lead\): SEV1 asks for an update to support every/,
    );
    const late = remindersDue(state, DEFAULT_FRAMEWORK, epochMs(dueAt + 3 * MINUTE)).find((r) =>
      r.subject.includes('support'),
    );
    expect(late?.eventKey).toBe(`INC-1:reminder:support:${dueAt}:overdue`);
    expect(late?.subject).toBe('[SEV1] INC-1 update to support overdue by 3m');
  });

  it('starts over after an update is posted, and stops once resolved', () => {
    const told = incident(declared, sev1, {
      kind: 'status_update',
      audience: 'support',
      text: 'x',
    });
    const supportEvery = DEFAULT_FRAMEWORK.levels[0]?.policy.updateEvery.support ?? 0;
    const next = T0 + 2 * MINUTE + supportEvery;
    const reminder = remindersDue(told, DEFAULT_FRAMEWORK, epochMs(next + MINUTE)).find((r) =>
      r.subject.includes('support'),
    );
    expect(reminder?.eventKey).toBe(`INC-1:reminder:support:${next}:overdue`);
    expect(reminder?.text).toMatch(/^Nobody leads communications yet:/);
    const resolved = incident(
      declared,
      sev1,
      { kind: 'status_changed', from: 'triage', to: 'investigating' },
      { kind: 'status_changed', from: 'investigating', to: 'resolved' },
    );
    expect(remindersDue(resolved, DEFAULT_FRAMEWORK, epochMs(T0 + 600 * MINUTE))).toEqual([]);
  });
});
