import { describe, expect, it } from 'vitest';
import { epochMs } from '../ids.js';
import { addActionItem, changeActionItem } from '../review/action-item-commands.js';
import { applyChanges, incident, T0 } from '../testing/builders.js';
import { daysBetween, overdueActionItemReminders } from './action-item-reminders.js';
import { channelsFor } from './channels.js';

const now = epochMs(T0);

function withItems() {
  let state = incident();
  state = applyChanges(
    state,
    addActionItem(state, {
      title: 'Alert on queue depth',
      kind: 'detect',
      owner: 'bob',
      due: '2026-03-12',
      link: 'https://tracker.example/OPS-1',
    }),
  );
  state = applyChanges(state, addActionItem(state, { title: 'Runbook', due: '2026-03-13' }));
  state = applyChanges(state, addActionItem(state, { title: 'Due today', due: '2026-03-14' }));
  state = applyChanges(state, addActionItem(state, { title: 'Done', due: '2026-03-01' }));
  state = applyChanges(state, changeActionItem(state, 4, { status: 'done' }));
  state = applyChanges(state, addActionItem(state, { title: 'No due date' }));
  return state;
}

describe('overdueActionItemReminders', () => {
  it('reminds of open items past their due day only, once per item and day', () => {
    const reminders = overdueActionItemReminders(withItems(), '2026-03-14', now);
    expect(reminders.map((r) => r.eventKey)).toEqual([
      'INC-7:action:A1:overdue:2026-03-14',
      'INC-7:action:A2:overdue:2026-03-14',
    ]);
    expect(reminders[0]).toMatchObject({
      kind: 'action_item',
      audiences: ['review', 'bob'],
      subject: 'INC-7 A1 overdue by 2 days: Alert on queue depth',
    });
    expect(reminders[0]?.text).toBe(
      [
        'bob owns it; it was due 2026-03-12 (p2, detect, open). Follow-up of "Checkout returns 500".',
        'Tracked at https://tracker.example/OPS-1',
        'Done? `calm action done A1 -i INC-7`. New date? `calm action update A1 -i INC-7 --due YYYY-MM-DD`.',
      ].join('\n'),
    );
    expect(reminders[1]?.audiences).toEqual(['review']);
    expect(reminders[1]?.subject).toBe('INC-7 A2 overdue by 1 day: Runbook');
    expect(reminders[1]?.text).toMatch(/^Nobody owns it yet; it was due 2026-03-13/);
    // the next day's reminder has a key of its own
    expect(overdueActionItemReminders(withItems(), '2026-03-15', now)[0]?.eventKey).toBe(
      'INC-7:action:A1:overdue:2026-03-15',
    );
  });

  it('goes to channels routed by the action_item event, the review audience or the owner', () => {
    const [bobs] = overdueActionItemReminders(withItems(), '2026-03-14', now);
    if (!bobs) throw new Error('expected a reminder');
    const url = 'https://hooks.example/x';
    const names = channelsFor(bobs, [
      { name: 'all', type: 'slack', url, when: {} },
      { name: 'review', type: 'slack', url, when: { audiences: ['Review'] } },
      { name: 'bob', type: 'slack', url, when: { events: ['action_item'], audiences: ['bob'] } },
      { name: 'carol', type: 'slack', url, when: { audiences: ['carol'] } },
      { name: 'updates', type: 'slack', url, when: { events: ['update', 'reminder'] } },
    ]).map((channel) => channel.name);
    expect(names).toEqual(['all', 'review', 'bob']);
  });

  it('counts whole calendar days, across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toBe(3);
    expect(daysBetween('2026-03-29', '2026-03-30')).toBe(1);
  });
});
