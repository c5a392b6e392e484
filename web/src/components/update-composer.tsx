/**
 * A status update per audience: the server drafts it from the incident's state
 * and latest findings (GET .../updates/draft), a person edits and posts it;
 * "No new information" posts the one-line update with the next update time.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { get, messageOf, post } from '../api.ts';
import { AUDIENCES, type Audience, type UpdateDraft } from '../types.ts';

export function UpdateComposer({ incidentKey }: { incidentKey: string }) {
  const [audience, setAudience] = useState<Audience>('responders');
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadDraft = async (to: Audience) => {
    setError(null);
    try {
      const draft = await get<UpdateDraft>(
        `/api/incidents/${incidentKey}/updates/draft?audience=${to}`,
      );
      setText(draft.text);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a fresh draft per audience chosen
  useEffect(() => {
    void loadDraft(audience);
  }, [audience, incidentKey]);

  const send = async (body: { text: string } | { noNews: true }) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await post(`/api/incidents/${incidentKey}/updates`, { audience, ...body });
      setNotice(`Posted to ${audience}.`);
      await loadDraft(audience);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) void send({ text });
  };

  return (
    <section className="composer card" aria-labelledby="composer-title">
      <h2 id="composer-title">Status update</h2>
      <form className="stack" onSubmit={submit}>
        <div className="tabs" role="radiogroup" aria-label="Audience">
          {AUDIENCES.map((a) => (
            <label key={a} className={`tab${a === audience ? ' selected' : ''}`}>
              <input
                type="radio"
                name="audience"
                value={a}
                checked={a === audience}
                onChange={() => setAudience(a)}
              />
              {a}
            </label>
          ))}
        </div>
        <label>
          Update to {audience}
          <textarea rows={7} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Post to {audience}
          </button>
          <button type="button" disabled={busy} onClick={() => send({ noNews: true })}>
            No new information
          </button>
          <button type="button" className="ghost" onClick={() => loadDraft(audience)}>
            Fresh draft
          </button>
        </div>
        <p className="muted small" role="status">
          {notice}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
