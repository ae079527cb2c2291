// Accounts and roles with auth on: sessions with secure cookies and CSRF, roles enforced per route, API tokens
// shown once and revocable, JWTs checked by key, the audit log, sealed credentials, login rate limit, the UI login.

import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startVigil, type VigilProcess } from '../helpers/vigil-process.js';

const PASSWORD = 'correct horse battery staple';

async function call(v: VigilProcess, method: string, path: string, o: { body?: unknown; cookie?: string; csrf?: string; bearer?: string } = {}) {
  const headers: Record<string, string> = {};
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.cookie) headers.cookie = o.cookie;
  if (o.csrf) headers['x-csrf-token'] = o.csrf;
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  const res = await fetch(v.url + path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body: body as Record<string, unknown> & { error?: string } };
}

async function login(v: VigilProcess, name: string, password: string) {
  const r = await call(v, 'POST', '/api/auth/login', { body: { name, password } });
  const setCookies = r.headers.getSetCookie();
  const cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
  return { ...r, cookie, csrf: r.body.csrf as string, setCookies };
}

describe('accounts and roles (auth on)', () => {
  let v: VigilProcess;
  let admin: Awaited<ReturnType<typeof login>>;

  beforeAll(async () => {
    v = await startVigil(['--data', join(await mkdtemp(join(tmpdir(), 'vigil-auth-')), 'data'), '--auth', 'on'], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    admin = await login(v, 'admin', PASSWORD);
  });
  afterAll(async () => {
    await v.stop();
  });

  it('refuses anonymous API calls with 401 and says how to log in; the UI shell stays public', async () => {
    const r = await call(v, 'GET', '/api/events');
    expect(r.status).toBe(401);
    expect(r.body.error).toMatch(/sign in first/);
    expect((await call(v, 'GET', '/')).status).toBe(200);
  });

  it('logs in with an HttpOnly, SameSite=Strict, Secure session cookie and needs the CSRF header for changes', async () => {
    expect(admin.status).toBe(200);
    const session = admin.setCookies.find((c) => c.startsWith('vigil_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Secure/);
    expect((await call(v, 'GET', '/api/events', { cookie: admin.cookie })).status).toBe(200);
    const noCsrf = await call(v, 'POST', '/api/events', { cookie: admin.cookie, body: { name: 'E1', keywords: ['a'] } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error).toMatch(/x-csrf-token/);
    expect((await call(v, 'POST', '/api/events', { cookie: admin.cookie, csrf: admin.csrf, body: { name: 'E1', keywords: ['a'] } })).status).toBe(201);
  });

  it('enforces roles: viewer reads only, analyst works with events, queries and exports but not users or sources', async () => {
    for (const [name, role] of [
      ['ana', 'analyst'],
      ['vic', 'viewer'],
    ])
      expect((await call(v, 'POST', '/api/users', { cookie: admin.cookie, csrf: admin.csrf, body: { name, role, password: PASSWORD } })).status).toBe(201);
    const viewer = await login(v, 'vic', PASSWORD);
    expect((await call(v, 'GET', '/api/events', { cookie: viewer.cookie })).status).toBe(200);
    expect((await call(v, 'POST', '/api/events', { cookie: viewer.cookie, csrf: viewer.csrf, body: { name: 'E2', keywords: ['b'] } })).status).toBe(403);
    expect((await call(v, 'POST', '/api/query', { cookie: viewer.cookie, csrf: viewer.csrf, body: { sql: 'SELECT 1' } })).status).toBe(403);
    const analyst = await login(v, 'ana', PASSWORD);
    expect((await call(v, 'POST', '/api/events', { cookie: analyst.cookie, csrf: analyst.csrf, body: { name: 'E2', keywords: ['b'] } })).status).toBe(201);
    expect((await call(v, 'POST', '/api/query', { cookie: analyst.cookie, csrf: analyst.csrf, body: { sql: 'SELECT 1 AS one' } })).status).toBe(200);
    expect((await call(v, 'GET', '/api/events/E2/export?format=csv', { cookie: analyst.cookie })).status).toBe(200);
    expect((await call(v, 'GET', '/api/users', { cookie: analyst.cookie })).status).toBe(403);
    expect((await call(v, 'POST', '/api/replay', { cookie: analyst.cookie, csrf: analyst.csrf, body: { file: '/x' } })).status).toBe(403);
    expect((await call(v, 'GET', '/api/audit', { cookie: analyst.cookie })).status).toBe(403);
  });

  it('API tokens are shown once, scoped, listed without their secret, and revocable', async () => {
    const analyst = await login(v, 'ana', PASSWORD);
    const tooHigh = await call(v, 'POST', '/api/tokens', { cookie: analyst.cookie, csrf: analyst.csrf, body: { label: 'x', role: 'admin' } });
    expect(tooHigh.status).toBe(403);
    const created = await call(v, 'POST', '/api/tokens', { cookie: analyst.cookie, csrf: analyst.csrf, body: { label: 'script', role: 'viewer' } });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^vgl_/);
    expect((await call(v, 'GET', '/api/events', { bearer: token })).status).toBe(200);
    expect((await call(v, 'POST', '/api/events', { bearer: token, body: { name: 'E3', keywords: ['c'] } })).status).toBe(403);
    const list = await call(v, 'GET', '/api/tokens', { cookie: analyst.cookie });
    expect(list.text).not.toContain(token);
    expect((list.body as unknown as { label: string }[]).map((t) => t.label)).toEqual(['script']);
    expect((await call(v, 'DELETE', `/api/tokens/${created.body.id as string}`, { cookie: analyst.cookie, csrf: analyst.csrf })).status).toBe(204);
    expect((await call(v, 'GET', '/api/events', { bearer: token })).status).toBe(401);
  });

  it('a JWT minted here works as a bearer credential; one signed with another key does not', async () => {
    const jwt = (await call(v, 'POST', '/api/auth/jwt', { cookie: admin.cookie, csrf: admin.csrf })).body.jwt as string;
    expect((await call(v, 'GET', '/api/users', { bearer: jwt })).status).toBe(200);
    const other = await startVigil(['--data', join(await mkdtemp(join(tmpdir(), 'vigil-auth2-')), 'data'), '--auth', 'on'], { VIGIL_ADMIN_PASSWORD: PASSWORD });
    const foreign = await login(other, 'admin', PASSWORD);
    const foreignJwt = (await call(other, 'POST', '/api/auth/jwt', { cookie: foreign.cookie, csrf: foreign.csrf })).body.jwt as string;
    await other.stop();
    expect((await call(v, 'GET', '/api/users', { bearer: foreignJwt })).status).toBe(401);
  });

  it('writes every change to an audit log that admins can read', async () => {
    const log = await call(v, 'GET', '/api/audit?limit=500', { cookie: admin.cookie });
    expect(log.status).toBe(200);
    const entries = log.body as unknown as { user: string; action: string; status: number }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: 'admin', action: 'POST events', status: 201 }),
        expect.objectContaining({ user: 'ana', action: 'POST events', status: 201 }),
        expect.objectContaining({ user: 'vic', action: 'POST events', status: 403 }),
        expect.objectContaining({ user: 'admin', action: 'POST users', status: 201 }),
      ]),
    );
    // every action names its target as a person reads it: the event created, the event changed (decoded from the path)
    const name = 'Audit 2012 Hurricane Sandy é';
    expect((await call(v, 'POST', '/api/events', { cookie: admin.cookie, csrf: admin.csrf, body: { name, keywords: ['audit'] } })).status).toBe(201);
    const path = `/api/events/${encodeURIComponent(name)}`;
    expect((await call(v, 'PATCH', path, { cookie: admin.cookie, csrf: admin.csrf, body: { active: false } })).status).toBe(200);
    const after = (await call(v, 'GET', '/api/audit?limit=500', { cookie: admin.cookie })).body as unknown as { action: string; target: string }[];
    expect(after).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'POST events', target: name }),
        expect.objectContaining({ action: 'PATCH events/:name', target: name }),
        expect.objectContaining({ action: 'POST users', target: expect.stringMatching(/\S/u) }),
      ]),
    );
  });

  it('stores source credentials sealed and never returns them', async () => {
    const secret = 'AAAA-consumer-secret-1234567890';
    expect((await call(v, 'PUT', '/api/credentials/twitter', { cookie: admin.cookie, csrf: admin.csrf, body: { value: secret } })).status).toBe(204);
    const list = await call(v, 'GET', '/api/credentials', { cookie: admin.cookie });
    expect(list.text).toContain('twitter');
    expect(list.text).not.toContain(secret);
    const raw = await call(v, 'POST', '/api/query', { cookie: admin.cookie, csrf: admin.csrf, body: { sql: 'SELECT sealed FROM vigil_credential' } });
    expect(raw.text).not.toContain(secret);
  });

  it('the UI asks to sign in, then shows the events page', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(v.url);
      // a sign-in page with Vigil's header, as every other page has
      await page.getByTestId('signin-header').getByRole('link', { name: 'Vigil' }).waitFor();
      expect(await page.getByTestId('signin-header').textContent()).toContain('crisis informatics');
      await page.getByLabel('User').fill('admin');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('card-E1').waitFor();
      await page.getByTestId('new-event-form').getByLabel('Name').fill('From the UI');
      await page.locator('#new-keywords').fill('ui');
      await page.locator('#new-keywords').press('Enter');
      await page.getByRole('button', { name: 'Create event' }).click();
      await page.getByTestId('card-From the UI').waitFor();
      // the Access page: an admin adds a user, creates a token (shown once) and reads the audit log
      await page.getByRole('link', { name: 'Access' }).click();
      await page.getByLabel('new user name').fill('uma');
      await page.getByLabel('new user password').fill('a long enough password');
      await page.getByLabel('new user role').selectOption('viewer');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByTestId('users').getByText('uma', { exact: true }).waitFor();
      expect((await call(v, 'GET', '/api/users', { cookie: admin.cookie })).body).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'uma', role: 'viewer' })]),
      );
      await page.getByLabel('token label').fill('from the UI');
      await page.getByRole('button', { name: 'Create token' }).click();
      const shown = (await page.getByTestId('new-token').locator('code').textContent()) ?? '';
      expect(shown).toMatch(/^vgl_/u);
      expect((await call(v, 'GET', '/api/events', { bearer: shown })).status).toBe(200);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByTestId('audit').getByText('POST users').first().waitFor();
      await page.getByTestId('logout').click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } finally {
      await browser.close();
    }
  });

  it('limits failed logins per address: the sixth in a minute gets 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await call(v, 'POST', '/api/auth/login', { body: { name: 'admin', password: `wrong password ${i}` } })).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('first start with no password given', () => {
  it('creates admin, prints a sign-in link that signs the browser in once, and writes the CLI token for its owner only', async () => {
    const v = await startVigil(['--data', join(await mkdtemp(join(tmpdir(), 'vigil-auth3-')), 'data')], { VIGIL_ADMIN_PASSWORD: '' });
    try {
      const link = v.signInLink();
      expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/signin\?code=[\w-]{20,}$/);
      const first = await fetch(link!, { redirect: 'manual' });
      expect(first.status).toBe(303);
      const cookie = first.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const me = await call(v, 'GET', '/api/auth/me', { cookie });
      expect(me.body).toMatchObject({ user: 'admin', role: 'admin' });
      expect((await fetch(link!, { redirect: 'manual' })).status).toBe(401);
      expect((await stat(join(v.dataDir, 'cli-token'))).mode & 0o777).toBe(0o600);
      expect((await call(v, 'GET', '/api/users', { bearer: v.token! })).status).toBe(200);
    } finally {
      await v.stop();
    }
  });
});
