// A live source over a long-lived HTTP response of `\r\n`-delimited JSON messages with blank keep-alive lines, as
// Twitter's v1.1 filter stream and X's v2 filtered stream send. Messages are passed on unchanged; a message cut off by
// the end of the stream is passed on too (it becomes a reject, kept); one longer than the limit is cut. Reconnects
// follow Twitter's documented backoff: network errors and stalls linearly from 250 ms up to 16 s, HTTP errors
// exponentially from 5 s up to 320 s, and 420/429 exponentially from 1 minute.

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

export class DelimitedStreamSource extends LiveSource {
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
    private readonly o: StreamOptions = {},
  ) {
    super();
  }

  async start(emit: (lines: string[]) => Promise<void>): Promise<void> {
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

  private async run(emit: (lines: string[]) => Promise<void>): Promise<void> {
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
        if (failure === 'network' && this.detail === undefined) this.detail = (err as Error).message;
      }
      if (this.stopped) break;
      this.failures = this.failures.kind === failure ? { kind: failure, n: this.failures.n + 1 } : { kind: failure, n: 1 };
      const delay = reconnectDelay(failure, this.failures.n, this.o.backoff);
      this.countReconnect(delay, this.o.onReconnect);
      // stop() aborts this connection's signal, which ends the wait at once.
      await wait(delay, this.abort.signal);
      this.detail = undefined;
    }
    await this.emitChain;
  }

  /** Reads `\r\n`-delimited messages; a blank line is a keep-alive; no data for stallMs drops the connection. */
  private async read(stream: ReadableStream<Uint8Array>, emit: (lines: string[]) => Promise<void>): Promise<void> {
    const decoder = new TextDecoder();
    const max = this.o.maxMessageBytes ?? 8 << 20;
    let buf = '';
    let skipping = false;
    let stall: NodeJS.Timeout | undefined;
    const armStall = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        this.detail = `no data for ${this.o.stallMs ?? 90_000} ms (stall)`;
        this.abort?.abort();
      }, this.o.stallMs ?? 90_000);
    };
    armStall();
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armStall();
        buf += decoder.decode(value, { stream: true });
        const parts = buf.split('\r\n');
        buf = parts.pop() ?? '';
        const lines: string[] = [];
        for (const p of parts) {
          if (skipping) {
            skipping = false;
            continue;
          }
          if (p.trim() !== '') lines.push(p);
        }
        if (buf.length > max) {
          lines.push(buf.slice(0, max));
          buf = '';
          skipping = true;
        }
        if (lines.length > 0) {
          this.linesRead += lines.length;
          this.failures = { kind: 'network', n: 0 };
          this.emitChain = this.emitChain.then(() => emit(lines));
          await this.emitChain;
        }
      }
      if (buf.trim() !== '' && !skipping) {
        // A message cut off by the end of the stream: passed on, so it is kept as a reject with its reason.
        this.linesRead++;
        this.emitChain = this.emitChain.then(() => emit([buf]));
        await this.emitChain;
      }
    } finally {
      clearTimeout(stall);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
    this.stopped_();
  }
}
