/**
 * The incident's action items (GET .../action-items, read again whenever the
 * incident changes): each with its kind, priority, owner, due day and status,
 * an overdue one marked in words and colour. Responders add items, change
 * them and mark them done; every change is an entry in the log.
 */
import { useEffect, useState } from 'react';
import { api, messageOf, post } from '../api.ts';
import { canWrite, useSession } from '../session.ts';
import type { ActionItem, ActionItemFields, ActionItemRow, IncidentState } from '../types.ts';
import { useFetch } from '../use-fetch.ts';
import { ActionItemForm, STATUS_LABELS } from './action-item-form.tsx';

/** Only web addresses become links: a javascript: link must never be one click away. */
export const isWebLink = (link: string) => /^https?:\/\//i.test(link);

export function ActionItemFacts({ row }: { row: ActionItemRow }) {
  const { item, overdue } = row;
  return (
    <span className="action-facts">
      <span className="badge">{STATUS_LABELS[item.status]}</span> {item.kind} · {item.priority} ·{' '}
      {item.owner ? item.owner : <strong className="warn-text">no owner</strong>}
      {item.due && (
        <>
          {' '}
          · due <time dateTime={item.due}>{item.due}</time>
          {overdue && <strong className="overdue-mark"> overdue</strong>}
        </>
      )}
      {item.link &&
        (isWebLink(item.link) ? (
          <>
            {' '}
            ·{' '}
            <a href={item.link} target="_blank" rel="noopener noreferrer">
              tracker link<span className="visually-hidden"> for A{item.number}</span>
            </a>
          </>
        ) : (
          ` · ${item.link}`
        ))}
    </span>
  );
}

export function ActionItemsPanel({ incident }: { incident: IncidentState }) {
  const { user } = useSession();
  const path = `/api/incidents/${incident.key}/action-items`;
  const rows = useFetch<{ items: ActionItemRow[] }>(path);
  const [editing, setEditing] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { reload } = rows;
  // read again when an item is added or changed, not on every entry of a busy log
  const changed = JSON.stringify(incident.actionItems);
  // biome-ignore lint/correctness/useExhaustiveDependencies: changed says the items changed
  useEffect(reload, [changed, reload]);

  const send = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      reload();
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    }
  };
  const add = (fields: Partial<ActionItemFields>) =>
    send(() => post(path, fields)).then((ok) => {
      if (ok) setAdding(false);
      return ok;
    });
  const change = (item: ActionItem, fields: Partial<ActionItemFields>, reason = '') =>
    send(() =>
      api('PATCH', `${path}/A${item.number}`, { ...fields, ...(reason ? { reason } : {}) }),
    ).then((ok) => {
      if (ok) setEditing(null);
      return ok;
    });

  const writable = canWrite(user);
  const items = rows.data?.items ?? [];
  return (
    <section className="card action-items" aria-labelledby="action-items-title">
      <div className="section-head">
        <h2 id="action-items-title">Action items</h2>
        {writable && !adding && (
          <button type="button" className="small" onClick={() => setAdding(true)}>
            Add
          </button>
        )}
      </div>
      {rows.data && items.length === 0 && (
        <p className="muted">None yet: what would prevent this, or catch it sooner?</p>
      )}
      <ul className="plain">
        {items.map((row) => (
          <li key={row.item.number} className={row.overdue ? 'action-item overdue' : 'action-item'}>
            {editing === row.item.number ? (
              <ActionItemForm
                item={row.item}
                onSubmit={(fields, reason) => change(row.item, fields, reason)}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <p className="action-title">
                  <strong>A{row.item.number}</strong> {row.item.title}
                </p>
                <ActionItemFacts row={row} />
                {writable && (
                  <span className="row action-buttons">
                    <button
                      type="button"
                      className="link"
                      onClick={() => setEditing(row.item.number)}
                    >
                      Edit A{row.item.number}
                    </button>
                    {(row.item.status === 'open' || row.item.status === 'in_progress') && (
                      <button
                        type="button"
                        className="link"
                        onClick={() => change(row.item, { status: 'done' })}
                      >
                        Mark A{row.item.number} done
                      </button>
                    )}
                  </span>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {adding && <ActionItemForm onSubmit={add} onCancel={() => setAdding(false)} />}
      {(error || rows.error) && (
        <p className="error" role="alert">
          {error ?? rows.error}
        </p>
      )}
    </section>
  );
}
