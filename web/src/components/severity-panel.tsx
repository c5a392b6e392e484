/** Assess (or re-assess) an incident's severity: POST .../severity with the answers. */
import { useCallback, useState } from 'react';
import { messageOf, post } from '../api.ts';
import type { Answers, Suggestion } from '../types.ts';
import { SeverityQuestions } from './severity-questions.tsx';

export function SeverityPanel({
  incidentKey,
  current,
}: {
  incidentKey: string;
  current: string | null;
}) {
  const [answers, setAnswers] = useState<Answers>({});
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onSuggestion = useCallback((s: Suggestion | null) => setSuggestion(s), []);
  const apply = async () => {
    setError(null);
    try {
      await post(`/api/incidents/${incidentKey}/severity`, { answers });
      setAnswers({});
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <details className="card severity-panel">
      <summary>Assess severity {current ? `(now ${current})` : '(none yet)'}</summary>
      <SeverityQuestions answers={answers} onAnswers={setAnswers} onSuggestion={onSuggestion} />
      <button
        type="button"
        className="primary"
        disabled={!suggestion || suggestion.level.key === current}
        onClick={apply}
      >
        {suggestion ? `Set ${suggestion.level.key}` : 'Set the suggested level'}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
