/**
 * An incident's postmortem (loaded on first visit): Calm's draft from the
 * log, each section editable with the blameless linter's findings as one
 * types, the stage review as charts, the key timeline and the action items,
 * and marking it complete (the server says what blocks it: the incident still
 * open, or the level wants action items, each with an owner).
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { get, messageOf, post } from '../api.ts';
import { ActionItemsPanel } from '../components/action-items-panel.tsx';
import { SectionEditor } from '../review/section-editor.tsx';
import { StageReviewView } from '../review/stage-review.tsx';
import '../review/review.css';
import { followLink } from '../router.ts';
import { canWrite, useSession } from '../session.ts';
import { formatClock, formatDateTime, zoneName } from '../time.ts';
import {
  type IncidentState,
  OUTLINE,
  PART_TITLES,
  type PostmortemModel,
  type StageReview,
} from '../types.ts';

interface Loaded {
  model: PostmortemModel;
  stages: StageReview;
  incident: IncidentState;
}

function Completion({ model, onChanged }: { model: PostmortemModel; onChanged(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const base = `/api/incidents/${model.key}/postmortem`;
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setReason('');
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const reopen = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) void run(() => post(`${base}/reopen`, { reason: reason.trim() }));
  };
  return (
    <div className="completion">
      {model.status === 'draft' ? (
        <button
          type="button"
          className="primary"
          onClick={() => run(() => post(`${base}/complete`, {}))}
        >
          Mark the postmortem complete
        </button>
      ) : (
        <form className="row" onSubmit={reopen}>
          <label className="grow">
            Reopen: why?
            <input required value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit">Reopen</button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function PostmortemPage({ incidentKey }: { incidentKey: string }) {
  const { user } = useSession();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    Promise.all([
      get<PostmortemModel>(`/api/incidents/${incidentKey}/postmortem`),
      get<{ stages: StageReview }>(`/api/incidents/${incidentKey}/stages`),
      get<IncidentState>(`/api/incidents/${incidentKey}`),
    ])
      .then(([model, { stages }, incident]) => {
        setLoaded({ model, stages, incident });
        setError(null);
      })
      .catch((failure) => setError(messageOf(failure)));
  }, [incidentKey]);
  useEffect(load, [load]);
  useEffect(() => {
    document.title = `Postmortem ${incidentKey} · Calm`;
  }, [incidentKey]);

  if (!loaded) {
    return (
      <section className="page">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="loading">Loading the postmortem of {incidentKey}…</p>
        )}
      </section>
    );
  }
  const { model, stages, incident } = loaded;
  const writable = canWrite(user);
  const base = `/api/incidents/${model.key}/postmortem`;
  const part = (name: (typeof OUTLINE)[number]) => {
    if (name === 'stages') return <StageReviewView key={name} review={stages} />;
    if (name === 'action_items') return <ActionItemsPanel key={name} incident={incident} />;
    if (name === 'timeline') {
      return (
        <section key={name} className="pm-section" aria-labelledby="pm-timeline">
          <h3 id="pm-timeline">{PART_TITLES.timeline}</h3>
          <p className="muted small">Key entries from the log; times in {zoneName}.</p>
          <ol className="plain pm-timeline">
            {model.timeline.map((line) => (
              <li key={line.seq}>
                <time dateTime={new Date(line.at).toISOString()}>{formatClock(line.at)}</time>{' '}
                <span className="entry-kind">{line.label}</span> {line.text}
              </li>
            ))}
          </ol>
        </section>
      );
    }
    const view = model.sections.find((s) => s.section === name);
    if (!view) return null;
    return (
      <SectionEditor
        key={`${name}-${view.written?.seq ?? 'draft'}`}
        incidentKey={model.key}
        view={view}
        warnings={model.warnings.filter((w) => w.section === name)}
        writable={writable}
        onSaved={load}
      />
    );
  };
  return (
    <article className="page postmortem-page" aria-labelledby="postmortem-title">
      <header className="card postmortem-header">
        <p>
          <a href={`/incidents/${model.key}`} onClick={followLink}>
            ← {model.key}
          </a>
        </p>
        <h1 id="postmortem-title">
          Postmortem: <span className="muted">{model.key}</span> {model.title}
        </h1>
        <p className="facts">
          <span className={`badge pm-${model.status}`}>postmortem {model.status}</span>
          <span>
            {model.severity ?? 'unrated'} · incident {model.incidentStatus}
          </span>
          {model.completedAt !== undefined && (
            <span>completed {formatDateTime(model.completedAt)}</span>
          )}
          <a href={`${base}?format=md`}>Markdown</a>
          <a href={`${base}?format=html`} target="_blank" rel="noopener">
            HTML<span className="visually-hidden"> (new tab)</span>
          </a>
        </p>
        {writable && <Completion model={model} onChanged={load} />}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </header>
      <div className="stack pm-sections">{OUTLINE.map(part)}</div>
    </article>
  );
}
