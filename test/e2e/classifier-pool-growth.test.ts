// The classifier's pool of worker threads, as a running Vigil has it (from the build: the workers are its files):
// it starts one more worker when the one it has was busy for a whole window while the machine had an idle core,
// tells so, gives the new worker the event state it was given before, and the batches classified on both workers
// hold the same rows as classifying them on one thread. The machine's clock and idle CPU are the test's own.

import { describe, expect, it } from 'vitest';
import { generateStream } from '../../src/bench/generate.js';
import { classifyBatch } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import type { BusMessage } from '../../src/core/ports.js';
import { packLines } from '../../src/roles/classifier/packed-lines.js';

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { ClassifierPool } = (await import(dist('roles/classifier/pool.js'))) as typeof import('../../src/roles/classifier/pool.js');
const { GrowthMeter, GROWTH_WINDOW_MS } = (await import(dist('roles/classifier/growth.js'))) as typeof import('../../src/roles/classifier/growth.js');

const event = {
  id: '6f1c2d1e-6a43-4d4e-9a57-0b7a8c1d2e3f',
  name: 'Sandy',
  keywords: ['sandy', 'flooding'],
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const NOW = '2026-01-01T00:00:00.000Z';

type Pool = InstanceType<typeof ClassifierPool>;

/** Lines `from`… as the bus hands them over, sent to the pool. */
function send(pool: Pool, lines: string[], from: number) {
  const messages: BusMessage[] = lines.map((value, i) => ({
    topic: 'raw',
    partition: 0,
    offset: from + i,
    timestamp: 0,
    key: null,
    value,
    bytes: Buffer.from(value),
  }));
  return pool.classify(
    packLines(messages),
    lines.map((_, i) => `test:${from + i + 1}`),
    lines.map(() => null),
    NOW,
    [],
  );
}

describe('classifier worker pool', () => {
  it('starts a second worker after a window in which the first was busy and a core idled, and both classify alike', async () => {
    let now = 0;
    let idle = 0;
    const grown: number[] = [];
    // A machine with a whole core idle all the time.
    const meter = new GrowthMeter(
      2,
      () => idle,
      () => now,
    );
    const pool = new ClassifierPool(1, undefined, { meter, onGrow: (size) => grown.push(size) });
    try {
      pool.setEvents([event]);
      const lines = [...generateStream(400, { seed: 11 })];
      const halves = [lines.slice(0, 200), lines.slice(200)];
      // The first batch keeps the only worker busy while a window passes with a core idle.
      const first = send(pool, halves[0], 0);
      now += GROWTH_WINDOW_MS;
      idle += GROWTH_WINDOW_MS;
      // The next batch finds the pool grown, and goes to the new worker (the first still has one waiting).
      const second = send(pool, halves[1], 200);
      expect(pool.size).toBe(2);
      expect(grown).toEqual([2]);
      const outcomes = await Promise.all([first, second]);
      const expected = halves.map((h, k) =>
        classifyBatch(
          h,
          h.map((_, i) => `test:${k * 200 + i + 1}`),
          new Matcher([event]),
          NOW,
        ),
      );
      for (const [k, o] of outcomes.entries()) {
        // The new worker was given the event state: its batch has rows, the same as one thread gives.
        expect(o.counts.rows).toBeGreaterThan(10);
        expect(o.counts).toEqual(expected[k].counts);
        expect(Buffer.from(o.rows.json).toString('utf8')).toBe(Buffer.from(expected[k].rows.json).toString('utf8'));
      }
      // At its most it grows no further, however busy and idle.
      const third = send(pool, halves[0], 0);
      const fourth = send(pool, halves[1], 200);
      now += GROWTH_WINDOW_MS;
      idle += GROWTH_WINDOW_MS;
      const fifth = send(pool, halves[0], 0);
      await Promise.all([third, fourth, fifth]);
      expect(pool.size).toBe(2);
      expect(grown).toEqual([2]);
    } finally {
      await pool.close();
    }
  });

  it('keeps one worker while the machine has no idle core, however busy the worker', async () => {
    let now = 0;
    const meter = new GrowthMeter(
      2,
      () => 0,
      () => now,
    );
    const pool = new ClassifierPool(1, undefined, { meter });
    try {
      pool.setEvents([event]);
      const lines = [...generateStream(100, { seed: 12 })];
      const pending = [];
      for (let i = 0; i < 4; i++) {
        pending.push(send(pool, lines, 0));
        now += GROWTH_WINDOW_MS;
      }
      await Promise.all(pending);
      expect(pool.size).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
