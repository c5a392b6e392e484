/** Log in: POST /api/session sets the session cookie and returns the CSRF token for writes. */
import { type FormEvent, useEffect, useState } from 'react';
import { messageOf, post, setCsrfToken } from '../api.ts';
import { ThemeToggle } from '../components/theme-toggle.tsx';
import type { User } from '../types.ts';
import { useFocusOnMount } from '../use-focus-on-mount.ts';

export function LoginPage({ onLogin }: { onLogin(user: User): void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useFocusOnMount<HTMLInputElement>();

  useEffect(() => {
    document.title = 'Log in · Calm';
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await post<{ user: User; csrfToken: string }>('/api/session', {
        name,
        password,
      });
      setCsrfToken(result.csrfToken);
      onLogin(result.user);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <div className="login-theme">
        <ThemeToggle />
      </div>
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Calm</h1>
        <p className="muted">Log in to run incidents with your team.</p>
        <label>
          Name
          <input
            name="name"
            autoComplete="username"
            required
            ref={first}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted small">
          No account? An admin creates one: <code>calm user add NAME</code>
        </p>
      </form>
    </main>
  );
}
