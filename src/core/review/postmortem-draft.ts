/**
 * Calm's draft of each postmortem section, from facts in the log. Where the
 * log cannot know (how many people were affected, where luck helped), the
 * draft asks instead, as a prompt in italics for the person writing it.
 */
import { CAUSE_CATEGORIES, type CauseCategory } from '../cause/categories.js';
import type { EpochMs } from '../ids.js';
import { describeImpact } from '../incident/impact.js';
import type { IncidentState } from '../incident/incident.js';
import type { SeverityLevel } from '../severity/framework.js';
import { collectCorrections, currentText } from '../timeline/corrections.js';
import type { TimelineEntry } from '../timeline/entry.js';
import { wentPoorly, wentWell } from './postmortem-facts.js';
import type { PostmortemSection } from './postmortem-record.js';
import { type StageReview, updateSummary } from './stages.js';
import { formatSpan } from './stages-text.js';

export interface DraftContext {
  state: IncidentState;
  entries: readonly TimelineEntry[];
  stages: StageReview;
  level: SeverityLevel | undefined;
  clock: (at: EpochMs) => string;
}

export const prompt = (text: string) => `_${text}_`;
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const paragraphs = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join('\n\n');
const list = (items: string[]) => items.map((item) => `- ${item}`).join('\n');

/** Written entries of some kinds, as they read now, struck ones left out, in time order. */
export function writtenEntries(ctx: DraftContext, kinds: readonly string[]) {
  const corrections = collectCorrections(ctx.entries);
  return [...ctx.entries]
    .filter((e) => kinds.includes(e.body.kind) && !corrections.get(e.seq)?.struck)
    .sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq)
    .map((e) => ({
      entry: e,
      text: 'text' in e.body && e.body.text ? currentText(e.body.text, corrections.get(e.seq)) : '',
    }));
}

function stageMs(ctx: DraftContext, stage: string) {
  return ctx.stages.stages.find((s) => s.stage === stage)?.ms;
}

function summary(ctx: DraftContext): string {
  const { state, stages, level, clock } = ctx;
  const root = state.causeChain.find((link) => link.root);
  const timing = [
    stageMs(ctx, 'detect') !== undefined &&
      `detected after ${formatSpan(stageMs(ctx, 'detect') ?? 0)}`,
    stageMs(ctx, 'mitigate') !== undefined &&
      `mitigated ${formatSpan(stageMs(ctx, 'mitigate') ?? 0)} after detection`,
    stageMs(ctx, 'resolve') !== undefined &&
      `resolved ${formatSpan(stageMs(ctx, 'resolve') ?? 0)} after detection`,
  ].filter(Boolean);
  return paragraphs(
    `${sentence(state.title)}${state.summary ? ` ${sentence(capitalised(state.summary))}` : ''}`,
    [
      level
        ? `Severity ${level.key} (${level.name}).`
        : state.severity
          ? `Severity ${state.severity}.`
          : 'No severity was set.',
      state.services.length ? `Services: ${state.services.join(', ')}.` : '',
      `Status: ${state.status}.`,
    ]
      .filter(Boolean)
      .join(' '),
    stages.impact &&
      `Impact lasted ${formatSpan(stages.impact.ms)}${stages.impact.ongoing ? ' so far' : ''}, from ${clock(stages.impact.from)}${stages.impact.ongoing ? '' : ` to ${clock(stages.impact.to)}`}${timing.length ? `; ${timing.join(', ')}` : ''}.`,
    root && `Root cause: ${sentence(root.text)}`,
  );
}

