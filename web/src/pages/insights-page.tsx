/**
 * Insights across the team's incidents (GET /api/insights; loaded on first
 * visit): counts by severity, service and cause category as charts, time to
 * detect, acknowledge and resolve by month, open action items, postmortems
 * owed, and the incidents that happened before. The period (whole UTC days,
 * as the API reads a day) lives in the address.
 */
import { useEffect } from 'react';
import { CountBars } from '../review/count-bars.tsx';
import { MonthlyTimes } from '../review/monthly-times.tsx';
import { RecurringList } from '../review/recurring-list.tsx';
import '../review/review.css';
import { followLink, navigate, useLocation } from '../router.ts';
import type { Insights } from '../types.ts';
import { useFetch } from '../use-fetch.ts';

type Report = Insights & { period: { since: number | null; until: number | null } };

/** The day after `day` (YYYY-MM-DD): the API's until is exclusive, the To day is included. */
const dayAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function InsightsPage() {
  const { query } = useLocation();
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const params = new URLSearchParams();
  if (from) params.set('since', from);
  if (to) params.set('until', dayAfter(to));
  const report = useFetch<Report>(`/api/insights${params.size ? `?${params}` : ''}`);
  const setPeriod = (next: { from?: string; to?: string }) => {
    const address = new URLSearchParams();
    const period = { from, to, ...next };
    if (period.from) address.set('from', period.from);
    if (period.to) address.set('to', period.to);
    navigate(`/insights${address.size ? `?${address}` : ''}`, { replace: true });
  };
  useEffect(() => {
    document.title = 'Insights · Calm';
  }, []);

  const data = report.data;
  return (
    <section className="page insights-page" aria-labelledby="insights-title">
      <div className="page-head">
        <h1 id="insights-title">Insights</h1>
        <form className="row" onSubmit={(e) => e.preventDefault()}>
          <label>
            Declared from
            <input type="date" value={from} onChange={(e) => setPeriod({ from: e.target.value })} />
          </label>
          <label>
            to (included, UTC)
            <input type="date" value={to} onChange={(e) => setPeriod({ to: e.target.value })} />
          </label>
        </form>
      </div>
      {report.error && (
        <p className="error" role="alert">
          {report.error}
        </p>
      )}
      {!data && !report.error && <p className="loading">Reading the incidents…</p>}
      {data && (
        <>
          <div className="card insight-facts">
            <p>
              <strong className="big">{data.incidents}</strong>{' '}
              {data.incidents === 1 ? 'incident' : 'incidents'}
              {data.declined > 0 && (
                <span className="muted"> ({data.declined} declined, not counted)</span>
              )}
            </p>
            <p>
              <strong className="big">{data.actionItems.open}</strong> open action{' '}
              {data.actionItems.open === 1 ? 'item' : 'items'} on {data.actionItems.incidents}{' '}
              {data.actionItems.incidents === 1 ? 'incident' : 'incidents'} ·{' '}
              <a href="/action-items" onClick={followLink}>
                all action items
              </a>
            </p>
            <p>
              <strong className="big">{data.postmortemsOutstanding.count}</strong>{' '}
              {data.postmortemsOutstanding.count === 1 ? 'postmortem' : 'postmortems'} owed
              {data.postmortemsOutstanding.keys.map((key, i) => (
                <span key={key}>
                  {i === 0 ? ': ' : ', '}
                  <a href={`/incidents/${key}/postmortem`} onClick={followLink}>
                    {key}
                  </a>
                </span>
              ))}
            </p>
          </div>
          <div className="insight-counts">
            <CountBars title="By severity" counts={data.bySeverity} />
            <CountBars title="By service" counts={data.byService} />
            <CountBars title="By cause category" counts={data.byCause} />
          </div>
          <MonthlyTimes times={data.times} />
          <RecurringList groups={data.recurring} />
        </>
      )}
    </section>
  );
}
