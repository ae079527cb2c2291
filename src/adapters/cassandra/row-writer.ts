// Writing tweet rows to Cassandra: each post's raw once in `post`, its rows in unlogged batches of one partition,
// the partitions and event identities listed once. Used by the store on the main thread and, through
// `openRowWriter`, by each classifier worker thread over a connection of its own (PostStore.workerRowWriting): the
// driver's encoding of some fifty values a row and its socket writes were most of a classifier process's main thread.

import { Client, types } from 'cassandra-driver';
import { errorMessage } from '../../core/errors.js';
import type { RowWriter } from '../../core/ports.js';
import { TWEET_COLUMNS, type TweetRow } from '../../core/row.js';
import { decodeRowBatch, type RowBatch } from '../../core/row-batch.js';
import { IdempotentWriteRetryPolicy } from './retry-policy.js';
import { bucketOf, cqlColumn, NULLABLE_ELEMENT_COLUMNS } from './schema.js';

/** What a row writer needs to know: plain data, copied to worker threads. */
export interface RowWriterOptions {
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  /** Width of a tweet partition's time bucket. */
  bucketMs: number;
  /** Requests in flight at most (per writeRows). */
  concurrency: number;
  /** Rows per unlogged batch (always one partition). */
  batchRows: number;
}

/** A connected client, or an error that says how to reach Cassandra. */
export async function connectClient(o: Pick<RowWriterOptions, 'contactPoints' | 'localDataCenter'>): Promise<Client> {
  // Vigil's writes and reads: idempotent, prepared, local quorum.
  const client = new Client({
    contactPoints: o.contactPoints,
    localDataCenter: o.localDataCenter,
    policies: { retry: new IdempotentWriteRetryPolicy(3) },
    queryOptions: { prepare: true, isIdempotent: true, consistency: types.consistencies.localQuorum },
    socketOptions: { connectTimeout: 10_000, readTimeout: 20_000 },
  });
  try {
    await client.connect();
  } catch (err) {
    await client.shutdown().catch(() => undefined);
    throw new Error(
      `cannot reach Cassandra at ${o.contactPoints.join(',')} (data center ${o.localDataCenter}): ${errorMessage(err).split('\n')[0]}; start a node (scripts/engines/cassandra.sh up) or fix --cassandra-contact-points`,
    );
  }
  return client;
}

const INT32_MAX = 2_147_483_647;
/** A row's columns as written: raw goes to the post table, once per post. */
const WRITE_COLUMNS = [...TWEET_COLUMNS.map((c) => c.name).filter((c) => c !== 'raw'), 'bucket'] as const;
/** WRITE_COLUMNS' schema entries, in their order (looked up once, not per row and column). */
type TweetColumn = (typeof TWEET_COLUMNS)[number];
const WRITE_SPECS: readonly (TweetColumn | 'bucket')[] = WRITE_COLUMNS.map((name) => {
  if (name === 'bucket') return 'bucket';
  const col = TWEET_COLUMNS.find((c) => c.name === name);
  if (!col) throw new Error(`the Cassandra store writes a column the tweet schema does not have: ${name}`);
  return col;
});

/**
 * A missing value is sent as "unset", not null: a null in an INSERT writes a tombstone per column, and a partition
 * of posts with many empty columns then holds more tombstones than Cassandra will read (the first test with 66,000
 * posts in one partition failed reading its count).
 */
function cqlValue(row: TweetRow, col: TweetColumn | 'bucket', bucket: Date): unknown {
  if (col === 'bucket') return bucket;
  const v = row[col.name];
  if (v === null || v === undefined) return types.unset;
  if (NULLABLE_ELEMENT_COLUMNS.has(col.name)) return (v as (string | null)[]).map((x) => x ?? '');
  switch (col.type) {
    case 'timestamp':
      return new Date(v as string);
    case 'int':
      return Math.max(-INT32_MAX, Math.min(INT32_MAX, v as number));
    case 'uuid':
      return types.Uuid.fromString(v as string);
    default:
      return v;
  }
}

/** Runs `tasks` with at most `limit` in flight; rejects with the first failure once all have settled. */
export async function bounded(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      try {
        await task();
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failure) throw failure;
}

/** Keys of written metadata rows kept before starting again (each a few dozen bytes). */
const WRITTEN_KEYS_MAX = 100_000;

export class CassandraRowWriter implements RowWriter {
  private readonly insertTweet: string;
  private readonly insertBackfill: string;
  private readonly insertBucket: string;
  private readonly insertStoredEvent: string;
  private readonly insertPost: string;
  /**
   * The stored_event and event_buckets rows this writer has written (keys with the event's identity), so that each is
   * written once rather than with every batch: at 1,000 events they were a quarter of a batch's mutations. Forgotten
   * after the store moves or purges rows (forget); another process's purge concerns a deleted event, whose identity
   * comes back only with an event of the same name defined before events had ids.
   */
  private readonly written = new Set<string>();

