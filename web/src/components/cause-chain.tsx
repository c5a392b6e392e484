/** The chain of causes found so far, one link per why; one link may be marked the root. */
import { type FormEvent, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { canWrite, useSession } from '../session.ts';
import type { IncidentState } from '../types.ts';

export function CauseChain({ incident }: { incident: IncidentState }) {
  const { user } = useSession();
  const [text, setText] = useState('');
  const [root, setRoot] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    setError(null);
    try {
      await post(`/api/incidents/${incident.key}/cause`, { text: text.trim(), root });
      setText('');
      setRoot(false);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="card" aria-labelledby="cause-title">
      <h2 id="cause-title">Cause chain</h2>
      {incident.causeChain.length === 0 ? (
        <p className="muted">No cause recorded yet.</p>
      ) : (
        <ol className="cause-chain">
          {incident.causeChain.map((link) => (
            <li key={link.seq}>
              {link.text}
              {link.root && <strong className="root-mark"> (root cause)</strong>}
            </li>
          ))}
        </ol>
      )}
      {canWrite(user) && (
        <form className="row" onSubmit={submit}>
          <input
            className="grow"
            aria-label="Add a cause"
            placeholder="Why? e.g. the client timed out after the pool shrank"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <label className="choice">
            <input type="checkbox" checked={root} onChange={(e) => setRoot(e.target.checked)} />
            root cause
          </label>
          <button type="submit">Add</button>
        </form>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
