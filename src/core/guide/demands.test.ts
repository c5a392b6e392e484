import { describe, expect, it } from 'vitest';
import type { SeverityLevel } from '../severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { incident } from '../testing/builders.js';
import { levelDemands } from './demands.js';

const [SEV1] = DEFAULT_FRAMEWORK.levels as [SeverityLevel];

describe('levelDemands', () => {
  it('names the unfilled roles, the teams paged, the cadence and who was not told', () => {
    const paging: SeverityLevel = {
      ...SEV1,
      policy: { ...SEV1.policy, responders: { ...SEV1.policy.responders, teams: ['dba'] } },
    };
    const state = incident(
      { kind: 'role_changed', role: 'commander', person: 'ana', change: 'assigned' },
      { kind: 'status_update', audience: 'support', text: 'looking into it' },
    );
    expect(levelDemands(state, paging)).toEqual([
      'SEV1 needs a communications lead and a scribe: calm role communications NAME',
      'SEV1 brings in dba',
      'updates: responders every 15m, support every 30m, executives every 1h, customers every 1h (calm update AUDIENCE)',
      'not told yet: responders, executives',
    ]);
  });
});
