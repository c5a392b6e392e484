import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import type { EpochMs } from '../ids.js';
import { replayTimeline } from '../incident/incident.js';
import { parseConfig } from '../severity/config-schema.js';
import { DEFAULT_FRAMEWORK } from '../severity/presets.js';
import { amend, atMinute, declared, type Step, strike, timeline } from '../testing/builders.js';
import type { EntryBody } from '../timeline/entry.js';
import { draftPostmortem, keyTimeline } from './postmortem.js';
import { completePostmortem, reopenPostmortem, writeSection } from './postmortem-commands.js';
import { escapeHtml, renderPostmortemHtml, textToHtml } from './postmortem-html.js';
import { renderPostmortemMarkdown } from './postmortem-markdown.js';

const clock = (at: EpochMs) => new Date(at).toISOString().slice(11, 16);
const at = (minute: number, body: EntryBody): Step => ({ body, at: minute });

function draft(...steps: Step[]) {
  const entries = timeline(declared({ title: 'Checkout <b>500</b>' }), ...steps);
  const state = replayTimeline(entries);
  if (!state) throw new Error('declared');
  const model = draftPostmortem({
    state,
    entries,
    framework: DEFAULT_FRAMEWORK,
    now: atMinute(300),
    clock,
  });
  return { state, entries, model };
}

const action = (text: string): EntryBody => ({ kind: 'action', text });

describe('draftPostmortem', () => {
  it('keeps key entries in time order, leaves struck ones out and uses amended text', () => {
    const { entries } = draft(
      at(5, { kind: 'note', text: 'chatter' }),
      at(10, action('rolled back to v2.13')),
      at(12, action('restarted the wrong pod')),
      at(20, strike(4, 'logged on the wrong incident')),
      at(21, amend(3, 'rolled back to v2.12')),
      at(3, { kind: 'milestone', milestone: 'detected' }),
    );
    expect(keyTimeline(entries).map((line) => [line.at, line.label, line.text])).toEqual([
      [atMinute(0), 'declared', 'Checkout <b>500</b> — card payments fail [checkout]'],
      [atMinute(3), 'milestone', 'detected'],
      [atMinute(10), 'action', 'rolled back to v2.12'],
    ]);
  });

  it('replaces the draft of a section with what a person wrote, and only that section', () => {
    const { model } = draft(
      at(30, { kind: 'postmortem_section', section: 'lucky', text: 'A snapshot existed.' }),
    );
    const lucky = model.sections.find((s) => s.section === 'lucky');
    expect(lucky).toMatchObject({ text: 'A snapshot existed.', written: { author: 'alice' } });
    expect(model.sections.find((s) => s.section === 'summary')?.written).toBeUndefined();
    expect(model.sections.find((s) => s.section === 'summary')?.text).toContain(
      'Checkout <b>500</b>.',
    );
  });

  it('asks where the log cannot know, and says what went poorly from the facts', () => {
    const { model } = draft(
      at(-40, { kind: 'milestone', milestone: 'impact_started' }),
      at(-10, { kind: 'milestone', milestone: 'detected' }),
      at(100, { kind: 'status_changed', from: 'triage', to: 'resolved' }),
    );
    const text = (section: string) => model.sections.find((s) => s.section === section)?.text ?? '';
    expect(text('impact')).toContain('_How many users, requests or records were affected?');
    expect(text('went_poorly')).toContain('- Impact went unnoticed for 30m.');
    expect(text('went_poorly')).toContain('the longest lasted 1h 40m');
    expect(text('lucky')).toMatch(/^_Where did luck help/);
    // the stage review as CSS bars, the longest stage the full width
    const html = renderPostmortemHtml(model, clock);
    expect(html).toContain(
      '<th scope="row">Time to resolve</th><td class="bar"><span style="width:100%"></span></td><td>1h 50m</td>',
    );
    expect(html).toContain(
      '<th scope="row">Time to detect</th><td class="bar"><span style="width:27%"></span></td><td>30m</td>',
    );
  });

  it('renders Markdown with the stage review as a bar chart, and HTML with everything escaped', () => {
    const { model } = draft(
      at(10, action('ran `rm -rf` <script>alert(1)</script> | piped')),
      at(30, { kind: 'postmortem_section', section: 'summary', text: 'Para one.\n\n- a <i>\n- b' }),
    );
    const md = renderPostmortemMarkdown(model, clock);
    expect(md).toContain('## Where the time went\n\n```text\nStages (between milestones):');
    expect(md).toContain('\\| piped');
    const html = renderPostmortemHtml(model, clock);
    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>Postmortem: INC-7 — Checkout &lt;b&gt;500&lt;/b&gt;</title>');
    expect(html).toContain('<p>Para one.</p>\n<ul><li>a &lt;i&gt;</li><li>b</li></ul>');
    expect(html).toContain('@media print');
    expect(html).toContain(
      '<th scope="row">Time to resolve</th><td class="bar"><span style="width:0%"></span></td><td>n/a</td>',
    );
  });

  it('reads paragraphs, lists, numbered lists, prompts and code in section text', () => {
    expect(textToHtml('Intro:\n- one\n- `two`\n\n1. first\n2. second\n\n_ask this_')).toBe(
      [
        '<p>Intro:</p>',
        '<ul><li>one</li><li><code>two</code></li></ul>',
        '<ol><li>first</li><li>second</li></ol>',
        '<p class="prompt"><em>ask this</em></p>',
      ].join('\n'),
    );
    expect(escapeHtml(`"'&<>`)).toBe('&quot;&#39;&amp;&lt;&gt;');
  });
});

