// Data directories written by earlier mains (test/fixtures/legacy-data) open with today's Vigil: every event, row,
// reject, deletion, account, token and notebook is still there, moved where it now belongs.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const FIXTURE = new URL('../fixtures/legacy-data/data-1c9df80.tar.gz', import.meta.url).pathname;

describe('a data directory written by an earlier Vigil (1c9df80)', () => {
  let v: VigilProcess;
  let legacyToken: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-legacy-'));
    await extract({ file: FIXTURE, cwd: dir });
    legacyToken = (JSON.parse(await readFile(join(dir, 'data', 'legacy-token.json'), 'utf8')) as { token: string }).token;
    v = await startVigil(['--data', join(dir, 'data')]);
  });
  afterAll(async () => {
    await v?.stop();
  });

  it('moves the accounts, tokens, audit and notebooks out of the analysis database, and they still work', async () => {
    expect(v.log()).toMatch(/moved \d+ row\(s\) of vigil_user into accounts\.duckdb/);
    expect(v.log()).toMatch(/moved \d+ row\(s\) of vigil_notebook into accounts\.duckdb/);
    // Made while accounts were off, for "local", which is no account: refused now, as a credential of nobody must be.
    const me = await v.api<{ error: string }>('GET', '/api/auth/me', undefined, legacyToken);
    expect(me.status).toBe(401);
    expect(me.body.error).toMatch(/deleted user/);
    const login = await fetch(`${v.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ana', password: 'a long analyst password' }),
    });
    expect(login.status).toBe(200);
    const notebooks = (await v.api<{ name: string }[]>('GET', '/api/notebooks')).body.map((n) => n.name);
    expect(notebooks).toEqual(expect.arrayContaining(['mine', 'Word count (thesis)', 'Event overview']));
    expect((await v.api('POST', '/api/query', { sql: 'SELECT * FROM vigil_user' })).status).toBe(403);
  });

  it('keeps every event, its history, its rows, the rejects and the deletion; says the old replay cannot go on', async () => {
    expect(v.log()).toMatch(/the replay of \S+archive\.jsonl was not carried on/);
    const events = (await v.api<{ name: string }[]>('GET', '/api/events')).body.map((e) => e.name);
    expect(events.sort()).toEqual(['2012 Hurricane Sandy', 'Power outages', 'Shelters']);
    const counts = await v.api<{ rows: { event_name: string; n: number }[] }>('POST', '/api/query', {
      sql: 'SELECT event_name, count(*)::INT AS n FROM tweet GROUP BY 1 ORDER BY 1',
    });
    expect(counts.body.rows).toEqual([
      { event_name: '2012 Hurricane Sandy', n: 32 },
      { event_name: 'Power outages', n: 6 },
      { event_name: 'Shelters', n: 7 },
    ]);
    expect((await v.api<{ rejectsStored: number; deletionsStored: number }>('GET', '/api/status')).body).toMatchObject({
      rejectsStored: 2,
      deletionsStored: 1,
    });
    // The comma-joined columns of then are lists now, each value as it was.
    expect(v.log()).toMatch(/event_kw, media_url, um_id, um_name, um_screen_name are lists now/);
    const lists = await v.api<{ rows: Record<string, unknown>[] }>('POST', '/api/query', {
      sql: "SELECT typeof(event_kw) AS kw, count(*)::INT AS n, count(*) FILTER (WHERE len(um_screen_name) > 0)::INT AS mentioning, count(*) FILTER (WHERE len(um_screen_name) <> len(um_id) OR len(um_name) <> len(um_id))::INT AS unaligned FROM tweet WHERE event_name = '2012 Hurricane Sandy' GROUP BY 1",
    });
    expect(lists.body.rows).toEqual([{ kw: 'VARCHAR[]', n: 32, mentioning: expect.any(Number), unaligned: 0 }]);
    expect(lists.body.rows[0].mentioning).toBeGreaterThan(0);
    const keywords = await v.api<{ rows: { kw: string }[] }>('POST', '/api/query', {
      sql: "SELECT DISTINCT unnest(event_kw) AS kw FROM tweet WHERE event_name = '2012 Hurricane Sandy' ORDER BY 1",
    });
    for (const { kw } of keywords.body.rows) expect(['sandy', 'flooding', 'evacuate', 'new york city']).toContain(kw);
    const manifest = await v.api<{ event: { history: { action: string }[] } }>('GET', `/api/events/${encodeURIComponent('Power outages')}/manifest`);
    expect(manifest.status).toBe(200);
    const ids = await (await v.fetch(`/api/events/${encodeURIComponent('2012 Hurricane Sandy')}/export?format=ids`)).text();
    expect(ids.trim().split('\n')).toHaveLength(31);
  });
});

const FIXTURE_ACCOUNTS = new URL('../fixtures/legacy-data/data-700dc50.tar.gz', import.meta.url).pathname;

describe('a data directory written by the Vigil before events had an identity (700dc50)', () => {
  let v: VigilProcess;
  const sql = async <T>(q: string): Promise<T[]> => (await v.api<{ rows: T[] }>('POST', '/api/query', { sql: q })).body.rows;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-legacy-'));
    await extract({ file: FIXTURE_ACCOUNTS, cwd: dir });
    v = await startVigil(['--data', join(dir, 'data')]);
  });
  afterAll(async () => {
    await v?.stop();
  });

  it('gives every event an identity and reunites the rows a rename left under the old name; a deleted event rows stay listed', async () => {
    const events = (await v.api<{ id: string; name: string }[]>('GET', '/api/events')).body;
    expect(events.map((e) => e.name).sort()).toEqual(['2012 Hurricane Sandy', 'Power outages']);
    for (const e of events) expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    // Then: 15 rows under "Sandy" (stored before the rename) and 15 under "2012 Hurricane Sandy"; now all 30 are the event's.
    await waitFor('the rows of the renamed event under its name', async () => {
      const rows = await sql<{ event_name: string }>("SELECT event_name FROM tweet WHERE event_name = 'Sandy' LIMIT 1");
      return rows.length === 0;
    });
    const byEvent = await sql<{ event_name: string; event_id: string; n: number }>(
      'SELECT event_name, event_id::VARCHAR AS event_id, count(*)::INT AS n FROM tweet GROUP BY ALL ORDER BY 1',
    );
    const idOf = Object.fromEntries(events.map((e) => [e.name, e.id]));
    expect(byEvent).toEqual([
      { event_name: '2012 Hurricane Sandy', event_id: idOf['2012 Hurricane Sandy'], n: 30 },
      { event_name: 'Power outages', event_id: idOf['Power outages'], n: 3 },
      { event_name: 'Shelters', event_id: expect.any(String), n: 12 },
    ]);
    expect((await v.api<{ count: number }>('GET', `/api/events/${encodeURIComponent('2012 Hurricane Sandy')}/stats`)).body.count).toBe(30);
    expect((await v.api('GET', '/api/stored-events')).body).toEqual([
      { name: '2012 Hurricane Sandy', count: 30, defined: true },
      { name: 'Power outages', count: 3, defined: true },
      { name: 'Shelters', count: 12, defined: false },
    ]);
    // The history of the renamed event, under its name now, starts with its creation under the old one.
    const manifest = await v.api<{ keywordHistory: { action: string; name: string }[] }>(
      'GET',
      `/api/events/${encodeURIComponent('2012 Hurricane Sandy')}/manifest`,
    );
    expect(manifest.body.keywordHistory.map((h) => `${h.action} ${h.name}`)).toEqual(['created Sandy', 'renamed 2012 Hurricane Sandy']);
    expect(v.log()).toMatch(/rows stored before events had an identity now carry it/u);
    expect(v.log()).toMatch(/the rows of "Sandy" moved to its new name "2012 Hurricane Sandy"/u);
  });
});

const FIXTURE_KEYED_ROWS = new URL('../fixtures/legacy-data/data-e0c6460.tar.gz', import.meta.url).pathname;

describe('a data directory written by the Vigil whose rows had a primary key (e0c6460)', () => {
  let v: VigilProcess;
  const sql = async <T>(q: string): Promise<T[]> => (await v.api<{ rows: T[] }>('POST', '/api/query', { sql: q })).body.rows;
  const counts = () =>
    sql<{ event_name: string; n: number; raws: number }>('SELECT event_name, count(*)::INT AS n, count(raw)::INT AS raws FROM tweet GROUP BY 1 ORDER BY 1');
  const replayed = async (file: string) => {
    const started = await v.api('POST', '/api/replay', { file });
    expect(started.status).toBe(202);
    await waitFor(`the replay of ${file} stored`, async () => {
      const s = (await v.api<{ tracker: { source?: { state: string; source: string } }; classifier: { lag: number } }>('GET', '/api/status')).body;
      return s.tracker.source?.source.endsWith(file) && s.tracker.source.state === 'finished' && s.classifier.lag === 0;
    });
  };

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-legacy-'));
    await extract({ file: FIXTURE_KEYED_ROWS, cwd: dir });
    v = await startVigil(['--data', join(dir, 'data')]);
  });
  afterAll(async () => {
    await v?.stop();
  });

  it('drops the key whose index grew in memory, keeps every row and its raw, and a replay of the same archive still stores nothing twice', async () => {
    expect(v.log()).toMatch(/tweet_row: copied into a table without a primary key/u);
    const before = [
      { event_name: '2012 Hurricane Sandy', n: 30, raws: 30 },
      { event_name: 'Power outages', n: 6, raws: 6 },
    ];
    expect(await counts()).toEqual(before);
    // raw still read back from the log, byte for byte.
    const archive = (await readFile(new URL('../../examples/sandy-sample.jsonl', import.meta.url), 'utf8')).split('\n');
    const [row] = await sql<{ t_id: string; raw: string }>("SELECT t_id, raw FROM tweet WHERE event_name = 'Power outages' ORDER BY t_id LIMIT 1");
    expect(archive).toContain(row.raw);
    expect(row.raw).toContain(row.t_id);
    await replayed('sandy.jsonl');
    expect(await counts()).toEqual(before);
  });
});
