/**
 * The app: who is logged in (GET /api/me on load; a 401 anywhere shows the
 * login page again), the layout, and which page the path names.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, get, hasCsrfToken, LOGGED_OUT_EVENT, setCsrfToken } from './api.ts';
import { Layout } from './components/layout.tsx';
import { DeclarePage } from './pages/declare-page.tsx';
import { IncidentPage } from './pages/incident-page.tsx';
import { IncidentsPage } from './pages/incidents-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { useLocation } from './router.ts';
import { type Session, SessionContext } from './session.ts';
import type { User } from './types.ts';

// pages few people open are loaded when first opened, to keep the first load small
const StatusAdminPage = lazy(() =>
  import('./pages/status-admin-page.tsx').then((m) => ({ default: m.StatusAdminPage })),
);
const EvidencePage = lazy(() =>
  import('./pages/evidence-page.tsx').then((m) => ({ default: m.EvidencePage })),
);

const PostmortemPage = lazy(() =>
  import('./pages/postmortem-page.tsx').then((m) => ({ default: m.PostmortemPage })),
);

const InsightsPage = lazy(() =>
  import('./pages/insights-page.tsx').then((m) => ({ default: m.InsightsPage })),
);
const ActionItemsPage = lazy(() =>
  import('./pages/action-items-page.tsx').then((m) => ({ default: m.ActionItemsPage })),
);

type Who = { state: 'checking' } | { state: 'out' } | { state: 'in'; user: User };

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/incidents') return <IncidentsPage />;
  if (path === '/declare') return <DeclarePage />;
  if (path === '/status-page') return <StatusAdminPage />;
  if (path === '/insights') return <InsightsPage />;
  if (path === '/action-items') return <ActionItemsPage />;
  const evidence = /^\/incidents\/(INC-\d+)\/evidence$/i.exec(path)?.[1];
  if (evidence) return <EvidencePage key={evidence} incidentKey={evidence.toUpperCase()} />;
  const postmortem = /^\/incidents\/(INC-\d+)\/postmortem$/i.exec(path)?.[1];
  if (postmortem) return <PostmortemPage key={postmortem} incidentKey={postmortem.toUpperCase()} />;
  const incident = /^\/incidents\/(INC-\d+)$/i.exec(path)?.[1];
  if (incident) return <IncidentPage key={incident} incidentKey={incident.toUpperCase()} />;
  return <NotFoundPage />;
}

export function App() {
  const [who, setWho] = useState<Who>({ state: 'checking' });
  const { path } = useLocation();

  useEffect(() => {
    // without a CSRF token this browser never logged in (or logged out): no need to ask
    if (!hasCsrfToken()) setWho({ state: 'out' });
    else
      get<User>('/api/me')
        .then((user) => setWho({ state: 'in', user }))
        .catch(() => setWho({ state: 'out' }));
    const loggedOut = () => setWho({ state: 'out' });
    window.addEventListener(LOGGED_OUT_EVENT, loggedOut);
    return () => window.removeEventListener(LOGGED_OUT_EVENT, loggedOut);
  }, []);

  const logout = useCallback(() => {
    api('DELETE', '/api/session').catch(() => {});
    setCsrfToken(null);
    setWho({ state: 'out' });
  }, []);
  const session = useMemo<Session | null>(
    () => (who.state === 'in' ? { user: who.user, logout } : null),
    [who, logout],
  );

  useEffect(() => {
    if (who.state === 'out') document.title = 'Log in · Calm';
  }, [who.state]);

  if (who.state === 'checking') return <p className="loading">Loading…</p>;
  if (!session) return <LoginPage onLogin={(user) => setWho({ state: 'in', user })} />;
  return (
    <SessionContext.Provider value={session}>
      <Layout>
        <Suspense fallback={<p className="loading">Loading…</p>}>
          <Page path={path} />
        </Suspense>
      </Layout>
    </SessionContext.Provider>
  );
}
