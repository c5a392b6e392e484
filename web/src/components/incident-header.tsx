/**
 * Who and where an incident stands: status, severity, commander, how long
 * since impact started, and a countdown to each audience's next update.
 */
import { useState } from 'react';
import { messageOf, post } from '../api.ts';
import { followLink } from '../router.ts';
import { canWrite, useSession } from '../session.ts';
import { formatDuration } from '../time.ts';
import { type DueText, type IncidentState, STATUSES } from '../types.ts';
import { useNow } from '../use-now.ts';
import { SeverityBadge, StatusBadge } from './badges.tsx';

/** Countdowns from the server's own arithmetic, moved on by the local clock since it answered. */
function UpdatesDue({ updates, fetchedAt }: { updates: DueText[]; fetchedAt: number }) {
  const now = useNow();
  if (updates.length === 0) return null;
  return (
    <ul className="due" aria-label="Next status updates">
      {updates.map((due) => {
        const overdue = due.overdueByMs + (now - fetchedAt);
        return (
          <li key={due.audience} className={overdue > 0 ? 'overdue' : undefined}>
            <span className="due-audience">{due.audience}</span>{' '}
            {overdue > 0
              ? `overdue by ${formatDuration(overdue)}`
              : `in ${formatDuration(overdue)}`}
          </li>
        );
      })}
    </ul>
  );
}

function StatusControl({ incident }: { incident: IncidentState }) {
  const [error, setError] = useState<string | null>(null);
  const move = async (status: string) => {
    setError(null);
    try {
      await post(`/api/incidents/${incident.key}/status`, { status });
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const done = ['resolved', 'closed', 'declined'].includes(incident.status);
  return (
    <div className="status-control">
      {!done && (
        <button type="button" className="primary" onClick={() => move('resolved')}>
          Resolve
        </button>
      )}
      <select
        value=""
        onChange={(e) => e.target.value && move(e.target.value)}
        aria-label="Move to status"
      >
        <option value="">Move to…</option>
        {STATUSES.filter((s) => s !== incident.status).map((status) => (
          <option key={status}>{status}</option>
        ))}
      </select>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function IncidentHeader({
  incident,
  updates,
  fetchedAt,
}: {
  incident: IncidentState;
  updates: DueText[];
  fetchedAt: number;
}) {
  const { user } = useSession();
  const now = useNow();
  const started = incident.milestones.impact_started ?? incident.milestones.declared;
  const ended = incident.milestones.resolved;
  const commander = incident.roles.commander;
  const [error, setError] = useState<string | null>(null);
  const takeCommand = () =>
    post(`/api/incidents/${incident.key}/roles`, { role: 'commander', person: user.name }).then(
      () => setError(null),
      (failure) => setError(messageOf(failure)),
    );
  return (
    <header className="incident-header card">
      <div className="incident-title">
        <h1>
          <span className="muted">{incident.key}</span> {incident.title}
        </h1>
        <div className="facts">
          <StatusBadge status={incident.status} />
          <SeverityBadge severity={incident.severity} />
          <span>
            Commander: <strong>{commander ?? 'nobody yet'}</strong>
            {!commander && canWrite(user) && (
              <button type="button" className="link" onClick={takeCommand}>
                take command
              </button>
            )}
          </span>
          {started !== undefined && (
            <span>
              {ended ? 'Impact lasted' : 'Impact for'}{' '}
              <strong className="tabular">{formatDuration((ended ?? now) - started)}</strong>
            </span>
          )}
          {incident.services.length > 0 && <span>Services: {incident.services.join(', ')}</span>}
          <a href={`/incidents/${incident.key}/evidence`} onClick={followLink}>
            Evidence (log analyses)
          </a>
          <a href={`/incidents/${incident.key}/postmortem`} onClick={followLink}>
            Postmortem
          </a>
        </div>
        <UpdatesDue updates={updates} fetchedAt={fetchedAt} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
      {canWrite(user) && <StatusControl incident={incident} />}
    </header>
  );
}
