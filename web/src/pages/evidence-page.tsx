/**
 * An incident's evidence: upload log files to analyze, or pick a saved
 * analysis (?analysis=N, so it can be bookmarked and reloaded), and read its
 * report with charts. Loaded on first visit: uPlot and the report's sections
 * stay out of the first load.
 */
import { useEffect, useState } from 'react';
import { get, messageOf } from '../api.ts';
import { count } from '../evidence/format.ts';
import type { AnalysisSummary, Report } from '../evidence/report-types.ts';
import { ReportView } from '../evidence/report-view.tsx';
import { UploadForm } from '../evidence/upload-form.tsx';
import { useNewAnalyses } from '../evidence/use-new-analyses.ts';
import { formatDateTime, zoneName } from '../time.ts';
import '../evidence/evidence.css';
import { followLink, navigate, useLocation } from '../router.ts';
import { canWrite, useSession } from '../session.ts';
import type { IncidentState } from '../types.ts';
import { useFetch } from '../use-fetch.ts';

interface Shown {
  analysis: AnalysisSummary;
  report: Report;
}

function SavedList({
  analyses,
  current,
  base,
}: {
  analyses: AnalysisSummary[];
  current: number | undefined;
  base: string;
}) {
  return (
    <nav className="card saved-analyses" aria-labelledby="saved-heading">
      <h2 id="saved-heading">Saved analyses</h2>
      {analyses.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {analyses.map((a) => (
            <li key={a.id}>
              <a
                href={`${base}?analysis=${a.id}`}
                onClick={followLink}
                aria-current={a.id === current ? 'page' : undefined}
              >
                <strong>{a.name}</strong>
                <span className="small muted">
                  #{a.id} · {formatDateTime(a.at)} · {a.author} · {count(a.errors)} errors of{' '}
                  {count(a.events)}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

export function EvidencePage({ incidentKey }: { incidentKey: string }) {
  const { user } = useSession();
  const { query } = useLocation();
  const picked = Number(query.get('analysis')) || undefined;
  const base = `/incidents/${incidentKey}/evidence`;
  const incident = useFetch<IncidentState>(`/api/incidents/${incidentKey}`);
  const saved = useFetch<{
    analyses: AnalysisSummary[];
    uploadLimitBytes: number;
    serverZone: string;
  }>(`/api/incidents/${incidentKey}/analyses`);
  // new analyses (saved here, elsewhere or from the CLI) show in the list as they come
  useNewAnalyses(incidentKey, incident.data?.version, saved.reload);
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<string | null>(null);
  const analyses = saved.data?.analyses;
  const latest = analyses?.[0]?.id;
  const wanted = picked ?? latest;

  useEffect(() => {
    document.title = `Evidence · ${incidentKey} · Calm`;
  }, [incidentKey]);

  useEffect(() => {
    if (wanted === undefined || shown?.analysis.id === wanted) return;
    let current = true;
    get<Shown>(`/api/incidents/${incidentKey}/analyses/${wanted}`)
      .then((result) => {
        if (!current) return;
        setShown(result);
        setError(null);
      })
      .catch((failure) => current && setError(messageOf(failure)));
    return () => {
      current = false;
    };
  }, [incidentKey, wanted, shown]);

  const done = (result: Shown) => {
    setShown(result);
    saved.reload();
    navigate(`${base}?analysis=${result.analysis.id}`, { replace: true });
  };

  return (
    <div className="evidence-page">
      <header className="evidence-header">
        <p className="small">
          <a href={`/incidents/${incidentKey}`} onClick={followLink}>
            ← {incidentKey}
            {incident.data ? ` ${incident.data.title}` : ''}
          </a>
        </p>
        <h1>Evidence</h1>
      </header>
      <div className="evidence-columns">
        <div className="evidence-side">
          {canWrite(user) && (
            <UploadForm
              incidentKey={incidentKey}
              limitBytes={saved.data?.uploadLimitBytes}
              onDone={done}
            />
          )}
          {saved.error && (
            <p className="error" role="alert">
              {saved.error}
            </p>
          )}
          {analyses && <SavedList analyses={analyses} current={shown?.analysis.id} base={base} />}
        </div>
        <div className="evidence-main">
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {shown ? (
            <>
              <h2 className="report-title">
                Analysis #{shown.analysis.id}: {shown.analysis.name}
                <span className="small muted">
                  {' '}
                  by {shown.analysis.author}, {formatDateTime(shown.analysis.at)}
                </span>
              </h2>
              {saved.data && (
                <p className="small muted">
                  {`Times in the report's sentences are in the server's zone, ${saved.data.serverZone}; the charts and tables show yours, ${zoneName}.`}
                </p>
              )}
              <ReportView report={shown.report} />
            </>
          ) : (
            analyses?.length === 0 && (
              <p className="empty">
                No analysis yet{canWrite(user) ? ': upload log files to start one.' : '.'}
              </p>
            )
          )}
        </div>
      </div>
    </div>
  );
}
