// Vigil's web UI: events, one event, notebooks, access. Hash routes (#/, #/events/NAME, #/notebook/NAME, #/access).

import '@picocss/pico/css/pico.min.css';
import './styles.css';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, setOnUnauthorized } from './api';
import { AccessPage } from './pages/AccessPage';
import { EventPage } from './pages/EventPage';
import { EventsPage } from './pages/EventsPage';
import { NotebookPage } from './pages/NotebookPage';

interface Me {
  user?: string;
  role?: string;
  auth: boolean;
}

/** Vigil's name and what it is for, at the top of every page (the sign-in page too). */
function Brand() {
  return (
    <ul>
      <li>
        <a href="#/" className="brand">
          <span className="dot" />
          Vigil
        </a>
      </li>
      <li className="muted tagline">crisis informatics: collect, classify, analyse</li>
    </ul>
  );
}

function LoginPage({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <header className="topbar" data-testid="signin-header">
        <nav className="container">
          <Brand />
        </nav>
      </header>
      <main className="container login">
        <article>
          <h2>Sign in to Vigil</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              api('POST', '/api/auth/login', { name, password }).then(onDone, (err: Error) => setError(err.message));
            }}
          >
            <label htmlFor="login-name">User</label>
            <input id="login-name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} />
            <label htmlFor="login-password">Password</label>
            <input id="login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            {error && (
              <small className="error" role="alert">
                {error}
              </small>
            )}
            <button type="submit">Sign in</button>
          </form>
          <p className="muted">
            First time here? Open the sign-in link Vigil printed in its log when it started (<code>sign in: open …/signin?code=…</code>), or run{' '}
            <code>vigil login</code> for a new one; it signs you in as <code>admin</code>. Then set a password on the Access page.
          </p>
        </article>
      </main>
    </>
  );
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = (): void => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function App() {
  const [me, setMe] = useState<Me | null | 'login'>(null);
  const check = (): void => {
    api<Me>('GET', '/api/auth/me').then(setMe, () => setMe('login'));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, at start: who is signed in
  useEffect(() => {
    setOnUnauthorized(() => setMe('login'));
    check();
  }, []);
  const hash = useHash().replace(/^#/, '') || '/';
  if (me === 'login') return <LoginPage onDone={check} />;
  if (me === null) return <main className="container" aria-busy="true" />;
  const [, section, arg] = hash.split('/');
  const name = arg ? decodeURIComponent(arg) : null;
  let page = <EventsPage />;
  if (section === 'events' && name) page = <EventPage name={name} />;
  else if (section === 'notebook') page = <NotebookPage name={name} />;
  else if (section === 'access') page = <AccessPage user={me.user ?? 'local'} role={(me.role ?? 'viewer') as 'admin' | 'analyst' | 'viewer'} auth={me.auth} />;
  return (
    <>
      <header className="topbar">
        <nav className="container">
          <Brand />
          <ul>
            <li>
              <a href="#/" aria-current={section !== 'notebook' && section !== 'access' ? 'page' : undefined}>
                Events
              </a>
            </li>
            <li>
              <a href="#/notebook" aria-current={section === 'notebook' ? 'page' : undefined}>
                Notebook
              </a>
            </li>
            <li>
              <a href="#/access" aria-current={section === 'access' ? 'page' : undefined}>
                Access
              </a>
            </li>
            {me.auth && (
              <li>
                <button
                  type="button"
                  className="link-button"
                  data-testid="logout"
                  onClick={() => void api('POST', '/api/auth/logout').then(() => setMe('login'))}
                >
                  {me.user} ({me.role}) · sign out
                </button>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main className="container">{page}</main>
    </>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(<App />);
