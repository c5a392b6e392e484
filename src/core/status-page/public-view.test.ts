import { describe, expect, it } from 'vitest';
import { epochMs } from '../ids.js';
import { replayTimeline } from '../incident/incident.js';
import {
  amend,
  atMinute,
  declared,
  HOUR,
  note,
  type Step,
  strike,
  T0,
  timeline,
} from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import { parseComponentState, type StatusComponent, worstState } from './component.js';
import {
  buildPublicStatus,
  historyStart,
  type PublicIncidentSource,
  publicTitle,
} from './public-view.js';

const DAY = 24 * HOUR;

const component = (id: number, name: string, services: string[]): StatusComponent => ({
  id,
  name,
  description: '',
  position: id,
  services,
  state: 'operational',
  stateSince: epochMs(T0 - 200 * DAY),
  createdAt: epochMs(T0 - 200 * DAY),
  updatedAt: epochMs(T0 - 200 * DAY),
  archivedAt: null,
});

const update = (audience: 'customers' | 'support', text: string): EntryBody => ({
  kind: 'status_update',
  audience,
  text,
});

function source(bodies: Step[], title?: string, services = ['payments']): PublicIncidentSource {
  const entries = timeline(declared({ title: 'db-2 disk full', services }), ...bodies);
  const state = replayTimeline(entries);
  if (!state) throw new Error('no state');
  return { state, entries, ...(title ? { publicTitle: title } : {}) };
}

const COMPONENTS = [component(1, 'API', ['api']), component(2, 'Checkout', ['Payments'])];

const view = (incidents: PublicIncidentSource[], now = atMinute(60)) =>
  buildPublicStatus({ now, components: COMPONENTS, stateChanges: [], incidents });

describe('public view of incidents', () => {
  it('leaves out an incident nobody told customers about, and a declined one', () => {
    const status = view([
      source([note('SECRET'), update('support', 'SECRET')]),
      source([
        update('customers', 'false alarm'),
        { kind: 'status_changed', from: 'triage', to: 'declined' },
      ]),
    ]);
    expect(status.activeIncidents).toEqual([]);
    expect(status.history).toEqual([]);
    expect(status.overall.label).toBe('All systems operational');
  });

  it('shows customers updates as corrected, newest first, with the public status at their time', () => {
    const status = view([
      source([
        update('customers', 'payments fail'),
        update('customers', 'posted by mistake'),
        { kind: 'status_changed', from: 'triage', to: 'identified', reason: 'SECRET' },
        update('customers', 'we found the cause'),
        strike(3),
        amend(5, 'we found the cause and are fixing it'),
      ]),
    ]);
    const [incident] = status.activeIncidents;
    expect(incident).toMatchObject({
      title: 'Degraded service on Checkout',
      status: 'identified',
      components: ['Checkout'],
      startedAt: new Date(T0).toISOString(),
    });
    expect(incident?.updates.map((u) => [u.status, u.text])).toEqual([
      ['identified', 'we found the cause and are fixing it'],
      ['investigating', 'payments fail'],
    ]);
    expect(incident?.updates.map((u) => u.id)).toEqual([`${incident?.id}-2`, `${incident?.id}-1`]);
    expect(JSON.stringify(status)).not.toMatch(/SECRET|db-2|INC-|alice/);
    expect(status.overall.label).toBe('Incident in progress');
  });

  it('makes an incident public by a public title alone, and never by its internal title', () => {
    const status = view([source([], 'Checkout is slow', ['unlinked'])]);
    expect(status.activeIncidents[0]).toMatchObject({
      title: 'Checkout is slow',
      components: [],
      updates: [],
    });
  });

  it('names the components neutrally when no public title was chosen', () => {
    expect(publicTitle(undefined, [])).toBe('Service disruption');
    expect(publicTitle('  ', ['API'])).toBe('Degraded service on API');
    expect(publicTitle(undefined, ['API', 'Checkout', 'Dashboard'])).toBe(
      'Degraded service on API, Checkout and Dashboard',
    );
  });

  it('keeps a resolved incident for 90 days, under the day it was resolved', () => {
    const resolved = source([
      update('customers', 'fixed'),
      { body: { kind: 'status_changed', from: 'triage', to: 'resolved' }, at: 60 * 24 },
    ]);
    const resolvedAt = atMinute(60 * 24);
    const at89 = view([resolved], epochMs(resolvedAt + 89 * DAY));
    expect(at89.history.map((d) => d.date)).toEqual(['2026-03-15']);
    expect(at89.history[0]?.incidents[0]?.status).toBe('resolved');
    expect(view([resolved], epochMs(resolvedAt + 90 * DAY)).history).toEqual([]);
    expect(historyStart(Date.UTC(2026, 5, 1, 12))).toBe(Date.UTC(2026, 2, 4));
  });
});

describe('public view of components', () => {
  it('draws each day at its worst state, and nothing before the component existed', () => {
    const now = epochMs(Date.UTC(2026, 2, 14, 12));
    const api = { ...component(1, 'API', []), createdAt: epochMs(Date.UTC(2026, 2, 12, 9)) };
    const status = buildPublicStatus({
      now,
      components: [{ ...api, state: 'operational' }],
      stateChanges: [
        { componentId: 1, state: 'operational', at: api.createdAt, author: 'a', reason: '' },
        {
          componentId: 1,
          state: 'major_outage',
          at: epochMs(Date.UTC(2026, 2, 13, 10)),
          author: 'a',
          reason: '',
        },
        {
          componentId: 1,
          state: 'degraded_performance',
          at: epochMs(Date.UTC(2026, 2, 13, 11)),
          author: 'a',
          reason: '',
        },
        {
          componentId: 1,
          state: 'operational',
          at: epochMs(Date.UTC(2026, 2, 14, 1)),
          author: 'a',
          reason: '',
        },
      ],
      incidents: [],
    });
    const days = status.components[0]?.days ?? [];
    expect(days).toHaveLength(90);
    expect(days.slice(-4)).toEqual([
      { date: '2026-03-11', state: null },
      { date: '2026-03-12', state: 'operational' },
      { date: '2026-03-13', state: 'major_outage' },
      { date: '2026-03-14', state: 'degraded_performance' },
    ]);
  });

  it('reads state names people type, and ranks maintenance below any outage', () => {
    expect(parseComponentState('Degraded')).toBe('degraded_performance');
    expect(parseComponentState('partial-outage')).toBe('partial_outage');
    expect(parseComponentState('down')).toBe('major_outage');
    expect(() => parseComponentState('on fire')).toThrow(/use one of operational, /);
    expect(worstState(['under_maintenance', 'degraded_performance'])).toBe('degraded_performance');
    expect(worstState(['operational', 'under_maintenance'])).toBe('under_maintenance');
  });
});
