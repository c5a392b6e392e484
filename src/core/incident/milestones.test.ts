import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { MILESTONES, milestoneLabel, parseMilestone } from './milestones.js';

describe('parseMilestone', () => {
  it.each([
    ['impact-started', 'impact_started'],
    ['impact_started', 'impact_started'],
    ['Impact Started', 'impact_started'],
    [' detected ', 'detected'],
    ['ACKNOWLEDGED', 'acknowledged'],
    ['mitigated', 'mitigated'],
    ['resolved', 'resolved'],
    ['closed', 'closed'],
    ['declared', 'declared'],
  ])('reads %j as %s', (input, milestone) => {
    expect(parseMilestone(input)).toBe(milestone);
  });

  it.each(['', 'started', 'impact', 'fixed', 'impactstarted'])(
    'refuses %j, listing milestones as typed',
    (input) => {
      expect(() => parseMilestone(input)).toThrow(UserError);
      expect(() => parseMilestone(input)).toThrow(
        `unknown milestone "${input}"; use one of impact-started, detected, declared, acknowledged, mitigated, resolved, closed`,
      );
    },
  );

  it('labels milestones in words', () => {
    expect(MILESTONES.map(milestoneLabel)).toEqual([
      'impact started',
      'detected',
      'declared',
      'acknowledged',
      'mitigated',
      'resolved',
      'closed',
    ]);
  });
});
