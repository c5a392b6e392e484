/**
 * Action items across all incidents (GET /api/action-items), overdue first:
 * what the team promised itself after its incidents, and who sees each
 * through. Filters (still to do, overdue, owner) live in the address.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { ActionItemFacts } from '../components/action-items-panel.tsx';
import { followLink, navigate, useLocation } from '../router.ts';
import type { ActionItemRow } from '../types.ts';
import { useFetch } from '../use-fetch.ts';

export function ActionItemsPage() {
  const { query } = useLocation();
  const all = query.get('all') === 'true';
  const overdue = query.get('overdue') === 'true';
  const owner = query.get('owner') ?? '';
  const [ownerDraft, setOwnerDraft] = useState(owner);
  useEffect(() => setOwnerDraft(owner), [owner]);
  const params = new URLSearchParams();
  if (!all) for (const status of ['open', 'in_progress']) params.append('status', status);
  if (overdue) params.set('overdue', 'true');
  if (owner) params.set('owner', owner);
  const rows = useFetch<{ items: ActionItemRow[] }>(`/api/action-items?${params}`);
  const apply = (next: { all?: boolean; overdue?: boolean; owner?: string }) => {
    const chosen = { all, overdue, owner, ...next };
    const address = new URLSearchParams();
    if (chosen.all) address.set('all', 'true');
    if (chosen.overdue) address.set('overdue', 'true');
    if (chosen.owner.trim()) address.set('owner', chosen.owner.trim());
    navigate(`/action-items${address.size ? `?${address}` : ''}`, { replace: true });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply({ owner: ownerDraft });
  };
  useEffect(() => {
    document.title = 'Action items · Calm';
  }, []);

  const items = rows.data?.items ?? [];
  return (
    <section className="page stack" aria-labelledby="action-items-page-title">
      <h1 id="action-items-page-title">Action items</h1>
      <search aria-label="Filter action items">
        <form className="row" onSubmit={submit}>
          <label className="choice">
            <input
              type="checkbox"
              checked={all}
              onChange={(e) => apply({ all: e.target.checked })}
            />
            include done and won't do
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={overdue}
              onChange={(e) => apply({ overdue: e.target.checked })}
            />
            overdue only
          </label>
          <label className="inline">
            Owner <input value={ownerDraft} onChange={(e) => setOwnerDraft(e.target.value)} />
          </label>
          <button type="submit">Filter</button>
        </form>
      </search>
      {rows.error && (
        <p className="error" role="alert">
          {rows.error}
        </p>
      )}
      {rows.data && items.length === 0 && <p className="empty">No action items match.</p>}
      <ul className="plain card action-list">
        {items.map((row) => (
          <li
            key={`${row.incident.key}-${row.item.number}`}
            className={row.overdue ? 'action-item overdue' : 'action-item'}
          >
            <p className="action-title">
              <a href={`/incidents/${row.incident.key}`} onClick={followLink}>
                {row.incident.key}
              </a>{' '}
              <strong>A{row.item.number}</strong> {row.item.title}{' '}
              <span className="muted small">({row.incident.title})</span>
            </p>
            <ActionItemFacts row={row} />
          </li>
        ))}
      </ul>
    </section>
  );
}
