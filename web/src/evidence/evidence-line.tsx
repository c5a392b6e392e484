/** A line of the logs that shows an answer: where it is (file:line) and what it says. */
import type { Report } from './report-types.ts';

type Evidence = Report['onset']['firstError'] & {};

export function EvidenceLine({ evidence }: { evidence: Evidence }) {
  return (
    <p className="evidence-line">
      <span className="muted">
        {evidence.source}:{evidence.line}
        {evidence.host ? ` · ${evidence.host}` : ''}
      </span>{' '}
      <code>{evidence.text}</code>
    </p>
  );
}

/** A section of the report: the checklist's question, its answer in a sentence, the details. */
export function Question({
  id,
  question,
  answer,
  children,
}: {
  id: string;
  question: string;
  answer?: string | undefined;
  children?: React.ReactNode;
}) {
  return (
    <section className="ev-question" aria-labelledby={id}>
      <h3 id={id}>{question}</h3>
      {answer && <p className="ev-answer">{answer}</p>}
      {children}
    </section>
  );
}
