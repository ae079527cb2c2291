// The distributed tweet store: Apache Cassandra through cassandra-driver. Prepared statements; unlogged batches
// only within one partition; at most `concurrency` requests in flight, and writeRows resolves only when every row
// is written (so a slow Cassandra slows the consumer instead of filling memory); timeouts retried by policy.

import { type Client, types } from 'cassandra-driver';
import type { RejectRecord } from '../../core/classify.js';
import type { CoverageRecord } from '../../core/coverage.js';
import type { DeletionRecord, PostKey } from '../../core/deletions.js';
import { errorMessage } from '../../core/errors.js';
import type { RowReassignment, StoredEvent } from '../../core/event-id.js';
import type { EventStats, PostStore, WorkerRowWriting } from '../../core/ports.js';
import { type Column, TWEET_COLUMNS, type TweetRow } from '../../core/row.js';
import type { RowBatch } from '../../core/row-batch.js';
import type { Logger } from '../../util/log.js';
import { addEventIds } from './event-ids.js';
import { retypeListColumns } from './retype-lists.js';
import { bounded, CassandraRowWriter, connectClient, type RowWriterOptions } from './row-writer.js';
import { addColumnStatements, cqlColumn, legacyTextColumns, NULLABLE_ELEMENT_COLUMNS, schemaStatements } from './schema.js';

export interface CassandraStoreOptions {
  contactPoints: string[];
  localDataCenter?: string;
  keyspace?: string;
  /** CQL replication map for a keyspace Vigil creates. */
  replication?: string;
  /** Width of a tweet partition's time bucket. */
  bucketMs?: number;
  /** Requests in flight at most. */
  concurrency?: number;
  /** Rows per unlogged batch (always one partition). */
  batchRows?: number;
  /** Where a migration of an earlier keyspace says what it did. */
  log?: Logger;
}

/** Rows of an event read at once by eventRowSlices when the reader does not say (a page of the driver's). */
const EVENT_SLICE_ROWS = 5_000;

/** The named columns of a row. */
const pick = <K extends keyof TweetRow>(row: TweetRow, columns: readonly K[]): Pick<TweetRow, K> =>
  Object.fromEntries(columns.map((c) => [c, row[c]])) as Pick<TweetRow, K>;

/** A row as the other stores give it, of every column or of the `columns` read. */
function rowFromCql(r: types.Row, columns: readonly Column[] = TWEET_COLUMNS): TweetRow {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = r.get(cqlColumn(c.name)) as unknown;
    if (v === null || v === undefined) out[c.name] = c.type === 'list<text>' ? [] : null;
    else if (NULLABLE_ELEMENT_COLUMNS.has(c.name)) out[c.name] = (v as string[]).map((x) => (x === '' ? null : x));
    else if (c.type === 'timestamp') out[c.name] = (v as Date).toISOString();
    else if (c.type === 'uuid') out[c.name] = (v as types.Uuid).toString();
    else out[c.name] = v;
  }
  return out as unknown as TweetRow;
}

export class CassandraPostStore implements PostStore {
  /** Rows carry their raw post (the embedded log is not reachable from a cluster's store). */
  readonly readsRawFromLog = false;
  /** Writes this store's rows (and the rows it moves); a classifier's worker threads each open their own. */
  private readonly rows: CassandraRowWriter;
  /** Counts the times this store moved or deleted rows: each one makes every row writer forget what it listed. */
  private forgets = 0;
  readonly workerRowWriting: WorkerRowWriting;

  private constructor(
    private readonly client: Client,
    private readonly options: Required<Omit<CassandraStoreOptions, 'log'>>,
  ) {
    this.rows = new CassandraRowWriter(client, options);
    // Listed, not copied with a rest: the options object may also hold the logger, which no worker can be sent.
    const writerOptions: RowWriterOptions = {
      contactPoints: options.contactPoints,
      localDataCenter: options.localDataCenter,
      keyspace: options.keyspace,
      bucketMs: options.bucketMs,
      concurrency: options.concurrency,
      batchRows: options.batchRows,
    };
    this.workerRowWriting = { module: new URL('./row-writer.js', import.meta.url).href, options: writerOptions, epoch: () => this.forgets };
  }

  /** After rows were moved or deleted: the partitions and identities this process listed are listed again. */
  private forget(): void {
    this.rows.forget();
    this.forgets++;
  }

