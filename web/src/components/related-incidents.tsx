/**
 * "This happened before": the earlier incidents this one repeats (GET
 * .../related: the same stack trace, error template, or cause category on a
 * shared service), read again when its causes or services change. Nothing
 * shows while there are none.
 */
import { useEffect } from 'react';
import { followLink } from '../router.ts';
import { CAUSE_CATEGORIES, type IncidentState } from '../types.ts';
import { useFetch } from '../use-fetch.ts';

type Reason =
  | { kind: 'stack'; signature: string }
  | { kind: 'template'; template: string }
  | { kind: 'cause'; category: keyof typeof CAUSE_CATEGORIES; service: string };

interface Related {
  earlier: { key: string; title: string; reasons: Reason[] }[];
}

const why = (reason: Reason) =>
  reason.kind === 'stack'
    ? 'the same stack trace'
    : reason.kind === 'template'
      ? 'the same error'
      : `${CAUSE_CATEGORIES[reason.category] ?? reason.category} on ${reason.service}`;

export function RelatedIncidents({ incident }: { incident: IncidentState }) {
  const related = useFetch<Related>(`/api/incidents/${incident.key}/related`);
  const { reload } = related;
  const signature = `${incident.causeChain.length}:${incident.services.join()}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new cause or service may link it
  useEffect(reload, [signature, reload]);
  const earlier = related.data?.earlier ?? [];
  if (earlier.length === 0) return null;
  return (
    <aside className="related" aria-label="This happened before">
      <strong>This happened before:</strong>{' '}
      {earlier.map((link, i) => (
        <span key={link.key}>
          {i > 0 && ', '}
          <a href={`/incidents/${link.key}`} onClick={followLink} title={link.title}>
            {link.key}
          </a>{' '}
          <span className="muted">({[...new Set(link.reasons.map(why))].join('; ')})</span>
        </span>
      ))}
    </aside>
  );
}
