/**
 * The blameless review of what people wrote: any text (a postmortem draft),
 * or every entry of an incident's timeline as it reads now (struck entries
 * left out, amended ones in their latest words).
 */
import type { EntrySeq, IncidentId } from '../core/ids.js';
import type { IncidentState } from '../core/incident/incident.js';
import { type BlameFinding, type BlameOptions, lintBlame } from '../core/review/blame.js';
import { collectCorrections, currentText } from '../core/timeline/corrections.js';
import type { EntryBody, TimelineEntry } from '../core/timeline/entry.js';
import type { AppContext } from './context.js';
import { getTimeline } from './incidents.js';

export interface EntryFinding extends BlameFinding {
  /** The entry the words are in. */
  seq: EntrySeq;
  entryKind: EntryBody['kind'];
}

/** The free text people wrote in an entry; what Calm wrote itself (kinds, times) is not theirs. */
function writtenText(body: EntryBody): string[] {
  switch (body.kind) {
    case 'declared':
      return [body.title, body.summary];
    case 'note':
    case 'action':
    case 'finding':
    case 'decision':
    case 'status_update':
    case 'root_cause':
      return [body.text];
    case 'hypothesis':
      return [body.text, body.reason ?? ''];
    case 'impact':
    case 'communication':
      return [body.text ?? ''];
    case 'severity_changed':
      return [body.reason];
    case 'status_changed':
      return [body.reason ?? ''];
    case 'details_changed':
      return [body.title ?? '', body.summary ?? ''];
    case 'correction':
      return [body.reason, body.text ?? ''];
    case 'postmortem_section':
      return [body.text];
    case 'action_item':
      return [body.item.title];
    case 'action_item_changed':
      return [body.changes.title ?? '', body.reason ?? ''];
    case 'postmortem_status':
      return [body.reason ?? ''];
    default:
      return [];
  }
}

/** Everyone the log names as a person: its authors and the people in roles. */
export function peopleOf(state: IncidentState, entries: readonly TimelineEntry[]): string[] {
  const { commander, communications, scribe, responders } = state.roles;
  const names = new Set<string>([...responders, state.declaredBy]);
  for (const name of [commander, communications, scribe]) if (name) names.add(name);
  for (const entry of entries) names.add(entry.author);
  return [...names].filter(Boolean);
}

/** Findings in every entry of the incident, in log order. */
export async function lintIncident(
  ctx: Pick<AppContext, 'store'>,
  id: IncidentId,
  options: BlameOptions = {},
): Promise<{ incident: IncidentState; findings: EntryFinding[] }> {
  const { state, entries } = await getTimeline(ctx, id);
  const corrections = collectCorrections(entries);
  const lintOptions = {
    ...options,
    people: [...(options.people ?? []), ...peopleOf(state, entries)],
  };
  const findings: EntryFinding[] = [];
  for (const entry of entries) {
    const view = corrections.get(entry.seq);
    if (view?.struck) continue;
    const texts = writtenText(entry.body);
    // an amendment replaces the entry's main text
    if (view?.amendments.length && texts.length) texts[0] = currentText(texts[0] ?? '', view);
    for (const text of texts.filter(Boolean))
      for (const finding of lintBlame(text, lintOptions))
        findings.push({ ...finding, seq: entry.seq, entryKind: entry.body.kind });
  }
  return { incident: state, findings };
}
