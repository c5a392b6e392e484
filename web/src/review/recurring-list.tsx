/** Incidents that happened before: groups of alike incidents, oldest first, each with why. */
import { followLink } from '../router.ts';
import { CAUSE_CATEGORIES, type Insights } from '../types.ts';

type Reason = Insights['recurring'][number]['reasons'][number];

function reasonText(reason: Reason): string {
  if (reason.kind === 'stack') return `the same stack trace (${reason.signature})`;
  if (reason.kind === 'template') return `the same error: "${reason.template}"`;
  return `${CAUSE_CATEGORIES[reason.category] ?? reason.category} on ${reason.service}`;
}

export function RecurringList({ groups }: { groups: Insights['recurring'] }) {
  return (
    <section className="card" aria-labelledby="recurring-title">
      <h2 id="recurring-title">This happened before</h2>
      {groups.length === 0 ? (
        <p className="muted">No incident repeats an earlier one.</p>
      ) : (
        <ul className="plain recurring">
          {groups.map((group) => (
            <li key={group.keys.join()}>
              {group.keys.map((key, i) => (
                <span key={key}>
                  {i > 0 && ' → '}
                  <a href={`/incidents/${key}`} onClick={followLink}>
                    {key}
                  </a>
                </span>
              ))}
              <ul className="small muted">
                {group.reasons.map((reason) => (
                  <li key={reasonText(reason)}>{reasonText(reason)}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
