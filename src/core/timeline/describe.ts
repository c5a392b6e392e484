import { CAUSE_CATEGORIES } from '../cause/categories.js';
import { describeImpact } from '../incident/impact.js';
import { milestoneLabel } from '../incident/milestones.js';
import { ROLE_TITLES } from '../incident/roles.js';
import { sectionTitle } from '../review/postmortem-record.js';
import { type CorrectedView, currentText } from './corrections.js';
import type { EntryBody, TimelineEntry } from './entry.js';

/** The words of an entry, as a person would say them. */
export function describeBody(body: EntryBody, view?: CorrectedView): string {
  switch (body.kind) {
    case 'declared':
      return `${body.title}${body.summary ? ` — ${body.summary}` : ''}${body.services.length ? ` [${body.services.join(', ')}]` : ''}`;
    case 'note':
    case 'action':
    case 'finding':
    case 'decision':
      return (
        currentText(body.text, view) +
        (body.kind === 'finding' && body.source ? ` (source: ${body.source})` : '')
      );
    case 'impact':
      return [describeImpact(body.impact), body.text && currentText(body.text, view)]
        .filter(Boolean)
        .join(' — ');
    case 'hypothesis':
      return body.status === 'proposed'
        ? `H${body.number} proposed: ${body.text}`
        : `H${body.number} ${body.status}: ${body.text}${body.reason ? ` — because ${body.reason}` : ''}`;
    case 'status_update':
      return `to ${body.audience}: ${currentText(body.text, view)}`;
    case 'communication':
      return `told ${body.to} via ${body.via}${body.text ? `: ${currentText(body.text, view)}` : ''}`;
    case 'root_cause': {
      const tags = body.categories.map((c) => CAUSE_CATEGORIES[c].toLowerCase()).join(', ');
      return `${body.root ? 'root cause' : 'cause'}: ${currentText(body.text, view)}${tags ? ` [${tags}]` : ''}`;
    }
    case 'action_item': {
      const { item } = body;
      const details = [
        item.kind,
        item.priority,
        item.owner && `owner ${item.owner}`,
        item.due && `due ${item.due}`,
        item.link,
      ].filter(Boolean);
      return `A${body.number} added: ${item.title} (${details.join(', ')})`;
    }
    case 'action_item_changed': {
      const changes = Object.entries(body.changes).map(([field, value]) => `${field} ${value}`);
      return `A${body.number}: ${changes.join(', ')}${body.reason ? ` — ${body.reason}` : ''}`;
    }
    case 'postmortem_section':
      return `${sectionTitle(body.section)} written: ${body.text}`;
    case 'postmortem_status':
      return `postmortem ${body.status === 'complete' ? 'marked complete' : 'reopened'}${body.reason ? `: ${body.reason}` : ''}`;
    case 'severity_changed':
      return `${body.from ?? 'unrated'} -> ${body.to}: ${body.reason}`;
    case 'status_changed':
      return `${body.from} -> ${body.to}${body.reason ? `: ${body.reason}` : ''}`;
    case 'role_changed':
      return body.change === 'assigned'
        ? `${body.person} is ${body.role === 'responder' ? 'a responder' : `the ${ROLE_TITLES[body.role]}`}${body.previous ? ` (was ${body.previous})` : ''}`
        : `${body.person} is no longer ${body.role === 'responder' ? 'a responder' : `the ${ROLE_TITLES[body.role]}`}`;
    case 'milestone':
      return milestoneLabel(body.milestone);
    case 'details_changed': {
      const parts: string[] = [];
      if (body.title !== undefined) parts.push(`title: ${body.title}`);
      if (body.summary !== undefined) parts.push(`summary: ${body.summary}`);
      if (body.services !== undefined)
        parts.push(`services: ${body.services.join(', ') || 'none'}`);
      return parts.join('; ');
    }
    case 'correction':
      return body.action === 'strike'
        ? `strikes #${body.target}: ${body.reason}`
        : `amends #${body.target} to "${body.text}": ${body.reason}`;
  }
}

/** Chronological by the time things happened; entries logged at the same instant keep log order. */
export function chronological(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => a.occurredAt - b.occurredAt || a.seq - b.seq);
}
