/**
 * "Review your log: look into each stage and analyse whether you used your
 * time well" (GET .../stages): the stages' durations and each hypothesis's
 * time open as bar charts, each with the same figures in words; the silences
 * in the log and the status updates that came late or never.
 */
import { formatClock, formatDuration } from '../time.ts';
import type { StageReview } from '../types.ts';
import { DurationBars } from './duration-bars.tsx';

const milestone = (name: string) => name.replace('_', ' ');

function Stages({ review }: { review: StageReview }) {
  const measured = review.stages.filter((s) => s.ms !== undefined);
  return (
    <div className="review-part wide">
      <h3>Stages</h3>
      {measured.length > 0 && (
        <DurationBars
          label={`Stage durations: ${measured.map((s) => `${s.label} ${formatDuration(s.ms ?? 0)}`).join(', ')}`}
          bars={measured.map((s) => ({ label: s.stage, ms: s.ms ?? 0 }))}
        />
      )}
      <ul className="plain figures">
        {review.stages.map((s) => (
          <li key={s.stage}>
            <span>{s.label}</span>{' '}
            {s.ms === undefined ? (
              <span className="muted">
                not measured: {milestone(s.from)} or {milestone(s.to)} not recorded
              </span>
            ) : (
              <>
                <strong className="tabular">{formatDuration(s.ms)}</strong>{' '}
                <span className="muted small">
                  ({milestone(s.from)} → {milestone(s.to)})
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Hypotheses({ review }: { review: StageReview }) {
  if (review.hypotheses.length === 0) return null;
  return (
    <div className="review-part">
      <h3>Time per hypothesis</h3>
      <DurationBars
        label={`Time each hypothesis stayed open: ${review.hypotheses.map((h) => `H${h.number} ${formatDuration(h.openMs)}`).join(', ')}`}
        bars={review.hypotheses.map((h) => ({ label: `H${h.number}`, ms: h.openMs }))}
      />
      <ul className="plain figures">
        {review.hypotheses.map((h) => (
          <li key={h.number}>
            <strong>H{h.number}</strong> {h.statement}:{' '}
            <strong className="tabular">{formatDuration(h.openMs)}</strong> open, {h.status}
            {h.reason && <span className="muted"> — {h.reason}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function GapsAndUpdates({ review }: { review: StageReview }) {
  const late = review.updates.filter((u) => u.lateByMs > 0);
  return (
    <div className="review-part">
      <h3>Silences and late updates</h3>
      {review.gaps.length === 0 ? (
        <p className="muted">No silence in the log over {review.gapMinutes} minutes.</p>
      ) : (
        <ul className="plain figures">
          {review.gaps.map((gap) => (
            <li key={gap.afterSeq}>
              Nothing logged for <strong className="tabular">{formatDuration(gap.ms)}</strong>,{' '}
              {formatClock(gap.from)} → {formatClock(gap.to)}
            </li>
          ))}
        </ul>
      )}
      {review.updates.length === 0 ? (
        <p className="muted">No audience had an update cadence.</p>
      ) : late.length === 0 ? (
        <p>Every status update was on time ({review.updates.length}).</p>
      ) : (
        <ul className="plain figures">
          {late.map((u) => (
            <li key={`${u.audience}-${u.dueAt}`} className="late">
              {u.at === undefined
                ? `The update to ${u.audience} due at ${formatClock(u.dueAt)} never came`
                : `The update to ${u.audience} at ${formatClock(u.at)} was late by ${formatDuration(u.lateByMs)}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function StageReviewView({ review }: { review: StageReview }) {
  return (
    <section className="card stage-review" aria-labelledby="stage-review-title">
      <h2 id="stage-review-title">Stage review</h2>
      {review.impact && (
        <p>
          Impact {review.impact.ongoing ? 'ongoing for' : 'lasted'}{' '}
          <strong className="tabular">{formatDuration(review.impact.ms)}</strong>.
        </p>
      )}
      <div className="review-parts">
        <Stages review={review} />
        <Hypotheses review={review} />
        <GapsAndUpdates review={review} />
      </div>
    </section>
  );
}
