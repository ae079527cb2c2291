// One caller cannot take the machine: SQL text, planning, memory, answer size, time (counted from arrival) and
// queries at once are bounded, Vigil's own pages keep their share, and slow or idle clients cannot hold the server
// while health probes go unanswered. Each attack is tried in at least two variants.

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigil, type VigilProcess } from '../helpers/vigil-process.js';

interface QueryAnswer {
  error?: string;
  rows?: Record<string, unknown>[];
  truncated?: boolean;
  truncatedBy?: string;
}

/** Opens a TCP connection to Vigil and resolves when it is connected. */
function socketTo(url: string): Promise<Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves with how long the server kept the socket open after `start` (it closes it, or the test gives up). */
function closedWithin(s: Socket, giveUpMs: number): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      s.destroy();
      resolve(Number.POSITIVE_INFINITY);
    }, giveUpMs);
    s.on('close', () => {
      clearTimeout(t);
      resolve(performance.now() - start);
    });
    s.on('error', () => undefined);
  });
}

describe('queries that would take the machine', () => {
  let v: VigilProcess;
  let analyst: string;

  beforeAll(async () => {
    // DuckDB may use more than the watch allows here, so the watch is what stops the query below.
    v = await startVigil([
      '--query-memory-mb',
      '300',
      '--duckdb-memory-limit',
      '2GB',
      '--query-max-bytes',
      '200000',
      '--query-slots',
      '1',
      '--query-timeout-ms',
      '4000',
    ]);
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
    analyst = JSON.stringify({ cookie, csrf });
    expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] })).status).toBe(201);
  });
  afterAll(async () => {
    await v.stop();
  });

  const asAnalyst = (sql: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: QueryAnswer }> => {
    const { cookie, csrf } = JSON.parse(analyst) as { cookie: string; csrf: string };
    return fetch(`${v.url}/api/query`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ sql, ...extra }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as QueryAnswer }));
  };

  it('refuses SQL text over the bound (413) before parsing it: 40,000 UNION ALLs, or a long comment', async () => {
    const unions = Array.from({ length: 30_000 }, (_, i) => `SELECT ${i} AS n`).join(' UNION ALL ');
    expect(unions.length).toBeGreaterThan(700_000);
    expect(unions.length).toBeLessThan(1_000_000);
    const r1 = await v.api<QueryAnswer>('POST', '/api/query', { sql: unions });
    expect(r1.status).toBe(413);
    expect(r1.body.error).toMatch(/--query-max-sql-bytes/);
    const r2 = await v.api<QueryAnswer>('POST', '/api/query', { sql: `SELECT 1 /* ${'x'.repeat(200_000)} */` });
    expect(r2.status).toBe(413);
    expect((await fetch(`${v.url}/healthz`)).status).toBe(200);
  });

  it('refuses a query whose parse tree is too large to plan, within the text bound: wide (413) or deep (400/413)', async () => {
    const wide = Array.from({ length: 6000 }, (_, i) => `${i} AS c${i}`).join(', ');
    const r = await v.api<QueryAnswer>('POST', '/api/query', { sql: `SELECT ${wide}` });
    expect(r.status).toBe(413);
    const deep = `SELECT ${Array.from({ length: 6000 }, (_, i) => `${i}`).join(' + ')} AS n`;
    expect([400, 413]).toContain((await v.api('POST', '/api/query', { sql: deep })).status);
  });

  it('stops a query that grows memory past --query-memory-mb (422), and Vigil stays up', async () => {
    const big = await v.api<QueryAnswer>('POST', '/api/query', { sql: "SELECT length(string_agg(repeat('x', 100000), '')) AS n FROM range(50000)" });
    expect(big.status).toBe(422);
    expect(big.body.error).toMatch(/memory/);
    const list = await v.api<QueryAnswer>('POST', '/api/query', { sql: "SELECT len(list(t)) AS n FROM (SELECT repeat('y', 50000) AS t FROM range(200000))" });
    expect(list.status).toBe(422);
    expect((await fetch(`${v.url}/healthz`)).status).toBe(200);
    expect((await v.api<QueryAnswer>('POST', '/api/query', { sql: 'SELECT 42 AS n' })).body.rows).toEqual([{ n: 42 }]);
  });

  it('answers a query past --duckdb-memory-limit the same way (422, naming the setting), and Vigil stays up', async () => {
    const small = await startVigil(['--duckdb-memory-limit', '64MB']);
    try {
      for (const sql of [
        "SELECT len(list(t)) AS n FROM (SELECT repeat('y', 50000) AS t FROM range(20000))",
        "SELECT length(string_agg(repeat('x', 100000), '')) AS n FROM range(5000)",
      ]) {
        const r = await small.api<QueryAnswer>('POST', '/api/query', { sql });
        expect(r.status, sql).toBe(422);
        expect(r.body.error).toMatch(/--duckdb-memory-limit/);
      }
      expect((await small.api<QueryAnswer>('POST', '/api/query', { sql: 'SELECT 42 AS n' })).body.rows).toEqual([{ n: 42 }]);
    } finally {
      await small.stop();
    }
  });

  it('cuts an answer at --query-max-bytes and says so: many rows, or one huge cell', async () => {
    const rows = await v.api<QueryAnswer>('POST', '/api/query', { sql: "SELECT repeat('z', 1000) AS s FROM range(5000)" });
    expect(rows.status).toBe(200);
    expect(rows.body).toMatchObject({ truncated: true, truncatedBy: 'bytes' });
    expect(JSON.stringify(rows.body.rows).length).toBeLessThanOrEqual(200_000);
    const cell = await v.api<QueryAnswer>('POST', '/api/query', { sql: "SELECT repeat('z', 90000) || repeat('z', 90000) || repeat('z', 90000) AS s" });
    expect(cell.body).toMatchObject({ truncated: true, truncatedBy: 'bytes', rows: [] });
  });

  it('one person runs at most --queries-per-user at once (429 for the next), however they sign in', async () => {
    const slow = 'SELECT count(*) AS n FROM range(30000000000) a';
    const sent = performance.now();
    const answeredAfter = (r: { status: number }) => ({ status: r.status, ms: performance.now() - sent });
    const first = asAnalyst(slow).then(answeredAfter);
    const second = asAnalyst(slow).then(answeredAfter);
    await new Promise((r) => setTimeout(r, 300));
    const third = await asAnalyst('SELECT 1 AS n');
    expect(third.status).toBe(429);
    expect(third.body.error).toMatch(/queries running/);
    // the same person with an API token is the same person
    const { cookie, csrf } = JSON.parse(analyst) as { cookie: string; csrf: string };
    const token = (
      (await (
        await fetch(`${v.url}/api/tokens`, {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          body: '{"label":"q"}',
        })
      ).json()) as { token: string }
    ).token;
    expect((await v.api('POST', '/api/query', { sql: 'SELECT 1 AS n' }, token)).status).toBe(429);
    // the time limit (4 s) counts from the request: the one waiting for the single slot is stopped too, when its
    // time is up, not after running to its end (which takes this count 15 s or more)
    const answers = [await first, await second];
    expect(answers.map((a) => a.status)).toEqual([504, 504]);
    for (const a of answers) expect(a.ms).toBeLessThan(10_000);
  }, 30_000);

  it("Vigil's own pages keep their share while people's queries fill every slot", async () => {
    const slow = asAnalyst('SELECT count(*) AS n FROM range(30000000000) a');
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    expect((await v.api('GET', '/api/events/Sandy/summary?bucket=hour')).status).toBe(200);
    expect((await v.api('GET', '/api/overview')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(3500);
    expect((await slow).status).toBe(504);
  }, 30_000);
});

