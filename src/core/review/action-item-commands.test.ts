import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import type { IncidentState } from '../incident/incident.js';
import { applyChanges, incident } from '../testing/builders.js';
import { addActionItem, changeActionItem, parseLink } from './action-item-commands.js';

function userError(act: () => unknown): UserError {
  try {
    act();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

/** An incident with items added as the app layer would. */
function withItems(...titles: string[]): IncidentState {
  return titles.reduce(
    (state, title) => applyChanges(state, addActionItem(state, { title })),
    incident(),
  );
}

describe('addActionItem', () => {
  it('numbers items from 1 and defaults to prevent, p2, open', () => {
    const state = incident();
    expect(addActionItem(state, { title: '  Alert on queue depth ' })).toEqual([
      {
        body: {
          kind: 'action_item',
          number: 1,
          item: { title: 'Alert on queue depth', kind: 'prevent', priority: 'p2', status: 'open' },
        },
      },
    ]);
  });

  it('takes the next number after the highest, with every field given', () => {
    const state = withItems('one', 'two');
    expect(
      addActionItem(state, {
        title: 'Canary deploys for checkout',
        kind: 'mitigate',
        priority: 'p1',
        owner: ' bob ',
        due: '2026-04-01',
        link: 'https://tracker.example/CHK-12',
      }),
    ).toEqual([
      {
        body: {
          kind: 'action_item',
          number: 3,
          item: {
            title: 'Canary deploys for checkout',
            kind: 'mitigate',
            priority: 'p1',
            status: 'open',
            owner: 'bob',
            due: '2026-04-01',
            link: 'https://tracker.example/CHK-12',
          },
        },
      },
    ]);
  });

  it('refuses an empty title, a bad due date, an empty owner and a link that is no address', () => {
    const state = incident();
    expect(userError(() => addActionItem(state, { title: '  ' })).message).toMatch(
      /has no title; say what will change, e\.g\. calm action add/,
    );
    expect(userError(() => addActionItem(state, { title: 'x'.repeat(301) })).message).toMatch(
      /301 characters; keep it under 300/,
    );
    expect(
      userError(() => addActionItem(state, { title: 'a', due: '2026-02-30' })).message,
    ).toMatch(/use YYYY-MM-DD/);
    expect(userError(() => addActionItem(state, { title: 'a', owner: ' ' })).message).toMatch(
      /owner is empty/,
    );
    expect(() => parseLink('CHK-12')).toThrow(/is not a link; give the issue's address/);
    expect(() => parseLink('javascript:alert(1)')).toThrow(/is not a link/);
  });
});

describe('changeActionItem', () => {
  const twoItems = () => withItems('Alert on queue depth', 'Runbook for failover');

  it('records only the fields that change, and the fold applies them', () => {
    const state = twoItems();
    const changes = changeActionItem(state, 2, {
      owner: 'carol',
      priority: 'p2',
      due: '2026-04-01',
    });
    // p2 was already the priority: it is left out
    expect(changes).toEqual([
      {
        body: {
          kind: 'action_item_changed',
          number: 2,
          changes: { owner: 'carol', due: '2026-04-01' },
        },
      },
    ]);
    const after = applyChanges(state, changes);
    expect(after.actionItems[1]).toMatchObject({
      number: 2,
      owner: 'carol',
      due: '2026-04-01',
      priority: 'p2',
    });
    expect(after.actionItems[0]?.owner).toBeUndefined();
  });

  it('refuses a change that changes nothing, and one that names nothing', () => {
    const state = twoItems();
    const same = userError(() => changeActionItem(state, 1, { status: 'open', priority: 'p2' }));
    expect(same.message).toBe(
      'A1 of INC-7 already has priority p2, status open; nothing to change',
    );
    expect(same.code).toBe('conflict');
    expect(userError(() => changeActionItem(state, 1, {})).message).toMatch(
      /^nothing to change on A1; give --title, --kind/,
    );
  });

  it('refuses an unknown item with the numbers it has', () => {
    const error = userError(() => changeActionItem(twoItems(), 5, { status: 'done' }));
    expect(error.message).toBe('INC-7 has no action item A5; it has A1-A2');
    expect(error.code).toBe('not_found');
    expect(userError(() => changeActionItem(incident(), 1, { status: 'done' })).message).toMatch(
      /has no action item A1; add one with `calm action add`/,
    );
  });

  it('asks why an item is dropped, and keeps the reason', () => {
    const state = twoItems();
    expect(userError(() => changeActionItem(state, 1, { status: 'wont_do' })).message).toMatch(
      /^say why A1 will not be done: add --reason/,
    );
    expect(
      changeActionItem(state, 1, { status: 'wont_do' }, ' the queue is being removed '),
    ).toEqual([
      {
        body: {
          kind: 'action_item_changed',
          number: 1,
          changes: { status: 'wont_do' },
          reason: 'the queue is being removed',
        },
      },
    ]);
  });

  it('marks an item done, and refuses marking it done twice', () => {
    const state = applyChanges(twoItems(), changeActionItem(twoItems(), 1, { status: 'done' }));
    expect(state.actionItems[0]?.status).toBe('done');
    expect(userError(() => changeActionItem(state, 1, { status: 'done' })).message).toBe(
      'A1 of INC-7 already has status done; nothing to change',
    );
  });
});
