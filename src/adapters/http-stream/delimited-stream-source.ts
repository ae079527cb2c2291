// A live source over a long-lived HTTP response of `\r\n`-delimited JSON messages with blank keep-alive lines, as
// Twitter's v1.1 filter stream and X's v2 filtered stream send. Messages are passed on unchanged, as the bytes
// received (decoded once, where they are parsed); a message cut off by the end of the stream is passed on too (it
// becomes a reject, kept); one longer than the limit is cut to it, the rest of it dropped. Reconnects
// follow Twitter's documented backoff: network errors and stalls linearly from 250 ms up to 16 s, HTTP errors
// exponentially from 5 s up to 320 s, and 420/429 exponentially from 1 minute.

import { errorMessage } from '../../core/errors.js';
import { isBlankLine } from '../../core/line-bytes.js';
import { MAX_LINE_BYTES } from '../../core/line-limits.js';
import { type BackoffOptions, backoffDelay, wait } from '../../util/retry.js';
import { LiveSource } from '../live-source.js';

export interface Backoff {
  networkStepMs: number;
  networkMaxMs: number;
  httpStartMs: number;
  httpMaxMs: number;
  rateLimitStartMs: number;
}

export const TWITTER_BACKOFF: Backoff = { networkStepMs: 250, networkMaxMs: 16_000, httpStartMs: 5000, httpMaxMs: 320_000, rateLimitStartMs: 60_000 };

export type FailureKind = 'network' | 'http' | 'rate-limit';

/** Twitter's schedule for a kind of failure, exactly as documented (no jitter; 420/429 have no documented cap). */
export function reconnectSchedule(kind: FailureKind, b: Backoff = TWITTER_BACKOFF): BackoffOptions {
  if (kind === 'network') return { growth: 'linear', minMs: b.networkStepMs, maxMs: b.networkMaxMs };
  if (kind === 'http') return { growth: 'exponential', minMs: b.httpStartMs, maxMs: b.httpMaxMs };
  return { growth: 'exponential', minMs: b.rateLimitStartMs };
}

/** The delay before reconnect attempt `n` (1-based) after a failure of the given kind. */
export function reconnectDelay(kind: FailureKind, n: number, b: Backoff = TWITTER_BACKOFF): number {
  return backoffDelay(n, reconnectSchedule(kind, b));
}

export interface StreamOptions {
  /** No data (not even a keep-alive) for this long is a stall (default 90 s). */
  stallMs?: number;
  backoff?: Backoff;
  /** Longest message kept whole; a longer one is cut to this and passed on (it will be a reject, kept). */
  maxMessageBytes?: number;
  onReconnect?: () => void;
  batchMs?: number;
}

