// One transaction held open across the writes of a bulk import and committed when it holds more than DuckDB's row
// groups, or after a while. DuckDB writes the rows of such a transaction straight into compressed row groups of the
// database file, where a small one goes through the WAL and is compressed again at the next checkpoint: measured on
// the row batches of a 200,000-post ingest, written by DuckDB alone on one thread with the checkpoint counted, 28 →
// 23–24 CPU-µs per stored post at 10 events and 34 → 27 at 1,000. Every write settles when its transaction commits,
// and all of them fail together when it fails (each is delivered again by the bus). The caller runs one step at a
// time on the connection (the store's serial chain), and may run a last step in the transaction before it commits
// (`beforeCommit`: the store drops repeated rows there, once for all the writes).

import type { DuckDBConnection } from '@duckdb/node-api';

/** Rows after which the held transaction commits: two of DuckDB's row groups (122,880 rows each). */
export const ROWS_PER_COMMIT = 2 * 122_880;
/**
 * The longest a write is held for others to join it (a bulk import whose next batches are slow to come). A commit the
 * timer makes holds part of a row group, which goes through the WAL, and every 256 MB of WAL a checkpoint held the
 * import up for 8–20 s. An import that fills ROWS_PER_COMMIT more slowly than this paid that all along: at 10 s,
 * every import under about 20,000 posts/s at 10 events. At 30 s, measured on 2,000,000 posts on a host where the
 * import ran at about 8,000 posts/s (2026-12-05): 6,705 → 8,643 posts/s, 230 → 189 CPU-µs/post, peak RSS 653 → 626
 * MB. Rows of an import appear to queries up to this late.
 */
export const MAX_HOLD_MS = 30_000;
/**
 * The longest a held transaction waits for its next write. A bulk import's writes come every few tens of
 * milliseconds; a pause this long means the writes said to follow are not coming (a batch that failed, so that the bus
 * stops to deliver it again; a hint that was wrong), and the held ones should not wait out MAX_HOLD_MS.
 */
export const MAX_IDLE_MS = 2_000;

/** What a write did: the rows it added, and whether more writes follow at once (WriteOptions.moreComing). */
export interface Written {
  rows: number;
  moreComing: boolean;
}

/** How a write's caller learns that its transaction committed or failed. */
export interface Settle {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface CommitGroupOptions {
  /** Rows after which the held transaction commits. */
  rows?: number;
  /** The longest a write is held for others to join it. */
  maxHoldMs?: number;
  /** The longest a held transaction waits for its next write. */
  maxIdleMs?: number;
  /** Runs in the transaction before each COMMIT; if it fails, the transaction is rolled back and its writes fail. */
  beforeCommit?: () => Promise<void>;
}

interface Held {
  rows: number;
  waiters: Settle[];
  timer: NodeJS.Timeout;
  /** Restarted after each write: the wait for the next one. */
  idle: NodeJS.Timeout | undefined;
}

export class CommitGroup {
  private held: Held | null = null;

  /**
   * `due` is called when a held transaction has waited `maxHoldMs`, or `maxIdleMs` since its last write: it should
   * call `commit` in its turn.
   */
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly due: () => void,
    private readonly options: CommitGroupOptions = {},
  ) {}

  get holding(): boolean {
    return this.held !== null;
  }

  /**
   * Runs `write` in the held transaction, begun if none is. It commits at once unless more writes follow and the
   * transaction is still under its rows. Returns, once applied, the promise of its commit (in an object: returned
   * bare, it would make the caller's turn wait for the commit).
   */
  async write(write: () => Promise<Written>): Promise<{ committed: Promise<void> }> {
    if (!this.held) {
      await this.conn.run('BEGIN TRANSACTION');
      this.held = { rows: 0, waiters: [], timer: setTimeout(this.due, this.options.maxHoldMs ?? MAX_HOLD_MS), idle: undefined };
    }
    const tx = this.held;
    const committed = new Promise<void>((resolve, reject) => tx.waiters.push({ resolve, reject }));
    let written: Written;
    try {
      written = await write();
    } catch (err) {
      await this.end('ROLLBACK', err);
      return { committed };
    }
    tx.rows += written.rows;
    if (!written.moreComing || tx.rows >= (this.options.rows ?? ROWS_PER_COMMIT)) await this.commit();
    else {
      clearTimeout(tx.idle);
      tx.idle = setTimeout(this.due, this.options.maxIdleMs ?? MAX_IDLE_MS);
    }
    return { committed };
  }

  /** Commits the held transaction, if any; its writes settle (rejected, if the commit fails). Never throws. */
  async commit(): Promise<void> {
    await this.end('COMMIT');
  }

  private async end(how: 'COMMIT' | 'ROLLBACK', failure?: unknown): Promise<void> {
    const tx = this.held;
    if (!tx) return;
    this.held = null;
    clearTimeout(tx.timer);
    clearTimeout(tx.idle);
    let failed = how === 'ROLLBACK';
    let err = failure;
    if (!failed) {
      try {
        await this.options.beforeCommit?.();
        await this.conn.run('COMMIT');
      } catch (e) {
        [failed, err] = [true, e];
      }
    }
    if (failed) await this.conn.run('ROLLBACK').catch(() => undefined);
    for (const w of tx.waiters) {
      if (failed) w.reject(err);
      else w.resolve();
    }
  }
}
