// The one retry helper: delays that grow and stop at their cap, jitter within its bounds (a seeded random), linear
// and custom schedules, Twitter's documented reconnect schedules, and `retry` bounded, stopped by a non-retryable
// error or an abort, and reporting each wait (fake timers: nothing here really sleeps).

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reconnectDelay, reconnectSchedule } from '../../src/adapters/http-stream/delimited-stream-source.js';
import { Backoff, backoffDelay, type RetryInfo, retry, wait } from '../../src/util/retry.js';

/** mulberry32: a small seeded generator, so a failure here can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('backoffDelay', () => {
  it('doubles from minMs and stops at maxMs, also far past the point where 2^n overflows', () => {
    const o = { minMs: 500, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 2000].map((n) => backoffDelay(n, o))).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffDelay(0, o)).toBe(500);
    expect(backoffDelay(3, { minMs: 100, factor: 3 })).toBe(900);
  });

  it('expresses linear and custom schedules', () => {
    expect([1, 2, 3, 100].map((n) => backoffDelay(n, { growth: 'linear', minMs: 250, maxMs: 1000 }))).toEqual([250, 500, 750, 1000]);
    const fib = (n: number): number => (n <= 2 ? 1 : fib(n - 1) + fib(n - 2));
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { minMs: 0, growth: (k) => fib(k) * 100, maxMs: 500 }))).toEqual([100, 100, 200, 300, 500, 500]);
  });

  it('keeps ±ratio jitter within its bounds and under the cap, and spreads the delays', () => {
    const random = seeded(17);
    const o = { minMs: 1000, maxMs: 30_000, jitter: 0.2, random };
    for (let n = 1; n <= 8; n++) {
      const base = Math.min(30_000, 1000 * 2 ** (n - 1));
      const seen = Array.from({ length: 200 }, () => backoffDelay(n, o));
      for (const d of seen) {
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
        expect(d).toBeLessThanOrEqual(Math.min(30_000, Math.ceil(base * 1.2)));
      }
      expect(new Set(seen).size).toBeGreaterThan(50);
    }
    expect(backoffDelay(1, { minMs: 1000, jitter: 0.2, random: () => 0 })).toBe(800);
    expect(backoffDelay(1, { minMs: 1000, jitter: 0.2, random: () => 0.999_999 })).toBe(1200);
  });

  it('keeps full jitter within [0, delay]', () => {
    const random = seeded(3);
    const seen = Array.from({ length: 500 }, () => backoffDelay(4, { minMs: 100, maxMs: 10_000, jitter: 'full', random }));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(800);
    expect(Math.max(...seen)).toBeGreaterThan(700);
    expect(Math.min(...seen)).toBeLessThan(100);
  });

  it("gives Twitter's documented reconnect schedules exactly (no jitter)", () => {
    // Network errors and stalls: linear, +250 ms each, up to 16 s.
    expect([1, 2, 3, 4, 63, 64, 65, 1000].map((n) => reconnectDelay('network', n))).toEqual([250, 500, 750, 1000, 15_750, 16_000, 16_000, 16_000]);
    // HTTP errors: from 5 s, doubling, up to 320 s.
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => reconnectDelay('http', n))).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000, 320_000,
    ]);
    // 420 and 429: from 1 minute, doubling, no documented cap.
    expect([1, 2, 3, 4, 10].map((n) => reconnectDelay('rate-limit', n))).toEqual([60_000, 120_000, 240_000, 480_000, 60_000 * 512]);
    // The same numbers straight from the helper with the schedules' options.
    expect(backoffDelay(3, reconnectSchedule('network'))).toBe(750);
    expect(backoffDelay(3, reconnectSchedule('http'))).toBe(20_000);
  });

  it('counts failures in a row and starts over after a success', () => {
    const b = new Backoff({ minMs: 10, maxMs: 35 });
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([10, 20, 35, 35]);
    expect(b.attempt).toBe(4);
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(10);
  });
});

describe('retry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries with the growing delays until the operation succeeds, reporting each wait', async () => {
    const retries: RetryInfo[] = [];
    let calls = 0;
    const p = retry(
      async (attempt) => {
        calls++;
        if (attempt < 4) throw new Error(`Out of Memory Error: could not allocate block (${attempt})`);
        return 'stored';
      },
      { attempts: 10, minMs: 500, maxMs: 30_000, onRetry: (i) => retries.push(i) },
    );
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1000 + 2000);
    await expect(p).resolves.toBe('stored');
    expect(calls).toBe(4);
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 500],
      [2, 1000],
      [3, 2000],
    ]);
    expect((retries[2].error as Error).message).toMatch(/Out of Memory.*\(3\)/u);
  });

  it('gives up after the given number of attempts with the last error', async () => {
    let calls = 0;
    const p = retry(
      async () => {
        calls++;
        throw new Error(`failure ${calls}`);
      },
      { attempts: 3, minMs: 100, maxMs: 100 },
    );
    const settled = expect(p).rejects.toThrow('failure 3');
    await vi.advanceTimersByTimeAsync(10_000);
    await settled;
    expect(calls).toBe(3);
  });

  it('keeps going when told to retry without bound', async () => {
    let calls = 0;
    const p = retry(
      async () => {
        if (++calls < 200) throw new Error('store unavailable');
        return calls;
      },
      { attempts: Number.POSITIVE_INFINITY, minMs: 10, maxMs: 1000 },
    );
    await vi.advanceTimersByTimeAsync(200 * 1000);
    await expect(p).resolves.toBe(200);
  });

  it('ends at once on an error that shouldRetry refuses, without waiting', async () => {
    let calls = 0;
    const onRetry = vi.fn();
    const bad = new RangeError('bad request');
    const p = retry(
      async () => {
        calls++;
        throw calls === 1 ? new Error('busy') : bad;
      },
      { attempts: 10, minMs: 100, shouldRetry: (e) => !(e instanceof RangeError), onRetry },
    );
    const settled = expect(p).rejects.toBe(bad);
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    expect(calls).toBe(2);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('stops waiting when its signal aborts, and calls the operation no more', async () => {
    const stop = new AbortController();
    let calls = 0;
    const p = retry(
      async () => {
        calls++;
        throw new Error('down');
      },
      { attempts: Number.POSITIVE_INFINITY, minMs: 60_000, signal: stop.signal },
    );
    const settled = expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await vi.advanceTimersByTimeAsync(1000);
    stop.abort();
    await settled;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toBe(1);
  });

  it('refuses a count of attempts below one', async () => {
    await expect(retry(async () => 1, { attempts: 0, minMs: 1 })).rejects.toThrow(RangeError);
  });
});

describe('wait', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the delay, at once on abort, and never fires early for a delay beyond the timer range', async () => {
    let done = false;
    void wait(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);

    const stop = new AbortController();
    let stopped = false;
    void wait(10_000, stop.signal).then(() => (stopped = true));
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);

    let far = false;
    void wait(60_000 * 2 ** 20).then(() => (far = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(far).toBe(false);
  });
});
