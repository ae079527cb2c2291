// A bulk import's writes are committed many batches at a time (commit-group.ts): held writes are invisible to
// other connections and unsettled until their transaction commits, which happens when a write says nothing more is
// coming, when the transaction holds enough rows, or after a while; a failure fails the whole group and keeps none
// of its rows. The classifier says which writes may wait (a backlog in the log) and which may not (a live post).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitGroup, type CommitGroupOptions } from '../../src/adapters/duckdb/commit-group.js';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { ROW_TABLE } from '../../src/adapters/duckdb/tweet-schema.js';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { classifyLine } from '../../src/core/classify.js';
import { eventStateRecords } from '../../src/core/event-state.js';
import { type PostStore, TOPICS, type WriteOptions } from '../../src/core/ports.js';
import { type RowBatch, rowBatch } from '../../src/core/row-batch.js';
import { Classifier } from '../../src/roles/classifier/classifier.js';
import { silentLogger } from '../../src/util/log.js';
import { type Cleanups, openTestStore } from '../helpers/duckdb-store.js';
import { FLOOD_EVENT as EVENT, FLOOD_MATCHER as MATCHER } from '../helpers/flood-event.js';
import { line, tweet } from '../helpers/tweets.js';
import { waitFor } from '../helpers/vigil-process.js';

function batchOf(...ids: string[]) {
  return rowBatch(
    ids.flatMap((id) => {
      const out = classifyLine(line(tweet({ id, text: `flood ${id}` })), MATCHER, '2026-01-01T00:00:00.000Z');
      if (out.kind !== 'post') throw new Error('not a post');
      return out.rows;
    }),
  );
}

/** Whether a promise has settled yet (after the microtasks queued so far and a turn of the event loop). */
async function settledYet(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 50));
  return done;
}

const posts = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: null, value: line(tweet({ id: String(262000000000000000n + BigInt(from + i)), text: `flood ${from + i}` })) }));

