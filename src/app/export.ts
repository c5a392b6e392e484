import { CAUSE_CATEGORIES } from '../core/cause/categories.js';
import type { IncidentId } from '../core/ids.js';
import { describeImpact, isImpactEmpty } from '../core/incident/impact.js';
import type { IncidentState } from '../core/incident/incident.js';
import { MILESTONES, milestoneLabel } from '../core/incident/milestones.js';
import { localDateTime, zoneLabel } from '../core/local-time.js';
import { formatDuration } from '../core/time.js';
import { collectCorrections } from '../core/timeline/corrections.js';
import { chronological, describeBody } from '../core/timeline/describe.js';
import { KIND_LABELS, type TimelineEntry } from '../core/timeline/entry.js';
import type { AppContext } from './context.js';
import { getTimeline } from './incidents.js';

export const EXPORT_FORMAT = 'calm.incident/v1';

/**
 * The lossless export: the incident's state and every entry as recorded, and
 * the key it was first declared under (its own, unless it was imported), which
 * stays the same however often it moves between stores (see import.ts).
 */
export interface IncidentExport {
  format: typeof EXPORT_FORMAT;
  origin: { key: string };
  incident: IncidentState;
  entries: TimelineEntry[];
}

export function exportJson(
  state: IncidentState,
  entries: TimelineEntry[],
  originKey: string = state.key,
): IncidentExport {
  return { format: EXPORT_FORMAT, origin: { key: originKey }, incident: state, entries };
}

/** The incident's export from the store, with where it came from if it was imported. */
export async function exportIncident(
  ctx: Pick<AppContext, 'store'>,
  id: IncidentId,
): Promise<IncidentExport> {
  const { state, entries } = await getTimeline(ctx, id);
  return exportJson(state, entries, await ctx.store.getOrigin(id));
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A readable record for a wiki or a postmortem draft; `originKey` when it was imported. */
export function exportMarkdown(
  state: IncidentState,
  entries: TimelineEntry[],
  originKey?: string,
): string {
  const out: string[] = [`# ${state.key}: ${state.title}`, ''];
  if (originKey) out.push(`- **Imported from:** ${originKey}`);
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
