// The embedded runtime end to end, through the real binary: events over the API, a replay, rows observed through
// the API, restarts (clean and killed), more replay, and no loss and no duplicates.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASSANDRA, cqlsh, KAFKA } from '../helpers/engines.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const TEXTS = ['Sandy hits the coast', 'the flooding downtown #flood', '東京で地震がありました', 'sandy and 地震 both', 'nothing relevant here'];
const isSandy = (i: number) => [0, 1, 3].includes(i % 5);
const isQuake = (i: number) => [2, 3].includes(i % 5);

function fileOf(from: number, to: number, junk = true): string {
  const lines: string[] = [];
  for (let i = from; i <= to; i++) {
    lines.push(
      line(
        tweet({
          id: String(1_000_000 + i),
          text: TEXTS[i % 5],
          createdAt: new Date(Date.UTC(2012, 9, 29, 0, 0, i)).toISOString(),
          hashtags: i % 5 === 1 ? ['flood'] : [],
        }),
      ),
    );
    if (junk && i % 50 === 0) lines.push('{"text": "truncated line', '{"limit":{"track":5,"timestamp_ms":"1"}}', '');
  }
  return `${lines.join('\r\n')}\r\n`;
}
const expected = (ids: number[]) => ({ sandy: ids.filter(isSandy).length, quake: ids.filter(isQuake).length });
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);

type Status = { tracker: { source: { state: string; linesRead: number } | null }; classifier: { lag: number; counts: Record<string, number> } };

async function replayAndSettle(v: VigilProcess, file: string, rate?: number): Promise<void> {
  const r = await v.replay(file, rate);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  await settle(v);
}

async function settle(v: VigilProcess): Promise<void> {
  await waitFor('the replay to be stored', async () => {
    const s = (await v.api<Status>('GET', '/api/status')).body;
    return s.tracker.source?.state === 'finished' && s.classifier.lag === 0;
  });
}

async function counts(v: VigilProcess) {
  const sandy = (await v.api<{ count: number }>('GET', `/api/events/${encodeURIComponent('2012 Hurricane Sandy')}/stats`)).body.count;
  const quake = (await v.api<{ count: number }>('GET', `/api/events/${encodeURIComponent('Tokyo quake')}/stats`)).body.count;
  return { sandy, quake };
}

async function duplicates(v: VigilProcess): Promise<number> {
  const r = await v.api<{ rows: { n: number }[] }>('POST', '/api/query', {
    sql: 'SELECT count(*) AS n FROM (SELECT event_name, t_id FROM tweet GROUP BY ALL HAVING count(*) > 1)',
  });
  return r.body.rows[0].n;
}

// The same pipeline over each bus: the embedded log, and a real Kafka broker (scripts/engines/kafka.sh; npm test starts it).
interface Mode {
  args: () => string[];
  /** SQL over the rows works in this mode (the DuckDB engine). */
  sql: boolean;
  keyspace?: string;
}
const keyspace = `vigil_e2e_${Date.now()}`;
const kafkaArgs = () => ['--bus', 'kafka', '--kafka-brokers', KAFKA, '--kafka-raw-partitions', '4', '--kafka-namespace', `e2e${Date.now()}.`];
const MODES: [string, Mode][] = [
  ['embedded bus and store', { args: () => [], sql: true }],
  ['Kafka bus and embedded store', { args: kafkaArgs, sql: true }],
  [
    'Kafka bus and Cassandra store',
    { args: () => [...kafkaArgs(), '--store', 'cassandra', '--cassandra-contact-points', CASSANDRA, '--cassandra-keyspace', keyspace], sql: false, keyspace },
  ],
];

/** Reads an event's post ids back with cqlsh, a client independent of Vigil's. */
async function cqlshPostIds(ks: string, event: string, day: string): Promise<string[]> {
  const stdout = await cqlsh(`SELECT JSON t_id FROM ${ks}.tweet WHERE event_name = '${event.replace(/'/g, "''")}' AND bucket = '${day}';`);
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { t_id: string }).t_id);
}