function impact(ctx: DraftContext): string {
  const { state, stages } = ctx;
  const seen = writtenEntries(ctx, ['impact']).filter((e) => e.text);
  const facts = [
    state.impact.affected || state.impact.customerFacingServices?.length
      ? `Who: ${describeImpact({ affected: state.impact.affected, customerFacingServices: state.impact.customerFacingServices })}.`
      : 'Who: not recorded.',
    `Data lost: ${state.impact.dataLost ? 'yes' : state.impact.dataLost === false ? 'no' : 'not recorded'}; data breached: ${state.impact.dataBreached ? 'yes' : state.impact.dataBreached === false ? 'no' : 'not recorded'}.`,
    state.impact.workaroundAvailable !== undefined &&
      `Workaround: ${state.impact.workaroundAvailable ? 'available' : 'none'}.`,
    stages.impact &&
      `How long: ${formatSpan(stages.impact.ms)}${stages.impact.ongoing ? ' so far' : ''}.`,
  ].filter((fact): fact is string => Boolean(fact));
  const counted = [...seen.map((e) => e.text), state.impact.description ?? ''].some((t) =>
    /\d/.test(t),
  );
  return paragraphs(
    list(facts),
    seen.length > 0 &&
      `What people saw:\n${list(seen.map((e) => `${ctx.clock(e.entry.occurredAt)}: ${sentence(e.text)}`))}`,
    !counted &&
      prompt(
        'How many users, requests or records were affected? The log does not say; write the figures here.',
      ),
  );
}

function detection(ctx: DraftContext): string {
  const { state, clock } = ctx;
  const m = state.milestones;
  const detect = stageMs(ctx, 'detect');
  return paragraphs(
    m.impact_started !== undefined
      ? `Impact started at ${clock(m.impact_started)}.`
      : 'When impact started was not recorded (`calm milestone impact-started --at ...`).',
    m.detected !== undefined
      ? `It was detected at ${clock(m.detected)}${detect !== undefined ? `, ${formatSpan(detect)} later (time to detect)` : ''}.`
      : 'When it was detected was not recorded (`calm milestone detected --at ...`).',
    m.declared !== undefined &&
      `${state.declaredBy} declared the incident at ${clock(m.declared)}${stageMs(ctx, 'declare') !== undefined ? `, ${formatSpan(stageMs(ctx, 'declare') ?? 0)} after detection` : ''}.`,
    prompt(
      'How was it noticed: an alert, a customer, a person looking at a graph? What would have shown it sooner?',
    ),
  );
}

function response(ctx: DraftContext): string {
  const { state, stages, clock } = ctx;
  const { commander, communications, scribe, responders } = state.roles;
  const ack = stageMs(ctx, 'acknowledge');
  const roles = [
    commander &&
      `Incident commander: ${commander}${ack !== undefined ? ` (took command ${formatSpan(ack)} after detection)` : ''}.`,
    communications && `Communications: ${communications}.`,
    scribe && `Scribe: ${scribe}.`,
    responders.length > 0 && `Responders: ${responders.join(', ')}.`,
  ].filter((line): line is string => Boolean(line));
  const timing = new Map(stages.updates.filter((u) => u.seq !== undefined).map((u) => [u.seq, u]));
  const told = state.tellings.map((t) => {
    const late = timing.get(t.seq);
    const note = late
      ? late.lateByMs > 0
        ? ` (${formatSpan(late.lateByMs)} late)`
        : ' (on time)'
      : '';
    return `${clock(t.at)}: ${t.to} via ${t.via}${note}`;
  });
  const missed = new Map(
    stages.updates.filter((u) => u.at === undefined).map((u) => [u.audience, u.dueAt]),
  );
  const cadence = updateSummary(stages.updates).map((row) => {
    const sent = `${row.sent} update${row.sent === 1 ? '' : 's'}`;
    const timing = row.late
      ? `, ${row.late} late (worst ${formatSpan(row.worstMs)})`
      : row.sent
        ? ', all on time'
        : '';
    const due = missed.get(row.audience);
    const end =
      due === undefined ? '' : `; the one due at ${clock(due)} did not go out before the end`;
    return `${capitalised(row.audience)}: ${sent}${timing}${end}.`;
  });
  return paragraphs(
    roles.length ? list(roles) : 'No roles were recorded.',
    told.length
      ? `Who was told, when and how:\n${list(told)}`
      : 'Nobody was recorded as told (`calm update`, `calm told`).',
    cadence.length > 0 && `Against the ${ctx.level?.key ?? ''} update cadence:\n${list(cadence)}`,
  );
}

