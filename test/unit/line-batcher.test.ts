// A live source's batcher when the bus will not take a batch: the batch stays in front, is tried again after growing
// waits (not at a fixed interval), each failure is reported with its attempt, and the lines go on in order.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LineBatcher } from '../../src/adapters/live-source.js';

describe('LineBatcher retrying a batch it could not publish', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries again after 100, 200 and 400 ms, then publishes everything in order', async () => {
    const tries: number[] = [];
    const published: string[] = [];
    const attempts: number[] = [];
    const t0 = performance.now();
    const batcher = new LineBatcher({
      emit: async (lines) => {
        tries.push(performance.now() - t0);
        if (tries.length <= 3) throw new Error('the bus is down');
        published.push(...lines);
      },
      batchMs: 10,
      maxBatch: 100,
      published: () => undefined,
      failed: (_err, attempt) => attempts.push(attempt),
      retry: { minMs: 100, maxMs: 1000 },
    });
    batcher.push('a');
    batcher.push('b');
    await vi.advanceTimersByTimeAsync(10);
    batcher.push('c'); // arrives while the first batch waits: it goes after it
    await vi.advanceTimersByTimeAsync(2000);
    expect(tries).toEqual([10, 110, 310, 710]);
    expect(attempts).toEqual([1, 2, 3]);
    expect(published).toEqual(['a', 'b', 'c']);
    await batcher.drain();
  });
});
