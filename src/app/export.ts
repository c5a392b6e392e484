import { CAUSE_CATEGORIES } from '../core/cause/categories.js';
import { describeImpact, isImpactEmpty } from '../core/incident/impact.js';
import type { IncidentState } from '../core/incident/incident.js';
import { MILESTONES, milestoneLabel } from '../core/incident/milestones.js';
import { localDateTime, zoneLabel } from '../core/local-time.js';
import { formatDuration } from '../core/time.js';
import { collectCorrections } from '../core/timeline/corrections.js';
import { chronological, describeBody } from '../core/timeline/describe.js';
import { KIND_LABELS, type TimelineEntry } from '../core/timeline/entry.js';

export const EXPORT_FORMAT = 'calm.incident/v1';

/** The lossless export: the incident's state and every entry as recorded. */
export interface IncidentExport {
  format: typeof EXPORT_FORMAT;
  incident: IncidentState;
  entries: TimelineEntry[];
}

export function exportJson(state: IncidentState, entries: TimelineEntry[]): IncidentExport {
  return { format: EXPORT_FORMAT, incident: state, entries };
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A readable record for a wiki or a postmortem draft. */
export function exportMarkdown(state: IncidentState, entries: TimelineEntry[]): string {
  const out: string[] = [`# ${state.key}: ${state.title}`, ''];
  out.push(`- **Severity:** ${state.severity ?? 'unrated'}`);
  out.push(`- **Status:** ${state.status}`);
  if (state.services.length) out.push(`- **Services:** ${state.services.join(', ')}`);
  out.push(
    `- **Impact:** ${isImpactEmpty(state.impact) ? 'not assessed' : describeImpact(state.impact)}`,
  );
  const { commander, communications, scribe, responders } = state.roles;
  out.push(
    `- **Roles:** commander ${commander ?? '—'}, communications ${communications ?? '—'}, scribe ${scribe ?? '—'}, responders ${responders.join(', ') || '—'}`,
  );
  if (state.summary) out.push('', state.summary);

  out.push('', '## Milestones', '', '| Milestone | Time |', '|---|---|');
  for (const milestone of MILESTONES) {
    const at = state.milestones[milestone];
    if (at !== undefined) out.push(`| ${milestoneLabel(milestone)} | ${localDateTime(at)} |`);
  }
  const start = state.milestones.impact_started ?? state.milestones.declared;
  if (start !== undefined && state.milestones.resolved !== undefined) {
    out.push('', `Impact lasted ${formatDuration(state.milestones.resolved - start)}.`);
  }

  if (state.hypotheses.length) {
    out.push('', '## Hypotheses', '');
    for (const h of state.hypotheses) {
      out.push(`- **H${h.number} (${h.status})**: ${h.statement}`);
      for (const move of h.moves.slice(1)) {
        out.push(
          `  - ${localDateTime(move.at)} ${move.status}${move.reason ? `: ${move.reason}` : ''}`,
        );
      }
    }
  }
  if (state.causeChain.length) {
    out.push('', '## Root-cause chain', '');
    state.causeChain.forEach((link, index) => {
      const tags = link.categories.map((c) => CAUSE_CATEGORIES[c]).join(', ');
      out.push(
        `${index + 1}. ${link.root ? '**Root cause:** ' : ''}${link.text}${tags ? ` _(${tags})_` : ''}`,
      );
    });
  }

  const corrections = collectCorrections(entries);
  out.push(
    '',
    '## Timeline',
    '',
    `Times in ${zoneLabel(start ?? 0)}.`,
    '',
    '| # | Time | Kind | Author | Entry |',
    '|---|---|---|---|---|',
  );
  for (const entry of chronological(entries)) {
    const view = corrections.get(entry.seq);
    let text = describeBody(entry.body, view);
    if (view?.struck) text = `~~${text}~~ (struck in #${view.struck.by}: ${view.struck.reason})`;
    out.push(
      `| ${entry.seq} | ${localDateTime(entry.occurredAt)} | ${KIND_LABELS[entry.body.kind]} | ${escapeCell(entry.author)} | ${escapeCell(text)} |`,
    );
  }
  return `${out.join('\n')}\n`;
}