function investigation(ctx: DraftContext): string {
  const { clock } = ctx;
  const lines = ctx.stages.hypotheses.map((h) =>
    h.decidedAt === undefined
      ? `H${h.number}: ${sentence(h.statement)} Proposed at ${clock(h.proposedAt)}; still ${h.status} after ${formatSpan(h.openMs)}.`
      : `H${h.number}: ${sentence(h.statement)} Proposed at ${clock(h.proposedAt)}; ${h.status} after ${formatSpan(h.openMs)}${h.reason ? `: ${sentence(h.reason)}` : '.'}`,
  );
  const findings = writtenEntries(ctx, ['finding']);
  return paragraphs(
    lines.length ? list(lines) : 'No hypotheses were recorded.',
    findings.length > 0 &&
      `${findings.length} finding${findings.length === 1 ? ' was' : 's were'} logged; the timeline lists them.`,
    prompt('What else was considered, and what would have narrowed the search sooner?'),
  );
}

function rootCause(ctx: DraftContext): string {
  const chain = ctx.state.causeChain;
  if (!chain.length)
    return prompt(
      'No cause chain was recorded. From the symptom to the root cause: what led to what?',
    );
  const categories = [...new Set(chain.flatMap((link) => link.categories))] as CauseCategory[];
  return paragraphs(
    `From the symptom to the root cause:\n\n${chain.map((link, i) => `${i + 1}. ${sentence(link.text)}${link.root ? ' (root cause)' : ''}`).join('\n')}`,
    categories.length > 0 &&
      `Contributing-factor categories: ${categories.map((c) => CAUSE_CATEGORIES[c]).join(', ')}.`,
  );
}

function resolution(ctx: DraftContext): string {
  const { state, clock } = ctx;
  const m = state.milestones;
  const identified = writtenEntries(ctx, ['status_changed']).find(
    (e) => e.entry.body.kind === 'status_changed' && e.entry.body.to === 'identified',
  )?.entry.occurredAt;
  const end = m.mitigated ?? m.resolved;
  const steps = writtenEntries(ctx, ['action', 'decision']).filter(
    (e) =>
      (identified === undefined || e.entry.occurredAt >= identified) &&
      (end === undefined || e.entry.occurredAt <= end),
  );
  return paragraphs(
    [
      m.mitigated !== undefined && `Mitigated at ${clock(m.mitigated)}.`,
      m.resolved !== undefined && `Resolved at ${clock(m.resolved)}.`,
      m.closed !== undefined && `Closed at ${clock(m.closed)}.`,
    ]
      .filter(Boolean)
      .join(' ') || 'Not resolved yet.',
    steps.length > 0 &&
      `What brought it back${identified !== undefined ? ', once the cause was identified' : ''}:\n${list(steps.map((s) => `${clock(s.entry.occurredAt)}: ${sentence(s.text)}`))}`,
  );
}

export function draftSection(section: PostmortemSection, ctx: DraftContext): string {
  switch (section) {
    case 'summary':
      return summary(ctx);
    case 'impact':
      return impact(ctx);
    case 'detection':
      return detection(ctx);
    case 'response':
      return response(ctx);
    case 'investigation':
      return investigation(ctx);
    case 'root_cause':
      return rootCause(ctx);
    case 'resolution':
      return resolution(ctx);
    case 'went_well':
      return paragraphs(
        list(wentWell(ctx)),
        prompt('What else helped? Say what made it work, so it happens again.'),
      );
    case 'went_poorly':
      return paragraphs(
        list(wentPoorly(ctx)),
        prompt('What else slowed the response? Describe the system and the process, not a person.'),
      );
    case 'lucky':
      return prompt(
        'Where did luck help: a backup that happened to exist, a person who happened to be around, a quiet hour? Luck is not a plan; each is worth an action item.',
      );
  }
}
