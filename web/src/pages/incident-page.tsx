/**
 * One incident, live: the header, the timeline with the quick-log box (and
 * the form correcting an entry, when one is chosen), the hypotheses, the
 * status-update composer, roles, impact, the cause chain, the action items
 * and the severity assessment. The timeline streams over SSE; each burst of
 * new entries reads the state again (the incident, and each audience's next
 * update from GET .../updates).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { get, messageOf } from '../api.ts';
import { ActionItemsPanel } from '../components/action-items-panel.tsx';
import { CauseChain } from '../components/cause-chain.tsx';
import { CorrectionForm } from '../components/correction-form.tsx';
import { HypothesesBoard } from '../components/hypotheses-board.tsx';
import { ImpactPanel } from '../components/impact-panel.tsx';
import { IncidentHeader } from '../components/incident-header.tsx';
import { QuickLog } from '../components/quick-log.tsx';
import { RelatedIncidents } from '../components/related-incidents.tsx';
import { RolesPanel } from '../components/roles-panel.tsx';
import { SeverityPanel } from '../components/severity-panel.tsx';
import { Timeline } from '../components/timeline.tsx';
import { UpdateComposer } from '../components/update-composer.tsx';
import { canWrite, useSession } from '../session.ts';
import type { DueText, IncidentState, TimelineEntry } from '../types.ts';
import { useLiveTimeline } from '../use-live-timeline.ts';

interface Overview {
  incident: IncidentState;
  updates: DueText[];
  fetchedAt: number;
}

/** The state, read again after new entries (at most one read in flight, one queued). */
function useOverview(incidentKey: string) {
  const [overview, setOverview] = useState<Overview>();
  const [error, setError] = useState<string | null>(null);
  const reading = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const refresh = useCallback(() => {
    if (reading.current) {
      again.current = true;
      return;
    }
    reading.current = Promise.all([
      get<IncidentState>(`/api/incidents/${incidentKey}`),
      get<{ updates: DueText[] }>(`/api/incidents/${incidentKey}/updates`),
    ])
      .then(([incident, { updates }]) => {
        setOverview({ incident, updates, fetchedAt: Date.now() });
        setError(null);
      })
      .catch((failure) => setError(messageOf(failure)))
      .finally(() => {
        reading.current = null;
        if (again.current) {
          again.current = false;
          refresh();
        }
      });
  }, [incidentKey]);
  return { overview, error, refresh };
}

/** The entry being corrected; closing the form gives the keyboard back where it was. */
function useCorrecting() {
  const [entry, setEntry] = useState<TimelineEntry | null>(null);
  const from = useRef<HTMLElement | null>(null);
  const open = useCallback((chosen: TimelineEntry) => {
    from.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setEntry(chosen);
  }, []);
  const close = useCallback(() => {
    setEntry(null);
    // the button may be gone (a struck entry offers none): then the log itself
    const back = from.current?.isConnected ? from.current : document.querySelector('.entries');
    (back as HTMLElement | null)?.focus();
  }, []);
  return { entry, open, close };
}

export function IncidentPage({ incidentKey }: { incidentKey: string }) {
  const { user } = useSession();
  const { overview, error, refresh } = useOverview(incidentKey);
  const { entries, connection } = useLiveTimeline(incidentKey, refresh);
  useEffect(refresh, [refresh]);
  const correcting = useCorrecting();
  const incident = overview?.incident;

  useEffect(() => {
    document.title = incident
      ? `${incident.key} ${incident.title} · Calm`
      : `${incidentKey} · Calm`;
  }, [incident, incidentKey]);

  if (!overview) {
    return (
      <section className="page">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : (
          <p className="loading">Loading {incidentKey}…</p>
        )}
      </section>
    );
  }
  const writable = canWrite(user);
  return (
    <div className="incident-page">
      <IncidentHeader
        incident={overview.incident}
        updates={overview.updates}
        fetchedAt={overview.fetchedAt}
      />
      <RelatedIncidents incident={overview.incident} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="incident-columns">
        <div className="incident-main">
          <Timeline
            entries={entries}
            connection={connection}
            {...(writable ? { onCorrect: correcting.open } : {})}
          />
          {writable && correcting.entry && (
            <CorrectionForm
              key={correcting.entry.seq}
              incidentKey={incidentKey}
              entry={correcting.entry}
              onDone={correcting.close}
            />
          )}
          {writable && <QuickLog incidentKey={incidentKey} />}
          <RolesPanel incident={overview.incident} />
          <ImpactPanel incident={overview.incident} />
          <CauseChain incident={overview.incident} />
          <ActionItemsPanel incident={overview.incident} />
        </div>
        <div className="incident-side">
          <HypothesesBoard incidentKey={incidentKey} hypotheses={overview.incident.hypotheses} />
          {writable && <UpdateComposer incidentKey={incidentKey} />}
          {writable && (
            <SeverityPanel incidentKey={incidentKey} current={overview.incident.severity} />
          )}
        </div>
      </div>
    </div>
  );
}
