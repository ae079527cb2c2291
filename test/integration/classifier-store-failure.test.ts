// A store write that fails (out of memory, a full disk) while the classifier waits for the store to apply its
// writes is retried: the batch is delivered again and stored once, and the process does not end on an unhandled
// rejection (it did: an embedded import of a 70 MB line crashed Vigil when DuckDB refused to store it as a reject).

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import type { RejectRecord } from '../../src/core/classify.js';
import { eventStateRecords } from '../../src/core/event-state.js';
import { type PostStore, TOPICS } from '../../src/core/ports.js';
import type { RowBatch } from '../../src/core/row-batch.js';
import { Classifier } from '../../src/roles/classifier/classifier.js';
import { silentLogger } from '../../src/util/log.js';
import { type Cleanups, openTestStore } from '../helpers/duckdb-store.js';
import { FLOOD_EVENT as EVENT } from '../helpers/flood-event.js';
import { line, tweet } from '../helpers/tweets.js';
import { waitFor } from '../helpers/vigil-process.js';

describe('a store write that fails before the store has applied the batch', () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  for (const failing of ['writeRows', 'writeRejects'] as const)
    it(`${failing}: the batch is delivered again and stored once, and no rejection goes unhandled`, async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      cleanups.push(() => {
        process.off('unhandledRejection', onUnhandled);
      });
      const { dir, store, conn, count } = await open(cleanups);
      const bus = await FileLogBus.open({ dir: join(dir, 'bus') });
      cleanups.push(() => bus.close());
      // The first write fails at once, while the store still takes 100 ms to say it applied the batch.
      let failures = 1;
      const fail =
        <T>(write: (batch: T, options?: object) => Promise<void>) =>
        (batch: T, options?: object) => {
          if (failures-- > 0) return Promise.reject(new Error('Out of Memory Error: could not allocate block (a test)'));
          return write(batch, options);
        };
      const wrapped = {
        writeRows: fail<RowBatch>((b, o) => store.writeRows(b, o)),
        writeRejects: fail<RejectRecord[]>((b, o) => store.writeRejects(b, o)),
        applied: async () => {
          await new Promise((r) => setTimeout(r, 100));
          await store.applied();
        },
      };
      const failingStore = new Proxy(store, {
        get(target, prop) {
          if (prop === failing || prop === 'applied') return wrapped[prop];
          const value: unknown = Reflect.get(target, prop);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as PostStore;
      await bus.publish(TOPICS.events, eventStateRecords([EVENT], { action: 'created', name: EVENT.name }, new Date().toISOString()));
      await bus.publish(TOPICS.raw, [
        { key: null, value: line(tweet({ id: '262000000000000101', text: 'flood downtown' })) },
        { key: null, value: '{"broken' },
        { key: null, value: line(tweet({ id: '262000000000000102', text: 'flood on 5th' })) },
      ]);
      const classifier = new Classifier(bus, failingStore, silentLogger, { workers: 0, batchSize: 100 });
      await classifier.start();
      cleanups.push(() => classifier.stop());

      await waitFor('the batch stored after its retry', async () => (await bus.lag(TOPICS.raw, 'vigil-classifier')) === 0, 30_000);
      expect(failures).toBeLessThan(0); // the failing write was called again
      expect(await count()).toBe(2);
      expect(Number((await conn.runAndReadAll('SELECT count(*) FROM reject')).getRows()[0][0])).toBe(1);
      expect(unhandled).toEqual([]);
    });

  it("the classifier's status says while the store fails why, how many times and since when, and nothing once stored", async () => {
    const { dir, store, count } = await open(cleanups);
    const bus = await FileLogBus.open({ dir: join(dir, 'bus'), retryDelayMs: 200, warn: () => undefined });
    cleanups.push(() => bus.close());
    let failures = 3;
    const failingStore = new Proxy(store, {
      get(target, prop) {
        if (prop === 'writeRows')
          return (batch: RowBatch, options?: object) =>
            failures-- > 0 ? Promise.reject(new Error('Out of Memory Error: could not allocate block (a test)')) : store.writeRows(batch, options);
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as PostStore;
    await bus.publish(TOPICS.events, eventStateRecords([EVENT], { action: 'created', name: EVENT.name }, new Date().toISOString()));
    await bus.publish(TOPICS.raw, [{ key: null, value: line(tweet({ id: '262000000000000201', text: 'flood downtown' })) }]);
    const classifier = new Classifier(bus, failingStore, silentLogger, { workers: 0, batchSize: 100 });
    expect(classifier.status().failing).toBeNull();
    await classifier.start();
    cleanups.push(() => classifier.stop());

    const seen = await waitFor('the failure in the status', async () => classifier.status().failing ?? undefined, 10_000);
    expect(seen.reason).toContain('Out of Memory');
    expect(seen.attempts).toBeGreaterThanOrEqual(1);
    expect(Date.parse(seen.retryAt)).toBeGreaterThan(Date.parse(seen.since));
    const later = await waitFor(
      'a later attempt',
      async () => ((classifier.status().failing?.attempts ?? 0) >= 2 ? classifier.status().failing : undefined),
      10_000,
    );
    expect(later?.since).toBe(seen.since); // the same run of failures
    await waitFor('the batch stored', async () => (await bus.lag(TOPICS.raw, 'vigil-classifier')) === 0, 30_000);
    expect(await count()).toBe(1);
    expect(classifier.status().failing).toBeNull();
  });
});

const open = (cleanups: Cleanups) => openTestStore(cleanups, { store: { termCountIdleMs: 0 } });
