// A bulk import's writes are held in one transaction while more follow (commit-group.ts). With worker threads the
// batches can be classified out of order: the last one handed out (nothing behind it) may be written before an
// earlier one that was handed out with a backlog behind it. The classifier from the build (its workers are files).

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { eventStateRecords } from '../../src/core/event-state.js';
import { type PostStore, TOPICS } from '../../src/core/ports.js';
import type { RowBatch } from '../../src/core/row-batch.js';
import { silentLogger } from '../../src/util/log.js';
import { type Cleanups, openTestStore } from '../helpers/duckdb-store.js';
import { FLOOD_EVENT as EVENT } from '../helpers/flood-event.js';
import { line, tweet } from '../helpers/tweets.js';
import { waitFor } from '../helpers/vigil-process.js';

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { Classifier } = (await import(dist('roles/classifier/classifier.js'))) as typeof import('../../src/roles/classifier/classifier.js');

const post = (i: number, text: string) => ({ key: null, value: line(tweet({ id: String(262000000000100000n + BigInt(i)), text })) });

describe('grouped commits with batches classified out of order', () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('commits at once when the last batch handed out is written before an earlier one (two workers)', async () => {
    const { dir, store, count: stored } = await openTestStore(cleanups, { store: { termCountIdleMs: 0 } });
    const bus = await FileLogBus.open({ dir: join(dir, 'bus') });
    cleanups.push(() => bus.close());
    await bus.publish(TOPICS.events, eventStateRecords([EVENT], { action: 'created', name: EVENT.name }, new Date().toISOString()));
    // The first batch, five posts of about a megabyte of text each, keeps one worker far longer than the second, one
    // short post, keeps the other. The store was told the first had more behind it and held it for the 30 s it may
    // wait for more writes to join it: the import ended half a minute late.
    const long = Array.from({ length: 5 }, (_, i) => post(i, `flood ${'word '.repeat(200_000)}${i}`));
    await bus.publish(TOPICS.raw, [...long, post(5, 'flood short')]);
    // The store as the classifier sees it, with each row write's hint and time recorded.
    const writes: { rows: number; moreComing: boolean; at: number }[] = [];
    const recording = new Proxy(store, {
      get(target, prop) {
        if (prop === 'writeRows')
          return (batch: RowBatch, options: { moreComing?: boolean } = {}) => {
            writes.push({ rows: batch.count, moreComing: options.moreComing === true, at: performance.now() });
            return target.writeRows(batch, options);
          };
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as PostStore;
    const classifier = new Classifier(bus, recording, silentLogger, { workers: 2, batchSize: 5 });
    await classifier.start();
    cleanups.push(() => classifier.stop());
    await waitFor('every post stored', async () => (await stored()) === 6, 20_000);
    const committed = performance.now();
    // Written out of order: the short last batch first, then the long one, said to have more behind it.
    expect(writes.map(({ rows, moreComing }) => ({ rows, moreComing }))).toEqual([
      { rows: 1, moreComing: false },
      { rows: 5, moreComing: true },
    ]);
    // Committed once written, not after a wait for writes that were not coming (the store's idle wait is 2 s).
    expect(committed - (writes.at(-1)?.at ?? 0)).toBeLessThan(1_500);
    expect(await bus.lag(TOPICS.raw, 'vigil-classifier')).toBe(0);
  }, 30_000);
});
