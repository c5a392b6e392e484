/**
 * One postmortem section: Calm's draft or what a person wrote, and an editor
 * that checks the text for blame as it is typed and saves it as the section
 * (PUT .../postmortem/sections/:section), which replaces the draft.
 */
import { type FormEvent, useState } from 'react';
import { api, messageOf } from '../api.ts';
import { formatDateTime } from '../time.ts';
import type { SectionView } from '../types.ts';
import { useFocusOnMount } from '../use-focus-on-mount.ts';
import { BlameFindings } from './blame-findings.tsx';
import { SectionText } from './section-text.tsx';
import { useBlameLint } from './use-blame-lint.ts';

interface Warning {
  sentence: string;
  message: string;
  suggestion: string;
}

function Editor({
  incidentKey,
  view,
  onDone,
}: {
  incidentKey: string;
  view: SectionView;
  onDone(saved: boolean): void;
}) {
  const [text, setText] = useState(view.text);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useFocusOnMount<HTMLTextAreaElement>();
  const lint = useBlameLint(text);
  const findingsId = `blame-${view.section}`;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('PUT', `/api/incidents/${incidentKey}/postmortem/sections/${view.section}`, {
        text,
      });
      onDone(true);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };
  return (
    <form className="stack compact" onSubmit={save}>
      <label>
        <span className="visually-hidden">{view.title}</span>
        <textarea
          ref={field}
          rows={Math.min(16, Math.max(5, text.split('\n').length + 1))}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onDone(false)}
          aria-describedby={lint.findings.length ? findingsId : undefined}
        />
      </label>
      <BlameFindings findings={lint.findings} id={findingsId} />
      {lint.error && <p className="muted small">The blame check is unavailable: {lint.error}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save {view.title}
        </button>
        <button type="button" className="ghost" onClick={() => onDone(false)}>
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

export function SectionEditor({
  incidentKey,
  view,
  warnings,
  writable,
  onSaved,
}: {
  incidentKey: string;
  view: SectionView;
  /** The linter's notes on what was written, from the server's draft. */
  warnings: Warning[];
  writable: boolean;
  onSaved(): void;
}) {
  const [editing, setEditing] = useState(false);
  const titleId = `pm-${view.section}`;
  return (
    <section className="pm-section" aria-labelledby={titleId}>
      <div className="section-head">
        <h3 id={titleId}>{view.title}</h3>
        <span className="muted small">
          {view.written
            ? `written by ${view.written.author}, ${formatDateTime(view.written.at)}`
            : 'drafted from the log'}
        </span>
      </div>
      {editing ? (
        <Editor
          incidentKey={incidentKey}
          view={view}
          onDone={(saved) => {
            setEditing(false);
            if (saved) onSaved();
          }}
        />
      ) : (
        <>
          <SectionText text={view.text} />
          {warnings.length > 0 && (
            <ul className="plain blame-findings">
              {warnings.map((w) => (
                <li key={w.sentence + w.message} className="small">
                  <span className="warn-text">Reads as blame:</span> <q>{w.sentence}</q> —{' '}
                  {w.message}. <span className="suggestion-text">Try: {w.suggestion}</span>
                </li>
              ))}
            </ul>
          )}
          {writable && (
            <button type="button" className="small" onClick={() => setEditing(true)}>
              Edit {view.title}
            </button>
          )}
        </>
      )}
    </section>
  );
}
