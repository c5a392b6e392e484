/**
 * Declare an incident: what is broken, where, and the severity assessment.
 * One write (POST /api/incidents) records the incident with its level and
 * the reason ("assessed: ..." as the CLI records it), then the incident page opens.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { SeverityQuestions } from '../components/severity-questions.tsx';
import { navigate } from '../router.ts';
import type { Answers, IncidentState, SeverityFramework, Suggestion } from '../types.ts';
import { useFetch } from '../use-fetch.ts';
import { useFocusOnMount } from '../use-focus-on-mount.ts';

const SUGGESTED = '';

export function DeclarePage() {
  const [title, setTitle] = useState('');
  const [services, setServices] = useState('');
  const [summary, setSummary] = useState('');
  const [answers, setAnswers] = useState<Answers>({});
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [level, setLevel] = useState(SUGGESTED);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useFocusOnMount<HTMLInputElement>();
  const framework = useFetch<SeverityFramework>('/api/severity-framework');
  const onSuggestion = useCallback((s: Suggestion | null) => setSuggestion(s), []);

  useEffect(() => {
    document.title = 'Declare · Calm';
  }, []);

  const severity =
    level !== SUGGESTED
      ? { severity: level, severityReason: 'chosen when declared' }
      : suggestion
        ? { severity: suggestion.level.key, severityReason: `assessed: ${suggestion.reason}` }
        : {};

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const list = services
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const result = await post<{ incident: IncidentState }>('/api/incidents', {
        title,
        ...(summary.trim() ? { summary } : {}),
        ...(list.length ? { services: list } : {}),
        ...severity,
      });
      navigate(`/incidents/${result.incident.key}`);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }

  return (
    <section className="page narrow">
      <h1>Declare an incident</h1>
      <form className="card stack" onSubmit={submit}>
        <label>
          What is broken?
          <input
            name="title"
            required
            maxLength={300}
            ref={first}
            placeholder="Checkout returns 500 for some customers"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <label>
          <span>
            Services <span className="muted">(comma-separated)</span>
          </span>
          <input
            name="services"
            placeholder="checkout, payments"
            value={services}
            onChange={(e) => setServices(e.target.value)}
          />
        </label>
        <label>
          <span>
            Summary <span className="muted">(optional)</span>
          </span>
          <textarea
            name="summary"
            rows={3}
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
          />
        </label>
        <h2>Severity</h2>
        <SeverityQuestions answers={answers} onAnswers={setAnswers} onSuggestion={onSuggestion} />
        <label>
          Level
          <select name="level" value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value={SUGGESTED}>
              {suggestion ? `the suggested one (${suggestion.level.key})` : 'none yet'}
            </option>
            {framework.data?.levels.map((l) => (
              <option key={l.key} value={l.key}>
                {l.key} — {l.name}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Declaring…' : 'Declare'}
        </button>
      </form>
    </section>
  );
}