  /** Connects, and creates the keyspace and tables when missing. */
  static async open(options: CassandraStoreOptions): Promise<CassandraPostStore> {
    const o: Required<Omit<CassandraStoreOptions, 'log'>> = {
      localDataCenter: 'datacenter1',
      keyspace: 'twitter_analytics',
      replication: "{'class': 'SimpleStrategy', 'replication_factor': 1}",
      bucketMs: 86_400_000,
      concurrency: 32,
      batchRows: 20,
      ...options,
    };
    if (!/^[A-Za-z][A-Za-z0-9_]{0,47}$/u.test(o.keyspace))
      throw new Error(`invalid keyspace name "${o.keyspace}": letters, digits and _ (start with a letter)`);
    const client = await connectClient(o);
    try {
      for (const cql of schemaStatements(o)) await client.execute(cql, [], { prepare: false });
      const cols = await client.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [o.keyspace, 'tweet']);
      const existing = new Set(cols.rows.map((r) => r.get('column_name') as string));
      for (const cql of addColumnStatements(o.keyspace, existing)) await client.execute(cql, [], { prepare: false });
      const legacy = legacyTextColumns(existing);
      if (legacy.length > 0) await retypeListColumns(client, o.keyspace, legacy, options.log);
      await addEventIds(client, o.keyspace, options.log);
    } catch (err) {
      await client.shutdown().catch(() => undefined);
      throw new Error(`cannot create or reach the keyspace ${o.keyspace}: ${errorMessage(err)}`);
    }
    return new CassandraPostStore(client, o);
  }

  writeRows(batch: RowBatch): Promise<void> {
    return this.rows.writeRows(batch);
  }

  /** Looked up by key (platform partition, post id IN a chunk), never by scanning every deletion. */
  async deletionsOf(posts: readonly PostKey[]): Promise<DeletionRecord[]> {
    const out: DeletionRecord[] = [];
    await this.readByPostKeys(`SELECT platform, t_id, deleted_at FROM ${this.options.keyspace}.deletion WHERE platform = ? AND t_id IN ?`, posts, (row) =>
      out.push({ platform: row.get('platform') as string, t_id: row.get('t_id') as string, deleted_at: (row.get('deleted_at') as Date).toISOString() }),
    );
    return out.sort((a, b) => a.platform.localeCompare(b.platform) || a.t_id.localeCompare(b.t_id));
  }

  /**
   * Runs `cql` (`WHERE platform = ? AND t_id IN ?`) for the posts, by platform partition and chunks of 100 ids, with
   * at most `concurrency` in flight; `onRow` sees every row read.
   */
  private async readByPostKeys(cql: string, posts: readonly PostKey[], onRow: (row: types.Row) => void): Promise<void> {
    const byPlatform = new Map<string, Set<string>>();
    for (const p of posts) byPlatform.set(p.platform, (byPlatform.get(p.platform) ?? new Set<string>()).add(p.t_id));
    const tasks: (() => Promise<unknown>)[] = [];
    for (const [platform, idSet] of byPlatform) {
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += 100) {
        const chunk = ids.slice(i, i + 100);
        tasks.push(async () => {
          for (const row of (await this.client.execute(cql, [platform, chunk])).rows) onRow(row);
        });
      }
    }
    await bounded(tasks, this.options.concurrency);
  }

  async writeCoverage(records: CoverageRecord[]): Promise<void> {
    const cql = `INSERT INTO ${this.options.keyspace}.coverage (source, happened_at, id, connection, kind, ended_at, count, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
    await bounded(
      records.map(
        (r) => () =>
          this.client.execute(cql, [
            r.source,
            new Date(r.at),
            r.id,
            r.connection,
            r.kind,
            r.until ? new Date(r.until) : types.unset,
            r.count === null ? types.unset : types.Long.fromNumber(r.count),
            r.detail ?? types.unset,
          ]),
      ),
      this.options.concurrency,
    );
  }

  async coverageRecords(to: string): Promise<CoverageRecord[]> {
    const sources = await this.client.execute(`SELECT DISTINCT source FROM ${this.options.keyspace}.coverage`);
    const out: CoverageRecord[] = [];
    for (const s of sources.rows) {
      const r = await this.client.execute(
        `SELECT * FROM ${this.options.keyspace}.coverage WHERE source = ? AND happened_at <= ?`,
        [s.get('source'), new Date(to)],
        {
          fetchSize: 10_000,
          autoPage: true,
        },
      );
      for (const row of r.rows)
        out.push({
          id: row.get('id') as string,
          source: row.get('source') as string,
          connection: row.get('connection') as string,
          kind: row.get('kind') as CoverageRecord['kind'],
          at: (row.get('happened_at') as Date).toISOString(),
          until: row.get('ended_at') ? (row.get('ended_at') as Date).toISOString() : null,
          count: row.get('count') === null ? null : Number(row.get('count')),
          detail: (row.get('detail') as string | null) ?? null,
        });
    }
    return out.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  /** Rejects are few and have no time index: read their times and count per hour here. */
  async rejectsByHour(from: string, to: string): Promise<{ hour: string; count: number }[]> {
    const counts = new Map<number, number>();
    const lo = Date.parse(from) - 3_600_000;
    const hi = Date.parse(to);
    await new Promise<void>((resolve, reject) => {
      this.client.eachRow(
        `SELECT rejected_at FROM ${this.options.keyspace}.reject`,
        [],
        { prepare: true, autoPage: true, fetchSize: 5000 },
        (_n, row) => {
          const t = (row.get('rejected_at') as Date | null)?.getTime();
          if (t === undefined || t < lo || t > hi) return;
          const h = Math.floor(t / 3_600_000) * 3_600_000;
          counts.set(h, (counts.get(h) ?? 0) + 1);
        },
        (err) => (err ? reject(err) : resolve()),
      );
    });
    return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([h, count]) => ({ hour: new Date(h).toISOString(), count }));
  }

  /** As rejectsByHour: read every reject's time, keep the window's lines. */
  async rejectLines(from: string, to: string, limit: number): Promise<string[]> {
    const lo = Date.parse(from);
    const hi = Date.parse(to);
    const found: { t: number; line: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      this.client.eachRow(
        `SELECT rejected_at, line FROM ${this.options.keyspace}.reject`,
        [],
        { prepare: true, autoPage: true, fetchSize: 5000 },
        (_n, row) => {
          const t = (row.get('rejected_at') as Date | null)?.getTime();
          if (t !== undefined && t >= lo && t <= hi) found.push({ t, line: row.get('line') as string });
        },
        (err) => (err ? reject(err) : resolve()),
      );
    });
    return found
      .sort((a, b) => a.t - b.t)
      .slice(0, limit)
      .map((f) => f.line);
  }

  async writeRejects(rejects: RejectRecord[]): Promise<void> {
    const cql = `INSERT INTO ${this.options.keyspace}.reject (id, source, rejected_at, reason, line) VALUES (?, ?, ?, ?, ?)`;
    await bounded(
      rejects.map((r) => () => this.client.execute(cql, [r.id, r.source, new Date(r.at), r.reason, r.line])),
      this.options.concurrency,
    );
  }

  private async buckets(eventName: string): Promise<Date[]> {
    const r = await this.client.execute(`SELECT bucket FROM ${this.options.keyspace}.event_buckets WHERE event_name = ?`, [eventName]);
    return r.rows.map((x) => x.get('bucket') as Date);
  }

  async eventStats(eventName: string): Promise<EventStats> {
    let count = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (const bucket of await this.buckets(eventName)) {
      const r = await this.client.execute(
        `SELECT count(*) AS n, min(t_created_at) AS first, max(t_created_at) AS last FROM ${this.options.keyspace}.tweet WHERE event_name = ? AND bucket = ?`,
        [eventName, bucket],
      );
      const row = r.first();
      count += Number(row.get('n'));
      const f = row.get('first') as Date | null;
      const l = row.get('last') as Date | null;
      if (f && (first === null || f.getTime() < first)) first = f.getTime();
      if (l && (last === null || l.getTime() > last)) last = l.getTime();
    }
    return { count, first: first === null ? null : new Date(first).toISOString(), last: last === null ? null : new Date(last).toISOString() };
  }

  /** Page by page of each of the event's partitions; raw from the post table only when asked for. */
  async *eventRowSlices<K extends keyof TweetRow>(eventName: string, columns: readonly K[], sliceRows = EVENT_SLICE_ROWS): AsyncGenerator<Pick<TweetRow, K>[]> {
    const wantsRaw = columns.some((c) => c === 'raw');
    const names = new Set<string>(wantsRaw ? [...columns, 'platform', 't_id'] : columns);
    const read = TWEET_COLUMNS.filter((c) => names.has(c.name));
    const cql = `SELECT ${read.map((c) => cqlColumn(c.name)).join(', ')} FROM ${this.options.keyspace}.tweet WHERE event_name = ? AND bucket = ?`;
    for (const bucket of await this.buckets(eventName)) {
      let pageState: string | undefined;
      do {
        const r = await this.client.execute(cql, [eventName, bucket], { fetchSize: sliceRows, pageState });
        const rows = r.rows.map((row) => rowFromCql(row, read));
        if (wantsRaw) await this.withRaw(rows);
        if (rows.length > 0) yield read.length === columns.length ? rows : rows.map((row) => pick(row, columns));
        pageState = r.pageState ?? undefined;
      } while (pageState);
    }
  }

  /** Gives rows without their own copy of raw (every row written since the post table) the one of their post. */
  private async withRaw(rows: TweetRow[]): Promise<void> {
    const waiting = new Map<string, TweetRow[]>();
    for (const row of rows) {
      if (row.raw !== null) continue;
      const key = `${row.platform}\u0000${row.t_id}`;
      waiting.set(key, [...(waiting.get(key) ?? []), row]);
    }
    await this.readByPostKeys(
      `SELECT platform, t_id, raw FROM ${this.options.keyspace}.post WHERE platform = ? AND t_id IN ?`,
      rows.filter((r) => r.raw === null),
      (r) => {
        for (const row of waiting.get(`${r.get('platform') as string}\u0000${r.get('t_id') as string}`) ?? []) row.raw = r.get('raw') as string;
      },
    );
  }

  async storedEvents(): Promise<StoredEvent[]> {
    const r = await this.client.execute(`SELECT event_name, event_id FROM ${this.options.keyspace}.stored_event`, [], { fetchSize: 10_000, autoPage: true });
    return r.rows
      .map((x) => ({ name: x.get('event_name') as string, eventId: (x.get('event_id') as types.Uuid).toString() }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.eventId.localeCompare(b.eventId));
  }

  /**
   * Page by page over each of the old name's partitions: the identity's rows are written under the new name and
   * identity (a backfilled row keeps its write time), then deleted under the old name; a partition left empty is
   * dropped from event_buckets. Cut short, running it again finishes it.
   */
  async reassignRows({ from, to }: RowReassignment): Promise<void> {
    try {
      await this.moveRows({ from, to });
    } finally {
      this.forget();
    }
  }

  private async moveRows({ from, to }: RowReassignment): Promise<void> {
    const ks = this.options.keyspace;
    const renamed = from.name !== to.name;
    for (const bucket of await this.buckets(from.name)) {
      let pageState: string | undefined;
      do {
        const page = await this.client.execute(`SELECT * FROM ${ks}.tweet WHERE event_name = ? AND bucket = ?`, [from.name, bucket], {
          fetchSize: 500,
          pageState,
        });
        const rows = page.rows.map((row) => rowFromCql(row)).filter((r) => r.event_id === from.eventId);
        await this.rows.writeTweetRows(rows.map((r) => ({ ...r, event_name: to.name, event_id: to.eventId })));
        if (renamed)
          await bounded(
            rows.map((r) => () => this.client.execute(`DELETE FROM ${ks}.tweet WHERE event_name = ? AND bucket = ? AND t_id = ?`, [from.name, bucket, r.t_id])),
            this.options.concurrency,
          );
        pageState = page.pageState ?? undefined;
      } while (pageState);
      const left = await this.client.execute(`SELECT t_id FROM ${ks}.tweet WHERE event_name = ? AND bucket = ? LIMIT 1`, [from.name, bucket]);
      if (left.rowLength === 0) await this.client.execute(`DELETE FROM ${ks}.event_buckets WHERE event_name = ? AND bucket = ?`, [from.name, bucket]);
    }
    await this.client.execute(`DELETE FROM ${ks}.stored_event WHERE event_name = ? AND event_id = ?`, [from.name, types.Uuid.fromString(from.eventId)]);
  }

  /** One partition tombstone per bucket. */
  async purgeEvent(eventName: string): Promise<void> {
    const ks = this.options.keyspace;
    try {
      for (const bucket of await this.buckets(eventName))
        await this.client.execute(`DELETE FROM ${ks}.tweet WHERE event_name = ? AND bucket = ?`, [eventName, bucket]);
      await this.client.execute(`DELETE FROM ${ks}.event_buckets WHERE event_name = ?`, [eventName]);
      await this.client.execute(`DELETE FROM ${ks}.stored_event WHERE event_name = ?`, [eventName]);
    } finally {
      this.forget();
    }
  }

  async rejectCount(): Promise<number> {
    const r = await this.client.execute(`SELECT count(*) AS n FROM ${this.options.keyspace}.reject`);
    return Number(r.first().get('n'));
  }

  async writeDeletions(deletions: DeletionRecord[]): Promise<void> {
    const cql = `INSERT INTO ${this.options.keyspace}.deletion (platform, t_id, deleted_at) VALUES (?, ?, ?)`;
    await bounded(
      deletions.map((d) => () => this.client.execute(cql, [d.platform, d.t_id, new Date(d.deleted_at)], { prepare: true })),
      this.options.concurrency,
    );
  }

  async deletionCount(): Promise<number> {
    const r = await this.client.execute(`SELECT count(*) AS n FROM ${this.options.keyspace}.deletion`);
    return Number(r.first().get('n'));
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }
}
