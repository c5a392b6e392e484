import { describe, expect, it } from 'vitest';
import { replayTimeline } from '../incident/incident.js';
import type { SeverityFramework } from '../severity/framework.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { declared, entry } from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import { notificationsFor } from './notification.js';

/** The default levels, with SEV1 paging the database team as well. */
const framework: SeverityFramework = {
  ...DEFAULT_FRAMEWORK,
  levels: DEFAULT_FRAMEWORK.levels.map((level) =>
    level.key === 'SEV1'
      ? {
          ...level,
          policy: { ...level.policy, responders: { ...level.policy.responders, teams: ['dba'] } },
        }
      : level,
  ),
};

/** Notifications the last of `bodies` causes, on the incident they make. */
function news(...bodies: EntryBody[]) {
  const entries = bodies.map((body, index) => entry(index + 1, body));
  const state = replayTimeline(entries);
  if (!state) throw new Error('declared');
  return notificationsFor(state, entries.slice(-1), framework);
}

const severity = (from: string | null, to: string): EntryBody => ({
  kind: 'severity_changed',
  from,
  to,
  reason: 'more customers affected',
});

describe('notificationsFor', () => {
  it('tells everyone a raised level names: its audiences and the teams it pages', () => {
    const [raised] = news(declared(), severity(null, 'SEV3'), severity('SEV3', 'SEV1'));
    expect(raised).toMatchObject({
      eventKey: 'INC-7#3',
      kind: 'severity',
      audiences: ['responders', 'support', 'executives', 'dba'],
      subject: '[SEV1] INC-7 raised to SEV1: Checkout returns 500',
      text: 'SEV3 -> SEV1: more customers affected',
    });
  });

  it('tells only the responders when the level is lowered', () => {
    const [lowered] = news(declared(), severity(null, 'SEV1'), severity('SEV1', 'SEV3'));
    expect(lowered).toMatchObject({ kind: 'severity', audiences: ['responders'] });
    expect(lowered?.subject).toContain('lowered to SEV3');
  });

  it('sends a status update to its audience only, and says nothing of notes', () => {
    expect(
      news(declared(), { kind: 'status_update', audience: 'support', text: 'rolling back' }),
    ).toMatchObject([{ kind: 'update', audiences: ['support'], text: 'rolling back' }]);
    expect(news(declared(), { kind: 'note', text: 'db-2 looks odd' })).toEqual([]);
  });

  it('announces resolution to everyone who was told, but not every status move', () => {
    const body = (to: 'investigating' | 'resolved'): EntryBody => ({
      kind: 'status_changed',
      from: 'triage',
      to,
    });
    expect(news(declared(), severity(null, 'SEV2'), body('investigating'))).toEqual([]);
    expect(news(declared(), severity(null, 'SEV2'), body('resolved'))).toMatchObject([
      { kind: 'status', audiences: ['responders', 'support'] },
    ]);
  });
});
