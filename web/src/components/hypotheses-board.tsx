/**
 * Hypotheses in four columns: proposed, testing, eliminated, confirmed.
 * Eliminating, confirming and reopening ask why (the server requires it, and
 * the review later reads it): the card opens a reason field first.
 */
import { type FormEvent, useState } from 'react';
import { messageOf, post } from '../api.ts';
import { canWrite, useSession } from '../session.ts';
import { HYPOTHESIS_STATUSES, type Hypothesis, type HypothesisStatus } from '../types.ts';
import { useFocusOnMount } from '../use-focus-on-mount.ts';

const MOVES: Record<HypothesisStatus, { to: HypothesisStatus; label: string }[]> = {
  proposed: [
    { to: 'testing', label: 'Test' },
    { to: 'eliminated', label: 'Eliminate' },
    { to: 'confirmed', label: 'Confirm' },
  ],
  testing: [
    { to: 'eliminated', label: 'Eliminate' },
    { to: 'confirmed', label: 'Confirm' },
  ],
  eliminated: [{ to: 'testing', label: 'Reopen' }],
  confirmed: [{ to: 'testing', label: 'Reopen' }],
};

const needsReason = (from: HypothesisStatus, to: HypothesisStatus) =>
  to === 'eliminated' || to === 'confirmed' || from === 'eliminated' || from === 'confirmed';

function ReasonForm({
  label,
  onSubmit,
  onCancel,
}: {
  label: string;
  onSubmit(reason: string): void;
  onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  const field = useFocusOnMount<HTMLInputElement>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) onSubmit(reason.trim());
  };
  return (
    <form className="reason" onSubmit={submit}>
      <label>
        {label}: why?
        <input
          ref={field}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        />
      </label>
      <div className="row">
        <button type="submit" className="primary">
          {label}
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function HypothesisCard({
  incidentKey,
  hypothesis,
  writable,
}: {
  incidentKey: string;
  hypothesis: Hypothesis;
  writable: boolean;
}) {
  const [asking, setAsking] = useState<{ to: HypothesisStatus; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastReason = hypothesis.moves.at(-1)?.reason;
  const move = async (to: HypothesisStatus, reason?: string) => {
    setError(null);
    try {
      await post(`/api/incidents/${incidentKey}/hypotheses/move`, {
        number: hypothesis.number,
        status: to,
        ...(reason ? { reason } : {}),
      });
      setAsking(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <li className="hypothesis card" aria-label={`H${hypothesis.number}`}>
      <p>
        <strong>H{hypothesis.number}</strong> {hypothesis.statement}
      </p>
      {lastReason && <p className="muted small">Why: {lastReason}</p>}
      {writable && !asking && (
        <div className="row">
          {MOVES[hypothesis.status].map((m) => (
            <button
              key={m.to}
              type="button"
              className="small"
              aria-label={`${m.label} H${hypothesis.number}`}
              onClick={() => (needsReason(hypothesis.status, m.to) ? setAsking(m) : move(m.to))}
            >
              {m.label}
            </button>
          ))}
        </div>
      )}
      {asking && (
        <ReasonForm
          label={asking.label}
          onSubmit={(reason) => move(asking.to, reason)}
          onCancel={() => setAsking(null)}
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function ProposeForm({ incidentKey }: { incidentKey: string }) {
  const [statement, setStatement] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!statement.trim()) return;
    try {
      await post(`/api/incidents/${incidentKey}/hypotheses`, { statement });
      setStatement('');
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <form className="propose row" onSubmit={submit}>
      <label className="grow">
        <span className="visually-hidden">New hypothesis</span>
        <input
          placeholder="A hypothesis: the 14:02 deploy broke the payment client"
          value={statement}
          onChange={(e) => setStatement(e.target.value)}
        />
      </label>
      <button type="submit">Propose</button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function HypothesesBoard({
  incidentKey,
  hypotheses,
}: {
  incidentKey: string;
  hypotheses: Hypothesis[];
}) {
  const { user } = useSession();
  const writable = canWrite(user);
  return (
    <section className="hypotheses card" aria-labelledby="hypotheses-title">
      <h2 id="hypotheses-title">Hypotheses</h2>
      {writable && <ProposeForm incidentKey={incidentKey} />}
      <div className="board">
        {HYPOTHESIS_STATUSES.map((status) => {
          const column = hypotheses.filter((h) => h.status === status);
          return (
            <section key={status} className={`column column-${status}`} aria-label={status}>
              <h3>
                {status} <span className="muted">{column.length}</span>
              </h3>
              <ul>
                {column.map((h) => (
                  <HypothesisCard
                    key={h.number}
                    incidentKey={incidentKey}
                    hypothesis={h}
                    writable={writable}
                  />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}
