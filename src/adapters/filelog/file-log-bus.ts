// The embedded bus: one append-only log file per topic under a directory, and committed consumer offsets in a
// small JSON file replaced atomically. Durable: publish resolves after fdatasync; offsets after rename + fsync.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type BatchHandler,
  type Bus,
  type BusMessage,
  type BusRecord,
  MAX_BATCH_BYTES,
  type ScanProgress,
  type SubscribeOptions,
  type Subscription,
} from '../../core/ports.js';
import { readJsonOr, writeJsonAtomic } from '../../util/atomic-file.js';
import { messageOfBytes } from '../../util/bus-message.js';
import { FailureRun, reasonOf, wait } from '../../util/retry.js';
import { SEGMENT_BYTES } from './log-files.js';
import { type LogEntry, TopicLog } from './topic-log.js';

export interface FileLogBusOptions {
  dir: string;
  warn?: (msg: string) => void;
  /**
   * The first wait before a batch whose handler failed is delivered again (default 500 ms); it doubles, with ±20 %
   * jitter, with each failure in a row up to `retryMaxMs` (default 30 s).
   */
  retryDelayMs?: number;
  retryMaxMs?: number;
  /** Bytes of a log segment file (log-files.ts); a smaller one packs sooner. */
  segmentBytes?: number;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,200}$/u;

export class FileLogBus implements Bus {
  readonly cheapInFlight = true;
  private readonly topics = new Map<string, Promise<TopicLog>>();
  private readonly offsets: Record<string, number>;
  private offsetWrite: Promise<void> = Promise.resolve();
  private readonly subs = new Set<Subscription>();
  private closed = false;
  /** The newest message of each topic read by `latest`, until the topic grows (the classifier asks before every batch). */
  private readonly latestCache = new Map<string, { end: number; message: BusMessage }>();

  private constructor(
    private readonly opts: Required<FileLogBusOptions>,
    offsets: Record<string, number>,
  ) {
    this.offsets = offsets;
  }

  static async open(options: FileLogBusOptions): Promise<FileLogBus> {
    await mkdir(options.dir, { recursive: true });
    const offsets = await readJsonOr<Record<string, number>>(join(options.dir, 'offsets.json'), {});
    return new FileLogBus(
      { warn: (m) => process.stderr.write(`${m}\n`), retryDelayMs: 500, retryMaxMs: 30_000, segmentBytes: SEGMENT_BYTES, ...options },
      offsets,
    );
  }

  private topic(name: string): Promise<TopicLog> {
    if (this.closed) return Promise.reject(new Error('the bus is closed'));
    if (!TOPIC_NAME.test(name)) return Promise.reject(new Error(`invalid topic name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-"`));
    let t = this.topics.get(name);
    if (!t) {
      t = TopicLog.open(join(this.opts.dir, `${name}.log`), this.opts.warn, { segmentBytes: this.opts.segmentBytes });
      this.topics.set(name, t);
      void t.then(
        (log) => this.readPast(name, log),
        () => undefined,
      );
    }
    return t;
  }

  async publish(topic: string, records: BusRecord[]): Promise<void> {
    if (records.length === 0) return;
    const log = await this.topic(topic);
    await log.append(records, Date.now());
  }

  async latest(topic: string): Promise<BusMessage | null> {
    const log = await this.topic(topic);
    const end = log.end;
    if (end === 0) return null;
    const cached = this.latestCache.get(topic);
    if (cached?.end === end) return cached.message;
    const [e] = await log.read(end - 1, 1);
    const message = messageOf(topic, e);
    this.latestCache.set(topic, { end, message });
    return message;
  }

  async scan(
    topic: string,
    fromMs: number,
    handler: (batch: BusMessage[], progress: ScanProgress) => Promise<void>,
    options: { maxBatch?: number; maxBatchBytes?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const log = await this.topic(topic);
    const end = log.end;
    // Appends carry non-decreasing times: the first record at or after fromMs is found by bisection.
    let lo = 0;
    let hi = end;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [e] = await log.read(mid, 1);
      if (e.timestamp < fromMs) lo = mid + 1;
      else hi = mid;
    }
    const total = end - lo;
    const maxBatch = options.maxBatch ?? 1000;
    let done = 0;
    for (let offset = lo; offset < end && !options.signal?.aborted; ) {
      const entries = await log.read(offset, Math.min(maxBatch, end - offset), options.maxBatchBytes ?? MAX_BATCH_BYTES);
      offset += entries.length;
      done += entries.length;
      await handler(
        entries.map((e) => messageOf(topic, e)),
        { done, total },
      );
    }
    return done;
  }

  /** Total records in a topic (its next offset). */
  async end(topic: string): Promise<number> {
    return (await this.topic(topic)).end;
  }

  async lag(topic: string, group: string): Promise<number> {
    const log = await this.topic(topic);
    return Math.max(0, log.end - (this.offsets[`${topic}|${group}`] ?? 0));
  }

