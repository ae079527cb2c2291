// Who gets in, and as what, against `vigil start` with its defaults: accounts on from the first start (loopback
// included), requests for names Vigil does not serve and changes from foreign pages refused, permissions taken from
// the matched route (never the raw URL), credentials checked against the account as it is now, log-in guessing
// limited, nothing private to an anonymous caller. Each attack is tried in at least two variants.

import { execFile } from 'node:child_process';
import { hkdfSync } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { BIN, startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const exec = promisify(execFile);
const PASSWORD = 'a long enough admin password';

/** A raw HTTP request, so Host and Origin are exactly what an attacker sends (fetch() would set Host itself). */
function raw(
  url: string,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method: o.method ?? 'GET', path: o.path, headers: o.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(v: VigilProcess, name: string, password: string): Promise<Session & { status: number }> {
  const r = await fetch(`${v.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const body = (await r.json()) as { csrf?: string };
  return { status: r.status, cookie, csrf: body.csrf ?? '' };
}

const as = (s: Session, extra: Record<string, string> = {}): Record<string, string> => ({
  cookie: s.cookie,
  'x-csrf-token': s.csrf,
  'content-type': 'application/json',
  ...extra,
});
const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });

describe('access with the defaults', () => {
  let v: VigilProcess;
  let viewerToken: string;
  let analyst: Session & { status?: number };

  beforeAll(async () => {
    v = await startVigil([], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    expect((await v.api('POST', '/api/users', { name: 'ana', role: 'analyst', password: 'analyst password 1' })).status).toBe(201);
    expect((await v.api('POST', '/api/users', { name: 'vic', role: 'viewer', password: 'viewer password 1' })).status).toBe(201);
    expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] })).status).toBe(201);
    analyst = await login(v, 'ana', 'analyst password 1');
    const vic = await login(v, 'vic', 'viewer password 1');
    viewerToken = (
      (await (await fetch(`${v.url}/api/tokens`, { method: 'POST', headers: as(vic), body: JSON.stringify({ label: 'v' }) })).json()) as { token: string }
    ).token;
  });
  afterAll(async () => {
    await v.stop();
  });

  it('on loopback with no --auth flag, an anonymous caller gets 401 for reads and changes alike', async () => {
    expect(v.log()).toMatch(/auth=on/);
    expect((await v.api('GET', '/api/events', undefined, null)).status).toBe(401);
    expect((await v.api('POST', '/api/events', { name: 'X', keywords: ['x'] }, null)).status).toBe(401);
    expect((await v.api('GET', '/api/users', undefined, null)).status).toBe(401);
  });

  it("the map's geotagged posts: none for an anonymous caller, no raw JSON for a viewer, and SQL in the name is only a name", async () => {
    expect((await v.api('GET', '/api/events/Sandy/geo', undefined, null)).status).toBe(401);
    const viewer = await fetch(`${v.url}/api/events/Sandy/geo`, { headers: bearer(viewerToken) });
    expect(viewer.status).toBe(200);
    const body = (await viewer.json()) as { posts: Record<string, unknown>[] };
    expect(body.posts.every((p) => !('raw' in p))).toBe(true);
    const injected = encodeURIComponent("Sandy' OR '1'='1");
    expect((await fetch(`${v.url}/api/events/${injected}/geo`, { headers: bearer(viewerToken) })).status).toBe(404);
    expect((await fetch(`${v.url}/api/events/Sandy/geo?limit=1;DROP`, { headers: bearer(viewerToken) })).status).toBe(400);
  });

  it("a deleted event's rows: listed for readers, purged by admins only, and SQL or a wildcard in the name is only a name", async () => {
    expect((await v.api('POST', '/api/events', { name: 'Gone', keywords: ['gone'] })).status).toBe(201);
    const file = join(await mkdtemp(join(tmpdir(), 'vigil-purge-')), 'gone.jsonl');
    await writeFile(file, `${[1, 2, 3].map((i) => line(tweet({ id: String(900 + i), text: `gone ${i}` }))).join('\n')}\n`);
    expect((await v.replay(file)).status).toBe(202);
    await waitFor('3 rows of Gone', async () => (await v.api<{ count: number }>('GET', '/api/events/Gone/stats')).body.count === 3);
    expect((await v.api('DELETE', '/api/events/Gone')).status).toBe(204);

    expect((await v.api('GET', '/api/stored-events', undefined, null)).status).toBe(401);
    expect((await v.api('DELETE', '/api/events/Gone/rows', undefined, null)).status).toBe(401);
    const listed = await fetch(`${v.url}/api/stored-events`, { headers: bearer(viewerToken) });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toContainEqual({ name: 'Gone', count: 3, defined: false });
    expect((await fetch(`${v.url}/api/events/Gone/rows`, { method: 'DELETE', headers: bearer(viewerToken) })).status).toBe(403);
    expect((await fetch(`${v.url}/api/events/Gone/rows`, { method: 'DELETE', headers: as(analyst) })).status).toBe(403);
    for (const name of ["Gone' OR '1'='1", 'Gone%', '%', "Gone'; DELETE FROM tweet; --"])
      expect((await v.api('DELETE', `/api/events/${encodeURIComponent(name)}/rows`)).status, name).toBe(404);
    expect((await v.api<{ count: number }>('GET', '/api/events/Gone/stats')).body.count).toBe(3);
    expect((await v.api('DELETE', '/api/events/Gone/rows')).body).toEqual({ name: 'Gone', purged: 3 });
  });

  it('refuses requests sent to a name Vigil does not serve (DNS rebinding), even with a valid credential', async () => {
    for (const host of ['evil.example.com', 'evil.example.com:8080', '127.0.0.1.nip.io', 'localhost.attacker.net']) {
      const r = await raw(v.url, { path: '/api/events', headers: { host, authorization: `Bearer ${v.token}` } });
      expect(r.status, host).toBe(403);
      expect(r.body).toMatch(/does not answer to the name/);
    }
    expect((await raw(v.url, { path: '/api/events', headers: { host: `localhost:${new URL(v.url).port}`, authorization: `Bearer ${v.token}` } })).status).toBe(
      200,
    );
  });

  it('refuses changes sent by pages of other origins (another site, another port, a sandboxed page)', async () => {
    const port = new URL(v.url).port;
    for (const origin of ['http://evil.example.com', `http://localhost:${Number(port) + 1}`, 'null', `http://127.0.0.1.nip.io:${port}`]) {
      const r = await raw(v.url, {
        method: 'POST',
        path: '/api/events',
        headers: { ...bearer(v.token!), origin },
        body: JSON.stringify({ name: `From ${origin}`, keywords: ['x'] }),
      });
      expect(r.status, origin).toBe(403);
    }
    const site = await raw(v.url, { method: 'DELETE', path: '/api/events/Sandy', headers: { ...bearer(v.token!), 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
    const own = await raw(v.url, {
      method: 'POST',
      path: '/api/events',
      headers: { ...bearer(v.token!), origin: `http://localhost:${port}` },
      body: JSON.stringify({ name: 'Own origin', keywords: ['own'] }),
    });
    expect(own.status).toBe(201);
  });

  it('checks permission against the route that matched, whatever the spelling of the URL', async () => {
    for (const path of [
      '/api/%61udit',
      '/api/%75sers',
      '/api/%63redentials',
      '/api/events/Sandy/%65xport?format=csv',
      '/api/events/Sandy/ex%70ort?format=jsonl',
      '/api/%61udit?limit=5',
    ]) {
      const r = await v.fetch(path, {}, viewerToken);
      expect(r.status, path).toBe(403);
    }
    expect((await v.fetch('/api/audit', {}, viewerToken)).status).toBe(403);
    expect((await v.fetch('/api/events/Sandy/stats', {}, viewerToken)).status).toBe(200);
  });

  it('/healthz and /readyz tell an anonymous caller nothing private, and /metrics needs a credential', async () => {
    const health = await (await fetch(`${v.url}/healthz`)).json();
    expect(health).toEqual({ status: 'alive' });
    const ready = (await (await fetch(`${v.url}/readyz`)).json()) as { checks: Record<string, unknown>[] };
    expect(ready.checks.every((c) => Object.keys(c).sort().join() === 'name,ok')).toBe(true);
    expect((await fetch(`${v.url}/metrics`)).status).toBe(401);
    const metrics = await v.fetch('/metrics', {}, viewerToken);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('vigil_');
  });

  it('ends a session at logout and at a password change; the cookie does not work afterwards', async () => {
    const s = await login(v, 'ana', 'analyst password 1');
    expect((await fetch(`${v.url}/api/events`, { headers: { cookie: s.cookie } })).status).toBe(200);
    expect((await fetch(`${v.url}/api/auth/logout`, { method: 'POST', headers: as(s) })).status).toBe(204);
    expect((await fetch(`${v.url}/api/events`, { headers: { cookie: s.cookie } })).status).toBe(401);

    const a = await login(v, 'ana', 'analyst password 1');
    const b = await login(v, 'ana', 'analyst password 1');
    const changed = await fetch(`${v.url}/api/auth/password`, {
      method: 'POST',
      headers: as(a),
      body: JSON.stringify({ current: 'analyst password 1', password: 'analyst password 2' }),
    });
    expect(changed.status).toBe(204);
    expect((await fetch(`${v.url}/api/events`, { headers: { cookie: b.cookie } })).status).toBe(401);
    expect((await fetch(`${v.url}/api/events`, { headers: { cookie: a.cookie } })).status).toBe(401);
    analyst = await login(v, 'ana', 'analyst password 2');
    expect(analyst.status).toBe(200);
  });

  it('a JWT keeps no role its account lost, ends with a deleted account, and with the token it was minted from', async () => {
    expect((await v.api('POST', '/api/users', { name: 'tmp', role: 'admin', password: 'temporary password 1' })).status).toBe(201);
    const tmp = await login(v, 'tmp', 'temporary password 1');
    const jwt = ((await (await fetch(`${v.url}/api/auth/jwt`, { method: 'POST', headers: as(tmp) })).json()) as { jwt: string }).jwt;
    expect((await v.fetch('/api/users', {}, jwt)).status).toBe(200);
    expect((await v.api('PATCH', '/api/users/tmp', { role: 'viewer' })).status).toBe(200);
    expect((await v.fetch('/api/users', {}, jwt)).status).toBe(403);
    expect((await fetch(`${v.url}/api/users`, { headers: { cookie: tmp.cookie } })).status).toBe(403);
    expect((await v.api('DELETE', '/api/users/tmp')).status).toBe(204);
    expect((await v.fetch('/api/events', {}, jwt)).status).toBe(401);
    expect((await fetch(`${v.url}/api/events`, { headers: { cookie: tmp.cookie } })).status).toBe(401);

    const t = (await v.api<{ id: string; token: string }>('POST', '/api/tokens', { label: 'to revoke', role: 'analyst' })).body;
    const fromToken = ((await (await v.fetch('/api/auth/jwt', { method: 'POST' }, t.token)).json()) as { jwt: string }).jwt;
    expect((await v.fetch('/api/events', {}, fromToken)).status).toBe(200);
    expect((await v.api('DELETE', `/api/tokens/${t.id}`)).status).toBe(204);
    expect((await v.fetch('/api/events', {}, t.token)).status).toBe(401);
    expect((await v.fetch('/api/events', {}, fromToken)).status).toBe(401);
  });

  it('takes no session cookie without its CSRF claim for a change, nor a bearer JWT passed off as a session', async () => {
    const secret = Buffer.from((await readFile(join(v.dataDir, 'secret.key'), 'utf8')).trim(), 'base64');
    const key = new Uint8Array(hkdfSync('sha256', secret, 'vigil', 'jwt-hs256', 32));
    const forged = await new SignJWT({ role: 'admin', kind: 'session', sid: 'made-up' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin')
      .setIssuer('vigil')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
    const r = await fetch(`${v.url}/api/events`, {
      method: 'POST',
      headers: { cookie: `vigil_session=${forged}`, 'x-csrf-token': '', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Forged', keywords: ['f'] }),
    });
    expect(r.status).toBe(401);
    const jwt = ((await (await v.fetch('/api/auth/jwt', { method: 'POST' })).json()) as { jwt: string }).jwt;
    const asCookie = await fetch(`${v.url}/api/events`, {
      method: 'POST',
      headers: { cookie: `vigil_session=${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Cookie JWT', keywords: ['c'] }),
    });
    expect(asCookie.status).toBe(401);
  });

  it('an undecodable cookie is ignored, never a 500', async () => {
    for (const cookie of ['other=%ZZ', 'vigil_session=%E0%A4%A', `x=%; vigil_csrf=%%%; y=1`]) {
      const r = await fetch(`${v.url}/api/events`, { headers: { cookie, authorization: `Bearer ${v.token}` } });
      expect(r.status, cookie).toBe(200);
      expect((await fetch(`${v.url}/api/events`, { headers: { cookie } })).status, cookie).toBe(401);
    }
  });

  it("an analyst cannot cancel another person's running query by its id; an admin can", async () => {
    const slow = fetch(`${v.url}/api/query`, {
      method: 'POST',
      headers: as(analyst),
      body: JSON.stringify({ sql: 'SELECT count(*) FROM range(100000000000) a', queryId: 'q-ana' }),
    });
    await new Promise((r) => setTimeout(r, 400));
    const other = await login(v, 'vic', 'viewer password 1');
    expect((await fetch(`${v.url}/api/query/q-ana/cancel`, { method: 'POST', headers: as(other) })).status).toBe(403);
    expect((await v.api('POST', '/api/users', { name: 'bob', role: 'analyst', password: 'bob the analyst 1' })).status).toBe(201);
    const bob = await login(v, 'bob', 'bob the analyst 1');
    expect((await fetch(`${v.url}/api/query/q-ana/cancel`, { method: 'POST', headers: as(bob) })).status).toBe(404);
    expect((await v.api('POST', '/api/query/q-ana/cancel')).status).toBe(202);
    expect((await slow).status).toBe(499);
  });

  it('a query download lets in no more than a query: no viewer, no account table, no write; it is cancellable by its owner', async () => {
    const dl = (headers: Record<string, string>, body: unknown) =>
      fetch(`${v.url}/api/query/download`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await dl(bearer(viewerToken), { sql: 'SELECT t_id FROM tweet', format: 'csv' })).status).toBe(403);
    expect((await dl({ 'content-type': 'application/json' }, { sql: 'SELECT 1', format: 'csv' })).status).toBe(401);
    for (const sql of ['SELECT * FROM vigil_user', 'SELECT * FROM vigil_token', 'EXPLAIN ANALYZE DELETE FROM tweet', "SELECT * FROM read_text('/etc/passwd')"])
      expect((await dl(as(analyst), { sql, format: 'parquet' })).status, sql).toBe(403);
    expect((await dl(as(analyst), { sql: 'SELECT 1 AS one', format: 'csv' })).status).toBe(200);
    const slow = dl(as(analyst), { sql: 'SELECT count(*) FROM range(100000000000) a', format: 'csv', queryId: 'dl-ana' });
    await new Promise((r) => setTimeout(r, 400));
    expect((await fetch(`${v.url}/api/query/dl-ana/cancel`, { method: 'POST', headers: as(analyst) })).status).toBe(202);
    expect((await slow).status).toBe(499);
  });

  it("analysts change only their own notebooks: not the starter notebooks, not an admin's", async () => {
    expect((await v.api('PUT', '/api/notebooks/admins', { cells: [{ sql: 'SELECT 1', view: 'table' }] })).status).toBe(200);
    const cells = JSON.stringify({ cells: [{ sql: 'SELECT 2', view: 'table' }] });
    for (const name of ['admins', 'Word count (thesis)', 'Event overview']) {
      expect((await fetch(`${v.url}/api/notebooks/${encodeURIComponent(name)}`, { method: 'PUT', headers: as(analyst), body: cells })).status, name).toBe(403);
      expect((await fetch(`${v.url}/api/notebooks/${encodeURIComponent(name)}`, { method: 'DELETE', headers: as(analyst) })).status, name).toBe(403);
    }
    expect((await fetch(`${v.url}/api/notebooks/mine`, { method: 'PUT', headers: as(analyst), body: cells })).status).toBe(200);
    expect((await fetch(`${v.url}/api/notebooks/mine`, { method: 'PUT', headers: as(analyst), body: cells })).status).toBe(200);
    expect((await v.api<{ cells: { sql: string }[] }>('GET', '/api/notebooks/admins')).body.cells[0].sql).toBe('SELECT 1');
  });

  it('names fold case and look-alikes of an existing account are refused', async () => {
    for (const name of ['Admin', 'ADMIN', 'ad.min', 'adm1n', 'ANA']) {
      const r = await v.api('POST', '/api/users', { name, role: 'admin', password: 'look alike password' });
      expect(r.status, name).toBe(409);
    }
    for (const name of ['admin.', '.admin', 'ad min'])
      expect((await v.api('POST', '/api/users', { name, role: 'admin', password: 'look alike password' })).status, name).toBe(400);
  });

  it('the last admin can neither demote nor delete itself, nor be deleted', async () => {
    const users = (await v.api<{ name: string; role: string }[]>('GET', '/api/users')).body;
    expect(users.filter((u) => u.role === 'admin').map((u) => u.name)).toEqual(['admin']);
    expect((await v.api('PATCH', '/api/users/admin', { role: 'analyst' })).status).toBe(409);
    expect((await v.api('PATCH', '/api/users/ADMIN', { role: 'viewer' })).status).toBe(409);
    expect((await v.api('DELETE', '/api/users/admin')).status).toBe(409);
    expect((await v.api<{ role: string }>('GET', '/api/auth/me')).body.role).toBe('admin');
  });

  it('a non-admin sees no host path in the status; API answers and new tokens are never cached', async () => {
    const status = await (await v.fetch('/api/status', {}, viewerToken)).text();
    expect(status).not.toContain(v.dataDir);
    expect(status).not.toMatch(/"\/(tmp|home|root|var)\//);
    expect(await (await v.fetch('/api/status')).text()).toContain(v.dataDir);
    for (const r of [
      await v.fetch('/api/events'),
      await v.fetch('/api/tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"cache"}' }),
    ])
      expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('the local CLI uses the token Vigil wrote for its owner, without being given one', async () => {
    const r = await exec(process.execPath, [BIN, 'status', '--url', v.url, '--data', v.dataDir]);
    expect(r.stdout).toMatch(/one process \(embedded\)/);
    const refused = await exec(process.execPath, [BIN, 'status', '--url', v.url, '--data', '/nonexistent'], { env: { ...process.env, VIGIL_TOKEN: '' } }).catch(
      (e: { stderr: string }) => e,
    );
    expect((refused as { stderr: string }).stderr).toMatch(/wants credentials/);
    const link = await exec(process.execPath, [BIN, 'login', '--url', v.url, '--data', v.dataDir]);
    expect(link.stdout.trim()).toMatch(/\/signin\?code=/);
    expect((await fetch(link.stdout.trim(), { redirect: 'manual' })).status).toBe(303);
  });
});

describe('log-in guessing', () => {
  let v: VigilProcess;

  beforeAll(async () => {
    v = await startVigil([], { VIGIL_ADMIN_PASSWORD: PASSWORD });
  });
  afterAll(async () => {
    await v.stop();
  });

  it('counts parallel guesses before checking them: of 40 at once, at most 5 are tried', async () => {
    const codes = await Promise.all(Array.from({ length: 40 }, (_, i) => login(v, 'admin', `wrong guess ${i}`).then((r) => r.status)));
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(35);
    // the right password is refused too while the account is locked: guessing does not pay
    expect((await login(v, 'admin', PASSWORD)).status).toBe(429);
  });

  it('a successful log-in from the same address does not reset the count, and other accounts from it are limited too', async () => {
    const other = await startVigil([], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    try {
      expect((await other.api('POST', '/api/users', { name: 'mallory', role: 'viewer', password: 'mallory password 1' })).status).toBe(201);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await login(other, 'admin', `wrong ${i}`)).status);
      expect((await login(other, 'mallory', 'mallory password 1')).status).toBe(200);
      codes.push((await login(other, 'admin', 'wrong 5')).status);
      codes.push((await login(other, 'admin', 'wrong 6')).status);
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
      expect((await login(other, 'nobody-else', 'x')).status).toBe(429);
    } finally {
      await other.stop();
    }
  });

  it('an unknown user takes about as long to refuse as a wrong password (no names found by timing)', async () => {
    const other = await startVigil([], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    try {
      const time = async (name: string): Promise<number> => {
        const t0 = performance.now();
        expect((await login(other, name, 'not the password')).status).toBe(401);
        return performance.now() - t0;
      };
      // Over HTTP, as an attacker times it: interleaved, so that a slow moment of a busy machine does not fall on
      // one kind only; five attempts, the limit per address and minute; the fastest of each kind compared (noise only
      // adds time). The request's own time hides part of the check here (an unknown user refused without it still
      // took about half as long): test/integration/login-timing.test.ts times the check itself, on many accounts.
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 2; i++) {
        known.push(await time('admin'));
        unknown.push(await time(`no-such-user-${i}`));
      }
      known.push(await time('admin'));
      expect(Math.min(...unknown) / Math.min(...known)).toBeGreaterThan(0.4);
    } finally {
      await other.stop();
    }
  });
});

describe('accounts off, explicitly', () => {
  it('--auth off runs with a warning in the log, and a JWT minted then is worthless once accounts are on', async () => {
    const off = await startVigil(['--auth', 'off'], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    let jwt: string;
    try {
      expect(off.log()).toMatch(/accounts are OFF/);
      expect((await off.api('GET', '/api/events', undefined, null)).status).toBe(200);
      const minted = await off.api<{ jwt?: string }>('POST', '/api/auth/jwt', undefined, null);
      jwt = minted.body.jwt ?? '';
      expect(minted.status === 403 || jwt !== '').toBe(true);
      const r = await raw(off.url, { path: '/api/events', headers: { host: 'evil.example.com' } });
      expect(r.status).toBe(403);
    } finally {
      await off.stop();
    }
    const on = await startVigil(['--data', off.dataDir], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    try {
      if (jwt) expect((await on.fetch('/api/events', {}, jwt)).status).toBe(401);
      const local = await on.fetch('/api/events', {}, 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWRtaW4iLCJzdWIiOiJsb2NhbCJ9.x');
      expect(local.status).toBe(401);
    } finally {
      await on.stop();
    }
  });
});
