// The ports: the interfaces the core owns and each outside technology implements, one adapter folder per technology
// (src/adapters/<name>/, chosen through src/adapters/registry.ts): the bus (file log, Kafka), the post store (DuckDB,
// Cassandra), the query engine (DuckDB, Spark), the sources and the orchestrator (local processes, Kubernetes).

import type { RejectRecord } from './classify.js';
import type { CoverageRecord } from './coverage.js';
import type { DeletionRecord, PostKey } from './deletions.js';
import type { EventInput, EventTargets, VigilEvent } from './event.js';
import type { RowReassignment, StoredEvent } from './event-id.js';
import type { TrackerConnection } from './plan.js';
import type { TweetRow } from './row.js';
import type { RowBatch } from './row-batch.js';

/** Topic names: one per kind of message, as Project EPIC's Kafka design has them. */
export const TOPICS = {
  events: 'vigil.events',
  raw: 'vigil.raw',
  rejects: 'vigil.rejects',
  /** What happened to the source connections (src/core/coverage.ts). */
  coverage: 'vigil.coverage',
} as const;

export interface BusRecord {
  key: string | null;
  /**
   * null is a tombstone: on a compacted topic it deletes the key. Text, or its UTF-8 bytes as read (a replayed file's
   * lines go from the file to the log without being decoded).
   */
  value: string | Uint8Array | null;
  /** Where the record was read, `FILE:LINE` of an archive: a line kept aside names it (a Kafka header, in the log's record). */
  origin?: string;
}

export interface BusMessage extends Omit<BusRecord, 'value'> {
  /** The value as text (the embedded log decodes it when first read). */
  value: string | null;
  /**
   * The value's UTF-8 bytes as the bus holds them, when it has them: a consumer that parses elsewhere (the
   * classifier's worker threads) hands these over and the text is decoded once, where it is parsed.
   */
  bytes?: Uint8Array | null;
  topic: string;
  /** Order is kept within a partition (and so per key); the embedded log has one partition. */
  partition: number;
  offset: number;
  /** Milliseconds since the epoch, when the bus accepted the message. */
  timestamp: number;
  /**
   * Where the record sits in the embedded log's file, which keeps every raw post for good (the archive of record):
   * a store that reads that archive keeps this position instead of a copy of the raw line. Absent on Kafka.
   */
  position?: number;
}

/**
 * Handles a group's batch; `moreWaiting`: more messages were there to read when it was handed out (a backlog, as in a
 * bulk import), so another batch follows at once.
 */
export type BatchHandler = (batch: BusMessage[], moreWaiting: boolean) => Promise<void>;

/**
 * Bytes of values a bus batch holds at most unless one message is larger (then it is alone): 1,000 tweets of v1.1 are
 * about 3.5 MB, but 1,000 lines of twarc2 pages (100 posts each) about 225 MB, which held five batches at a time took
 * an import to 2.6 GB.
 */
export const MAX_BATCH_BYTES = 8 << 20;

export interface SubscribeOptions {
  /** Where a group with no committed offset starts: the first message (default) or only new ones. */
  from?: 'earliest' | 'latest';
  maxBatch?: number;
  /** Bytes of values a batch holds at most, past its first message (default MAX_BATCH_BYTES): pages of many posts a line. */
  maxBatchBytes?: number;
  /**
   * Batches handed to the handler before the oldest one is done (default 1). With 2, the next batch is prepared
   * while the previous one is written. Offsets are still committed in order, each after its batch is done, and a
   * failure re-delivers from the failed batch on.
   */
  inFlight?: number;
  /**
   * Awaited before each batch is read. A handler whose batches settle later than their work is done (a store that
   * commits many batches together) paces the reading by its work with it, so that read batches do not pile up.
   */
  readWhen?: () => Promise<void>;
}

export interface ScanProgress {
  done: number;
  total: number;
}

/** A subscription's handler failing, batch after batch delivered again (the store down or out of memory). */
export interface DeliveryFailure {
  /** The last failure's reason. */
  reason: string;
  /** Failures in a row since the last success. */
  attempts: number;
  /** When the first of them happened, and when the next attempt is due (ISO 8601). */
  since: string;
  retryAt: string;
}