describe('slow and idle clients', () => {
  let v: VigilProcess;

  beforeAll(async () => {
    v = await startVigil(['--max-connections', '24']);
  });
  afterAll(async () => {
    await v.stop();
  });

  it('closes a connection whose request body trickles in, and one whose headers never end', async () => {
    const body = await socketTo(v.url);
    body.write(
      `POST /api/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${v.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const trickle = setInterval(() => body.writable && body.write(' '), 2000);
    const headers = await socketTo(v.url);
    headers.write('GET /api/events HTTP/1.1\r\nHost: localhost\r\n');
    const trickleHeaders = setInterval(() => headers.writable && headers.write('X-Slow: 1\r\n'), 2000);
    const [b, h] = await Promise.all([closedWithin(body, 60_000), closedWithin(headers, 60_000)]);
    clearInterval(trickle);
    clearInterval(trickleHeaders);
    expect(b).toBeLessThan(45_000);
    expect(h).toBeLessThan(25_000);
  }, 70_000);

  it('at the connection cap, still answers /healthz and the API: slow senders and idle connections make room', async () => {
    const held: Socket[] = [];
    for (let i = 0; i < 40; i++) {
      const s = await socketTo(v.url).catch(() => null);
      if (!s) continue;
      s.on('error', () => undefined);
      // half of them send half a request, the other half a whole one and then idle (keep-alive)
      s.write(i % 2 === 0 ? 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n' : 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      held.push(s);
    }
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(`${v.url}/healthz`)).status).toBe(200);
      expect((await v.api('GET', '/api/events')).status).toBe(200);
    } finally {
      for (const s of held) s.destroy();
    }
  });
});
