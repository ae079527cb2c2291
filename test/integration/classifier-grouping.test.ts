// The classifier tells the store which writes may wait for others (a backlog in the log) and which must be
// committed at once (nothing waiting behind them: live collection), so an import commits many batches together
// while a live post is queryable at once, not after the store's longest hold.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { ROW_TABLE } from '../../src/adapters/duckdb/tweet-schema.js';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import type { VigilEvent } from '../../src/core/event.js';
import { eventStateRecords } from '../../src/core/event-state.js';
import { type PostStore, TOPICS, type WriteOptions } from '../../src/core/ports.js';
import type { RowBatch } from '../../src/core/row-batch.js';
import { Classifier } from '../../src/roles/classifier/classifier.js';
import { silentLogger } from '../../src/util/log.js';
import { line, tweet } from '../helpers/tweets.js';
import { waitFor } from '../helpers/vigil-process.js';

const EVENT: VigilEvent = {
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'Flood',
  keywords: ['flood'],
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '',
};

const posts = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: null, value: line(tweet({ id: String(262000000000000000n + BigInt(from + i)), text: `flood ${from + i}` })) }));

describe('classifier and grouped commits', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('holds the writes of a backlog but the last, and commits a live batch at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-grouping-'));
    const bus = await FileLogBus.open({ dir: join(dir, 'bus') });
    const db = await openDuckDb(join(dir, 'vigil.duckdb'));
    const store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 });
    const other = await db.connect();
    cleanups.push(async () => {
      db.disconnect(other);
      await store.close();
      db.close();
      await bus.close();
    });
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
    const stored = async () => Number((await other.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE}`)).getRows()[0][0]);

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
