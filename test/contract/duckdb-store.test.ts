import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { DIALECTS, risingTermsSql, topWordsSql } from '../../src/core/analyses.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { ADDED_COLUMNS, RETYPED_LIST_COLUMNS, TWEET_COLUMNS } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { lineOf } from '../helpers/real-payloads.js';
import { eventRows } from '../helpers/store-rows.js';
import { rowsFor, storeContract } from './suites/store-contract.js';

storeContract('DuckDB', {
  async fresh() {
    const db = await openDuckDb(':memory:');
    const store = await DuckDbPostStore.open(db);
    return {
      store,
      cleanup: async () => {
        await store.close();
        db.close();
      },
    };
  },
});

// Every database a test opens is closed after it, also when an assertion failed midway (close is idempotent).
const opened: DuckDb[] = [];
const open = async (path: string): Promise<DuckDb> => {
  const db = await openDuckDb(path);
  opened.push(db);
  return db;
};
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('DuckDB store and query engine', () => {
  it('round-trips every column of a row through SQL', async () => {
    const db = await open(':memory:');
    const store = await DuckDbPostStore.open(db);
    const [row] = rowsFor('99', 'sandy');
    await store.writeRows(rowBatch([row]));
    const engine = new DuckDbQueryEngine(db);
    const r = await engine.query("SELECT * FROM tweet WHERE t_id = '99'", { maxRows: 10, timeoutMs: 5000 });
    expect(r.columns.map((c) => c.name)).toEqual(TWEET_COLUMNS.map((c) => c.name));
    expect(r.rows[0]).toEqual(row);
    db.close();
  });

  it('survives a restart: rows written before are there after reopening the file', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-duck-')), 'v.duckdb');
    let db = await open(path);
    let store = await DuckDbPostStore.open(db);
    await store.writeRows(rowBatch(rowsFor('1', 'sandy')));
    await store.close();
    db.close();
    db = await open(path);
    store = await DuckDbPostStore.open(db);
    await store.writeRows(rowBatch(rowsFor('1', 'sandy')));
    expect((await store.eventStats('Sandy')).count).toBe(1);
    db.close();
  });

  it('refuses statements that write, naming the kind', async () => {
    const db = await open(':memory:');
    await DuckDbPostStore.open(db);
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query('DELETE FROM tweet', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/only read-only queries/);
    await expect(engine.query('CREATE TABLE x (a INT)', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/only read-only/);
    await expect(engine.query('SELECT 1; SELECT 2', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/exactly one statement/);
    await expect(engine.query('SET lock_configuration = false', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/only read-only/);
    db.close();
  });

  it('cannot read files or reach the network from SQL', async () => {
    const db = await open(':memory:');
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query("SELECT * FROM read_csv('/etc/passwd')", { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/not allowed|disabled|Permission/i);
    await expect(engine.query("SELECT * FROM read_json('http://127.0.0.1:1/x')", { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow();
    db.close();
  });

  it('cuts results at the row limit and says so', async () => {
    const db = await open(':memory:');
    const engine = new DuckDbQueryEngine(db);
    const r = await engine.query('SELECT * FROM range(5000)', { maxRows: 10, timeoutMs: 5000 });
    expect(r.rowCount).toBe(10);
    expect(r.truncated).toBe(true);
    expect(r.rows[9]).toEqual({ range: 9 });
    db.close();
  });

  it('stops a query over its time limit', async () => {
    const db = await open(':memory:');
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query('SELECT count(*) FROM range(10000000000) a', { maxRows: 10, timeoutMs: 200 })).rejects.toThrow(/longer than 200 ms/);
    db.close();
  });

  it('reports SQL errors with the engine message', async () => {
    const db = await open(':memory:');
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query('SELECT * FROM nope', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/nope/);
    db.close();
  });
});

describe('DuckDB store: a table of the first schema', () => {
  it('turns comma-joined multi-valued columns into lists (a mentioned name holding a comma taken again from the raw post) and gives rows their event identity', async () => {
    const db = await open(':memory:');
    const conn = await db.connect();
    // The tweet table as main wrote it before: the retyped columns as text.
    const columns = TWEET_COLUMNS.filter((c) => !ADDED_COLUMNS.includes(c.name)).map((c) => {
      const type = (RETYPED_LIST_COLUMNS as readonly string[]).includes(c.name) ? 'text' : c.type;
      return `${c.name} ${{ uuid: 'UUID', text: 'VARCHAR', int: 'BIGINT', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', 'list<text>': 'VARCHAR[]' }[type]}`;
    });
    await conn.run(`CREATE TABLE tweet (${columns.join(', ')}, PRIMARY KEY (event_name, platform, t_id))`);
    const raw = lineOf('twitter-v1/mentions.json');
    const tId = (JSON.parse(raw) as { id_str: string }).id_str;
    const insert = async (t_id: string, v: Record<string, string | null>, rawLine = raw): Promise<void> => {
      await conn.run(
        "INSERT INTO tweet (id, t_id, event_name, platform, raw, t_text, t_is_a_retweet, collected_at, event_kw, media_url, um_id, um_name, um_screen_name) VALUES (uuid(), $1, 'Gnip', 'twitter', $2, '', false, now(), $3, $4, $5, $6, $7)",
        [t_id, rawLine, v.event_kw, v.media_url, v.um_id, v.um_name, v.um_screen_name],
      );
    };
    await insert(tId, {
      event_kw: 'gnip,inc',
      media_url: null,
      um_id: '2382763597,16958875,783214',
      um_name: '👸🏼🙄 Fiona,Gnip, Inc.,Twitter',
      um_screen_name: 'notFromShrek,Gnip,Twitter',
    });
    await insert('2', { event_kw: 'sandy', media_url: 'https://a/1.jpg,https://a/2.jpg', um_id: '7,8', um_name: ',Bo', um_screen_name: 'a,b' }, '{}');
    await insert('3', { event_kw: 'sandy', media_url: '', um_id: null, um_name: null, um_screen_name: null }, '{}');
    db.disconnect(conn);

    const store = await DuckDbPostStore.open(db);
    const rows = Object.fromEntries((await eventRows(store, 'Gnip')).map((r) => [r.t_id, r]));
    expect(rows[tId]).toMatchObject({
      event_kw: ['gnip', 'inc'],
      media_url: [],
      um_id: ['2382763597', '16958875', '783214'],
      um_name: ['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter'],
      um_screen_name: ['notFromShrek', 'Gnip', 'Twitter'],
    });
    expect(rows['2']).toMatchObject({
      media_url: ['https://a/1.jpg', 'https://a/2.jpg'],
      um_id: ['7', '8'],
      um_name: [null, 'Bo'],
      um_screen_name: ['a', 'b'],
    });
    expect(rows['3']).toMatchObject({ event_kw: ['sandy'], media_url: [], um_id: [], um_name: [], um_screen_name: [] });
    // Rows stored before events had an identity carry the one their event's name gives.
    expect(new Set(Object.values(rows).map((r) => r.event_id))).toEqual(new Set([legacyEventId('Gnip')]));
    expect(await store.storedEvents()).toEqual([{ name: 'Gnip', eventId: legacyEventId('Gnip') }]);
    // New rows go in as lists, and opening again changes nothing.
    await store.writeRows(rowBatch(rowsFor('4', 'sandy')));
    await store.close();
    const again = await DuckDbPostStore.open(db);
    expect((await eventRows(again, 'Gnip')).find((r) => r.t_id === tId)?.um_name).toEqual(['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter']);
    db.close();
  });
});

describe('ready analyses over DuckDB: stop words', () => {
  it('leave out the stop words of every language for posts without a language, in top words and rising terms', async () => {
    const db = await open(':memory:');
    const store = await DuckDbPostStore.open(db);
    const rows = [1, 2, 3, 4].flatMap((i) =>
      rowsFor(String(i), 'sandy: the flood for the levee de la ciudad', `2012-10-29T12:0${i}:00Z`).map((r) => ({ ...r, t_lang: null })),
    );
    await store.writeRows(rowBatch(rows));
    const engine = new DuckDbQueryEngine(db);
    const limits = { maxRows: 100, timeoutMs: 10_000 };
    const words = (await engine.query(topWordsSql(DIALECTS.duckdb, 'Sandy'), limits)).rows.map((r) => r.word);
    expect(words).toEqual(expect.arrayContaining(['sandy', 'flood', 'levee', 'ciudad']));
    for (const stop of ['the', 'for', 'de', 'la']) expect(words).not.toContain(stop);
    const rising = (await engine.query(risingTermsSql(DIALECTS.duckdb, 'Sandy'), limits)).rows.map((r) => r.term);
    expect(rising).toContain('levee');
    for (const stop of ['the', 'for']) expect(rising).not.toContain(stop);
    db.close();
  });
});
