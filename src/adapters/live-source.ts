// What every live source keeps for its status: state and since when, lines read, reconnects, the last detail, and a
// promise that resolves once it has stopped. Each source (HTTP stream, Jetstream, Mastodon) adds its connection.

import type { Source, SourceStatus } from '../core/ports.js';

/** Doubling delays from `min` up to `max` for the n-th failure in a row (1-based). */
export function doublingDelay(n: number, [min, max]: [number, number]): number {
  return Math.min(max, min * 2 ** (n - 1));
}

export abstract class LiveSource implements Source {
  abstract readonly name: string;
  protected state: SourceStatus['state'] = 'starting';
  protected since = new Date().toISOString();
  protected linesRead = 0;
  protected reconnects = 0;
  protected detail: string | undefined;
  private resolveDone!: () => void;
  private readonly doneP = new Promise<void>((r) => (this.resolveDone = r));

  abstract start(emit: (lines: string[]) => Promise<void>): Promise<void>;
  abstract stop(): Promise<void>;

  protected setState(s: SourceStatus['state']): void {
    if (this.state === s) return;
    this.state = s;
    this.since = new Date().toISOString();
  }

  /** Counts a reconnect and schedules it after the doubling delay for the n-th failure in a row. */
  protected retryLater(failures: number, backoff: [number, number], onReconnect: (() => void) | undefined, reconnect: () => void): NodeJS.Timeout {
    this.reconnects++;
    onReconnect?.();
    const delay = doublingDelay(failures, backoff);
    this.setState('starting');
    this.detail = `${this.detail ?? 'disconnected'}; reconnecting in ${delay} ms`;
    return setTimeout(reconnect, delay);
  }

  /** Marks the source stopped for good. */
  protected stopped_(): void {
    this.setState('stopped');
    this.resolveDone();
  }

  done(): Promise<void> {
    return this.doneP;
  }

  status(): SourceStatus {
    return { source: this.name, state: this.state, since: this.since, linesRead: this.linesRead, detail: `${this.detail ?? ''}${this.reconnects > 0 ? ` · ${this.reconnects} reconnects` : ''}`.trim() };
  }

  reconnectCount(): number {
    return this.reconnects;
  }
}

export interface LineBatcherOptions {
  emit: (lines: string[]) => Promise<void>;
  /** A batch is handed on after this long, or at once when it has `maxBatch` lines. */
  batchMs: number;
  maxBatch: number;
  /** After a batch is published (count it, save a cursor …). */
  published: (lines: string[]) => Promise<void> | void;
  /** A batch could not be published: it was put back in front; say so (and reconnect, or wait). */
  failed: (err: Error) => void;
  /** When set, a batch put back is tried again after this long. */
  retryMs?: number;
}

/** Collects the lines a connection receives and hands them on in order, one batch at a time. */
export class LineBatcher {
  private buffer: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: LineBatcherOptions) {}

  push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length >= this.o.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.o.batchMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    this.chain = this.chain
      .then(async () => {
        await this.o.emit(lines);
        await this.o.published(lines);
      })
      .catch((err: Error) => {
        this.buffer = [...lines, ...this.buffer];
        this.o.failed(err);
        if (this.o.retryMs !== undefined) this.timer ??= setTimeout(() => this.flush(), this.o.retryMs);
      });
  }

  /** Hands on what is buffered and resolves once every batch so far is published (or put back); no more retries. */
  async drain(): Promise<void> {
    this.flush();
    await this.chain;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