  /** Tells the log what every group of the topic has read (what came before may be packed). */
  private readPast(topic: string, log: TopicLog): void {
    const read = Object.entries(this.offsets)
      .filter(([k]) => k.startsWith(`${topic}|`))
      .map(([, v]) => v);
    if (read.length > 0) log.readPast(Math.min(...read));
  }

  private commit(topic: string, group: string, next: number): Promise<void> {
    this.offsets[`${topic}|${group}`] = next;
    void this.topics.get(topic)?.then(
      (log) => this.readPast(topic, log),
      () => undefined,
    );
    const snapshot = { ...this.offsets };
    this.offsetWrite = this.offsetWrite.then(() => writeJsonAtomic(join(this.opts.dir, 'offsets.json'), snapshot));
    return this.offsetWrite;
  }

  async subscribe(topic: string, group: string, handler: BatchHandler, options: SubscribeOptions = {}): Promise<Subscription> {
    const log = await this.topic(topic);
    const key = `${topic}|${group}`;
    let next = this.offsets[key] ?? (options.from === 'latest' ? log.end : 0);
    const maxBatch = options.maxBatch ?? 1000;
    let stopped = false;
    // Ends a retry's wait on stop only: appends must not cut it short, or a failing store would be hammered.
    const stopping = new AbortController();
    const failures = new FailureRun({ growth: 'exponential', minMs: this.opts.retryDelayMs, maxMs: this.opts.retryMaxMs, jitter: 0.2 });
    let wake: (() => void) | null = null;
    const unlisten = log.onAppend(() => wake?.());
    const sleep = (ms: number | null): Promise<void> =>
      new Promise((resolve) => {
        const timer = ms === null ? null : setTimeout(() => resolve(), ms);
        wake = () => {
          if (timer) clearTimeout(timer);
          resolve();
        };
      });

    // Up to `inFlight` batches are handed out before the first is done (the next batch is classified while the
    // previous one is being stored); offsets are committed strictly in order, each after its handler resolved.
    const inFlight = Math.max(1, options.inFlight ?? 1);
    const pending: { first: number; next: number; done: Promise<void>; handled: boolean }[] = [];
    const loop = (async () => {
      while (!stopped) {
        if (pending.length < inFlight && next < log.end) {
          if (options.readWhen) {
            await options.readWhen();
            if (stopped) continue;
          }
          const entries = await log.read(next, maxBatch, options.maxBatchBytes ?? MAX_BATCH_BYTES);
          const batch = entries.map((e) => messageOf(topic, e));
          const first = next;
          next = batch[batch.length - 1].offset + 1;
          const done = handler(batch, next < log.end);
          const entry = { first, next, done, handled: false };
          done.then(
            () => {
              entry.handled = true;
            },
            () => undefined,
          );
          pending.push(entry);
          continue;
        }
        const head = pending[0];
        if (!head) {
          await sleep(null);
          continue;
        }
        try {
          await head.done;
        } catch (err) {
          await Promise.allSettled(pending.map((p) => p.done));
          pending.length = 0;
          next = head.first;
          const delay = failures.failed(err);
          this.opts.warn(
            `handler of group "${group}" on ${topic} failed at offset ${head.first} (attempt ${failures.attempt}: ${reasonOf(err)}); ` +
              `delivering from there again in ${delay} ms, and again until it is handled or the subscription stops (fix the store or the handler)`,
          );
          await wait(delay, stopping.signal);
          continue;
        }
        failures.reset();
        pending.shift();
        // The batches after it whose handlers are done too commit with it, in one write of the offsets: a store that
        // groups commits settles hundreds of batches at once, and one write each (with its fsync, in turn) took 0.7 s
        // after the last commit of a 200,000-post import before the import counted as stored.
        let upTo = head.next;
        while (pending[0]?.handled) {
          upTo = pending[0].next;
          pending.shift();
        }
        await this.commit(topic, group, upTo);
      }
      await Promise.allSettled(pending.map((p) => p.done));
    })();

    const sub: Subscription = {
      failing: () => failures.failing,
      stop: async () => {
        stopped = true;
        stopping.abort();
        unlisten();
        wake?.();
        await loop;
        this.subs.delete(sub);
      },
    };
    this.subs.add(sub);
    return sub;
  }

  async close(): Promise<void> {
    for (const s of [...this.subs]) await s.stop();
    this.closed = true;
    await this.offsetWrite;
    for (const t of this.topics.values()) await (await t).close();
    this.topics.clear();
  }
}

/** A log entry as the bus hands it out (one partition); its text is decoded only if someone reads `value`. */
function messageOf(topic: string, e: LogEntry): BusMessage {
  return messageOfBytes(
    {
      topic,
      partition: 0,
      offset: e.offset,
      position: e.position,
      key: e.key,
      origin: e.origin,
      timestamp: e.timestamp,
    },
    e.valueBytes,
  );
}
