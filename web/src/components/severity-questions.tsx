/**
 * The severity assessment: the team's questions (GET /api/severity/questions),
 * and after each answer the level the framework suggests and why
 * (POST /api/severity/assess, which writes nothing). Unanswered questions are
 * left out, as the CLI does.
 */
import { useEffect, useState } from 'react';
import { messageOf, post } from '../api.ts';
import type { Answers, Question, Suggestion } from '../types.ts';
import { useFetch } from '../use-fetch.ts';

const AFFECTED_LABELS: Record<string, string> = {
  all: 'all customers',
  subset: 'some customers',
  internal: 'internal users only',
  none: 'nobody yet',
};

function QuestionField({
  question,
  value,
  onChange,
}: {
  question: Question;
  value: boolean | string | undefined;
  onChange(value: boolean | string | undefined): void;
}) {
  const choices = question.choices ?? ['yes', 'no'];
  const current = typeof value === 'boolean' ? (value ? 'yes' : 'no') : (value ?? '');
  return (
    <fieldset className="question">
      <legend>{question.question}</legend>
      <div className="choices">
        {[...choices, ''].map((choice) => (
          <label key={choice || 'unknown'} className="choice">
            <input
              type="radio"
              name={`q-${question.key}`}
              value={choice}
              checked={current === choice}
              onChange={() => {
                if (choice === '') onChange(undefined);
                else if (question.choices) onChange(choice);
                else onChange(choice === 'yes');
              }}
            />
            {choice === '' ? 'not sure' : (AFFECTED_LABELS[choice] ?? choice)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function SeverityQuestions({
  answers,
  onAnswers,
  onSuggestion,
}: {
  answers: Answers;
  onAnswers(answers: Answers): void;
  onSuggestion(suggestion: Suggestion | null): void;
}) {
  const questions = useFetch<{ items: Question[] }>('/api/severity/questions');
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const answered = Object.keys(answers).length;

  useEffect(() => {
    if (answered === 0) {
      setSuggestion(null);
      onSuggestion(null);
      return;
    }
    let current = true;
    post<Suggestion>('/api/severity/assess', answers)
      .then((result) => {
        if (!current) return;
        setSuggestion(result);
        setError(null);
        onSuggestion(result);
      })
      .catch((failure) => current && setError(messageOf(failure)));
    return () => {
      current = false;
    };
  }, [answers, answered, onSuggestion]);

  return (
    <div className="assessment">
      {questions.error && <p className="error">{questions.error}</p>}
      {questions.data?.items.map((question) => (
        <QuestionField
          key={question.key}
          question={question}
          value={answers[question.key]}
          onChange={(value) => {
            const next = { ...answers };
            if (value === undefined) delete next[question.key];
            else next[question.key] = value;
            onAnswers(next);
          }}
        />
      ))}
      <output className="suggestion" aria-live="polite">
        {error && <span className="error">{error}</span>}
        {!error && !suggestion && 'Answer what you know; the suggested level shows here.'}
        {!error && suggestion && (
          <>
            Suggested: <strong>{suggestion.level.key}</strong> ({suggestion.level.name}) —{' '}
            {suggestion.reason}
          </>
        )}
      </output>
    </div>
  );
}