export class DelimitedStreamSource extends LiveSource<Buffer> {
  private stopped = false;
  private abort: AbortController | null = null;
  private failures = { kind: 'network' as FailureKind, n: 0 };
  private emitChain: Promise<void> = Promise.resolve();
  private readyWaiters: (() => void)[] = [];
  private loop: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    /** Opens one connection (a fresh signature each time). */
    private readonly open: (signal: AbortSignal) => Promise<Response>,
    /** What the connection does, for the status (e.g. "tracking 12 phrases"). */
    private readonly describe: string,
    private readonly options: StreamOptions = {},
  ) {
    super();
  }

  async start(emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    this.loop = this.run(emit);
  }

  /** Resolves once the stream answered 200 and is delivering (for make-before-break). */
  connected(timeoutMs = 30_000): Promise<void> {
    if (this.state === 'running') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not connected within ${timeoutMs} ms: ${this.detail ?? 'no answer'}`)), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private async run(emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    while (!this.stopped) {
      this.abort = new AbortController();
      let failure: FailureKind = 'network';
      try {
        const res = await this.open(this.abort.signal);
        if (res.status !== 200) {
          failure = res.status === 420 || res.status === 429 ? 'rate-limit' : 'http';
          this.detail = `HTTP ${res.status}${res.status === 401 ? ' (check the credentials)' : ''}: ${(await res.text().catch(() => '')).slice(0, 200)}`;
          throw new Error(this.detail);
        }
        this.setState('running');
        this.detail = this.describe;
        for (const w of this.readyWaiters.splice(0)) w();
        if (!res.body) throw new Error('the stream answered 200 without a body');
        await this.read(res.body, emit);
        this.detail = 'the stream ended';
      } catch (err) {
        if (this.stopped) break;
        if (failure === 'network' && this.detail === undefined) this.detail = errorMessage(err);
      }
      if (this.stopped) break;
      this.failures = this.failures.kind === failure ? { kind: failure, n: this.failures.n + 1 } : { kind: failure, n: 1 };
      const delay = reconnectDelay(failure, this.failures.n, this.options.backoff);
      this.countReconnect(delay, this.options.onReconnect);
      // stop() aborts this connection's signal, which ends the wait at once.
      await wait(delay, this.abort.signal);
      this.detail = undefined;
    }
    await this.emitChain;
  }

  /** Reads `\r\n`-delimited messages; a blank line is a keep-alive; no data for stallMs drops the connection. */
  private async read(stream: ReadableStream<Uint8Array>, emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    const messages = new MessageSplitter(this.options.maxMessageBytes ?? MAX_LINE_BYTES);
    let stall: NodeJS.Timeout | undefined;
    const armStall = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        this.detail = `no data for ${this.options.stallMs ?? 90_000} ms (stall)`;
        this.abort?.abort();
      }, this.options.stallMs ?? 90_000);
    };
    const hand = async (lines: Buffer[]): Promise<void> => {
      this.linesRead += lines.length;
      this.emitChain = this.emitChain.then(() => emit(lines));
      await this.emitChain;
    };
    armStall();
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armStall();
        const lines = messages.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        if (lines.length > 0) {
          this.failures = { kind: 'network', n: 0 };
          await hand(lines);
        }
      }
      // A message cut off by the end of the stream: passed on, so it is kept as a reject with its reason.
      const last = messages.end();
      if (last) await hand([last]);
    } finally {
      clearTimeout(stall);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
    this.markStopped();
  }
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Splits received bytes into `\r\n`-delimited messages, wherever the chunks were cut; blank lines (keep-alives) are
 * left out. Each message is a copy of its own (a slice would keep the whole received chunk alive). A message longer
 * than `max` bytes is cut to its first `max` bytes and the rest of it, however long, dropped.
 */
export class MessageSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Within a message already cut: its bytes up to the next delimiter are dropped. */
  private skipping = false;
  /** The last chunk ended with a carriage return: a line feed starting the next one completes the delimiter. */
  private crLast = false;

  constructor(private readonly max: number) {}

  /** The messages this chunk completes. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let start = 0;
    if (this.crLast && chunk[0] === LF) {
      const tail = this.pending.at(-1);
      if (tail) {
        this.pending[this.pending.length - 1] = tail.subarray(0, tail.length - 1);
        this.pendingBytes--;
      }
      this.finish(out, Buffer.alloc(0));
      start = 1;
    }
    if (chunk.length > 0) this.crLast = chunk[chunk.length - 1] === CR;
    for (let at = chunk.indexOf('\r\n', start); at !== -1; at = chunk.indexOf('\r\n', start)) {
      this.finish(out, chunk.subarray(start, at));
      start = at + 2;
    }
    if (start < chunk.length) this.keep(out, chunk.subarray(start));
    return out;
  }

  /** What was left after the last delimiter when the stream ended (null when nothing, blank or the rest of a cut message). */
  end(): Buffer | null {
    const out: Buffer[] = [];
    if (this.pendingBytes > 0) this.finish(out, Buffer.alloc(0));
    return out[0] ?? null;
  }

  private keep(out: Buffer[], bytes: Buffer): void {
    if (this.skipping) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.max) {
      out.push(Buffer.concat(this.pending, this.pendingBytes).subarray(0, this.max));
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
    }
  }

  private finish(out: Buffer[], lastPart: Buffer): void {
    const skipped = this.skipping;
    this.skipping = false;
    const line = this.pendingBytes > 0 ? Buffer.concat([...this.pending, lastPart]) : Buffer.from(lastPart);
    this.pending = [];
    this.pendingBytes = 0;
    if (skipped) return;
    if (line.length > this.max) {
      out.push(line.subarray(0, this.max));
      return;
    }
    if (!isBlankLine(line)) out.push(line);
  }
}
