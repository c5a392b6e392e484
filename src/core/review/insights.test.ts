import { describe, expect, it } from 'vitest';
import { type IncidentState, replayTimeline } from '../incident/incident.js';
import { declared, entry, HOUR, MINUTE } from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import { computeInsights, durationOf, figureOf } from './insights.js';

/** An incident declared at `at`, its later entries `minutes` after that. */
function incidentAt(
  id: number,
  at: number,
  steps: { body: EntryBody; after: number }[],
  over: Partial<Extract<EntryBody, { kind: 'declared' }>> = {},
): IncidentState {
  const entries = [
    entry(1, declared(over), { occurredAt: at, incident: id }),
    ...steps.map((step, i) =>
      entry(i + 2, step.body, { occurredAt: at + step.after * MINUTE, incident: id }),
    ),
  ];
  const state = replayTimeline(entries);
  if (!state) throw new Error('declared');
  return state;
}

const milestone = (m: 'impact_started' | 'detected', after: number) => ({
  body: { kind: 'milestone', milestone: m } as EntryBody,
  after,
});
const commander = (after: number) => ({
  body: {
    kind: 'role_changed',
    role: 'commander',
    person: 'alice',
    change: 'assigned',
  } as EntryBody,
  after,
});
const status = (to: 'resolved' | 'declined', after: number, from = 'investigating') => ({
  body: { kind: 'status_changed', from, to, reason: 'x' } as EntryBody,
  after,
});
const severity = (to: string) => ({
  body: { kind: 'severity_changed', from: null, to, reason: 'x' } as EntryBody,
  after: 0,
});
const cause = (...categories: string[]) => ({
  body: { kind: 'root_cause', text: 'why', categories, root: true } as EntryBody,
  after: 1,
});

const JAN = Date.UTC(2026, 0, 10, 12);
const FEB = Date.UTC(2026, 1, 10, 12);

describe('insights', () => {
  it('measures detect, acknowledge and resolve from the milestones, and says which', () => {
    const state = incidentAt(1, JAN, [
      milestone('impact_started', -30),
      milestone('detected', -10),
      commander(5),
      status('resolved', 90),
    ]);
    expect(durationOf(state, 'detect')).toBe(20 * MINUTE);
    expect(durationOf(state, 'acknowledge')).toBe(15 * MINUTE);
    expect(durationOf(state, 'resolve')).toBe(120 * MINUTE);
    const bare = incidentAt(2, JAN, [commander(4), status('resolved', 60)]);
    expect(durationOf(bare, 'detect')).toBeUndefined();
    expect(durationOf(bare, 'acknowledge')).toBe(4 * MINUTE);
    expect(durationOf(bare, 'resolve')).toBe(HOUR);
  });

  it('gives mean, median and n', () => {
    expect(figureOf([])).toEqual({ n: 0, mean: null, median: null });
    expect(figureOf([10, 40, 1])).toEqual({ n: 3, mean: 17, median: 10 });
    expect(figureOf([10, 40])).toEqual({ n: 2, mean: 25, median: 25 });
  });

  it('counts by severity, service and cause, times by month, action items and postmortems owed', () => {
    const incidents = [
      incidentAt(
        1,
        JAN,
        [severity('SEV1'), cause('memory-leak', 'code-rot'), commander(10), status('resolved', 60)],
        {
          services: ['checkout', 'payments'],
        },
      ),
      incidentAt(2, JAN + HOUR, [severity('SEV3'), cause('memory-leak'), commander(20)], {
        services: ['checkout'],
      }),
      incidentAt(3, FEB, [severity('SEV2'), commander(2), status('resolved', 30)], {
        services: ['search'],
      }),
      incidentAt(4, FEB, [status('declined', 5, 'triage')], { services: ['search'] }),
      incidentAt(5, FEB, [
        {
          body: {
            kind: 'action_item',
            number: 1,
            item: { title: 'alert on pool', kind: 'detect', priority: 'p2', status: 'open' },
          },
          after: 40,
        },
      ]),
    ];
    const insights = computeInsights({
      incidents,
      requiresPostmortem: (s) => s === 'SEV1' || s === 'SEV2',
    });
    expect(insights.incidents).toBe(4);
    expect(insights.declined).toBe(1);
    expect(insights.bySeverity.map((c) => [c.key, c.count])).toEqual([
      ['SEV1', 1],
      ['SEV2', 1],
      ['SEV3', 1],
      ['unrated', 1],
    ]);
    expect(insights.byService.map((c) => [c.key, c.count])).toEqual([
      ['checkout', 3],
      ['payments', 1],
      ['search', 1],
    ]);
    expect(insights.byCause).toEqual([
      { key: 'memory-leak', label: 'Memory leak', count: 2 },
      { key: 'code-rot', label: 'Code rot', count: 1 },
    ]);
    expect(insights.times.byMonth.map((m) => [m.month, m.incidents, m.times.acknowledge])).toEqual([
      ['2026-01', 2, { n: 2, mean: 15 * MINUTE, median: 15 * MINUTE }],
      ['2026-02', 2, { n: 1, mean: 2 * MINUTE, median: 2 * MINUTE }],
    ]);
    expect(insights.times.overall.resolve).toEqual({
      n: 2,
      mean: 45 * MINUTE,
      median: 45 * MINUTE,
    });
    expect(insights.times.overall.detect.n).toBe(0);
    expect(insights.actionItems).toEqual({ open: 1, incidents: 1 });
    expect(insights.postmortemsOutstanding).toEqual({ count: 2, keys: ['INC-1', 'INC-3'] });
    expect(insights.times.definitions.resolve).toMatch(
      /impact started \(else declared\) -> resolved/,
    );
  });
});
