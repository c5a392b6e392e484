/**
 * Drafts of status updates, one template per audience. Each answers the four
 * questions every update must ("what is happening, who is affected, what we are
 * doing, when the next update comes"), pre-filled from the incident's state and
 * its latest findings and actions, for a person to edit before posting.
 *
 * What each audience hears differs: responders get the working detail
 * (hypotheses under test, the latest findings), support what to tell customers
 * and whether there is a workaround, executives the business view, customers
 * only what is safe to say in public: never the log's notes, hypotheses,
 * findings, actions or anyone's name.
 */
import { updateSchedule } from '../guide/schedule.js';
import type { EpochMs } from '../ids.js';
import { type IncidentState, lastToldAt } from '../incident/incident.js';
import type { Status } from '../incident/lifecycle.js';
import type { SeverityLevel } from '../severity/framework.js';
import { formatDuration } from '../time.js';
import { collectCorrections, currentText } from '../timeline/corrections.js';
import type { Audience, TimelineEntry } from '../timeline/entry.js';

/** When no policy names a cadence for the audience, the next update is promised in this. */
export const DEFAULT_UPDATE_EVERY_MS = 30 * 60_000;
/** How many of the latest actions and findings a draft quotes. */
const LATEST = 2;

export interface UpdateDraft {
  audience: Audience;
  /** The whole update, ready to post once a person has read it. */
  text: string;
  sections: { happening: string; affected: string; doing: string; next: string };
  /** When the next update is promised. */
  nextAt: EpochMs;
  /** The log entries the draft quotes, so an editor can show where a line came from. */
  basedOn: number[];
}

export interface ComposeInput {
  state: IncidentState;
  /** The incident's timeline (any order); only the latest actions and findings are used. */
  entries: readonly TimelineEntry[];
  level: SeverityLevel | undefined;
  audience: Audience;
  now: EpochMs;
  /** How a time reads to the audience ("14:30"): the caller knows the zone. */
  clock: (at: EpochMs) => string;
}

/** When the next update to `audience` will be due if one is posted now. */
export function nextUpdateAt(
  level: SeverityLevel | undefined,
  audience: Audience,
  now: EpochMs,
): EpochMs {
  return (now + (level?.policy.updateEvery[audience] ?? DEFAULT_UPDATE_EVERY_MS)) as EpochMs;
}

/** What the team is doing, in words an outsider understands, by status. */
const DOING: Record<Status, string> = {
  triage: 'We are assessing the problem',
  investigating: 'We are investigating the cause',
  identified: 'We have identified the cause and are working on a fix',
  monitoring: 'A fix is in place and we are monitoring the results',
  resolved: 'The problem is resolved',
  closed: 'The problem is resolved',
  declined: 'This turned out not to be an incident',
};

interface Latest {
  text: string;
  seq: number;
}

type Corrections = ReturnType<typeof collectCorrections>;

