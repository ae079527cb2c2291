import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { TWEET_COLUMNS } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
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

describe('DuckDB store and query engine', () => {
  it('round-trips every column of a row through SQL', async () => {
    const db = await openDuckDb(':memory:');
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
    let db = await openDuckDb(path);
    let store = await DuckDbPostStore.open(db);
    await store.writeRows(rowBatch(rowsFor('1', 'sandy')));
    await store.close();
    db.close();
    db = await openDuckDb(path);
    store = await DuckDbPostStore.open(db);
    await store.writeRows(rowBatch(rowsFor('1', 'sandy')));
    expect((await store.eventStats('Sandy')).count).toBe(1);
    db.close();
  });

  it('refuses statements that write, naming the kind', async () => {
    const db = await openDuckDb(':memory:');
    await DuckDbPostStore.open(db);
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query('DELETE FROM tweet', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/only read-only queries/);
    await expect(engine.query('CREATE TABLE x (a INT)', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/only read-only/);
    await expect(engine.query('SELECT 1; SELECT 2', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/exactly one statement/);
    await expect(engine.query('SET lock_configuration = false', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/only read-only/);
    db.close();
  });

  it('cannot read files or reach the network from SQL', async () => {
    const db = await openDuckDb(':memory:');
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query("SELECT * FROM read_csv('/etc/passwd')", { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/not allowed|disabled|Permission/i);
    await expect(engine.query("SELECT * FROM read_json('http://127.0.0.1:1/x')", { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow();
    db.close();
  });

  it('cuts results at the row limit and says so', async () => {
    const db = await openDuckDb(':memory:');
    const engine = new DuckDbQueryEngine(db);
    const r = await engine.query('SELECT * FROM range(5000)', { maxRows: 10, timeoutMs: 5000 });
    expect(r.rowCount).toBe(10);
    expect(r.truncated).toBe(true);
    expect(r.rows[9]).toEqual({ range: 9 });
    db.close();
  });

  it('stops a query over its time limit', async () => {
    const db = await openDuckDb(':memory:');
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query('SELECT count(*) FROM range(10000000000) a', { maxRows: 10, timeoutMs: 200 })).rejects.toThrow(/longer than 200 ms/);
    db.close();
  });

  it('reports SQL errors with the engine message', async () => {
    const db = await openDuckDb(':memory:');
    const engine = new DuckDbQueryEngine(db);
    await expect(engine.query('SELECT * FROM nope', { maxRows: 10, timeoutMs: 5000 })).rejects.toThrow(/nope/);
    db.close();
  });
});
