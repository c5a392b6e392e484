/**
 * One component of the public status page, for an admin: its state (set with
 * a reason, which stays internal), its name, description and services (the
 * incidents on those services show on it), and the states it was in lately.
 */
import { type FormEvent, useState } from 'react';
import { api, get, messageOf, post } from '../api.ts';
import { formatDateTime } from '../time.ts';
import {
  COMPONENT_STATE_LABELS,
  COMPONENT_STATES,
  type ComponentState,
  type ComponentStateChange,
  type StatusComponent,
} from '../types.ts';

export function ComponentStateBadge({ state }: { state: ComponentState }) {
  return <span className={`badge component-${state}`}>{COMPONENT_STATE_LABELS[state]}</span>;
}

const splitServices = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function EditForm({
  component,
  onSaved,
  onCancel,
}: {
  component: StatusComponent;
  onSaved(): void;
  onCancel(): void;
}) {
  const [name, setName] = useState(component.name);
  const [description, setDescription] = useState(component.description);
  const [services, setServices] = useState(component.services.join(', '));
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api('PATCH', `/api/status-page/components/${component.id}`, {
        name: name.trim(),
        description: description.trim(),
        services: splitServices(services),
      });
      onSaved();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <form className="stack compact" onSubmit={submit}>
      <label>
        Name
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <label>
        Services (comma-separated)
        <input value={services} onChange={(e) => setServices(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="primary">
          Save {component.name}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function History({ id }: { id: number }) {
  const [changes, setChanges] = useState<ComponentStateChange[]>();
  const [error, setError] = useState<string | null>(null);
  const load = (open: boolean) => {
    if (!open) return;
    get<{ history: ComponentStateChange[] }>(`/api/status-page/components/${id}`)
      .then((c) => setChanges([...c.history].reverse()))
      .catch((failure) => setError(messageOf(failure)));
  };
  return (
    <details onToggle={(e) => load(e.currentTarget.open)}>
      <summary className="disclosure">State history (90 days)</summary>
      {error && <p className="error">{error}</p>}
      {changes && changes.length === 0 && <p className="muted">No changes in 90 days.</p>}
      {changes && changes.length > 0 && (
        <ol className="plain state-history">
          {changes.map((change) => (
            <li key={`${change.at}-${change.state}`}>
              <time dateTime={new Date(change.at).toISOString()}>{formatDateTime(change.at)}</time>{' '}
              <ComponentStateBadge state={change.state} /> by {change.author}
              {change.reason && <span className="muted"> — {change.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}

export function StatusComponentCard({
  component,
  onChanged,
}: {
  component: StatusComponent;
  onChanged(): void;
}) {
  const [state, setState] = useState<ComponentState>(component.state);
  const [reason, setReason] = useState('');
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const setComponentState = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await post(`/api/status-page/components/${component.id}/state`, {
        state,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setReason('');
      setRound((n) => n + 1);
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const titleId = `component-${component.id}`;
  return (
    <section className="card status-component" aria-labelledby={titleId}>
      <div className="section-head">
        <h3 id={titleId}>{component.name}</h3>
        <ComponentStateBadge state={component.state} />
      </div>
      <p className="muted small">
        {component.description && `${component.description} · `}
        {component.services.length
          ? `Services: ${component.services.join(', ')}`
          : 'No services linked'}{' '}
        · since {formatDateTime(component.stateSince)}
      </p>
      {editing ? (
        <EditForm
          component={component}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <form className="row" onSubmit={setComponentState}>
          <label className="grow">
            State of {component.name}
            <select value={state} onChange={(e) => setState(e.target.value as ComponentState)}>
              {COMPONENT_STATES.map((s) => (
                <option key={s} value={s}>
                  {COMPONENT_STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            Why (kept internal)
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit">Set state</button>
          <button type="button" className="ghost" onClick={() => setEditing(true)}>
            Rename or edit
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <History key={round} id={component.id} />
    </section>
  );
}
