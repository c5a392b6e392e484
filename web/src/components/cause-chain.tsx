/**
 * The chain of causes found so far, one link per why; one link may be marked
 * the root. Each link may name contributing-factor categories (the domain's
 * list), which the review counts across incidents.
 */
import { type FormEvent, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { canWrite, useSession } from '../session.ts';
import { CAUSE_CATEGORIES, type CauseCategory, type IncidentState } from '../types.ts';

const CATEGORY_KEYS = Object.keys(CAUSE_CATEGORIES) as CauseCategory[];

function CategoryPicker({
  chosen,
  onChange,
}: {
  chosen: CauseCategory[];
  onChange(next: CauseCategory[]): void;
}) {
  // in the list's order, whatever the order of the clicks
  const toggle = (key: CauseCategory, on: boolean) =>
    onChange(CATEGORY_KEYS.filter((k) => (k === key ? on : chosen.includes(k))));
  return (
    <details className="category-picker">
      <summary className="disclosure">
        Categories{chosen.length ? `: ${chosen.map((c) => CAUSE_CATEGORIES[c]).join(', ')}` : ''}
      </summary>
      <fieldset>
        <legend className="visually-hidden">Cause categories</legend>
        {CATEGORY_KEYS.map((key) => (
          <label key={key} className="choice">
            <input
              type="checkbox"
              checked={chosen.includes(key)}
              onChange={(e) => toggle(key, e.target.checked)}
            />
            {CAUSE_CATEGORIES[key]}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

export function CauseChain({ incident }: { incident: IncidentState }) {
  const { user } = useSession();
  const [text, setText] = useState('');
  const [root, setRoot] = useState(false);
  const [categories, setCategories] = useState<CauseCategory[]>([]);
  const [error, setError] = useState<string | null>(null);
  // the form starts over at once (the next cause may be typed while this one is sent);
  // a refused one comes back with the reason
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    const link = { text: text.trim(), root, categories };
    setText('');
    setRoot(false);
    setCategories([]);
    setError(null);
    try {
      await post(`/api/incidents/${incident.key}/cause`, link);
    } catch (failure) {
      setError(messageOf(failure));
      setText((current) => current || link.text);
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
              {link.categories.length > 0 && (
                <ul className="tags" aria-label="Categories">
                  {link.categories.map((category) => (
                    <li key={category} className="tag">
                      {CAUSE_CATEGORIES[category] ?? category}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {canWrite(user) && (
        <form className="stack compact" onSubmit={submit}>
          <div className="row">
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
          </div>
          <CategoryPicker chosen={categories} onChange={setCategories} />
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
