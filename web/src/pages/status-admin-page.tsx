/**
 * The status page admin (admins only, loaded when first opened): the
 * components customers see and their states, and what each active incident
 * tells the public. The public page itself is the server's /status.
 */
import { useCallback, useEffect, useState } from 'react';
import { get, messageOf } from '../api.ts';
import { PublicUpdatesPanel } from '../components/public-updates-panel.tsx';
import { StatusComponentAdd } from '../components/status-component-add.tsx';
import { StatusComponentCard } from '../components/status-component-card.tsx';
import { useSession } from '../session.ts';
import type { PublicStatus, StatusComponent } from '../types.ts';
import { useFetch } from '../use-fetch.ts';

export function StatusAdminPage() {
  const { user } = useSession();
  const admin = user.role === 'admin';
  const components = useFetch<{ items: StatusComponent[] }>(
    admin ? '/api/status-page/components' : null,
  );
  const [published, setPublished] = useState<PublicStatus>();
  const [error, setError] = useState<string | null>(null);
  // the public JSON may be kept by the browser for a while: ask again each time
  const readPublished = useCallback(() => {
    get<PublicStatus>('/status.json', { cache: 'no-cache' })
      .then(setPublished)
      .catch((failure) => setError(messageOf(failure)));
  }, []);
  useEffect(() => {
    if (admin) readPublished();
  }, [admin, readPublished]);
  // counts the changes made here: how each incident shows depends on the components too
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => {
    components.reload();
    readPublished();
    setVersion((n) => n + 1);
  }, [components.reload, readPublished]);

  useEffect(() => {
    document.title = 'Status page · Calm';
  }, []);

  if (!admin) {
    return (
      <section className="page">
        <h1>Status page</h1>
        <p>
          Only admins manage the status page. The public page is at <a href="/status">/status</a>.
        </p>
      </section>
    );
  }
  const overall = published?.overall;
  return (
    <section className="page stack status-admin">
      <div className="page-head">
        <h1>Status page</h1>
        <a className="button" href="/status" target="_blank" rel="noopener">
          Open the public page<span className="visually-hidden"> (new tab)</span>
        </a>
      </div>
      {overall && (
        <p>
          The public page says:{' '}
          <span className={`badge component-${overall.state}`}>{overall.label}</span>
        </p>
      )}
      {(components.error || error) && (
        <p className="error" role="alert">
          {components.error ?? error}
        </p>
      )}
      <section className="stack" aria-labelledby="components-title">
        <h2 id="components-title">Components</h2>
        {components.data?.items.length === 0 && (
          <p className="muted">No components yet: add the parts of the product customers know.</p>
        )}
        {components.data?.items.map((component) => (
          <StatusComponentCard key={component.id} component={component} onChanged={reload} />
        ))}
        <StatusComponentAdd onAdded={reload} />
      </section>
      <PublicUpdatesPanel
        published={published?.activeIncidents ?? []}
        version={version}
        onChanged={reload}
      />
    </section>
  );
}
