/**
 * Correcting a timeline entry: amend it (new text) or strike it, always with
 * a reason. The entry itself never changes; the correction is a new entry
 * (POST .../corrections), and the timeline shows the entry as corrected.
 * An impact entry can only be struck (the server says so too): the right
 * impact is recorded anew.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { entryText, KIND_LABELS } from '../entry-text.ts';
import { formatClock } from '../time.ts';
import type { TimelineEntry } from '../types.ts';

type Action = 'amend' | 'strike';

/** What the entry said in its own words: what an amendment replaces. */
const ownText = (entry: TimelineEntry) =>
  'text' in entry.body && typeof entry.body.text === 'string' ? entry.body.text : '';

export function CorrectionForm({
  incidentKey,
  entry,
  onDone,
}: {
  incidentKey: string;
  entry: TimelineEntry;
  onDone(): void;
}) {
  const amendable = entry.body.kind !== 'impact';
  const [action, setAction] = useState<Action>(amendable ? 'amend' : 'strike');
  const [text, setText] = useState(ownText(entry));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choices = useRef<HTMLFieldSetElement>(null);
  // the keyboard lands on the chosen action, as on any radio group
  useEffect(() => choices.current?.querySelector<HTMLInputElement>('input:checked')?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim() || (action === 'amend' && !text.trim())) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/api/incidents/${incidentKey}/corrections`, {
        entry: entry.seq,
        action,
        reason: reason.trim(),
        ...(action === 'amend' ? { text: text.trim() } : {}),
      });
      onDone();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  };

  return (
    <section className="card correction" aria-labelledby="correction-title">
      <h2 id="correction-title">Correct entry #{entry.seq}</h2>
      <p className="quoted">
        <span className="muted">
          {formatClock(entry.occurredAt)} · {KIND_LABELS[entry.body.kind]} · {entry.author}
        </span>
        <br />
        {entryText(entry)}
      </p>
      <form
        className="stack compact"
        onSubmit={submit}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
      >
        <fieldset className="choices" ref={choices}>
          <legend>Correction</legend>
          <label className="choice">
            <input
              type="radio"
              name="correction-action"
              value="amend"
              checked={action === 'amend'}
              disabled={!amendable}
              onChange={() => setAction('amend')}
            />
            amend (rewrite it)
          </label>
          <label className="choice">
            <input
              type="radio"
              name="correction-action"
              value="strike"
              checked={action === 'strike'}
              onChange={() => setAction('strike')}
            />
            strike (it was wrong)
          </label>
        </fieldset>
        {!amendable && (
          <p className="muted small">An impact entry is struck, then the right impact recorded.</p>
        )}
        {action === 'amend' && (
          <label>
            New text
            <textarea required rows={2} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
        )}
        <label>
          Reason for the correction
          <input required value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {action === 'amend' ? 'Amend' : 'Strike'} #{entry.seq}
          </button>
          <button type="button" className="ghost" onClick={onDone}>
            Cancel
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