describe('grouped commits', () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const open = () => openTestStore(cleanups, { store: { termCountIdleMs: 0 } });

  it('holds writes given moreComing uncommitted and unsettled until a write without it commits them all', async () => {
    const { store, count } = await open();
    const first = store.writeRows(batchOf('262000000000000001', '262000000000000002'), { moreComing: true });
    const second = store.writeRows(batchOf('262000000000000003'), { moreComing: true });
    await store.applied();
    expect(await settledYet(first)).toBe(false);
    expect(await settledYet(second)).toBe(false);
    expect(await count()).toBe(0);
    await store.writeRows(batchOf('262000000000000002', '262000000000000004'));
    await Promise.all([first, second]);
    // One transaction, and a post given twice in it is stored once.
    expect(await count()).toBe(4);
  });

  it('keeps each post once across a transaction of many writes: rows committed before it win, then its first write', async () => {
    const { store, conn, count } = await open();
    await store.writeRows(batchOf('262000000000000031'));
    const seqOf = async (id: string) =>
      (await conn.runAndReadAll(`SELECT write_seq FROM ${ROW_TABLE} WHERE t_id = '${id}'`)).getRows().map((r) => Number(r[0]));
    const [before] = await seqOf('262000000000000031');
    // Each applied before the next comes, so each is a write of its own in the one transaction.
    const held: Promise<void>[] = [];
    for (const ids of [
      ['262000000000000031', '262000000000000032'],
      ['262000000000000032', '262000000000000033', '262000000000000033'],
      ['262000000000000031', '262000000000000034'],
    ]) {
      held.push(store.writeRows(batchOf(...ids), { moreComing: true }));
      await store.applied();
    }
    expect(await count()).toBe(1);
    await store.flush();
    await Promise.all(held);
    expect(await count()).toBe(4);
    expect(await seqOf('262000000000000031')).toEqual([before]);
    expect(await seqOf('262000000000000032')).toEqual([before + 1]);
    expect(await seqOf('262000000000000033')).toEqual([before + 2]);
    expect(await seqOf('262000000000000034')).toEqual([before + 3]);
  });

  it('commits held writes on flush, and before any other statement of the store', async () => {
    const { store, count } = await open();
    const held = store.writeRows(batchOf('262000000000000011'), { moreComing: true });
    await store.applied();
    expect(await count()).toBe(0);
    await store.flush();
    await held;
    expect(await count()).toBe(1);
    const again = store.writeRows(batchOf('262000000000000012'), { moreComing: true });
    expect((await store.eventStats('Flood')).count).toBe(2);
    await again;
    expect(await count()).toBe(2);
  });

  /** A table t and a commit group on its connection whose timers commit it; each insert says more would follow. */
  const timedGroup = async (options: CommitGroupOptions) => {
    const { db } = await open();
    const conn = await db.connect();
    cleanups.push(() => db.disconnect(conn));
    await conn.run('CREATE TABLE t (n INTEGER)');
    let group!: CommitGroup;
    group = new CommitGroup(conn, () => void group.commit(), options);
    const insert = (n: number) => async () => {
      await conn.run(`INSERT INTO t VALUES (${n})`);
      return { rows: 1, moreComing: true };
    };
    return { conn, group, insert };
  };

  it('commits a held transaction once it holds the rows per commit, or once it has waited the longest it may', async () => {
    const { conn, group, insert } = await timedGroup({ rows: 3, maxHoldMs: 300 });
    const a = (await group.write(insert(1))).committed;
    const b = (await group.write(insert(2))).committed;
    expect(await settledYet(a)).toBe(false);
    const c = (await group.write(insert(3))).committed;
    await Promise.all([a, b, c]);
    expect(group.holding).toBe(false);
    const d = (await group.write(insert(4))).committed;
    expect(group.holding).toBe(true);
    const started = performance.now();
    await d;
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])).toBe(4);
  });

  it('commits a held transaction once no write has joined it for a while, though each said more would follow', async () => {
    const { conn, group, insert } = await timedGroup({ rows: 1000, maxHoldMs: 60_000, maxIdleMs: 400 });
    const first = (await group.write(insert(1))).committed;
    // Writes that keep coming, each sooner than the idle wait, keep the transaction open.
    for (let n = 2; n <= 6; n++) {
      await new Promise((r) => setTimeout(r, 150));
      await group.write(insert(n));
    }
    expect(await settledYet(first)).toBe(false);
    const lastWrite = performance.now();
    await first;
    expect(performance.now() - lastWrite).toBeGreaterThan(300);
    expect(performance.now() - lastWrite).toBeLessThan(5_000);
    expect(group.holding).toBe(false);
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])).toBe(6);
  });

  it('fails every write of the held transaction when one fails, and keeps none of their rows', async () => {
    const { db } = await open();
    const conn = await db.connect();
    cleanups.push(() => db.disconnect(conn));
    await conn.run('CREATE TABLE t (n INTEGER NOT NULL)');
    const group = new CommitGroup(conn, () => undefined, { rows: 100, maxHoldMs: 60_000 });
    const insert = (value: string, moreComing: boolean) => async () => {
      await conn.run(`INSERT INTO t VALUES (${value})`);
      return { rows: 1, moreComing };
    };
    const a = (await group.write(insert('1', true))).committed;
    a.catch(() => undefined);
    const b = (await group.write(insert('NULL', true))).committed;
    await expect(a).rejects.toThrow(/NOT NULL/);
    await expect(b).rejects.toThrow(/NOT NULL/);
    expect(group.holding).toBe(false);
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])).toBe(0);
    // The connection is usable again: the next write begins a new transaction.
    await (await group.write(insert('2', false))).committed;
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0])).toBe(1);
  });

  it('fails the waiting writes when their transaction cannot begin, and takes the next write as usual', async () => {
    const { db, count } = await open();
    const conn = await db.connect();
    cleanups.push(() => db.disconnect(conn));
    const store = await DuckDbPostStore.openOn(conn, undefined, false, { termCountIdleMs: 0 });
    cleanups.push(() => store.close());
    // Someone else's transaction left open on the store's connection: the store's own cannot begin.
    await conn.run('BEGIN TRANSACTION');
    await expect(store.writeRows(batchOf('262000000000000031'))).rejects.toThrow(/transaction/i);
    await conn.run('ROLLBACK');
    await store.writeRows(batchOf('262000000000000032'));
    expect(await count()).toBe(1);
  });

  it('commits what it holds when the store closes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-grouped-'));
    const db = await openDuckDb(join(dir, 'vigil.duckdb'));
    const store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 });
    const held = store.writeRows(batchOf('262000000000000021', '262000000000000022'), { moreComing: true });
    await store.close();
    await held;
    const conn = await db.connect();
    expect(Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE}`)).getRows()[0][0])).toBe(2);
    db.disconnect(conn);
    db.close();
  });

  it('the classifier holds the writes of a backlog but the last, and has a live batch committed at once', async () => {
    const { dir, store, count: stored } = await open();
    const bus = await FileLogBus.open({ dir: join(dir, 'bus') });
    cleanups.push(() => bus.close());
    // The store as the classifier sees it, with each row write's hint recorded.
    const hints: { rows: number; moreComing: boolean }[] = [];
    const writeRows = (batch: RowBatch, options: WriteOptions = {}) => {
      hints.push({ rows: batch.count, moreComing: options.moreComing === true });
      return store.writeRows(batch, options);
    };
    const recording = new Proxy(store, {
      get(target, prop) {
        if (prop === 'writeRows') return writeRows;
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as PostStore;
    await bus.publish(TOPICS.events, eventStateRecords([EVENT], { action: 'created', name: EVENT.name }, new Date().toISOString()));
    await bus.publish(TOPICS.raw, posts(0, 250));
    const classifier = new Classifier(bus, recording, silentLogger, { workers: 0, batchSize: 100 });
    await classifier.start();
    cleanups.push(() => classifier.stop());

    await waitFor('the backlog stored', async () => (await stored()) === 250);
    expect(hints).toEqual([
      { rows: 100, moreComing: true },
      { rows: 100, moreComing: true },
      { rows: 50, moreComing: false },
    ]);

    // A live post: nothing waits behind it, so it is committed at once (the store would hold it up to 10 s).
    const published = performance.now();
    await bus.publish(TOPICS.raw, posts(1000, 1));
    await waitFor('the live post stored', async () => (await stored()) === 251);
    expect(performance.now() - published).toBeLessThan(5_000);
    expect(hints.at(-1)).toEqual({ rows: 1, moreComing: false });
    expect(await bus.lag(TOPICS.raw, 'vigil-classifier')).toBe(0);
  });
});
