import type { ReactNode } from 'react';
import { followLink, useLocation } from '../router.ts';
import { canWrite, useSession } from '../session.ts';
import { ThemeToggle } from './theme-toggle.tsx';

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const { path } = useLocation();
  const current = href === '/' ? path === '/' || path.startsWith('/incidents') : path === href;
  return (
    <a href={href} onClick={followLink} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="/" onClick={followLink}>
          Calm
        </a>
        <nav aria-label="Main">
          <NavLink href="/">Incidents</NavLink>
          {canWrite(user) && <NavLink href="/declare">Declare</NavLink>}
          <NavLink href="/action-items">Action items</NavLink>
          <NavLink href="/insights">Insights</NavLink>
          {user.role === 'admin' && <NavLink href="/status-page">Status page</NavLink>}
        </nav>
        <div className="topbar-end">
          <ThemeToggle />
          <span className="muted who">
            {user.name} · {user.role}
          </span>
          <button type="button" className="ghost" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