describe('postmortem decisions', () => {
  const SEV2 = DEFAULT_FRAMEWORK.levels[1];
  const resolved = (...steps: Step[]) =>
    draft(
      at(1, { kind: 'severity_changed', from: null, to: 'SEV2', reason: 'r' }),
      ...steps,
      at(50, { kind: 'status_changed', from: 'triage', to: 'resolved' }),
    ).state;

  it('writes a section once, refuses unknown sections and empty text', () => {
    const state = resolved();
    expect(writeSection(state, 'went-well', '  The rollback was fast. ')).toEqual([
      {
        body: { kind: 'postmortem_section', section: 'went_well', text: 'The rollback was fast.' },
      },
    ]);
    expect(() => writeSection(state, 'timeline', 'x')).toThrow(
      /unknown postmortem section "timeline"; use one of summary/,
    );
    expect(() => writeSection(state, 'lucky', '  ')).toThrow(/the lucky section is empty/);
    const written = resolved(
      at(20, { kind: 'postmortem_section', section: 'lucky', text: 'same' }),
    );
    expect(writeSection(written, 'lucky', 'same')).toEqual([]);
  });

  it('completes a resolved incident once, with owned action items where the level requires them', () => {
    expect(() => completePostmortem(draft().state, SEV2)).toThrow(/INC-7 is triage; resolve it/);
    expect(() => completePostmortem(resolved(), SEV2)).toThrow(
      /SEV2 requires a postmortem with action items/,
    );
    const item = { title: 'alert on 5xx', kind: 'detect', priority: 'p1', status: 'open' } as const;
    const unowned = resolved(at(40, { kind: 'action_item', number: 1, item }));
    expect(() => completePostmortem(unowned, SEV2)).toThrow(/action item A1 of INC-7 has no owner/);
    const owned = resolved(
      at(40, { kind: 'action_item', number: 1, item: { ...item, owner: 'bob' } }),
    );
    expect(completePostmortem(owned, SEV2)).toEqual([
      { body: { kind: 'postmortem_status', status: 'complete' } },
    ]);
    const done = resolved(
      at(40, { kind: 'action_item', number: 1, item: { ...item, owner: 'bob' } }),
      at(45, { kind: 'postmortem_status', status: 'complete' }),
    );
    expect(() => completePostmortem(done, SEV2)).toThrow(/already complete/);
    expect(() => writeSection(done, 'lucky', 'x')).toThrow(
      /is complete, so its sections cannot change/,
    );
    expect(reopenPostmortem(done, 'restore took longer')).toEqual([
      { body: { kind: 'postmortem_status', status: 'draft', reason: 'restore took longer' } },
    ]);
    expect(() => reopenPostmortem(done, ' ')).toThrow(UserError);
    expect(() => reopenPostmortem(owned, 'why')).toThrow(
      /not complete, so there is nothing to reopen/,
    );
  });

  it('reads the gap threshold from the config file', () => {
    expect(parseConfig({ review: { gapMinutes: 45 } }, 'calm.yaml').review).toEqual({
      blame: { words: [], allow: [] },
      gapMinutes: 45,
    });
    expect(() => parseConfig({ review: { gapMinutes: 0 } }, 'calm.yaml')).toThrow(
      /review.gapMinutes/,
    );
  });
});
