// A DuckDB post store in a fresh data directory, with a second connection for looking at what is committed, closed
// by the caller's cleanups (run in reverse order after each test).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbPostStore, type StoreOptions } from '../../src/adapters/duckdb/store.js';
import { ROW_TABLE } from '../../src/adapters/duckdb/tweet-schema.js';

export type Cleanups = (() => Promise<void> | void)[];

export async function openTestStore(cleanups: Cleanups, options: { memoryLimit?: string; store?: StoreOptions } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-store-'));
  const db = await openDuckDb(join(dir, 'vigil.duckdb'), { memoryLimit: options.memoryLimit });
  const store = await DuckDbPostStore.open(db, undefined, options.store);
  const conn = await db.connect();
  cleanups.push(async () => {
    db.disconnect(conn);
    await store.close();
    db.close();
  });
  /** Rows committed, as another connection sees them. */
  const count = async () => Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE}`)).getRows()[0][0]);
  return { dir, db, store, conn, count };
}
