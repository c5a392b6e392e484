/**
 * Public updates: each active incident as the public page shows it (or that
 * it is not public yet), with its public title and its updates to customers.
 * An incident goes public with its first customers update or a public title;
 * the page never shows its internal title (core/status-page/public-view.ts).
 */
import { type FormEvent, useEffect, useState } from 'react';
import { get, messageOf, post } from '../api.ts';
import { followLink } from '../router.ts';
import { formatDateTime } from '../time.ts';
import {
  ACTIVE_STATUSES,
  type IncidentState,
  type PublicIncident,
  type UpdateDraft,
} from '../types.ts';
import { useFetch } from '../use-fetch.ts';

interface PublicFace {
  incident: string;
  publicId: string;
  publicTitle: string | null;
  shownAs: string;
  components: string[];
}

const ACTIVE = `/api/incidents?${ACTIVE_STATUSES.map((s) => `status=${s}`).join('&')}&limit=50`;

interface Props {
  /** The incidents the public page shows now (from /status.json). */
  published: PublicIncident[];
  /** Changes with every change made on the page: each incident's face is read again. */
  version: number;
  onChanged(): void;
}

function PublicIncidentCard({
  incident,
  published,
  version,
  onChanged,
}: Props & { incident: IncidentState }) {
  const face = useFetch<PublicFace>(`/api/status-page/incidents/${incident.key}`);
  const { reload } = face;
  // version says the page changed
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const shown = published.find((p) => p.id === face.data?.publicId);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const setPublicTitle = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    void run(async () => {
      await post(`/api/status-page/incidents/${incident.key}/title`, { title: title.trim() });
      setTitle('');
    }, 'Public title set.');
  };
  const postUpdate = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    void run(async () => {
      await post(`/api/incidents/${incident.key}/updates`, { audience: 'customers', text });
      setText('');
    }, 'Posted to the public page.');
  };
  const draft = () =>
    get<UpdateDraft>(`/api/incidents/${incident.key}/updates/draft?audience=customers`)
      .then((d) => setText(d.text))
      .catch((failure) => setError(messageOf(failure)));

  const titleId = `public-${incident.key}`;
  return (
    <section className="card public-incident" aria-labelledby={titleId}>
      <h3 id={titleId}>
        <a href={`/incidents/${incident.key}`} onClick={followLink}>
          {incident.key}
        </a>{' '}
        {incident.title}
      </h3>
      {face.data && (
        <p>
          {shown ? 'Public as' : 'Not public yet; would show as'} <q>{face.data.shownAs}</q>
          {face.data.components.length
            ? ` on ${face.data.components.join(', ')}`
            : ' (no component stands for its services)'}
          .
        </p>
      )}
      {shown && shown.updates.length > 0 && (
        <ol className="plain public-updates" aria-label={`Public updates on ${incident.key}`}>
          {shown.updates.map((update) => (
            <li key={update.id}>
              <span className="muted small">
                {formatDateTime(Date.parse(update.at))} · {update.status}
              </span>
              <p>{update.text}</p>
            </li>
          ))}
        </ol>
      )}
      <form className="row" onSubmit={setPublicTitle}>
        <label className="grow">
          Public title for {incident.key}
          <input
            placeholder={face.data?.publicTitle ?? 'e.g. Payments failing for some customers'}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <button type="submit">Set title</button>
      </form>
      <form className="stack compact" onSubmit={postUpdate}>
        <label>
          Public update on {incident.key}
          <textarea rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary">
            Post publicly
          </button>
          <button type="button" className="ghost" onClick={draft}>
            Draft from the log
          </button>
        </div>
      </form>
      <p className="muted small" role="status">
        {notice}
      </p>
      {(error || face.error) && (
        <p className="error" role="alert">
          {error ?? face.error}
        </p>
      )}
    </section>
  );
}

export function PublicUpdatesPanel({ published, version, onChanged }: Props) {
  const active = useFetch<{ items: IncidentState[] }>(ACTIVE);
  return (
    <section className="stack" aria-labelledby="public-updates-title">
      <h2 id="public-updates-title">Public updates</h2>
      {active.error && (
        <p className="error" role="alert">
          {active.error}
        </p>
      )}
      {active.data?.items.length === 0 && (
        <p className="muted">No active incident: nothing to tell the public.</p>
      )}
      {active.data?.items.map((incident) => (
        <PublicIncidentCard
          key={incident.key}
          incident={incident}
          published={published}
          version={version}
          onChanged={onChanged}
        />
      ))}
    </section>
  );
}
