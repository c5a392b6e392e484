import { describe, expect, it } from 'vitest';
import { replayTimeline } from '../incident/incident.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { applyChanges, atMinute, declared, entry } from '../testing/builders.js';
import {
  draftPersonalPostmortem,
  renderPersonalPostmortem,
  writePersonalSection,
} from './personal-postmortem.js';

const clock = (at: number) => new Date(at).toISOString().slice(11, 16);

function personalIncident() {
  const entries = [
    entry(1, declared({ title: 'I dropped the staging database', personal: true })),
    entry(2, { kind: 'note', text: 'restored from the 02:00 backup' }, { occurredAt: atMinute(5) }),
    entry(3, { kind: 'note', text: 'bob says hi' }, { occurredAt: atMinute(6), author: 'bob' }),
    entry(4, {
      kind: 'action_item',
      number: 1,
      item: {
        title: 'alias rm to ask first',
        kind: 'prevent',
        priority: 'p3',
        status: 'open',
        owner: 'alice',
      },
    }),
    entry(5, {
      kind: 'action_item',
      number: 2,
      item: {
        title: 'staging needs backups hourly',
        kind: 'process',
        priority: 'p2',
        status: 'open',
      },
    }),
  ];
  const state = replayTimeline(entries);
  if (!state) throw new Error('declared');
  return { state, entries };
}

describe('personal postmortem', () => {
  it('drafts the engineer template from their log and splits their changes from the team’s', () => {
    const { state, entries } = personalIncident();
    expect(state.personal).toBe(true);
    const model = draftPersonalPostmortem({
      state,
      entries,
      framework: DEFAULT_FRAMEWORK,
      now: atMinute(60),
      clock,
    });
    expect(model.sections.map((s) => s.title)).toEqual([
      'What happened',
      'What I did',
      'What I would do differently',
      'What I change personally',
      'What the team or organisation should change',
    ]);
    const did = model.sections[1]?.text ?? '';
    expect(did).toContain('14:05: restored from the 02:00 backup');
    expect(did).not.toContain('bob says hi');
    expect(model.mine.map((i) => i.title)).toEqual(['alias rm to ask first']);
    expect(model.theirs.map((i) => i.title)).toEqual(['staging needs backups hourly']);
    const markdown = renderPersonalPostmortem(model, clock);
    expect(markdown).toMatch(/^# Personal postmortem: INC-7 — I dropped the staging database\n/);
    expect(markdown).toContain(
      '- A2 · staging needs backups hourly · process · P2 · (nobody yet) · open',
    );
  });

  it('keeps a written section instead of the draft, and only on a personal incident', () => {
    const { state, entries } = personalIncident();
    const changes = writePersonalSection(state, 'do-differently', '  check the host name first ');
    expect(changes).toEqual([
      {
        body: {
          kind: 'postmortem_section',
          section: 'do_differently',
          text: 'check the host name first',
        },
      },
    ]);
    const written = applyChanges(state, changes);
    expect(writePersonalSection(written, 'do_differently', 'check the host name first')).toEqual(
      [],
    );
    const model = draftPersonalPostmortem({
      state: written,
      entries,
      framework: DEFAULT_FRAMEWORK,
      now: atMinute(60),
      clock,
    });
    expect(model.sections[2]).toMatchObject({
      text: 'check the host name first',
      written: { author: 'alice' },
    });
    const team = replayTimeline([entry(1, declared())]);
    if (!team) throw new Error('declared');
    expect(() => writePersonalSection(team, 'what-i-did', 'x')).toThrow(/INC-7 is a team incident/);
    expect(() => writePersonalSection(state, 'lucky', 'x')).toThrow(/unknown section "lucky"/);
  });
});
