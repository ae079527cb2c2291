// The usual attacks against the HTTP API, each shown to fail: SQL injection in names and queries, path traversal in
// exports and notebooks, oversized and malformed bodies; and the headers that keep the UI's pages contained.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const EVIL = "x'); DROP TABLE tweet; --";
const TRAVERSAL = '..\\..\\etc\\passwd"; filename="evil.sh';

describe('attacks on the HTTP API', () => {
  let v: VigilProcess;
  let tweetCount: () => Promise<number>;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-attack-'));
    v = await startVigil(['--data', join(dir, 'data')]);
    for (const name of [EVIL, TRAVERSAL]) expect((await v.api('POST', '/api/events', { name, keywords: ['sandy', "o'brien"] })).status).toBe(201);
    const file = join(dir, 'posts.jsonl');
    await writeFile(file, Array.from({ length: 20 }, (_, i) => line(tweet({ id: String(i), text: `sandy ${i} <script>x</script>` }))).join('\n'));
    expect((await v.replay(file)).status).toBe(202);
    tweetCount = async () => (await v.api<{ rows: { n: number }[] }>('POST', '/api/query', { sql: 'SELECT count(*) AS n FROM tweet' })).body.rows[0].n;
    await waitFor('rows stored', async () => (await tweetCount()) === 40);
  });
  afterAll(async () => {
    await v.stop();
  });

  it('SQL injection in event names is only a name: every per-event endpoint works and the tables survive', async () => {
    const n = encodeURIComponent(EVIL);
    expect((await v.api<{ count: number }>('GET', `/api/events/${n}/stats`)).body.count).toBe(20);
    expect((await v.api<{ posts: number }>('GET', `/api/events/${n}/summary?bucket=day`)).body.posts).toBe(20);
    expect((await v.api<unknown[]>('GET', `/api/events/${n}/tail?limit=5`)).body).toHaveLength(5);
    expect((await v.fetch(`/api/events/${n}/export?format=jsonl`)).status).toBe(200);
    expect(await tweetCount()).toBe(40);
  });

  it.each([
    ['a second statement', 'SELECT 1; DROP TABLE tweet'],
    ['a write', "UPDATE tweet SET t_text = 'x'"],
    ['a copy to a file', "COPY tweet TO '/tmp/stolen.csv'"],
    ['attaching a file', "ATTACH '/tmp/other.db' AS other"],
    ['reading a file', "SELECT * FROM read_text('/etc/passwd')"],
    ['reading a CSV by path', "SELECT * FROM '/etc/passwd'"],
    ['the network', "SELECT * FROM read_json('http://127.0.0.1:1/x.json')"],
    ['installing an extension', 'INSTALL httpfs'],
    ['changing settings', 'SET enable_external_access = true'],
  ])('a query with %s is refused with 4xx and a reason; nothing changes', async (_what, sql) => {
    const r = await v.api<{ error: string }>('POST', '/api/query', { sql });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error.length).toBeGreaterThan(5);
    expect(await tweetCount()).toBe(40);
  });

  it("an analyst's EXPLAIN ANALYZE (or any other wrapping) of a write changes nothing, and each refusal is audited", async () => {
    expect((await v.api('POST', '/api/users', { name: 'ana', role: 'analyst', password: 'analyst password 1' })).status).toBe(201);
    const login = await fetch(`${v.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ana', password: 'analyst password 1' }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrf } = (await login.json()) as { csrf: string };
    const attempts = [
      "EXPLAIN ANALYZE UPDATE vigil_user SET role = 'admin' WHERE name = 'ana'",
      "explain analyze insert into vigil_user values ('eve', 'admin', 'x', now())",
      'EXPLAIN ANALYZE DELETE FROM vigil_audit',
      'EXPLAIN ANALYZE DROP TABLE tweet',
      'EXPLAIN ANALYZE CREATE TABLE stolen AS SELECT * FROM tweet',
      'CHECKPOINT',
      "WITH x AS (SELECT 1) UPDATE tweet SET t_text = 'x'",
    ];
    for (const sql of attempts) {
      const r = await fetch(`${v.url}/api/query`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ sql }),
      });
      expect(r.status, sql).toBe(403);
    }
    expect(((await (await fetch(`${v.url}/api/auth/me`, { headers: { cookie } })).json()) as { role: string }).role).toBe('analyst');
    expect((await v.api<{ name: string }[]>('GET', '/api/users')).body.map((u) => u.name)).not.toContain('eve');
    expect(await tweetCount()).toBe(40);
    const audit = (await v.api<{ user: string; action: string; status: number }[]>('GET', '/api/audit?limit=1000')).body;
    expect(audit.filter((a) => a.user === 'ana' && a.action === 'POST query (refused)' && a.status === 403)).toHaveLength(attempts.length);
  });

  it('path traversal in an export name cannot leave the download name, and names refuse "/"', async () => {
    const slash = await v.api<{ errors: { field: string; message: string }[] }>('POST', '/api/events', { name: '../../etc/passwd', keywords: ['x'] });
    expect(slash.status).toBe(400);
    expect(slash.body.errors[0]).toEqual({ field: 'name', message: 'must not contain control characters or "/"' });
    const r = await v.fetch(`/api/events/${encodeURIComponent(TRAVERSAL)}/export?format=csv`);
    expect(r.status).toBe(200);
    const disposition = r.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[^"/\\]+\.csv"; filename\*=UTF-8''[^"]+$/);
    expect(disposition).not.toContain('evil.sh"');
    expect((await r.text()).split('\n')[0]).toMatch(/^id,t_id,/);
    expect((await v.api('PUT', `/api/notebooks/${encodeURIComponent('../x')}`, { cells: [] })).status).toBe(400);
    expect((await v.api('GET', `/api/events/${encodeURIComponent(TRAVERSAL)}/export?format=../../x`)).status).toBe(400);
  });

  it('oversized and malformed bodies are refused with 4xx', async () => {
    const big = await v.fetch(`/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', keywords: ['x'.repeat(2 << 20)] }),
    });
    expect(big.status).toBe(413);
    expect((await v.api('POST', '/api/events', '{"name": "a", "keywords": [')).status).toBe(400);
    expect((await v.api('POST', '/api/events', [1, 2])).status).toBe(400);
    const form = await v.fetch(`/api/events`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=a' });
    expect(form.status).toBe(400);
    expect(((await form.json()) as { errors: { field: string }[] }).errors[0].field).toBe('body');
    expect((await v.api('POST', '/api/query', { sql: 'SELECT 1', maxRows: 1e12 })).status).toBe(400);
    expect((await v.api('GET', '/api/events/x/tail?limit=-1')).status).toBe(400);
  });

  it('pages and API answers carry a strict Content-Security-Policy and no-sniff', async () => {
    for (const path of ['/', '/api/events']) {
      const r = await v.fetch(path);
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(r.headers.get('content-security-policy')).toContain("object-src 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