export interface Subscription {
  /** Stops delivery; resolves once the batch in hand (if any) is handled and its offset committed. */
  stop(): Promise<void>;
  /** The failures in a row of its handler (or of its connection to the bus), or null since the last success. */
  failing(): DeliveryFailure | null;
}

/**
 * An ordered, durable log of topics. `publish` resolves only when the messages are durable (a crash after that
 * loses nothing). A group's handler gets batches in order; the group's offset is committed after the handler
 * resolves, so a crash re-delivers at most the batches in hand (handlers must be idempotent). A batch whose handler
 * fails (the store is down, out of memory) is delivered again, and again, after waits growing from about 0.5 s to
 * 30 s with jitter, each failure logged with its attempt number and reason, until it succeeds or the subscription
 * stops: nothing is ever skipped, so a batch that can never succeed holds its group up, visibly, until fixed.
 */
export interface Bus {
  /**
   * True when a batch in flight costs the bus only its offsets (it reads the batch again should it be delivered
   * again): a subscriber may keep hundreds in flight. A bus that keeps each batch's messages until it settles (Kafka)
   * is not.
   */
  readonly cheapInFlight?: boolean;
  publish(topic: string, records: BusRecord[]): Promise<void>;
  subscribe(topic: string, group: string, handler: BatchHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** The newest message of a one-partition topic, or null when it is empty (the event state is read this way). */
  latest(topic: string): Promise<BusMessage | null>;
  /** Messages behind the group's committed offset (consumer lag). */
  lag(topic: string, group: string): Promise<number>;
  /**
   * Reads a topic once, outside any group: from the first message published at or after `fromMs` to the end the
   * topic had when the scan began, in batches handed to `handler` with how many of `total` are done. Stops early,
   * between batches, when `signal` aborts. Resolves with the number of messages read.
   */
  scan(
    topic: string,
    fromMs: number,
    handler: (batch: BusMessage[], progress: ScanProgress) => Promise<void>,
    options?: { maxBatch?: number; maxBatchBytes?: number; signal?: AbortSignal },
  ): Promise<number>;
  close(): Promise<void>;
}

export interface EventStats {
  count: number;
  /** Earliest and latest post time (t_created_at) of the event's rows, ISO-8601, null when there are none. */
  first: string | null;
  last: string | null;
}

/** How a write may be committed. */
export interface WriteOptions {
  /**
   * More writes follow at once (a bulk import): a store that groups commits (PostStore.groupsCommits) may keep this
   * one's transaction open to commit it with them. The write settles when it is committed, as always.
   */
  moreComing?: boolean;
}

/** Where rows land. Writing the same (event, post) twice keeps one row. */
export interface PostStore {
  /**
   * True when rows may give their raw post as its position in the embedded log (BusMessage.position) instead of the
   * line itself: the store reads raw from there when asked (raw kept once, outside the rows). Else rows carry raw.
   */
  readonly readsRawFromLog: boolean;
  /**
   * True when the store commits writes given `moreComing` together, in transactions of many batches (the embedded
   * one: DuckDB writes a transaction of more than a row group straight into compressed row groups, without its WAL).
   * Their promises then settle seconds later; `applied` tells when the store is ready for more, and `flush` commits.
   */
  readonly groupsCommits?: boolean;
  /** Resolves once every write given so far is applied (in the store's open transaction, committed or not). */
  applied?(): Promise<void>;
  /** Commits the writes held for grouping now (stopping, or waiting for every batch to be stored). */
  flush?(): Promise<void>;
  /** Durable when it resolves. Build the batch with `rowBatch(rows)`. */
  writeRows(batch: RowBatch, options?: WriteOptions): Promise<void>;
  /**
   * Offered by a store whose row writes are independent requests (Cassandra): a classifier's worker threads then
   * write the rows they classified themselves, each through a RowWriter of its own, instead of handing them to the
   * main thread, whose one core would otherwise encode and send every row of the process.
   */
  readonly workerRowWriting?: WorkerRowWriting;
  writeRejects(rejects: RejectRecord[], options?: WriteOptions): Promise<void>;
  eventStats(eventName: string): Promise<EventStats>;
  /**
   * Every row of an event, a slice of at most `sliceRows` at a time, with the named columns only (raw is read only
   * when named): what reads a whole event (an export, a network) does it in memory that does not grow with the event.
   */
  eventRowSlices<K extends keyof TweetRow>(eventName: string, columns: readonly K[], sliceRows?: number): AsyncIterable<Pick<TweetRow, K>[]>;
  rejectCount(): Promise<number>;
  /** Marks posts deleted (kept, left out of exports by default). Idempotent. */
  writeDeletions(deletions: DeletionRecord[], options?: WriteOptions): Promise<void>;
  deletionCount(): Promise<number>;
  /** The deletions kept of these posts (keys from `deletionKey`), for leaving them out of an export. */
  deletionsOf(posts: readonly PostKey[]): Promise<DeletionRecord[]>;
  /** Keeps coverage records (idempotent by id). */
  writeCoverage(records: CoverageRecord[]): Promise<void>;
  /** Coverage records up to `to` (all sources), oldest first. */
  coverageRecords(to: string): Promise<CoverageRecord[]>;
  /** Rejected lines per hour (hour start, ISO) between two times. */
  rejectsByHour(from: string, to: string): Promise<{ hour: string; count: number }[]>;
  /** The lines rejected between two times (inclusive), at most `limit`, oldest first. */
  rejectLines(from: string, to: string, limit: number): Promise<string[]>;
  /** Every (name, event identity) rows are stored under. */
  storedEvents(): Promise<StoredEvent[]>;
  /** Rows of `from` (name and identity) become rows of `to`: an event renamed, or a name's rows adopted. Idempotent. */
  reassignRows(r: RowReassignment): Promise<void>;
  /** Deletes every row stored under this name (for an event no longer defined). */
  purgeEvent(eventName: string): Promise<void>;
  /**
   * Stores that keep term counts for the event page (the embedded one) count the rows written since they last did;
   * the ready analyses call it before a page's queries. Others have none. `progress` hears of each chunk counted.
   */
  countTerms?(progress?: (p: TermCountProgress) => void): Promise<void>;
  /** Rows stored and not counted yet (countTerms), as committed; answers at once, also while a count runs. */
  termCountBacklog?(): Promise<number>;
  close(): Promise<void>;
}

/** How a worker thread opens a RowWriter: `openRowWriter(options)`, exported by `module` (a URL to import). */
export interface WorkerRowWriting {
  module: string;
  /** Plain data (it is copied to each worker thread). */
  options: unknown;
  /**
   * Changes whenever the store has moved or deleted rows: a writer then forgets which event partitions it has listed
   * (it lists them again), as the store itself does.
   */
  epoch(): number;
}

/** Writes rows as the store's writeRows does, from a worker thread, over a connection of its own. */
export interface RowWriter {
  /** Durable when it resolves. */
  writeRows(batch: RowBatch): Promise<void>;
  /** Forgets which event partitions it has listed (see WorkerRowWriting.epoch). */
  forget(): void;
  close(): Promise<void>;
}

/** Where a count of the rows' terms stands: rows counted so far by this call, rows left to count. */
export interface TermCountProgress {
  counted: number;
  left: number;
}

/** The embedded log's raw posts read by position (BusMessage.position); synchronous, for a database's function. */
export interface RawArchive {
  /** The raw line recorded at `position`; throws when no record starts there. */
  read(position: number): string;
  close(): void;
}

/** A source of raw posts: calls `emit` with batches of lines and waits for it before reading on (back-pressure). */
/** Lines are text, or UTF-8 bytes as read (a replayed file: they go to the log without being decoded). */
export interface Source<Line extends string | Uint8Array = string> {
  readonly name: string;
  start(emit: (lines: Line[]) => Promise<void>): Promise<void>;
  /** Resolves when the source stopped on its own (end of a replay file) or was stopped. */
  done(): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
}

/** A live source: it hands on the bytes of each message as received (decoded once, where parsed), or text. */
export type LiveLines = Source<Buffer> | Source<string>;

export interface SourceStatus {
  source: string;
  state: 'starting' | 'running' | 'finished' | 'stopped' | 'failed';
  since: string;
  linesRead: number;
  /** A file source: bytes of the file read so far, and its size (for progress and the time left). */
  bytesRead?: number;
  bytesTotal?: number;
  /**
   * A replayed file met before (known by its content, whatever its name): the lines an earlier replay already
   * published, skipped now. Posts already collected are not matched again by a replay (re-classification does that).
   */
  alreadyPublished?: number;
  /** Connections the source re-opened after a failure, counted by the source itself (live sources only). */
  reconnects?: number;
  detail?: string;
}

export interface QueryOptions {
  maxRows: number;
  /**
   * The time limit, counted from `startedAt` (when the request arrived: waiting, parsing and planning count), on the
   * monotonic clock (performance.now()): a step of the wall clock neither ends a query early nor lets it run on.
   */
  timeoutMs: number;
  startedAt?: number;
  /** Aborting it cancels the query. */
  signal?: AbortSignal;
  /**
   * A person's SQL (the ready analyses are Vigil's own): stopped if it makes the process grow beyond the engine's
   * bound. Every query, a person's or not, must be one read-only query over the analysis tables.
   */
  untrusted?: boolean;
  /** Most bytes of answer (as JSON); the rows after that are cut (`truncated`). */
  maxBytes?: number;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  /** True when the result had more rows than `maxRows`, or more bytes than `maxBytes`, and was cut. */
  truncated: boolean;
  /** What cut it. */
  truncatedBy?: 'rows' | 'bytes';
  elapsedMs: number;
}

/** The SQL an engine speaks: the ready analyses have one definition that takes it (src/core/analyses.ts). */
export type SqlDialect = 'duckdb' | 'spark';

/** Runs read-only SQL over the stored rows. */
export interface QueryEngine {
  readonly dialect: SqlDialect;
  query(sql: string, options: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** One change of an event, kept so a dataset can say how its event was defined over time. */
export interface EventHistoryEntry extends Partial<EventTargets> {
  at: string;
  action: 'created' | 'updated' | 'renamed' | 'deleted';
  name: string;
  previousName: string | null;
  keywords: string[] | null;
  active: boolean | null;
}

/** The events as they are now: the event manager itself, or (in a role apart from it) the state read from the bus. */
export interface EventCatalog {
  list(): Promise<VigilEvent[]>;
}

/** The event manager's durable state. */
export interface EventRepository {
  /** Every change of the event called `name` (or renamed from it), oldest first. */
  history(name: string): Promise<EventHistoryEntry[]>;
  list(): Promise<VigilEvent[]>;
  get(name: string): Promise<VigilEvent | null>;
  create(input: Required<EventInput>): Promise<VigilEvent>;
  /** Replaces the event called `name` (which may be renamed by `input.name`). */
  replace(name: string, input: Required<EventInput>): Promise<VigilEvent>;
  delete(name: string): Promise<void>;
}

/** One process (or pod group) an orchestrator runs for a role. */
export interface ManagedProcess {
  /** events, analytics, tracker-0, classifier-1, … */
  id: string;
  role: string;
  state: 'starting' | 'ready' | 'restarting' | 'stopping' | 'exited';
  pid: number | null;
  url: string | null;
  restarts: number;
  startedAt: string | null;
  detail?: string;
}

/** Runs what the controller decides, on this machine (child processes) or on a cluster (Kubernetes). */
export interface Orchestrator {
  readonly kind: string;
  /**
   * Makes the running tracker connections those given: new ones started, changed ones (another hash) replaced
   * make-before-break (the new one ready before the old one stops), ones no longer planned stopped.
   */
  applyTrackers(connections: readonly TrackerConnection[]): Promise<void>;
  /** Sets how many classifier replicas run. */
  scaleClassifiers(replicas: number): Promise<void>;
  status(): Promise<ManagedProcess[]>;
  /** Stops what this orchestrator runs in-process (the local one stops its children; Kubernetes objects stay). */
  close(): Promise<void>;
}

/** An orchestrator that runs role processes on this machine, and can tell where each one listens. */
export interface ProcessHost extends Orchestrator {
  /** Starts a long-lived role process (events, analytics) under the id given; restarted if it dies. */
  startRole(id: string, role: string): Promise<void>;
  /** The address the process `id` listens on, or null while it is (re)starting. */
  urlOf(id: string): string | null;
}
