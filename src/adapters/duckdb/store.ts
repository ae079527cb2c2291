// The embedded tweet store: one row per (event, platform, post id) in DuckDB (tweet-schema.ts: the table tweet_row
// and the view tweet). A batch is bound as parameters and only rows not stored yet are kept: replays add nothing.

import { BLOB, blobValue, type DuckDBConnection, listValue, VARCHAR } from '@duckdb/node-api';
import type { RejectRecord } from '../../core/classify.js';
import type { CoverageRecord } from '../../core/coverage.js';
import type { DeletionRecord, PostKey } from '../../core/deletions.js';
import { errorMessage } from '../../core/errors.js';
import type { RowReassignment, StoredEvent } from '../../core/event-id.js';
import type { EventStats, PostStore, TermCountProgress, WriteOptions } from '../../core/ports.js';
import type { TweetRow } from '../../core/row.js';
import { EVENT_ROWS_FIELD, joinRowBatches, type RowBatch } from '../../core/row-batch.js';
import type { Logger } from '../../util/log.js';
import { CommitGroup, type Settle, type Written } from './commit-group.js';
import type { DuckDb } from './database.js';
import { eventSlices } from './event-slices.js';
import { dropPrimaryKey, insertNewSql, type KeptOnce, PostLinesWriter, renameBaseTable } from './keep-once.js';
import { runForEach } from './prepared.js';
import { ensureRawFunction } from './raw-function.js';
import { DEFAULT_TERM_COUNT_IDLE_MS } from './settings.js';
import { storeFailure } from './store-failure.js';
import { TermCounts } from './term-counts.js';
import { inTransaction, openTweetSchema, POST_LINE_STRUCTURE, ROW_TABLE, ROWS_KEPT_ONCE } from './tweet-schema.js';
import { toJson } from './values.js';

/**
 * A row batch's post lines (as UTF-8 bytes) with their posts' raw lines (two lists unnested side by side, zipped by
 * position; a post with a raw_ref has none) and the number of the write that stores them (write_seq: the hashtag
 * counts find rows by it, and the keep-once check finds the write's own rows by it).
 */
const ROW_LINES_SQL = `SELECT unnest(string_split(decode($1::BLOB), chr(10))) AS line, nullif(unnest(string_split($2::VARCHAR, chr(30))), '') AS raw,
  $3::BIGINT AS write_seq`;
/** Bound with their types: a value of another type (a JS number is a DOUBLE) makes DuckDB plan the statement again. */
const ROW_LINES_TYPES = [BLOB, VARCHAR];

/** One per line's SHA-1 (`id`), so a line delivered again (after a crash) is kept once; `source` says where it was read. */
const REJECT_TABLE_DDL = `CREATE TABLE IF NOT EXISTS reject (
  id VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  rejected_at TIMESTAMP NOT NULL,
  reason VARCHAR NOT NULL,
  line VARCHAR NOT NULL
)`;