  /** `ownsClient`: close() shuts the client down (a worker's writer); the store's writer shares the store's. */
  constructor(
    private readonly client: Client,
    private readonly options: Pick<RowWriterOptions, 'keyspace' | 'bucketMs' | 'concurrency' | 'batchRows'>,
    private readonly ownsClient = false,
  ) {
    const ks = options.keyspace;
    this.insertTweet = `INSERT INTO ${ks}.tweet (${WRITE_COLUMNS.map((c) => (c === 'bucket' ? c : cqlColumn(c))).join(', ')}) VALUES (${WRITE_COLUMNS.map(() => '?').join(', ')})`;
    // A backfilled row is written at the time its post was collected: a row written live (later) wins over it, and
    // writing it again changes nothing.
    this.insertBackfill = `${this.insertTweet} USING TIMESTAMP ?`;
    this.insertBucket = `INSERT INTO ${ks}.event_buckets (event_name, bucket) VALUES (?, ?)`;
    this.insertStoredEvent = `INSERT INTO ${ks}.stored_event (event_name, event_id) VALUES (?, ?)`;
    this.insertPost = `INSERT INTO ${ks}.post (platform, t_id, raw) VALUES (?, ?, ?)`;
  }

  async writeRows(batch: RowBatch): Promise<void> {
    if (batch.count === 0) return;
    await this.writeTweetRows(decodeRowBatch(batch));
  }

  async writeTweetRows(rows: readonly TweetRow[]): Promise<void> {
    const byPartition = new Map<string, { event: string; bucket: Date; rows: TweetRow[] }>();
    const identities = new Map<string, [string, types.Uuid]>();
    for (const row of rows) {
      identities.set(`${row.event_name}\u0000${row.event_id}`, [row.event_name, types.Uuid.fromString(row.event_id)]);
      const bucket = bucketOf(row.t_created_at ?? row.collected_at, this.options.bucketMs);
      const key = `${row.event_name}\u0000${bucket.getTime()}`;
      const p = byPartition.get(key) ?? { event: row.event_name, bucket, rows: [] };
      byPartition.set(key, p);
      p.rows.push(row);
    }
    const marks: string[] = [];
    const unwritten = (key: string): boolean => {
      if (this.written.has(key)) return false;
      marks.push(key);
      return true;
    };
    const tasks: (() => Promise<unknown>)[] = [];
    for (const [key, params] of identities) if (unwritten(`event\u0000${key}`)) tasks.push(() => this.client.execute(this.insertStoredEvent, params));
    // Each post's raw once, whatever the number of its events (a row moved by a rename comes without it: kept).
    const posts = new Map<string, TweetRow>();
    for (const row of rows) if (row.raw) posts.set(`${row.platform}\u0000${row.t_id}`, row);
    for (const row of posts.values()) tasks.push(() => this.client.execute(this.insertPost, [row.platform, row.t_id, row.raw]));
    for (const p of byPartition.values()) {
      // Marked per identity: an event defined again under the name writes the partition again.
      let unlisted = false;
      for (const id of new Set(p.rows.map((r) => r.event_id))) if (unwritten(`bucket\u0000${p.event}\u0000${id}\u0000${p.bucket.getTime()}`)) unlisted = true;
      if (unlisted) tasks.push(() => this.client.execute(this.insertBucket, [p.event, p.bucket]));
      for (let i = 0; i < p.rows.length; i += this.options.batchRows) {
        const queries = p.rows.slice(i, i + this.options.batchRows).map((row) => {
          const params = WRITE_SPECS.map((c) => cqlValue(row, c, p.bucket));
          return row.backfilled
            ? { query: this.insertBackfill, params: [...params, types.Long.fromNumber(Date.parse(row.collected_at) * 1000)] }
            : { query: this.insertTweet, params };
        });
        tasks.push(() => (queries.length === 1 ? this.client.execute(queries[0].query, queries[0].params) : this.client.batch(queries, { logged: false })));
      }
    }
    await bounded(tasks, this.options.concurrency);
    if (this.written.size + marks.length > WRITTEN_KEYS_MAX) this.written.clear();
    for (const k of marks) this.written.add(k);
  }

  forget(): void {
    this.written.clear();
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.shutdown();
  }
}

/** A worker thread's writer (PostStore.workerRowWriting): a connection of its own; the keyspace exists already. */
export async function openRowWriter(options: RowWriterOptions): Promise<CassandraRowWriter> {
  return new CassandraRowWriter(await connectClient(options), options, true);
}
