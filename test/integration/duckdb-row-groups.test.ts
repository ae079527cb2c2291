// The embedded database's row group size: what Vigil writes fills row groups of the configured size (DuckDB takes it
// only when a file is attached, and keeps none in the file), a file written with DuckDB's own size opens and is
// written on, a file Vigil wrote opens in plain DuckDB, and SQL still reads no file of the server.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROW_GROUP_SIZE, type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { loadConfig } from '../../src/config/index.js';

async function dbFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'vigil-row-groups-')), 'vigil.duckdb');
}

async function scalar(db: DuckDb, sql: string): Promise<unknown> {
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRows()[0][0];
  } finally {
    db.disconnect(c);
  }
}

/** The largest row group of table t and how many it has, as stored. */
async function rowGroups(db: DuckDb): Promise<{ largest: number; count: number }> {
  const c = await db.connect();
  try {
    await c.run('CHECKPOINT');
    const [largest, count] = (await c.runAndReadAll("SELECT max(count), count(DISTINCT row_group_id) FROM pragma_storage_info('t')")).getRows()[0];
    return { largest: Number(largest), count: Number(count) };
  } finally {
    db.disconnect(c);
  }
}

async function insertRows(db: DuckDb, from: number, n: number): Promise<void> {
  const c = await db.connect();
  try {
    await c.run(`CREATE TABLE IF NOT EXISTS t (i BIGINT, s VARCHAR)`);
    await c.run(`INSERT INTO t SELECT range, 'row ' || range FROM range(${from}, ${from + n})`);
  } finally {
    db.disconnect(c);
  }
}

describe('the embedded database row group size', () => {
  it('fills row groups of the size given, and of DEFAULT_ROW_GROUP_SIZE when none is', async () => {
    const small = await openDuckDb(await dbFile(), { rowGroupSize: 4096 });
    await insertRows(small, 0, 10_000);
    expect(await rowGroups(small)).toEqual({ largest: 4096, count: 3 });
    small.close();

    const byDefault = await openDuckDb(await dbFile());
    await insertRows(byDefault, 0, DEFAULT_ROW_GROUP_SIZE + 1);
    expect(await rowGroups(byDefault)).toEqual({ largest: DEFAULT_ROW_GROUP_SIZE, count: 2 });
    byDefault.close();
  });

  it("opens a file written with DuckDB's own row group size, writes on in its own size, and keeps every row over a reopen", async () => {
    const path = await dbFile();
    const plain = await DuckDBInstance.create(path);
    const pc = await plain.connect();
    await pc.run(`CREATE TABLE t AS SELECT range AS i, 'row ' || range AS s FROM range(100000)`);
    await pc.run(`CREATE VIEW v AS SELECT i FROM t WHERE i % 2 = 0`);
    pc.closeSync();
    plain.closeSync();

    const db = await openDuckDb(path, { rowGroupSize: 8192 });
    await insertRows(db, 100_000, 20_000);
    expect(await scalar(db, 'SELECT count(*) FROM v')).toBe(60_000n);
    db.close();

    const again = await openDuckDb(path);
    expect(await scalar(again, 'SELECT count(DISTINCT i) FROM t')).toBe(120_000n);
    // The first 100,000 rows stay in the row group DuckDB wrote them in; the new ones are in groups of 8,192.
    expect(await scalar(again, "SELECT count(*) > 0 FROM pragma_storage_info('t') WHERE count = 8192")).toBe(true);
    again.close();
  });

  it('writes a file that plain DuckDB opens, views included, and every connection reads the file without naming it', async () => {
    const path = await dbFile();
    const db = await openDuckDb(path);
    await insertRows(db, 0, 1000);
    const c = await db.connect();
    await c.run('CREATE VIEW v AS SELECT i FROM t WHERE i < 10');
    db.disconnect(c);
    expect(await scalar(db, 'SELECT count(*) FROM v')).toBe(10n);
    db.close();

    const plain = await DuckDBInstance.create(path);
    const pc = await plain.connect();
    expect((await pc.runAndReadAll('SELECT count(*) FROM v')).getRows()[0][0]).toBe(10n);
    pc.closeSync();
    plain.closeSync();
  });

  it('leaves SQL unable to read a file of the server or attach another database', async () => {
    const db = await openDuckDb(await dbFile());
    const c = await db.connect();
    try {
      await expect(c.run("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/disabled by configuration/u);
      await expect(c.run(`ATTACH '${await dbFile()}' AS other`)).rejects.toThrow(/disabled by configuration/u);
      await expect(c.run('SET enable_external_access = true')).rejects.toThrow(/locked/iu);
    } finally {
      db.disconnect(c);
      db.close();
    }
  });

  it('refuses a row group size that is not a whole number of vectors, saying what it must be', () => {
    expect(loadConfig({}, {}).duckdbRowGroupSize).toBe(DEFAULT_ROW_GROUP_SIZE);
    expect(loadConfig({ duckdbRowGroupSize: '61440' }, {}).duckdbRowGroupSize).toBe(61_440);
    expect(() => loadConfig({ duckdbRowGroupSize: '30000' }, {})).toThrow(/multiple of 2048/u);
    expect(() => loadConfig({}, { VIGIL_DUCKDB_ROW_GROUP_SIZE: '1024' })).toThrow(/VIGIL_DUCKDB_ROW_GROUP_SIZE = "1024": Too small/u);
  });
});