/** Deletion notices' rows; analysts read the view `deletion` (t_key is the store's own). */
const DELETION_TABLE = 'deletion_row';
const DELETION_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${DELETION_TABLE} (
  platform VARCHAR NOT NULL,
  t_id VARCHAR NOT NULL,
  deleted_at TIMESTAMP NOT NULL,
  t_key BIGINT
)`;
const DELETION_VIEW_DDL = `CREATE OR REPLACE VIEW deletion AS SELECT platform, t_id, deleted_at FROM ${DELETION_TABLE}`;

/** Neither keeps a primary key, whose index would grow in memory with every reject or deletion notice (keep-once.ts). */
const REJECTS_KEPT_ONCE: KeptOnce = { table: 'reject', key: ['id'], byPost: false };
const DELETIONS_KEPT_ONCE: KeptOnce = { table: DELETION_TABLE, key: ['platform', 't_id'], byPost: true, first: 'deleted_at' };

const INSERT_REJECTS_SQL = insertNewSql(
  REJECTS_KEPT_ONCE,
  'SELECT unnest($1::VARCHAR[]) AS id, unnest($2::VARCHAR[]) AS source, unnest($3::VARCHAR[])::TIMESTAMP AS rejected_at, unnest($4::VARCHAR[]) AS reason, unnest($5::VARCHAR[]) AS line',
);
const INSERT_DELETIONS_SQL = insertNewSql(
  DELETIONS_KEPT_ONCE,
  'SELECT unnest($1::VARCHAR[]) AS platform, unnest($2::VARCHAR[]) AS t_id, unnest($3::VARCHAR[])::TIMESTAMP AS deleted_at',
);

const COVERAGE_TABLE_DDL = `CREATE TABLE IF NOT EXISTS coverage (
  id VARCHAR PRIMARY KEY,
  source VARCHAR NOT NULL,
  connection VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  happened_at TIMESTAMP NOT NULL,
  ended_at TIMESTAMP,
  count BIGINT,
  detail VARCHAR
)`;

/** SQL true for a tweet row (alias `tweet`) whose post was deleted, in an export's copy (deletions keyed by the row's t_id). */
export const IS_DELETED_SQL = 'EXISTS (SELECT 1 FROM deletion d WHERE d.platform = tweet.platform AND d.t_id = tweet.t_id)';

/**
 * Rows counted per transaction when term counts catch up: of the bench's long posts, on one core, about 9 s at 10
 * events and 25 s at 1,000 (more terms per event to keep apart).
 */
const TERM_COUNT_CHUNK_ROWS = 250_000;

export interface StoreOptions {
  /** How often the store looks for a quiet moment to count the rows' terms (--term-count-idle-ms); 0: never (a copy for an export). */
  termCountIdleMs?: number;
  /** Rows counted per transaction when term counts catch up (TERM_COUNT_CHUNK_ROWS unless given: tests). */
  termCountChunkRows?: number;
}

/** A count of this many rows or more is logged with what is left: an import's rows, counted in chunks for minutes. */
const TERM_COUNT_LOG_ROWS = 50_000;

export class DuckDbPostStore implements PostStore {
  private chain: Promise<unknown> = Promise.resolve();
  /** Row batches waiting for the next write (see writeRows). */
  private readonly pendingRows: (Settle & { batch: RowBatch; moreComing: boolean })[] = [];
  /** The transaction held open across a bulk import's writes (commit-group.ts). */
  private readonly commits: CommitGroup;
  readonly groupsCommits = true;

  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Time spent writing rows, for telling a bulk import from a quiet moment. */
  private busyMs = 0;
  /** When a write last said more follow at once (a bulk import under way: no counting then, see startIdleCounting). */
  private lastBulkWriteAt = Number.NEGATIVE_INFINITY;
  /** Prepared once, on the first write: preparing its statements took about 2 ms of every write. */
  private rowWriter: PostLinesWriter | undefined;
  /** The row writes of the open transaction, whose repeated rows are dropped before it commits (keep-once.ts). */
  private unchecked: { from: number; to: number } | null = null;
  /** countTerms calls under way: the quiet-moment counting leaves the chunks to them (and their progress). */
  private counters = 0;
  /** A connection of its own for reading what is committed without waiting behind a count or a write (termCountBacklog). */
  private reader: Promise<DuckDBConnection> | undefined;

  private constructor(
    private readonly conn: DuckDBConnection,
    private readonly terms: TermCounts,
    private writeSeq: number,
    readonly readsRawFromLog: boolean,
    private readonly log: Logger | undefined,
    private readonly idleMs: number,
    private readonly chunkRows: number,
    private readonly connections: Pick<DuckDb, 'connect' | 'disconnect'> | undefined,
  ) {
    this.commits = new CommitGroup(conn, () => void this.flush(), { beforeCommit: () => this.dropRepeatedRows() });
  }

  /** `termCountIdleMs`: how often the store looks for a quiet moment to count rows not counted yet (term-counts.ts). */
  static async open(db: DuckDb, log?: Logger, options: StoreOptions = {}): Promise<DuckDbPostStore> {
    return DuckDbPostStore.openOn(await db.connect(), log, db.readsRawFromLog, options, db);
  }

  /**
   * On a connection of any DuckDB database (the export uses a private one, whose rows carry raw); a table of an
   * earlier schema is migrated.
   */
  static async openOn(
    conn: DuckDBConnection,
    log?: Logger,
    readsRawFromLog = false,
    options: StoreOptions = {},
    connections?: Pick<DuckDb, 'connect' | 'disconnect'>,
  ): Promise<DuckDbPostStore> {
    await ensureRawFunction(conn);
    await openTweetSchema(conn, log);
    await dropPrimaryKey(conn, REJECTS_KEPT_ONCE, REJECT_TABLE_DDL, [], log);
    await conn.run(REJECT_TABLE_DDL);
    await renameBaseTable(conn, 'deletion', DELETION_TABLE);
    await dropPrimaryKey(conn, DELETIONS_KEPT_ONCE, DELETION_TABLE_DDL, ['deletion'], log);
    await conn.run(DELETION_TABLE_DDL);
    await conn.run(DELETION_VIEW_DDL);
    await conn.run(COVERAGE_TABLE_DDL);
    const lastWrite = (await conn.runAndReadAll(`SELECT coalesce(max(write_seq), 0) FROM ${ROW_TABLE}`)).getRows()[0][0];
    const terms = await TermCounts.open(conn, log);
    const store = new DuckDbPostStore(
      conn,
      terms,
      Number(lastWrite) + 1,
      readsRawFromLog,
      log,
      options.termCountIdleMs ?? DEFAULT_TERM_COUNT_IDLE_MS,
      options.termCountChunkRows ?? TERM_COUNT_CHUNK_ROWS,
      connections,
    );
    if (store.idleMs > 0) store.startIdleCounting();
    return store;
  }

  /**
   * Statements run one at a time on this store's own connection. Any but a grouped write commits the writes held
   * for grouping first: it runs on a connection with no transaction open, and sees them committed.
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.inTurn(async () => {
      await this.commits.commit();
      return fn();
    });
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** A write in the transaction held for grouping (commit-group.ts); settles when that commits. */
  private grouped(write: () => Promise<Written>): Promise<void> {
    return this.inTurn(() => {
      if (!this.commits.holding) this.unchecked = null; // a new transaction: those of a rolled-back one are gone
      return this.commits.write(write);
    })
      .then((w) => w.committed)
      .catch((err: unknown) => {
        throw storeFailure(err);
      });
  }

  /** In the transaction, before it commits: the rows of its writes that repeat a key are deleted, all at once. */
  private async dropRepeatedRows(): Promise<void> {
    const writes = this.unchecked;
    this.unchecked = null;
    if (writes && this.rowWriter) await this.rowWriter.dropRepeats(writes.from, writes.to);
  }

  async applied(): Promise<void> {
    await this.chain;
  }

  flush(): Promise<void> {
    return this.serial(async () => undefined);
  }

  /**
   * The batch crosses into DuckDB as two values bound as parameters (the post lines' UTF-8 bytes as a BLOB, the raws as
   * text); DuckDB decodes and splits them and its JSON reader fills the typed columns natively (far faster than one
   * JavaScript call per cell); the rows are inserted, and those stored already deleted before the transaction
   * commits (keep-once.ts). (A staging table held every batch's text for good: DuckDB does not free a temp table's deleted
   * strings.)
   * Batches that arrive while a write runs (the classifier keeps several in flight) are written together, in one
   * transaction: a commit costs tens of milliseconds whatever its size. Each caller's promise settles with that
   * commit; a failure fails them all (each is delivered again by the bus). Given `moreComing`, the write joins the
   * transaction held open for a bulk import's next ones (commit-group.ts) and settles when that commits.
   */
  writeRows(batch: RowBatch, options: WriteOptions = {}): Promise<void> {
    if (batch.count === 0) return Promise.resolve();
    if (options.moreComing) this.lastBulkWriteAt = performance.now();
    return new Promise<void>((resolve, reject) => {
      this.pendingRows.push({ batch, moreComing: options.moreComing === true, resolve, reject });
      if (this.pendingRows.length === 1) this.writePendingRows();
    });
  }

  /**
   * The batches waiting when its turn comes, joined into one write; each caller settles with its commit. Only their
   * callbacks are kept until then, not the batches.
   */
  private writePendingRows(): void {
    let settles: Settle[] = [];
    const write = async (): Promise<Written> => {
      const group = this.pendingRows.splice(0);
      settles = group.map(({ resolve, reject }) => ({ resolve, reject }));
      const moreComing = group.every((g) => g.moreComing);
      const batch = joinRowBatches(group.map((g) => g.batch));
      group.length = 0;
      const started = performance.now();
      try {
        this.rowWriter ??= await PostLinesWriter.prepare(this.conn, ROWS_KEPT_ONCE, POST_LINE_STRUCTURE, EVENT_ROWS_FIELD, ROW_LINES_SQL);
        const seq = this.writeSeq++;
        await this.rowWriter.insert([blobValue(batch.json), batch.rawLines], ROW_LINES_TYPES, seq);
        this.unchecked = { from: this.unchecked?.from ?? seq, to: seq };
      } finally {
        this.busyMs += performance.now() - started;
      }
      return { rows: batch.count, moreComing };
    };
    this.grouped(write).then(
      () => {
        for (const s of settles) s.resolve();
      },
      (err: unknown) => {
        // Failed before taking its batches (the transaction could not begin): they fail now, or none would again.
        if (settles.length === 0) settles = this.pendingRows.splice(0);
        for (const s of settles) s.reject(err);
      },
    );
  }

  /**
   * Counts the terms of the rows written since the last count (term-counts.ts): what an event page does first. In
   * chunks, each its own transaction, so writes that arrive meanwhile are not held up behind all of it; `progress`
   * hears after each chunk the rows counted so far and those left.
   */
  async countTerms(progress?: (p: TermCountProgress) => void): Promise<void> {
    let counted = 0;
    this.counters++;
    try {
      for (;;) {
        const rows = await this.countTermsChunk();
        if (rows === 0) return;
        counted += rows;
        progress?.({ counted, left: await this.termCountBacklog() });
      }
    } finally {
      this.counters--;
    }
  }

  /**
   * Rows stored and not counted yet: what an event page's first load waits to have counted (after an import, minutes).
   * Read on a connection of its own, from what is committed, so that it answers at once while a count runs.
   */
  termCountBacklog(): Promise<number> {
    return this.readCommitted((conn) => TermCounts.backlog(conn));
  }

  /**
   * A read of what is committed, on a connection of its own: it answers at once while a count or a write runs on the
   * store's (what GET /api/status asks, which an event page polls to show a count's progress; behind the count it
   * answered only once the count was done). A store opened on a lone connection reads in its turn.
   */
  private async readCommitted<T>(read: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (!this.connections) return this.serial(() => read(this.conn));
    this.reader ??= this.connections.connect();
    return read(await this.reader);
  }

  private async countOf(table: string): Promise<number> {
    const r = await this.readCommitted((conn) => conn.runAndReadAll(`SELECT count(*) FROM ${table}`));
    return Number(r.getRows()[0][0]);
  }

  private async countTermsChunk(): Promise<number> {
    const started = performance.now();
    const rows = await this.serial(async () => {
      let n = 0;
      await inTransaction(this.conn, async () => {
        n = await this.terms.count(this.chunkRows);
      });
      return n;
    });
    if (rows >= TERM_COUNT_LOG_ROWS)
      this.log?.info('term counts: counted a chunk of rows (an event page waits for the rest)', {
        rows,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        left: await this.termCountBacklog(),
      });
    return rows;
  }

  /**
   * Every `idleMs`, if the writer was busy less than half of that time (live collection, or nothing at all) and no
   * bulk import is under way, the rows not counted yet are counted, a chunk at a time, while no write waits. An
   * import whose classifier is slower than its writer leaves the writer idle most of the time; counting then took
   * the cores the import needed (chunks of up to 250,000 rows, seconds each) and slowed it by a third or more, at
   * moments no one chose. Its rows are counted when it ends, or first thing when an event page is read.
   */
  private startIdleCounting(): void {
    let lastTick = performance.now();
    let lastBusy = 0;
    let counting = false;
    const importing = () => performance.now() - this.lastBulkWriteAt < this.idleMs;
    this.idleTimer = setInterval(() => {
      const now = performance.now();
      const quiet = this.busyMs - lastBusy < (now - lastTick) / 2 && !importing();
      [lastTick, lastBusy] = [now, this.busyMs];
      if (!quiet || counting || this.closed) return;
      counting = true;
      void (async () => {
        try {
          while (!this.closed && this.pendingRows.length === 0 && !importing() && this.counters === 0 && (await this.countTermsChunk()) > 0);
        } catch (err) {
          this.log?.warn('term counts: counting failed; the next quiet moment tries again', { error: errorMessage(err) });
        } finally {
          counting = false;
        }
      })();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  writeRejects(rejects: RejectRecord[], options: WriteOptions = {}): Promise<void> {
    if (rejects.length === 0) return Promise.resolve();
    const column = (f: (r: RejectRecord) => string) => listValue(rejects.map(f));
    return this.grouped(async () => {
      await this.conn.run(INSERT_REJECTS_SQL, [
        column((r) => r.id),
        column((r) => r.source),
        column((r) => r.at),
        column((r) => r.reason),
        column((r) => r.line),
      ]);
      return { rows: 0, moreComing: options.moreComing === true };
    });
  }

  async eventStats(eventName: string): Promise<EventStats> {
    const r = await this.serial(() =>
      this.conn.runAndReadAll('SELECT count(*) AS n, min(t_created_at) AS first, max(t_created_at) AS last FROM tweet WHERE event_name = $1', [eventName]),
    );
    const [n, first, last] = r.getRows()[0];
    const iso = (v: unknown): string | null => (v === null ? null : new Date(Number((v as { micros: bigint }).micros / 1000n)).toISOString());
    return { count: Number(n), first: iso(first), last: iso(last) };
  }

  /** On a connection of its own (the store's when it cannot open one), so that writes go on between the slices. */
  async *eventRowSlices<K extends keyof TweetRow>(eventName: string, columns: readonly K[], sliceRows?: number): AsyncGenerator<Pick<TweetRow, K>[]> {
    const own = this.connections;
    const conn = own ? await own.connect() : this.conn;
    try {
      yield* eventSlices(conn, eventName, columns, sliceRows);
    } finally {
      own?.disconnect(conn);
    }
  }

  async storedEvents(): Promise<StoredEvent[]> {
    const r = await this.serial(() => this.conn.runAndReadAll('SELECT DISTINCT event_name, event_id::VARCHAR FROM tweet ORDER BY ALL'));
    return r.getRows().map(([name, id]) => ({ name: String(name), eventId: String(id) }));
  }

  /**
   * A rename copies the rows under the new name and deletes them under the old one in one transaction (the name is
   * part of the key; a post the new name holds already is kept once); an adoption only changes the identity.
   */
  reassignRows({ from, to }: RowReassignment): Promise<void> {
    return this.serial(() =>
      inTransaction(this.conn, async () => {
        const where = 'event_name = $1 AND event_id = $2::UUID';
        if (from.name === to.name) {
          await this.conn.run(`UPDATE ${ROW_TABLE} SET event_id = $3::UUID WHERE ${where}`, [from.name, from.eventId, to.eventId]);
          return;
        }
        await this.conn.run(
          insertNewSql(ROWS_KEPT_ONCE, `SELECT * EXCLUDE (t_key) REPLACE ($3 AS event_name, $4::UUID AS event_id) FROM ${ROW_TABLE} WHERE ${where}`),
          [from.name, from.eventId, to.name, to.eventId],
        );
        await this.conn.run(`DELETE FROM ${ROW_TABLE} WHERE ${where}`, [from.name, from.eventId]);
        await this.terms.recount([from.name, to.name]);
      }),
    );
  }

  purgeEvent(eventName: string): Promise<void> {
    return this.serial(() =>
      inTransaction(this.conn, async () => {
        await this.conn.run(`DELETE FROM ${ROW_TABLE} WHERE event_name = $1`, [eventName]);
        await this.terms.purge(eventName);
      }),
    );
  }

  /** Rejects committed (those of a bulk import's open transaction once it commits). */
  rejectCount(): Promise<number> {
    return this.countOf('reject');
  }

  writeDeletions(deletions: DeletionRecord[], options: WriteOptions = {}): Promise<void> {
    if (deletions.length === 0) return Promise.resolve();
    const column = (f: (d: DeletionRecord) => string) => listValue(deletions.map(f));
    return this.grouped(async () => {
      await this.conn.run(INSERT_DELETIONS_SQL, [column((d) => d.platform), column((d) => d.t_id), column((d) => d.deleted_at)]);
      return { rows: 0, moreComing: options.moreComing === true };
    });
  }

  writeCoverage(records: CoverageRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.serial(async () => {
      await runForEach(
        this.conn,
        'INSERT OR IGNORE INTO coverage VALUES ($1, $2, $3, $4, $5::TIMESTAMP, $6::TIMESTAMP, $7, $8)',
        records.map((r) => [r.id, r.source, r.connection, r.kind, r.at, r.until, r.count, r.detail]),
      );
    });
  }

  async coverageRecords(to: string): Promise<CoverageRecord[]> {
    const r = await this.serial(() => this.conn.runAndReadAll('SELECT * FROM coverage WHERE happened_at <= $1::TIMESTAMP ORDER BY happened_at, id', [to]));
    return (await r.convertRowObjects(toJson)).map((o) => ({
      id: o.id as string,
      source: o.source as string,
      connection: o.connection as string,
      kind: o.kind as CoverageRecord['kind'],
      at: o.happened_at as string,
      until: (o.ended_at as string | null) ?? null,
      count: o.count === null ? null : Number(o.count),
      detail: (o.detail as string | null) ?? null,
    }));
  }

  async rejectsByHour(from: string, to: string): Promise<{ hour: string; count: number }[]> {
    const r = await this.serial(() =>
      this.conn.runAndReadAll(
        "SELECT date_trunc('hour', rejected_at) AS hour, count(*) AS n FROM reject WHERE rejected_at >= $1::TIMESTAMP - INTERVAL 1 HOUR AND rejected_at <= $2::TIMESTAMP GROUP BY 1 ORDER BY 1",
        [from, to],
      ),
    );
    return (await r.convertRowObjects(toJson)).map((o) => ({ hour: o.hour as string, count: Number(o.n) }));
  }

  async rejectLines(from: string, to: string, limit: number): Promise<string[]> {
    const r = await this.serial(() =>
      this.conn.runAndReadAll('SELECT line FROM reject WHERE rejected_at >= $1::TIMESTAMP AND rejected_at <= $2::TIMESTAMP ORDER BY rejected_at, id LIMIT $3', [
        from,
        to,
        limit,
      ]),
    );
    return r.getRows().map((row) => String(row[0]));
  }

  async deletionsOf(posts: readonly PostKey[]): Promise<DeletionRecord[]> {
    if (posts.length === 0) return [];
    const r = await this.serial(() =>
      this.conn.runAndReadAll(
        'SELECT d.platform, d.t_id, d.deleted_at FROM deletion d JOIN (SELECT unnest($1::VARCHAR[]) AS platform, unnest($2::VARCHAR[]) AS t_id) k USING (platform, t_id) ORDER BY d.platform, d.t_id',
        [listValue(posts.map((p) => p.platform)), listValue(posts.map((p) => p.t_id))],
      ),
    );
    return (await r.convertRowObjects(toJson)) as unknown as DeletionRecord[];
  }

  /** Deletions committed (see rejectCount). */
  deletionCount(): Promise<number> {
    return this.countOf('deletion');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.idleTimer);
    await this.flush();
    this.rowWriter?.close();
    this.rowWriter = undefined;
  }
}