describe.each(MODES)('runtime over the %s, end to end', (_mode, mode) => {
  const busArgs = mode.args;
  let dir: string;
  let fileA: string;
  let fileB: string;
  let fileC: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-e2e-'));
    fileA = join(dir, 'a.jsonl');
    fileB = join(dir, 'b.jsonl');
    fileC = join(dir, 'c.jsonl');
    await writeFile(fileA, fileOf(1, 200));
    await writeFile(fileB, fileOf(150, 300));
    await writeFile(fileC, fileOf(301, 3300, false));
  });

  it('collects, survives a clean restart and a kill, and stores every (event, post) exactly once', async () => {
    const data = join(dir, 'data');
    const bus = busArgs();
    let v = await startVigil(['--data', data, ...bus]);
    expect(v.log()).toMatch(/no active events yet/);
    expect(v.log()).toMatch(/no source configured/);

    expect((await v.api('POST', '/api/events', { name: '2012 Hurricane Sandy', keywords: ['sandy', 'flooding'] })).status).toBe(201);
    expect((await v.api('POST', '/api/events', { name: 'Tokyo quake', keywords: ['地震'] })).status).toBe(201);

    await replayAndSettle(v, fileA);
    expect(await counts(v)).toEqual(expected(range(1, 200)));
    const status = (await v.api<Status>('GET', '/api/status')).body;
    expect(status.classifier.counts).toMatchObject({ posts: 200, rejected: 4, other: 4 });
    expect((status as unknown as { rejectsStored: number }).rejectsStored).toBe(4);

    const stats = await v.api('GET', `/api/events/${encodeURIComponent('2012 Hurricane Sandy')}/stats`);
    expect(stats.body).toEqual({ count: expected(range(1, 200)).sandy, first: '2012-10-29T00:00:01.000Z', last: '2012-10-29T00:03:20.000Z' });

    if (mode.sql) {
      const rejects = await v.api<{ rows: { reason: string }[] }>('POST', '/api/query', { sql: 'SELECT reason FROM reject ORDER BY source' });
      expect(rejects.body.rows).toHaveLength(4);
      expect(rejects.body.rows[0].reason).toMatch(/invalid JSON/);
    }

    // a clean stop and start: everything is still there
    expect(await v.stop('SIGINT')).toBe(0);
    v = await startVigil(['--data', data, ...bus]);
    expect(await counts(v)).toEqual(expected(range(1, 200)));

    // more data, overlapping what was stored, plus the first file again (already published: skipped)
    await replayAndSettle(v, fileB);
    await replayAndSettle(v, fileA);
    expect(await counts(v)).toEqual(expected(range(1, 300)));
    if (mode.sql) expect(await duplicates(v)).toBe(0);

    // killed mid-replay, then restarted with the same replay: resumes, nothing lost, nothing doubled
    const r = await v.replay(fileC, 3000);
    expect(r.status).toBe(202);
    await waitFor('part of the replay', async () => (await counts(v)).sandy > expected(range(1, 300)).sandy + 100);
    await v.stop('SIGKILL');
    v = await startVigil(['--data', data, '--replay', fileC, ...bus]);
    expect(v.log()).toMatch(/replay resumed/);
    await settle(v);
    expect(await counts(v)).toEqual(expected(range(1, 3300)));
    if (mode.sql) expect(await duplicates(v)).toBe(0);
    if (mode.keyspace) {
      const ids = await cqlshPostIds(mode.keyspace, 'Tokyo quake', '2012-10-29');
      expect(ids.sort()).toEqual(
        range(1, 3300)
          .filter(isQuake)
          .map((i) => String(1_000_000 + i))
          .sort(),
      );
    }
    expect(await v.stop('SIGTERM')).toBe(0);
  });
});

