// A person's queries and the exports take turns at the gate of long work, so that they never hold every thread of
// Node's pool the store's writes and the embedded log's appends wait for: a query waits its turn within its time
// limit, a cancelled one leaves the line, neither gets a connection before its turn, and Vigil's pages do not wait.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { duckDbSource, exportEvent } from '../../src/adapters/duckdb/export.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { QueryError } from '../../src/core/errors.js';
import { LONG_WORK } from '../../src/util/long-work.js';

let db: DuckDb;
let store: DuckDbPostStore;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  db = await openDuckDb(':memory:');
  store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 });
  engine = new DuckDbQueryEngine(db);
});
afterAll(() => db.close());

/** Holds every permit of the gate until the returned function is called. */
async function holdEveryPermit(): Promise<() => Promise<void>> {
  let free = (): void => undefined;
  const freed = new Promise<void>((resolve) => {
    free = resolve;
  });
  const held = Array.from({ length: LONG_WORK.permits }, () => LONG_WORK.run(() => freed));
  await new Promise((r) => setTimeout(r, 5));
  expect(LONG_WORK.load.held).toBe(LONG_WORK.permits);
  return async () => {
    free();
    await Promise.all(held);
  };
}

const settledWithin = async (p: Promise<unknown>, ms: number): Promise<boolean> => {
  let settled = false;
  p.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((r) => setTimeout(r, ms));
  return settled;
};

describe('the gate of long work', () => {
  it('keeps a query waiting while long work holds every permit, and runs it once one is free', async () => {
    const release = await holdEveryPermit();
    const query = engine.query('SELECT count(*) AS n FROM tweet', { maxRows: 10, timeoutMs: 10_000, untrusted: true });
    expect(await settledWithin(query, 100)).toBe(false);
    expect(LONG_WORK.load.waiting).toBe(1);
    await release();
    expect((await query).rows).toEqual([{ n: 0 }]);
    expect(LONG_WORK.load).toEqual({ held: 0, waiting: 0 });
  });

  it('stops a query whose time limit passes while it waits, with the reason, and leaves the line clear', async () => {
    const release = await holdEveryPermit();
    const err = await engine.query('SELECT count(*) FROM tweet', { maxRows: 10, timeoutMs: 150, untrusted: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).code).toBe('VIGIL_TIMEOUT');
    expect((err as QueryError).message).toMatch(/ran longer than 150 ms .*its wait for a turn included/u);
    expect(LONG_WORK.load.waiting).toBe(0);
    await release();
  });

  it('lets a query cancelled while it waits leave the line as cancelled', async () => {
    const release = await holdEveryPermit();
    const controller = new AbortController();
    const query = engine
      .query('SELECT count(*) FROM tweet', { maxRows: 10, timeoutMs: 10_000, signal: controller.signal, untrusted: true })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const err = await query;
    expect((err as QueryError).code).toBe('VIGIL_CANCELLED');
    expect(LONG_WORK.load.waiting).toBe(0);
    await release();
  });

  it("runs Vigil's own page queries at once, beside people's long work (they have slots of their own)", async () => {
    const release = await holdEveryPermit();
    const page = await engine.query('SELECT count(*) AS n FROM tweet', { maxRows: 10, timeoutMs: 10_000 });
    expect(page.rows).toEqual([{ n: 0 }]);
    await release();
  });

  it('makes an export wait its turn too', async () => {
    const release = await holdEveryPermit();
    const exported = exportEvent(duckDbSource(db, store), 'Sandy', 'csv');
    expect(await settledWithin(exported, 100)).toBe(false);
    await release();
    const file = await exported;
    file.stream.destroy();
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/u);
  });
});
