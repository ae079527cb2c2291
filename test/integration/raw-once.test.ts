// Raw posts are kept once, in the embedded log: a row stored from the log keeps the post's byte position there, and
// the `tweet` view reads raw back through it, byte for byte, for every query, export and restart; replays and a
// post published twice (a reconnect's overlap) store no row twice; a person's SQL cannot read the log itself.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { embeddedLogDir, rawLogArchive } from '../../src/adapters/filelog/log-archive.js';
import { classifyBatch } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import { type BusMessage, TOPICS } from '../../src/core/ports.js';
import { lineOf } from '../helpers/real-payloads.js';
import { eventRows } from '../helpers/store-rows.js';
import { line, tweet } from '../helpers/tweets.js';

const EVENTS = [
  { id: '6d0c4a8e-1b7f-4c39-9a51-2f0e8d3b7c10', name: 'Sandy', keywords: ['sandy'], active: true },
  { id: '0b9e7f3a-5c2d-4e81-b6a4-9d1c3e5f7a20', name: 'Flood', keywords: ['flood'], active: true },
  { id: '9a3e1d5b-7c2f-4b60-8e14-3f5a7b9c1d30', name: 'Hands', keywords: ['hand'], active: true },
];
/** A captured tweet (HTML entities and an emoji in its text): its line must come back unchanged. */
const REAL = lineOf('twitter-v1/html-lt-emoji.json');

const LINES = [
  line(tweet({ id: '101', text: 'Sandy flood in the street — évacuation 🌀' })),
  line(tweet({ id: '102', text: 'sandy winds "quoted" \\ backslash' })),
  line(tweet({ id: '103', text: 'nothing to see' })),
];

async function readAll(bus: FileLogBus): Promise<BusMessage[]> {
  const all: BusMessage[] = [];
  await bus.scan(TOPICS.raw, 0, async (batch) => void all.push(...batch));
  return all;
}