describe('embedded runtime, API errors', () => {
  let v: VigilProcess;
  beforeAll(async () => {
    v = await startVigil(['--data', join(await mkdtemp(join(tmpdir(), 'vigil-e2e-')), 'data')]);
    return async () => {
      await v.stop();
    };
  });

  it('rejects an invalid event with 400 naming the field and why', async () => {
    const r = await v.api<{ error: string; errors: { field: string; message: string }[] }>('POST', '/api/events', { name: 'x', keywords: ['a'.repeat(61)] });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: 'keywords[0]', message: 'must be at most 60 bytes of UTF-8 (got 61)' }]);
  });

  it('rejects malformed JSON with 400', async () => {
    const r = await v.api<{ error: string }>('POST', '/api/events', '{"name": ');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/JSON/i);
  });

  it('refuses a duplicate name with 409, an unknown event with 404', async () => {
    expect((await v.api('POST', '/api/events', { name: 'Dup', keywords: ['a'] })).status).toBe(201);
    expect((await v.api('POST', '/api/events', { name: 'Dup', keywords: ['b'] })).status).toBe(409);
    expect((await v.api('GET', '/api/events/Nope')).status).toBe(404);
    expect((await v.api('GET', '/api/events/Nope/stats')).status).toBe(404);
    expect((await v.api('DELETE', '/api/events/Nope')).status).toBe(404);
  });

  it('edits and deletes an event', async () => {
    await v.api('POST', '/api/events', { name: 'Edit me', keywords: ['a'] });
    const p = await v.api<{ active: boolean; keywords: string[] }>('PATCH', '/api/events/Edit%20me', { active: false, keywords: ['a', 'b c'] });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ active: false, keywords: ['a', 'b c'] });
    const renamed = await v.api<{ name: string }>('PUT', '/api/events/Edit%20me', { name: 'Edited', keywords: ['z'] });
    expect(renamed.body.name).toBe('Edited');
    expect((await v.api('DELETE', '/api/events/Edited')).status).toBe(204);
    expect((await v.api('GET', '/api/events/Edited')).status).toBe(404);
  });

  it('refuses an event name that differs from another only in case, spacing or width (409), and says which', async () => {
    expect((await v.api('POST', '/api/events', { name: '2012 Hurricane Sandy', keywords: ['sandy'] })).status).toBe(201);
    for (const name of ['2012 hurricane sandy ', '2012  Hurricane SANDY', '２０１２ Hurricane Sandy']) {
      const r = await v.api<{ error: string }>('POST', '/api/events', { name, keywords: ['sandy'] });
      expect(r.status, name).toBe(409);
      expect(r.body.error).toContain('"2012 Hurricane Sandy"');
    }
    expect((await v.api('POST', '/api/events', { name: 'Other', keywords: ['x'] })).status).toBe(201);
    expect((await v.api('PUT', '/api/events/Other', { name: '2012 HURRICANE sandy', keywords: ['x'] })).status).toBe(409);
    // its own name in another case is a rename, not a clash
    expect(
      (await v.api<{ name: string }>('PUT', `/api/events/${encodeURIComponent('2012 Hurricane Sandy')}`, { name: '2012 hurricane sandy', keywords: ['sandy'] }))
        .status,
    ).toBe(200);
    for (const n of ['2012 hurricane sandy', 'Other']) expect((await v.api('DELETE', `/api/events/${encodeURIComponent(n)}`)).status).toBe(204);
  });

  it('documents every table a query may read, with its columns, and each documented table answers', async () => {
    const schema = await v.api<{ tables: { name: string; columns: { name: string }[] }[] }>('GET', '/api/schema');
    expect(schema.body.tables.map((t) => t.name).sort()).toEqual([
      'coverage',
      'deletion',
      'hashtag_count',
      'reject',
      'term_bucket_count',
      'term_count',
      'term_hour_count',
      'tweet',
      'vigil_event',
    ]);
    for (const t of schema.body.tables) {
      const r = await v.api<{ columns: { name: string }[] }>('POST', '/api/query', {
        sql: `SELECT ${t.columns.map((c) => c.name).join(', ')} FROM ${t.name} LIMIT 0`,
      });
      expect(r.status, t.name).toBe(200);
    }
  });

  it('keeps queries read-only: refused (403) with the reason; a body without SQL is a 400', async () => {
    const r = await v.api<{ error: string }>('POST', '/api/query', { sql: 'DROP TABLE tweet' });
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/read-only/);
    expect((await v.api('POST', '/api/query', {})).status).toBe(400);
    const files = await v.api<{ error: string }>('POST', '/api/query', { sql: "SELECT * FROM read_text('/etc/passwd')" });
    expect(files.status).toBe(403);
  });

  it('cancels a running query by its id', async () => {
    const running = v.api<{ error: string }>('POST', '/api/query', { sql: 'SELECT count(*) FROM range(100000000000) a', queryId: 'long-one' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await v.api('POST', '/api/query/long-one/cancel')).status).toBe(202);
    const r = await running;
    expect(r.status).toBe(499);
    expect(r.body.error).toBe('the query was cancelled');
    expect((await v.api('POST', '/api/query/long-one/cancel')).status).toBe(404);
  });

  it('refuses a replay of a file outside the import folder (403) or not in it (404), saying where files go', async () => {
    const outside = await v.api<{ error: string }>('POST', '/api/replay', { file: '/no/such/file.jsonl' });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toMatch(/import folder/);
    const missing = await v.api<{ error: string }>('POST', '/api/replay', { file: 'not-uploaded.jsonl' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/upload it first/);
  });
});
