/**
 * Incidents, newest first, with filters (status, severity, service, when
 * declared: a recent period or any range of days) and a search; the filters
 * live in the URL so a filtered list can be shared.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { get, messageOf } from '../api.ts';
import { SeverityBadge, StatusBadge } from '../components/badges.tsx';
import { followLink, navigate, useLocation } from '../router.ts';
import { canWrite, useSession } from '../session.ts';
import { formatDateTime } from '../time.ts';
import {
  ACTIVE_STATUSES,
  type IncidentList,
  type IncidentState,
  type SeverityFramework,
  STATUSES,
} from '../types.ts';
import { useFetch } from '../use-fetch.ts';

const FILTERS = ['status', 'severity', 'service', 'within', 'from', 'to', 'q'] as const;
/** "Declared within": the periods offered, in milliseconds. */
const PERIODS: Record<string, { label: string; ms: number }> = {
  '24h': { label: 'the last 24 hours', ms: 86_400_000 },
  '7d': { label: 'the last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'the last 30 days', ms: 30 * 86_400_000 },
};
/** "Declared" between two days (the select's last choice), each a local calendar day. */
const RANGE = 'range';
type Filters = Record<(typeof FILTERS)[number], string>;

/** The local midnight starting day `date` (YYYY-MM-DD) plus `days`; undefined when not a date. */
function localMidnight(date: string, days = 0): number | undefined {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  // built from parts, not parsed: 'YYYY-MM-DD' alone would be read as UTC
  return new Date(y, m - 1, d + days).getTime();
}

/** Since (inclusive) and until (exclusive) in epoch ms, as the API takes them. */
function declaredBetween(filters: Filters): { since?: number; until?: number } {
  if (filters.within === RANGE) {
    const since = localMidnight(filters.from);
    // the To day is included: until the midnight that ends it
    const until = localMidnight(filters.to, 1);
    return {
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
    };
  }
  const period = PERIODS[filters.within];
  // to the minute, so that the list's address (and what it fetched) holds still
  return period ? { since: Math.floor((Date.now() - period.ms) / 60_000) * 60_000 } : {};
}

function apiQuery(filters: Filters, cursor: string | null): string {
  const params = new URLSearchParams({ limit: '50' });
  // 'any' asks for every status; 'active' (the default) for the ones being worked on
  const statuses = filters.status === 'active' ? ACTIVE_STATUSES : [filters.status];
  for (const status of statuses) if (status !== 'any') params.append('status', status);
  if (filters.severity) params.set('severity', filters.severity);
  if (filters.service.trim()) params.set('service', filters.service.trim());
  if (filters.q.trim()) params.set('q', filters.q.trim());
  const { since, until } = declaredBetween(filters);
  if (since !== undefined) params.set('since', String(since));
  if (until !== undefined) params.set('until', String(until));
  if (cursor) params.set('cursor', cursor);
  return `/api/incidents?${params}`;
}

function FilterBar({ filters, levels }: { filters: Filters; levels: string[] }) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const apply = (next: Filters) => {
    const params = new URLSearchParams();
    // the dates only mean something while "between dates" is chosen
    const dated = next.within === RANGE;
    for (const key of FILTERS)
      if (next[key] && (dated || (key !== 'from' && key !== 'to'))) params.set(key, next[key]);
    navigate(`/?${params}`, { replace: true });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const reversed = draft.within === RANGE && draft.from && draft.to && draft.from > draft.to;
  return (
    <search aria-label="Filter incidents">
      <form className={`filters${draft.within === RANGE ? ' dated' : ''}`} onSubmit={submit}>
        <label>
          Search
          <input
            type="search"
            name="q"
            placeholder="title or summary"
            value={draft.q}
            onChange={(e) => setDraft({ ...draft, q: e.target.value })}
          />
        </label>
        <label>
          Status
          <select
            value={draft.status}
            onChange={(e) => apply({ ...draft, status: e.target.value })}
          >
            <option value="active">active</option>
            <option value="any">any</option>
            {STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          Severity
          <select
            value={draft.severity}
            onChange={(e) => apply({ ...draft, severity: e.target.value })}
          >
            <option value="">any</option>
            {levels.map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        </label>
        <label>
          Declared
          <select
            value={draft.within}
            onChange={(e) => apply({ ...draft, within: e.target.value })}
          >
            <option value="">any time</option>
            {Object.entries(PERIODS).map(([key, period]) => (
              <option key={key} value={key}>
                in {period.label}
              </option>
            ))}
            <option value={RANGE}>between dates…</option>
          </select>
        </label>
        {draft.within === RANGE && (
          <>
            <label>
              From
              <input
                type="date"
                value={draft.from}
                max={draft.to || undefined}
                onChange={(e) => apply({ ...draft, from: e.target.value })}
              />
            </label>
            <label>
              To (included)
              <input
                type="date"
                value={draft.to}
                min={draft.from || undefined}
                onChange={(e) => apply({ ...draft, to: e.target.value })}
              />
            </label>
          </>
        )}
        <label>
          Service
          <input
            name="service"
            placeholder="e.g. checkout"
            value={draft.service}
            onChange={(e) => setDraft({ ...draft, service: e.target.value })}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      {reversed && (
        <p className="error" role="alert">
          From is after To: no incident can match. Swap the dates.
        </p>
      )}
    </search>
  );
}

function IncidentRow({ incident }: { incident: IncidentState }) {
  const declared = incident.milestones.declared;
  return (
    <tr>
      <td>
        <a href={`/incidents/${incident.key}`} onClick={followLink}>
          {incident.key}
        </a>
      </td>
      <td className="title-cell">
        <a href={`/incidents/${incident.key}`} onClick={followLink} tabIndex={-1}>
          {incident.title}
        </a>
      </td>
      <td>
        <SeverityBadge severity={incident.severity} />
      </td>
      <td>
        <StatusBadge status={incident.status} />
      </td>
      <td>{incident.services.join(', ') || '—'}</td>
      <td>{declared ? formatDateTime(declared) : '—'}</td>
    </tr>
  );
}

export function IncidentsPage() {
  const { user } = useSession();
  const { query } = useLocation();
  const filters: Filters = {
    status: query.get('status') ?? 'active',
    severity: query.get('severity') ?? '',
    service: query.get('service') ?? '',
    within: query.get('within') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
    q: query.get('q') ?? '',
  };
  const path = apiQuery(filters, null);
  const first = useFetch<IncidentList>(path);
  const framework = useFetch<SeverityFramework>('/api/severity-framework');
  const [more, setMore] = useState<{ items: IncidentState[]; next: string | null }>();
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new list starts over
  useEffect(() => setMore(undefined), [path]);

  useEffect(() => {
    document.title = 'Incidents · Calm';
  }, []);

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    try {
      const page = await get<IncidentList>(apiQuery(filters, next));
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.nextCursor });
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section className="page">
      <div className="page-head">
        <h1>Incidents</h1>
        {canWrite(user) && (
          <a className="button primary" href="/declare" onClick={followLink}>
            Declare an incident
          </a>
        )}
      </div>
      <FilterBar filters={filters} levels={framework.data?.levels.map((l) => l.key) ?? []} />
      {(first.error || error) && (
        <p className="error" role="alert">
          {first.error ?? error}
        </p>
      )}
      {first.data && items.length === 0 && (
        <p className="empty">No incidents match. Calm is calm.</p>
      )}
      {items.length > 0 && (
        <table className="incidents">
          <caption className="visually-hidden">Incidents, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">Status</th>
              <th scope="col">Services</th>
              <th scope="col">Declared</th>
            </tr>
          </thead>
          <tbody>
            {items.map((incident) => (
              <IncidentRow key={incident.id} incident={incident} />
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={loadMore}>
          Show more
        </button>
      )}
    </section>
  );
}
