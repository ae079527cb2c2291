// Access: your API tokens (shown once, revocable) for everyone; users and the audit log for admins.

import { useEffect, useState } from 'react';
import { type Audit, api, enc, fmtTime, type Token, type User } from '../api';

type AccessLevel = User['role'];
const ACCESS_LEVELS: AccessLevel[] = ['admin', 'analyst', 'viewer'];
const ROLE_DOC: Record<AccessLevel, string> = {
  admin: 'users, events, sources and credentials',
  analyst: 'events, queries and exports',
  viewer: 'read only',
};

function useList<T>(path: string | null): [T[] | null, () => void, string | null] {
  const [rows, setRows] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (): void => {
    if (path) api<T[]>('GET', path).then(setRows, (e: Error) => setError(e.message));
  };
  useEffect(load, [path]);
  return [rows, load, error];
}

function Tokens({ myRole }: { myRole: AccessLevel }) {
  const [tokens, reload, error] = useList<Token>('/api/tokens');
  const [label, setLabel] = useState('');
  const [role, setRole] = useState<AccessLevel>(myRole === 'admin' ? 'analyst' : myRole);
  const [created, setCreated] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <article>
      <h3>Your API tokens</h3>
      <p className="muted">
        For the CLI and scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token is shown once, when it is created.
      </p>
      <form
        className="grid"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          api<{ token: string }>('POST', '/api/tokens', { label, role }).then(
            (t) => {
              setCreated(t.token);
              setLabel('');
              reload();
            },
            (err: Error) => setProblem(err.message),
          );
        }}
      >
        <input aria-label="token label" placeholder="what it is for, e.g. nightly export" value={label} onChange={(e) => setLabel(e.target.value)} />
        <select aria-label="token role" value={role} onChange={(e) => setRole(e.target.value as AccessLevel)}>
          {ACCESS_LEVELS.filter((r) => ACCESS_LEVELS.indexOf(r) >= ACCESS_LEVELS.indexOf(myRole)).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" disabled={label.trim() === ''}>
          Create token
        </button>
      </form>
      {problem && (
        <small className="error" role="alert">
          {problem}
        </small>
      )}
      {created && (
        <p data-testid="new-token">
          Copy it now, it will not be shown again: <code>{created}</code>
        </p>
      )}
      {error && <small className="error">{error}</small>}
      <table>
        <thead>
          <tr>
            <th>Label</th>
            <th>Access level</th>
            <th>Created</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(tokens ?? []).map((t) => (
            <tr key={t.id}>
              <td>{t.label}</td>
              <td>{t.role}</td>
              <td>{fmtTime(t.createdAt)}</td>
              <td>{t.revokedAt ? `revoked ${fmtTime(t.revokedAt)}` : 'active'}</td>
              <td>
                {!t.revokedAt && (
                  <button type="button" className="outline secondary" onClick={() => void api('DELETE', `/api/tokens/${enc(t.id)}`).then(reload)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

function Users({ me }: { me: string }) {
  const [users, reload, error] = useList<User>('/api/users');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<AccessLevel>('analyst');
  const [problem, setProblem] = useState<string | null>(null);
  const act = (p: Promise<unknown>): void => {
    setProblem(null);
    p.then(reload, (err: Error) => setProblem(err.message));
  };
  return (
    <article>
      <h3>Users</h3>
      <p className="muted">{ACCESS_LEVELS.map((r) => `${r}: ${ROLE_DOC[r]}`).join(' · ')}</p>
      <form
        className="grid"
        onSubmit={(e) => {
          e.preventDefault();
          act(
            api('POST', '/api/users', { name, password, role }).then(() => {
              setName('');
              setPassword('');
            }),
          );
        }}
      >
        <input aria-label="new user name" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
        <input
          aria-label="new user password"
          type="password"
          placeholder="password (12+ characters)"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <select aria-label="new user role" value={role} onChange={(e) => setRole(e.target.value as AccessLevel)}>
          {ACCESS_LEVELS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" disabled={name.trim() === '' || password === ''}>
          Add user
        </button>
      </form>
      {(problem ?? error) && (
        <small className="error" role="alert">
          {problem ?? error}
        </small>
      )}
      <table data-testid="users">
        <thead>
          <tr>
            <th>Name</th>
            <th>Access level</th>
            <th>Since</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(users ?? []).map((u) => (
            <tr key={u.name}>
              <td>{u.name}</td>
              <td>
                <select
                  aria-label={`role of ${u.name}`}
                  value={u.role}
                  disabled={u.name === me}
                  onChange={(e) => act(api('PATCH', `/api/users/${enc(u.name)}`, { role: e.target.value }))}
                >
                  {ACCESS_LEVELS.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>{fmtTime(u.createdAt)}</td>
              <td>
                {u.name !== me && (
                  <button
                    type="button"
                    className="outline secondary"
                    onClick={() => {
                      if (confirm(`Delete the account ${u.name}? Its tokens stop working.`)) act(api('DELETE', `/api/users/${enc(u.name)}`));
                    }}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

function AuditLog() {
  const [rows, reload, error] = useList<Audit>('/api/audit?limit=200');
  return (
    <article>
      <h3>
        Audit log{' '}
        <button type="button" className="outline secondary small-btn" onClick={reload}>
          Refresh
        </button>
      </h3>
      <p className="muted">Every change made through the API: who, what, when, and how it ended (HTTP status).</p>
      {error && <small className="error">{error}</small>}
      <div className="table-wrap">
        <table data-testid="audit">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Target</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: audit entries have no id, and the list is replaced whole
              <tr key={i}>
                <td>{fmtTime(a.at)}</td>
                <td>{a.user}</td>
                <td>{a.action}</td>
                <td>{a.target}</td>
                <td>{a.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

export function AccessPage({ user, role, auth }: { user: string; role: AccessLevel; auth: boolean }) {
  return (
    <>
      <h2>Access</h2>
      {!auth && (
        <p className="notice">
          Accounts are not enforced: Vigil listens on loopback only. Start it with <code>--auth on</code> (or on a network address) to require them.
        </p>
      )}
      <Tokens myRole={role} />
      {role === 'admin' && <Users me={user} />}
      {role === 'admin' && <AuditLog />}
    </>
  );
}