describe('raw posts kept once, in the embedded log', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(dir: string) {
    const bus = await FileLogBus.open({ dir: embeddedLogDir(dir) });
    const db = await openDuckDb(join(dir, 'vigil.duckdb'), { rawArchive: rawLogArchive(dir) });
    const store = await DuckDbPostStore.open(db);
    const close = async () => {
      await store.close();
      db.close();
      await bus.close();
    };
    return { bus, db, store, close };
  }

  async function store(v: Awaited<ReturnType<typeof open>>, messages: BusMessage[]): Promise<void> {
    const lines = messages.map((m) => m.value ?? '');
    const out = classifyBatch(
      lines,
      messages.map((m) => `raw@${m.offset}`),
      new Matcher(EVENTS),
      '2026-01-01T00:00:00.000Z',
      messages.map((m) => m.key),
      messages.map((m) => m.position ?? null),
    );
    await v.store.writeRows(out.rows);
  }

  it('stores rows without a copy of raw and gives raw back byte for byte, across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-raw-once-'));
    let v = await open(dir);
    expect(v.store.readsRawFromLog).toBe(true);
    await v.bus.publish(
      TOPICS.raw,
      [...LINES, REAL].map((value, i) => ({ key: String(i), value })),
    );
    await store(v, await readAll(v.bus));
    const conn = await v.db.connect();
    const stored = async () => (await conn.runAndReadAll('SELECT count(*), count(raw), count(raw_ref) FROM tweet_row')).getRows()[0].map(Number);
    const [rows, inline, refs] = await stored();
    expect(rows).toBe(4);
    expect([inline, refs]).toEqual([0, rows]);
    const raws = (await conn.runAndReadAll('SELECT DISTINCT raw FROM tweet')).getRows().map((r) => String(r[0]));
    expect(raws.sort()).toEqual([LINES[0], LINES[1], REAL].sort());
    v.db.disconnect(conn);
    await v.close();

    v = await open(dir);
    cleanups.push(v.close);
    const engine = new DuckDbQueryEngine(v.db);
    const r = await engine.query("SELECT event_name, raw FROM tweet WHERE t_id = '101' ORDER BY event_name", { maxRows: 10, timeoutMs: 5000 });
    expect(r.rows).toEqual([
      { event_name: 'Flood', raw: LINES[0] },
      { event_name: 'Sandy', raw: LINES[0] },
    ]);
    expect((await eventRows(v.store, 'Sandy')).map((row) => row.raw)).toEqual(expect.arrayContaining([LINES[0], LINES[1]]));
  });

  it('stores a post once whether its batch is delivered again or the post is published again at another position', async () => {
    const v = await open(await mkdtemp(join(tmpdir(), 'vigil-raw-once-')));
    cleanups.push(v.close);
    await v.bus.publish(
      TOPICS.raw,
      LINES.map((value, i) => ({ key: String(i), value })),
    );
    const first = await readAll(v.bus);
    await store(v, first);
    await store(v, first);
    // The same posts again, later in the log (a reconnect's overlap, a second import of the same file).
    await v.bus.publish(
      TOPICS.raw,
      LINES.map((value, i) => ({ key: String(i), value })),
    );
    const all = await readAll(v.bus);
    expect(all[3].position).toBeGreaterThan(all[2].position ?? Infinity);
    await store(v, all.slice(3));
    expect((await v.store.eventStats('Sandy')).count).toBe(2);
    expect((await v.store.eventStats('Flood')).count).toBe(1);
  });

  it("refuses a person's SQL that reads the log or the rows' table directly", async () => {
    const v = await open(await mkdtemp(join(tmpdir(), 'vigil-raw-once-')));
    cleanups.push(v.close);
    const engine = new DuckDbQueryEngine(v.db);
    for (const sql of ['SELECT vigil_raw(0)', 'SELECT Vigil_Raw(8) AS x FROM tweet', 'SELECT raw_ref FROM tweet_row', 'SELECT * FROM main.tweet_row'])
      await expect(engine.query(sql, { maxRows: 10, timeoutMs: 5000 }), sql).rejects.toThrow(/not allowed|not an analysis table/);
  });

  it("lets a person's SQL read the term and hashtag counts but not change them, nor read the store's tables behind the views", async () => {
    const v = await open(await mkdtemp(join(tmpdir(), 'vigil-raw-once-')));
    cleanups.push(v.close);
    const engine = new DuckDbQueryEngine(v.db);
    const run = (sql: string) => engine.query(sql, { maxRows: 10, timeoutMs: 5000 });
    expect((await run("SELECT hashtag, sum(n) FROM hashtag_count WHERE event_name = 'Sandy' GROUP BY 1")).rowCount).toBe(0);
    for (const sql of [
      'SELECT * FROM deletion_row',
      'SELECT t_key FROM Deletion_Row',
      'SELECT write_seq FROM tweet_row',
      'SELECT * FROM vigil_fresh_rows',
      'SELECT * FROM term_count_part',
      'SELECT counted_through FROM term_count_mark',
      'SELECT * FROM term_bucket_part',
      'SELECT * FROM term_hour_part',
      'SELECT * FROM vigil_term_lasts',
    ])
      await expect(run(sql), sql).rejects.toThrow(/not an analysis table/);
    for (const sql of [
      "INSERT INTO hashtag_count VALUES ('Sandy', 'fake', 1000000)",
      'DELETE FROM hashtag_count',
      "UPDATE hashtag_count SET n = 0 WHERE event_name = 'Sandy'",
      'DROP TABLE hashtag_count',
      'WITH x AS (DELETE FROM hashtag_count RETURNING *) SELECT * FROM x',
      "INSERT INTO term_count VALUES ('Sandy', 'word', 'en', 'fake', 1000000)",
      "UPDATE Term_Count SET n = n * 10 WHERE kind = 'word'",
      'TRUNCATE term_count',
      'DROP VIEW hashtag_count',
      "INSERT INTO term_bucket_count VALUES ('Sandy', 'word', TIMESTAMP '2012-10-29 10:00:00', 'fake', 1000000)",
      'DELETE FROM term_bucket_count',
      'DROP VIEW term_bucket_count',
      "INSERT INTO term_hour_count VALUES ('Sandy', 'word', TIMESTAMP '2012-10-29 10:00:00', 'fake', 1000000)",
      "UPDATE term_hour_count SET n = 0 WHERE kind = 'word'",
      'DROP VIEW term_hour_count',
    ])
      await expect(run(sql), sql).rejects.toThrow(/read-only|not allowed|does not parse/i);
    expect((await run('SELECT count(*) AS n FROM hashtag_count')).rows).toEqual([{ n: 0 }]);
    expect((await run('SELECT count(*) AS n FROM term_count')).rows).toEqual([{ n: 0 }]);
    expect((await run('SELECT count(*) AS n FROM term_bucket_count')).rows).toEqual([{ n: 0 }]);
    expect((await run('SELECT count(*) AS n FROM term_hour_count')).rows).toEqual([{ n: 0 }]);
  });

  it('says which position is wrong when the log holds no post there, wherever that position falls', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-raw-once-'));
    const v = await open(dir);
    cleanups.push(v.close);
    await v.bus.publish(TOPICS.raw, [
      { key: '0', value: LINES[0] },
      { key: '1', value: REAL },
    ]);
    const [m, second] = await readAll(v.bus);
    const archive = rawLogArchive(dir);
    cleanups.push(() => archive.close());
    const start = second.position ?? 0;
    expect(archive.read(start)).toBe(REAL);
    // Inside a header (its length bytes then read as anything), inside a post's text, past the end, not a position.
    for (const at of [start + 1, start + 3, start + 5, start + 40, start + 200, start + 10_000_000, -1, 1.5])
      expect(() => archive.read(at), String(at)).toThrow(new RegExp(`${at} is not a position|no raw post is recorded at byte ${at} `));
    await store(v, [{ ...m, position: start + 3 }]);
    const conn = await v.db.connect();
    await expect(conn.runAndReadAll('SELECT raw FROM tweet')).rejects.toThrow(new RegExp(`no raw post is recorded at byte ${start + 3} `));
    v.db.disconnect(conn);
  });
});
