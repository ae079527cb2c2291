// A person's queries and the exports take turns at the gate of long work, so that they never hold every thread of
// Node's pool the store's writes and the embedded log's appends wait for: a query waits its turn within its time
// limit, a cancelled one leaves the line, neither gets a connection before its turn, and Vigil's pages do not wait.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { duckDbSource, exportEvent } from '../../src/adapters/duckdb/export.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { QueryError } from '../../src/core/errors.js';
import { LONG_WORK, threadPoolSize } from '../../src/util/long-work.js';

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

/** A query that counts for far longer than any test waits (tens of seconds on one core). */
const ENDLESS = 'SELECT count(*) AS n FROM range(30000000000) a';

/** The error a query ends with, and after how many ms. */
async function outcome(query: Promise<unknown>): Promise<{ err: unknown; ms: number }> {
  const t0 = performance.now();
  const err = await query.then(
    () => null,
    (e: unknown) => e,
  );
  return { err, ms: performance.now() - t0 };
}

describe('a query stopped before its statement begins', () => {
  it('is not run when its time limit has passed by the time its turn comes (a wait at the gate)', async () => {
    const { err, ms } = await outcome(engine.query(ENDLESS, { maxRows: 1, timeoutMs: 1000, startedAt: performance.now() - 5000 }));
    expect((err as QueryError).code).toBe('VIGIL_TIMEOUT');
    expect(ms).toBeLessThan(3000);
  });

  it("is stopped when its time limit passes while its check waits for a thread of Node's pool", async () => {
    // Every thread of the pool runs a statement of its own for 1.5 s, so the query's statements wait in line.
    const pool = await holdThePool(threadPoolSize(), 1500);
    const { err, ms } = await outcome(engine.query(ENDLESS, { maxRows: 1, timeoutMs: 300 }));
    await pool.free();
    expect((err as QueryError).code).toBe('VIGIL_TIMEOUT');
    expect(ms).toBeLessThan(5000);
  });

  it("is stopped when its time limit passes after its check, while its statement waits for a thread of Node's pool", async () => {
    // One thread is left free for the check (a long comment makes it last a few hundred ms); a statement sent while
    // the check runs takes that thread when the check ends, so the query's own statement waits in line past its
    // time limit, and the interrupt said then comes before the statement begins.
    const pool = await holdThePool(threadPoolSize() - 1, 3000);
    const slowToCheck = `${ENDLESS} -- ${'x'.repeat(24 << 20)}\n`;
    const query = outcome(engine.query(slowToCheck, { maxRows: 1, timeoutMs: 2000 }));
    await new Promise((r) => setTimeout(r, 100));
    const last = await holdThePool(1, 2900);
    const { err, ms } = await query;
    await Promise.all([pool.free(), last.free()]);
    expect((err as QueryError).code).toBe('VIGIL_TIMEOUT');
    expect(ms).toBeLessThan(7000);
  });
});

/** Runs `threads` endless statements, each on a thread of Node's pool, interrupted after `ms` (or by `free`). */
async function holdThePool(threads: number, ms: number): Promise<{ free: () => Promise<void> }> {
  const conns = await Promise.all(Array.from({ length: threads }, () => db.connect()));
  const running = conns.map((c) => c.run(ENDLESS).catch(() => undefined));
  const stopAll = (): void => {
    for (const c of conns) c.interrupt();
  };
  const timer = setTimeout(stopAll, ms);
  await new Promise((r) => setTimeout(r, 50));
  return {
    free: async () => {
      clearTimeout(timer);
      // Said until they end: an interrupt said before a statement begins is forgotten (the defect tested above).
      stopAll();
      const again = setInterval(stopAll, 50);
      await Promise.all(running);
      clearInterval(again);
      for (const c of conns) db.disconnect(c);
    },
  };
}
