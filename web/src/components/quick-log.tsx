/**
 * The quick-log box: Enter logs a note. A prefix picks another kind —
 * "a: " action, "f: " finding, "d: " decision, "h: " hypothesis (proposed) —
 * as does the kind menu. Press "l" anywhere on the page to come back here.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { useFocusOnMount } from '../use-focus-on-mount.ts';

const KINDS = ['note', 'action', 'finding', 'decision', 'hypothesis'] as const;
type Kind = (typeof KINDS)[number];
const PREFIXES: Record<string, Kind> = {
  n: 'note',
  a: 'action',
  f: 'finding',
  d: 'decision',
  h: 'hypothesis',
};

/** "a: rolled back" → action "rolled back"; no prefix keeps the chosen kind. */
export function parseQuickLog(input: string, chosen: Kind): { kind: Kind; text: string } {
  const match = /^([nafdh]):\s*(.*)$/is.exec(input);
  const kind = match?.[1] ? PREFIXES[match[1].toLowerCase()] : undefined;
  return kind && match?.[2] !== undefined
    ? { kind, text: match[2] }
    : { kind: chosen, text: input };
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function QuickLog({ incidentKey }: { incidentKey: string }) {
  const [text, setText] = useState('');
  const [kind, setKind] = useState<Kind>('note');
  const [error, setError] = useState<string | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const input = useFocusOnMount<HTMLInputElement>();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'l' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [input]);

  /**
   * Each Enter clears the box at once and its entry joins a queue, so that quick
   * lines are never dropped and reach the log in the order typed; a failed one
   * comes back into the box with the reason.
   */
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseQuickLog(text, kind);
    if (!parsed.text.trim()) return;
    setText('');
    setError(null);
    queue.current = queue.current
      .then(() =>
        parsed.kind === 'hypothesis'
          ? post(`/api/incidents/${incidentKey}/hypotheses`, { statement: parsed.text })
          : post(`/api/incidents/${incidentKey}/timeline`, {
              kind: parsed.kind,
              text: parsed.text,
            }),
      )
      .catch((failure) => {
        setError(messageOf(failure));
        setText((current) => current || text);
      });
  }

  const preview = parseQuickLog(text, kind).kind;
  return (
    <form className="quick-log" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="quick-log-kind">
        Kind of entry
      </label>
      <select id="quick-log-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
        {KINDS.map((k) => (
          <option key={k}>{k}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="quick-log-text">
        Log to the timeline
      </label>
      <input
        id="quick-log-text"
        ref={input}
        autoComplete="off"
        placeholder="What happened? Enter logs it (a: action, f: finding, h: hypothesis)"
        aria-describedby="quick-log-hint"
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={100_000}
      />
      <button type="submit">Log {preview}</button>
      <p id="quick-log-hint" className="muted small">
        Prefixes: <kbd>a:</kbd> action, <kbd>f:</kbd> finding, <kbd>d:</kbd> decision, <kbd>h:</kbd>{' '}
        hypothesis. Press <kbd>l</kbd> to come back here.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