/** The latest `LATEST` entries of a kind that nobody struck, newest first, as they read now. */
function latestOf(
  entries: readonly TimelineEntry[],
  corrections: Corrections,
  kind: 'action' | 'finding',
): Latest[] {
  const out: Latest[] = [];
  const sorted = [...entries].sort((a, b) => b.seq - a.seq);
  for (const entry of sorted) {
    if (entry.body.kind !== kind) continue;
    const view = corrections.get(entry.seq);
    if (view?.struck) continue;
    out.push({ text: currentText(entry.body.text, view), seq: entry.seq });
    if (out.length === LATEST) break;
  }
  return out;
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The latest words on what people see: the last impact entry's text, as it reads now. */
function impactText(
  entries: readonly TimelineEntry[],
  corrections: Corrections,
): string | undefined {
  let latest: TimelineEntry | undefined;
  for (const entry of entries) {
    if (entry.body.kind !== 'impact' || !entry.body.text) continue;
    if (corrections.get(entry.seq)?.struck) continue;
    if (!latest || entry.seq > latest.seq) latest = entry;
  }
  if (latest?.body.kind !== 'impact' || !latest.body.text) return undefined;
  return currentText(latest.body.text, corrections.get(latest.seq));
}

/** "Checkout returns 500 for card payments", from the impact, else the title. */
function symptom(
  state: IncidentState,
  entries: readonly TimelineEntry[],
  corrections: Corrections,
  audience: Audience,
) {
  const seen = state.impact.description ?? impactText(entries, corrections);
  if (seen) return sentence(capitalised(seen));
  const services = state.impact.customerFacingServices ?? [];
  // The title is written by and for the team; customers get the services, or a plain phrase.
  if (audience === 'customers')
    return services.length
      ? `Some of our services are not working as expected: ${services.join(', ')}.`
      : 'Some of our services are not working as expected.';
  return sentence(capitalised(state.title));
}

function affected(state: IncidentState, audience: Audience): string {
  const { impact } = state;
  const who: Record<string, string> = {
    all: 'All customers are affected',
    subset: 'Some customers are affected',
    internal: 'Only internal users are affected',
    none: 'No customers are affected so far',
  };
  const parts = [
    impact.affected ? who[impact.affected] : 'We are still finding out who is affected',
  ];
  if (audience !== 'customers' && impact.dataLost) parts.push('some data was lost');
  if (audience !== 'customers' && impact.dataBreached) parts.push('data may have been exposed');
  let text = sentence(parts.join('; '));
  if (impact.workaroundAvailable === true)
    text += audience === 'customers' ? ' A workaround is available.' : ' A workaround exists.';
  if (audience === 'support' && impact.workaroundAvailable === false)
    text += ' There is no workaround yet.';
  return text;
}

/** Builds the draft of a status update to one audience. */
export function composeUpdate(input: ComposeInput): UpdateDraft {
  const { state, entries, level, audience, now, clock } = input;
  const nextAt = nextUpdateAt(level, audience, now);
  const basedOn: number[] = [];
  const quote = (items: Latest[]) => {
    for (const item of items) basedOn.push(item.seq);
    return items.map((item) => item.text);
  };

  const corrections = collectCorrections(entries);
  const happening = symptom(state, entries, corrections, audience);
  const who = affected(state, audience);
  let doing = `${DOING[state.status]}.`;
  if (audience !== 'customers') {
    const actions = quote(latestOf(entries, corrections, 'action'));
    if (actions.length) doing += ` Latest: ${actions.map(sentence).join(' ')}`;
  }
  if (audience === 'responders') {
    const findings = quote(latestOf(entries, corrections, 'finding'));
    if (findings.length) doing += ` Found: ${findings.map(sentence).join(' ')}`;
    const testing = state.hypotheses.filter((h) => h.status === 'testing');
    if (testing.length)
      doing += ` Testing: ${testing.map((h) => `#${h.number} ${sentence(h.statement)}`).join(' ')}`;
  }
  const next = `Next update by ${clock(nextAt)}.`;

  const sections = { happening, affected: who, doing, next };
  const severity = level ? `${level.key} ${level.name}` : state.severity;
  const lines =
    audience === 'executives'
      ? [`${severity ? `${severity}: ` : ''}${happening}`, who, doing, next]
      : audience === 'responders'
        ? [
            `${state.key} (${severity ?? 'unrated'}, ${state.status}): ${happening}`,
            who,
            doing,
            next,
          ]
        : [happening, who, doing, next];
  return { audience, text: lines.join('\n'), sections, nextAt, basedOn };
}

/**
 * The one-keystroke update when nothing has changed: the audience still hears
 * from the incident on time, and when to expect the next word.
 */
export function noNewsUpdate(
  state: IncidentState,
  level: SeverityLevel | undefined,
  audience: Audience,
  now: EpochMs,
  clock: (at: EpochMs) => string,
): string {
  const last = lastToldAt(state, audience);
  const since =
    last === undefined
      ? 'No new information yet.'
      : `No new information since our update at ${clock(last)}.`;
  return `${since} ${DOING[state.status]}. Next update by ${clock(nextUpdateAt(level, audience, now))}.`;
}

export interface DueText {
  audience: Audience;
  dueAt: EpochMs;
  overdueByMs: number;
  everyMs: number;
  /** "next update to support due in 7m" or "update to support overdue by 3m". */
  text: string;
}

/** Each audience's next update, said the way the CLI, the API and the web show it. */
export function updatesDue(
  state: IncidentState,
  level: SeverityLevel | undefined,
  now: EpochMs,
): DueText[] {
  return updateSchedule(state, level, now).map((due) => ({
    audience: due.audience,
    dueAt: due.dueAt,
    overdueByMs: due.overdueByMs,
    everyMs: due.everyMs,
    text:
      due.overdueByMs > 0
        ? `update to ${due.audience} overdue by ${formatDuration(due.overdueByMs)}`
        : `next update to ${due.audience} due in ${formatDuration(-due.overdueByMs)}`,
  }));
}
