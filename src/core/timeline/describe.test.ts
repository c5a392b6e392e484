import { describe, expect, it } from 'vitest';
import { amend, entry, note, seq, strike, timeline } from '../testing/builders.js';
import { collectCorrections } from './corrections.js';
import { chronological, describeBody } from './describe.js';
import type { EntryBody } from './entry.js';

describe('describeBody', () => {
  it.each<[string, EntryBody, string]>([
    [
      'a declaration',
      {
        kind: 'declared',
        title: 'Checkout down',
        summary: 'cards fail',
        services: ['checkout', 'pay'],
      },
      'Checkout down — cards fail [checkout, pay]',
    ],
    [
      'a bare declaration',
      { kind: 'declared', title: 'Checkout down', summary: '', services: [] },
      'Checkout down',
    ],
    ['a note', note('rolled back'), 'rolled back'],
    [
      'a finding with its source',
      { kind: 'finding', text: 'db-2 is fine', source: 'grafana' },
      'db-2 is fine (source: grafana)',
    ],
    [
      'an impact',
      { kind: 'impact', impact: { affected: 'all', canRollBack: true }, text: 'checkout 500s' },
      'all customers affected; can roll back — checkout 500s',
    ],
    [
      'a proposed hypothesis',
      { kind: 'hypothesis', number: 2, status: 'proposed', text: 'the deploy' },
      'H2 proposed: the deploy',
    ],
    [
      'an eliminated hypothesis',
      {
        kind: 'hypothesis',
        number: 2,
        status: 'eliminated',
        text: 'the deploy',
        reason: 'no deploy',
      },
      'H2 eliminated: the deploy — because no deploy',
    ],
    [
      'a status update',
      { kind: 'status_update', audience: 'support', text: 'looking' },
      'to support: looking',
    ],
    [
      'a communication',
      { kind: 'communication', to: 'cto', via: 'phone', text: 'heads-up' },
      'told cto via phone: heads-up',
    ],
    [
      'a bare communication',
      { kind: 'communication', to: 'cto', via: 'phone' },
      'told cto via phone',
    ],
    [
      'a root cause',
      { kind: 'root_cause', text: 'a loop', categories: ['bad-logic', 'cpu-maxed'], root: true },
      'root cause: a loop [bad logic, cpu maxed out]',
    ],
    [
      'a cause link',
      { kind: 'root_cause', text: '500s', categories: [], root: false },
      'cause: 500s',
    ],
    [
      'a first severity',
      { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'subset' },
      'unrated -> SEV2: subset',
    ],
    [
      'a status change',
      { kind: 'status_changed', from: 'triage', to: 'declined', reason: 'a bug' },
      'triage -> declined: a bug',
    ],
    [
      'a new commander',
      {
        kind: 'role_changed',
        role: 'commander',
        person: 'bob',
        change: 'assigned',
        previous: 'alice',
      },
      'bob is the incident commander (was alice)',
    ],
    [
      'a responder leaving',
      { kind: 'role_changed', role: 'responder', person: 'carol', change: 'removed' },
      'carol is no longer a responder',
    ],
    ['a milestone', { kind: 'milestone', milestone: 'impact_started' }, 'impact started'],
    [
      'changed details',
      { kind: 'details_changed', title: 'New', summary: '', services: [] },
      'title: New; summary: ; services: none',
    ],
    ['a strike', strike(3, 'wrong incident'), 'strikes #3: wrong incident'],
    ['an amendment', amend(3, 'rolled back', 'typo'), 'amends #3 to "rolled back": typo'],
  ])('describes %s', (_name, body, text) => {
    expect(describeBody(body)).toBe(text);
  });

  it('shows the amended text of a corrected entry', () => {
    const views = collectCorrections(timeline(note('rolled bakc'), amend(1, 'rolled back')));
    expect(describeBody(note('rolled bakc'), views.get(seq(1)))).toBe('rolled back');
  });
});

describe('chronological', () => {
  it('orders by when things happened, keeping log order for the same instant', () => {
    const entries = [
      entry(1, note('a'), { occurredAt: 3000 }),
      entry(2, note('b'), { occurredAt: 1000 }),
      entry(3, note('c'), { occurredAt: 3000 }),
      entry(4, note('d'), { occurredAt: 2000 }),
    ];
    expect(chronological(entries).map((e) => e.seq)).toEqual([2, 4, 1, 3]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});
