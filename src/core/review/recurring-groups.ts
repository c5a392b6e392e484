import type { IncidentId } from '../ids.js';
import {
  earlierOccurrences,
  type IncidentSignals,
  isEarlier,
  normalizeTemplate,
  type RecurrenceReason,
} from './recurrence.js';

/** Incidents that repeat one another (recurrence.ts), as groups for the insights. */
export interface RecurringGroup {
  /** Oldest first. */
  keys: string[];
  /** The reasons its links give, most frequent first, each once. */
  reasons: RecurrenceReason[];
}

const reasonKey = (reason: RecurrenceReason) =>
  reason.kind === 'stack'
    ? `stack:${reason.fingerprint}`
    : reason.kind === 'template'
      ? `template:${normalizeTemplate(reason.template)}`
      : `cause:${reason.category}:${reason.service.toLowerCase()}`;

/** Incidents joined by recurrence links into groups of two or more, largest first. */
export function recurringGroups(all: readonly IncidentSignals[]): RecurringGroup[] {
  const parent = new Map<IncidentId, IncidentId>(all.map((s) => [s.id, s.id]));
  const find = (id: IncidentId): IncidentId => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const tallies = new Map<IncidentId, Map<string, { reason: RecurrenceReason; count: number }>>();
  const linked: [IncidentId, IncidentId, RecurrenceReason[]][] = [];
  for (const target of all)
    for (const link of earlierOccurrences(target, all)) {
      parent.set(find(target.id), find(link.id));
      linked.push([target.id, link.id, link.reasons]);
    }
  for (const [a, , reasons] of linked) {
    const root = find(a);
    const tally = tallies.get(root) ?? new Map();
    for (const reason of reasons) {
      const k = reasonKey(reason);
      tally.set(k, { reason, count: (tally.get(k)?.count ?? 0) + 1 });
    }
    tallies.set(root, tally);
  }
  const members = new Map<IncidentId, IncidentSignals[]>();
  for (const signals of all) {
    const root = find(signals.id);
    members.set(root, [...(members.get(root) ?? []), signals]);
  }
  const groups: RecurringGroup[] = [];
  for (const [root, group] of members) {
    if (group.length < 2) continue;
    const ordered = [...group].sort((a, b) => (isEarlier(a, b) ? -1 : 1));
    const reasons = [...(tallies.get(root)?.values() ?? [])]
      .sort((a, b) => b.count - a.count)
      .map((t) => t.reason);
    groups.push({ keys: ordered.map((s) => s.key), reasons });
  }
  return groups.sort((a, b) => b.keys.length - a.keys.length);
}
