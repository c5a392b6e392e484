import { describe, expect, it } from 'vitest';
import { epochMs, incidentId } from '../ids.js';
import { replayTimeline } from '../incident/incident.js';
import { declared, entry, strike } from '../testing/builders.js';
import type { EntryBody, FindingEvidence } from '../timeline/entry.js';
import {
  describeReason,
  earlierOccurrences,
  type IncidentSignals,
  normalizeTemplate,
  signalsOf,
} from './recurrence.js';
import { recurringGroups } from './recurring-groups.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 1);

function signals(
  n: number,
  over: Partial<Omit<IncidentSignals, 'id' | 'key'>> = {},
): IncidentSignals {
  return {
    id: incidentId(n),
    key: `INC-${n}`,
    title: `incident ${n}`,
    declaredAt: epochMs(T + n * DAY),
    services: [],
    categories: [],
    templates: [],
    stacks: [],
    personal: false,
    ...over,
  };
}

const POOL_TEMPLATE = 'Timeout waiting for connection from pool <*> after <*> ms';
const STACK = { fingerprint: '9f3a1c0b2d4e5f60', signature: 'SQLException @ OrderDao.save' };

describe('recurrence', () => {
  it('links an incident to earlier ones with the same stack, template, or cause on a service', () => {
    const all = [
      signals(12, { stacks: [STACK] }),
      signals(20, { templates: [POOL_TEMPLATE.toUpperCase()] }),
      signals(31, { services: ['checkout'], categories: ['memory-leak'] }),
      signals(40, {
        services: ['Checkout'],
        categories: ['memory-leak'],
        templates: [POOL_TEMPLATE.replace('<*> ms', '<NUM> ms')],
        stacks: [STACK],
      }),
    ];
    const target = all[3] as IncidentSignals;
    const links = earlierOccurrences(target, all);
    expect(links.map((l) => [l.key, l.score])).toEqual([
      ['INC-12', 3],
      ['INC-31', 2],
      ['INC-20', 2],
    ]);
    expect(links.map((l) => l.reasons.map(describeReason))).toEqual([
      ['same stack fingerprint 9f3a1c0b2d4e5f60 (SQLException @ OrderDao.save)'],
      ['same cause category memory-leak on Checkout'],
      [`shared error message "${POOL_TEMPLATE.replace('<*> ms', '<NUM> ms')}"`],
    ]);
  });

  it('does not link unrelated incidents, nor ones sharing only a service, a category or a vague template', () => {
    const all = [
      signals(1, {
        services: ['checkout'],
        categories: ['bad-configuration'],
        templates: ['error <*>'],
      }),
      signals(2, { services: ['search'], categories: ['memory-leak'], stacks: [STACK] }),
      signals(3, {
        services: ['checkout'],
        categories: ['disk-full'],
        templates: ['error <*>', 'disk quota exceeded on volume <*>'],
        stacks: [{ fingerprint: '0000000000000001', signature: 'IOException @ Store.write' }],
      }),
      signals(4, { services: ['billing'], categories: ['bad-configuration'] }),
    ];
    for (const target of all) expect(earlierOccurrences(target, all)).toEqual([]);
    expect(recurringGroups(all)).toEqual([]);
  });

  it('only looks back: an incident never links to a later one', () => {
    const all = [signals(1, { stacks: [STACK] }), signals(2, { stacks: [STACK] })];
    expect(earlierOccurrences(all[0] as IncidentSignals, all)).toEqual([]);
    expect(earlierOccurrences(all[1] as IncidentSignals, all).map((l) => l.key)).toEqual(['INC-1']);
  });

  it('groups incidents joined by links, largest group first', () => {
    const all = [
      signals(1, { stacks: [STACK] }),
      signals(2, { services: ['api'], categories: ['cpu-maxed'] }),
      signals(3, { stacks: [STACK], templates: [POOL_TEMPLATE] }),
      signals(4, { services: ['api'], categories: ['cpu-maxed'] }),
      signals(5, { templates: [POOL_TEMPLATE] }),
      signals(6, { services: ['docs'] }),
    ];
    const groups = recurringGroups(all);
    expect(groups.map((g) => g.keys)).toEqual([
      ['INC-1', 'INC-3', 'INC-5'],
      ['INC-2', 'INC-4'],
    ]);
    expect(groups[0]?.reasons.map((r) => r.kind).sort()).toEqual(['stack', 'template']);
  });

  it("reads templates and fingerprints from an incident's findings, leaving struck ones out", () => {
    const evidence = (e: FindingEvidence): EntryBody => ({
      kind: 'finding',
      text: 'Error signatures',
      source: 'calm analyze',
      evidence: e,
    });
    const entries = [
      entry(1, declared({ services: ['checkout'] })),
      entry(2, evidence({ templates: [POOL_TEMPLATE], stacks: [STACK] })),
      entry(3, evidence({ templates: ['wrong log file <*> read'] })),
      entry(4, strike(3)),
      entry(5, { kind: 'root_cause', text: 'leak', categories: ['memory-leak'], root: true }),
    ];
    const state = replayTimeline(entries);
    if (!state) throw new Error('declared');
    const found = signalsOf(state, entries);
    expect(found).toMatchObject({
      key: 'INC-7',
      services: ['checkout'],
      categories: ['memory-leak'],
      templates: [POOL_TEMPLATE],
      stacks: [STACK],
      personal: false,
    });
  });

  it('normalizes case, spacing and placeholder spellings of templates', () => {
    expect(normalizeTemplate('Timeout  after <NUM> ms for * in 42')).toBe(
      'timeout after <*> ms for <*> in <*>',
    );
  });
});
