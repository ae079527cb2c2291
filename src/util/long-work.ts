// Node runs every DuckDB statement on a thread of its one pool (libuv's: UV_THREADPOOL_SIZE, 4 unless set), and the
// embedded log's file writes and syncs wait for a thread of the same pool. A person's queries and the exports can hold
// a thread for seconds or minutes: had they every thread at once, collection would stall behind them (the tracker's
// appends wait, the stream backs up). They pass this gate, which keeps them to all of the pool but two threads (at
// least one): on the default pool, two at a time. Vigil's own pages are not gated here, so that they never wait
// behind people's queries; they have two slots of their own (roles/analytics/query-gate.ts) and short queries.

import { Gate } from './gate.js';

/** Node's pool size when UV_THREADPOOL_SIZE is not set, and the most libuv starts. */
const DEFAULT_POOL = 4;
const MAX_POOL = 1024;

/**
 * The pool's size as libuv reads UV_THREADPOOL_SIZE (atoi): not set, 4; a number below 1 or no number, 1 (a negative
 * one wraps round to the maximum); above 1024, 1024.
 */
export function threadPoolSize(setting: string | undefined = process.env.UV_THREADPOOL_SIZE): number {
  if (setting === undefined) return DEFAULT_POOL;
  const n = Number.parseInt(setting.trim(), 10);
  if (Number.isNaN(n) || n === 0) return 1;
  return n < 0 ? MAX_POOL : Math.min(n, MAX_POOL);
}

/** Long work that may run at once: all of the pool but two threads, at least one. */
export function longWorkPermits(poolSize: number): number {
  return Math.max(1, poolSize - 2);
}

/** The process's one gate for a person's queries and the exports (they share Node's one pool). */
export const LONG_WORK = new Gate(longWorkPermits(threadPoolSize()));
