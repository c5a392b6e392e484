/**
 * One line of text per timeline entry. Everything here is a plain string,
 * rendered by React as text: what a person typed can never become markup.
 */
import type { TimelineEntry } from './types.ts';

export { KIND_LABELS } from '../../src/core/timeline/entry.ts';

export function entryText(entry: TimelineEntry): string {
  const body = entry.body;
  switch (body.kind) {
    case 'declared':
      return `Declared: ${body.title}${body.services.length ? ` (${body.services.join(', ')})` : ''}`;
    case 'note':
    case 'action':
    case 'decision':
      return body.text;
    case 'finding':
      return body.source ? `${body.text} (from ${body.source})` : body.text;
    case 'impact': {
      const { affected, description, workaroundAvailable } = body.impact;
      const facts = [
        body.text,
        description,
        affected && `affected: ${affected}`,
        workaroundAvailable !== undefined &&
          (workaroundAvailable ? 'a workaround exists' : 'no workaround'),
      ].filter((fact): fact is string => typeof fact === 'string' && fact !== '');
      return facts.length ? `Impact: ${facts.join('; ')}` : 'Impact recorded';
    }
    case 'hypothesis':
      return body.reason
        ? `H${body.number} ${body.status}: ${body.reason}`
        : `H${body.number} ${body.status}: ${body.text}`;
    case 'status_update':
      return `To ${body.audience}: ${body.text}`;
    case 'communication':
      return `Told ${body.to} via ${body.via}${body.text ? `: ${body.text}` : ''}`;
    case 'root_cause':
      return `${body.root ? 'Root cause' : 'Cause'}: ${body.text}`;
    case 'action_item':
      return `Action item A${body.number}: ${body.item.title}${body.item.owner ? ` (${body.item.owner})` : ''}`;
    case 'action_item_changed':
      return `A${body.number}: ${Object.entries(body.changes)
        .map(([field, value]) => `${field} ${value}`)
        .join(', ')}${body.reason ? ` — ${body.reason}` : ''}`;
    case 'postmortem_section':
      return `Postmortem ${body.section.replace(/_/g, ' ')}: ${body.text}`;
    case 'postmortem_status':
      return `Postmortem ${body.status === 'complete' ? 'complete' : 'reopened'}${body.reason ? `: ${body.reason}` : ''}`;
    case 'severity_changed':
      return `Severity ${body.from ?? 'none'} → ${body.to}${body.reason ? `: ${body.reason}` : ''}`;
    case 'status_changed':
      return `Status ${body.from} → ${body.to}${body.reason ? `: ${body.reason}` : ''}`;
    case 'role_changed':
      return `${body.person} ${body.change === 'assigned' ? 'is now' : 'is no longer'} ${body.role}`;
    case 'milestone':
      return `Milestone: ${body.milestone.replace('_', ' ')}`;
    case 'details_changed':
      return `Details changed${body.title ? `: title "${body.title}"` : ''}`;
    case 'correction':
      return `${body.action === 'strike' ? 'Struck' : 'Amended'} #${body.target}: ${body.reason}${body.text ? ` — now: ${body.text}` : ''}`;
  }
}
