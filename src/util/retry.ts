// Vigil's one way to wait and try again: the delay before the n-th try of a failing operation (exponential by
// default, linear or custom when a protocol fixes its own schedule, with optional jitter, always within a cap), a
// `retry` that runs an async operation under such a schedule, and an abortable `wait`. The buses, Spark, the local
// orchestrator and every live source use it, so a failure anywhere is retried the same way and reported the same way.
//
// Written here rather than taken from p-retry: p-retry ≥ 8 needs Node 22, and 7 gives up on any TypeError (a bus
// must keep retrying its batch whatever the error), jitters only upwards, hides the delay from its hook and offers no
// delay function for the loops that schedule their own reconnects.

import type { DeliveryFailure } from '../core/ports.js';

/**
 * How a delay is spread so that many clients that failed together do not come back together:
 * - `'none'`: the schedule's delay exactly (protocols with a documented schedule, e.g. Twitter's);
 * - `'full'`: uniformly anywhere in [0, delay] ("full jitter");
 * - a ratio r in (0, 1]: uniformly in [delay × (1 − r), delay × (1 + r)], e.g. 0.2 for ±20 %.
 * The cap (`maxMs`) applies after jitter: no delay is ever longer than it.
 */
export type Jitter = 'none' | 'full' | number;

export interface BackoffOptions {
  /** The delay before the first retry (attempt 1). */
  minMs: number;
  /** No delay is longer than this (default: no cap; give one unless a protocol says otherwise). */
  maxMs?: number;
  /**
   * How the delay grows with each failure in a row: `'exponential'` (default) minMs × factor^(attempt − 1);
   * `'linear'` minMs × attempt; or a function giving the delay of an attempt (1-based) before jitter and cap.
   */
  growth?: 'exponential' | 'linear' | ((attempt: number) => number);
  /** Multiplier of exponential growth (default 2). */
  factor?: number;
  /** Default `'none'`. */
  jitter?: Jitter;
  /** A number in [0, 1); default Math.random. Tests pass a seeded one. */
  random?: () => number;
}

/** The delay in ms before retry number `attempt` (1-based: the first retry after the first failure). Pure but for the random source. */
export function backoffDelay(attempt: number, o: BackoffOptions): number {
  const n = Math.max(1, Math.floor(attempt));
  const growth = o.growth ?? 'exponential';
  const base = growth === 'exponential' ? o.minMs * (o.factor ?? 2) ** (n - 1) : growth === 'linear' ? o.minMs * n : growth(n);
  const max = o.maxMs ?? Number.POSITIVE_INFINITY;
  // Capped before jitter too, so that 2^n overflowing to Infinity still gives a number.
  const capped = Math.min(max, base);
  const jitter = o.jitter ?? 'none';
  if (jitter === 'none') return Math.round(capped);
  const r = (o.random ?? Math.random)();
  const spread = jitter === 'full' ? capped * r : capped * (1 + Math.min(1, Math.max(0, jitter)) * (2 * r - 1));
  return Math.round(Math.min(max, Math.max(0, spread)));
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Resolves after `ms`, or at once when `signal` aborts (it never rejects: the caller checks `signal.aborted`).
 * Loops that must stop promptly wait this way rather than with a bare setTimeout.
 */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  // Node fires a longer timer at once (TimeoutOverflowWarning): an uncapped schedule would then retry in a tight loop.
  ms = Math.min(ms, MAX_TIMER_MS);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryInfo {
  /** The attempt that failed (1 for the first call). */
  attempt: number;
  /** How long before the next attempt. */
  delayMs: number;
  error: unknown;
}

export interface RetryOptions extends BackoffOptions {
  /** Calls in all, the first included. `Infinity` (explicitly) retries until success or abort. */
  attempts: number;
  /** False ends at once with that error (e.g. a bad request, which no retry will fix). Default: every error is retried. */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before each wait: log the failure with its reason and attempt, count it in a metric. */
  onRetry?: (info: RetryInfo) => void;
  /** Stops retrying: `retry` then rejects with the signal's reason (or the failure in hand, if it aborted during a call). */
  signal?: AbortSignal;
}

/**
 * Runs `fn` until it resolves, waiting `backoffDelay(attempt)` after each failure. Rejects with the last error once
 * `attempts` calls failed or `shouldRetry` says no; when `signal` aborts it stops waiting and calls no more.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  if (!(o.attempts >= 1)) throw new RangeError(`retry needs attempts ≥ 1 (or Infinity), got ${o.attempts}`);
  for (let attempt = 1; ; attempt++) {
    o.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= o.attempts || o.shouldRetry?.(error, attempt) === false || o.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt, o);
      o.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, o.signal);
    }
  }
}

/**
 * Failures in a row of one operation, for loops that schedule their own next try (a bus re-delivering a batch, a
 * source reconnecting): `next()` counts one more and gives the delay before the next try; `reset()` after a success.
 */
export class Backoff {
  private failures = 0;

  constructor(readonly options: BackoffOptions) {}

  /** Failures since the last success. */
  get attempt(): number {
    return this.failures;
  }

  next(): number {
    this.failures++;
    return backoffDelay(this.failures, this.options);
  }

  reset(): void {
    this.failures = 0;
  }
}

/**
 * A Backoff that also keeps what a status shows of the failures in a row: the last reason, how many, since when and
 * when the next attempt is due. A success (reset) clears them.
 */
export class FailureRun extends Backoff {
  private run: DeliveryFailure | null = null;

  /** Counts a failure; returns the wait before the next attempt. */
  failed(error: unknown, now = Date.now()): number {
    const delay = this.next();
    this.run = {
      reason: reasonOf(error),
      attempts: this.attempt,
      since: this.run?.since ?? new Date(now).toISOString(),
      retryAt: new Date(now + delay).toISOString(),
    };
    return delay;
  }

  override reset(): void {
    super.reset();
    this.run = null;
  }

  /** No longer failing (reconnected), though the waits keep growing should it fail again soon (reset does not). */
  clear(): void {
    this.run = null;
  }

  get failing(): DeliveryFailure | null {
    return this.run;
  }
}

/** An error's message for a log line, whatever was thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
