// What every live source keeps for its status: state and since when, lines read, the reconnects it counted itself,
// the last detail, and a promise that resolves once it has stopped. Each source (HTTP stream, Jetstream, Mastodon)
// adds its connection.

import type { Source, SourceStatus } from '../core/ports.js';
import { Backoff, type BackoffOptions, backoffDelay } from '../util/retry.js';

/**
 * The reconnect schedule of a WebSocket source from its `[first, max]` option: doubling, with ±20 % jitter so that
 * the trackers of many installs dropped by the same outage do not all knock again in the same millisecond.
 */
export function reconnectBackoff([minMs, maxMs]: [number, number]): BackoffOptions {
  return { growth: 'exponential', minMs, maxMs, jitter: 0.2 };
}

/** `Line` is what the source hands on: the bytes of each message as received, or text. */
export abstract class LiveSource<Line extends string | Buffer = string> implements Source<Line> {
  abstract readonly name: string;
  protected state: SourceStatus['state'] = 'starting';
  protected since = new Date().toISOString();
  protected linesRead = 0;
  protected reconnects = 0;
  private dropped: { at: string; detail: string } | undefined;
  protected detail: string | undefined;
  private resolveDone!: () => void;
  private readonly doneP = new Promise<void>((r) => (this.resolveDone = r));

  abstract start(emit: (lines: Line[]) => Promise<void>): Promise<void>;
  abstract stop(): Promise<void>;

  protected setState(s: SourceStatus['state']): void {
    if (this.state === s) return;
    this.state = s;
    this.since = new Date().toISOString();
  }

  /** Counts a reconnect and schedules it after the schedule's delay for the n-th failure in a row. */
  protected retryLater(failures: number, schedule: BackoffOptions, onReconnect: (() => void) | undefined, reconnect: () => void): NodeJS.Timeout {
    const delay = backoffDelay(failures, schedule);
    this.countReconnect(delay, onReconnect);
    return setTimeout(reconnect, delay);
  }

  /** The source counts its own reconnects (status, coverage); `onReconnect` is the owner's hook (a metric). */
  protected countReconnect(delayMs: number, onReconnect: (() => void) | undefined): void {
    this.reconnects++;
    this.dropped = { at: new Date().toISOString(), detail: this.detail ?? 'connection lost' };
    onReconnect?.();
    this.setState('starting');
    this.detail = `${this.detail ?? 'disconnected'}; reconnecting in ${delayMs} ms`;
  }

  /** Marks the source stopped for good. */
  protected markStopped(): void {
    this.setState('stopped');
    this.resolveDone();
  }

  done(): Promise<void> {
    return this.doneP;
  }

  status(): SourceStatus {
    return {
      source: this.name,
      state: this.state,
      since: this.since,
      linesRead: this.linesRead,
      reconnects: this.reconnects,
      detail: `${this.detail ?? ''}${this.reconnects > 0 ? ` · ${this.reconnects} reconnects` : ''}`.trim(),
    };
  }

  /** When and why the connection last dropped (the reconnect counted then). */
  lastDrop(): { at: string; detail: string } | undefined {
    return this.dropped;
  }

  /** Connections re-opened after a failure since this source was made. */
  reconnectCount(): number {
    return this.reconnects;
  }
}

/**
 * A WebSocket text message's bytes as received (decoded once, where parsed): `ws` gives one Buffer, or its
 * fragments or an ArrayBuffer under other binary types.
 */
export function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

export interface LineBatcherOptions<Line> {
  emit: (lines: Line[]) => Promise<void>;
  /** A batch is handed on after this long, or at once when it has `maxBatch` lines. */
  batchMs: number;
  maxBatch: number;
  /** After a batch is published (count it, save a cursor …). */
  published: (lines: Line[]) => Promise<void> | void;
  /** A batch could not be published: it was put back in front; say so (and reconnect, or wait). `attempt`: failures in a row. */
  failed: (err: Error, attempt: number) => void;
  /** When set, a batch put back is tried again after this schedule's delay for the failures in a row. */
  retry?: BackoffOptions;
}

/** Collects the lines a connection receives and hands them on in order, one batch at a time. */
export class LineBatcher<Line = string> {
  private buffer: Line[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly failures: Backoff | null;

  constructor(private readonly options: LineBatcherOptions<Line>) {
    this.failures = options.retry ? new Backoff(options.retry) : null;
  }

  push(line: Line): void {
    this.buffer.push(line);
    if (this.buffer.length >= this.options.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.batchMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    this.chain = this.chain
      .then(async () => {
        await this.options.emit(lines);
        this.failures?.reset();
        await this.options.published(lines);
      })
      .catch((err: Error) => {
        this.buffer = [...lines, ...this.buffer];
        const delay = this.failures?.next();
        this.options.failed(err, this.failures?.attempt ?? 1);
        if (delay !== undefined) this.timer ??= setTimeout(() => this.flush(), delay);
      });
  }

  /** Resolves once every batch handed on so far is published or put back (retries stay scheduled). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Hands on what is buffered and resolves once every batch so far is published (or put back); no more retries. */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
