// Bluesky Jetstream as a live source (no credentials): a WebSocket to .../subscribe?wantedCollections=app.bsky.feed.post
// whose messages are JSON lines passed on unchanged. Each event's `time_us` is its cursor: after a batch is published
// the cursor is saved, and every (re)connection asks for `cursor` minus a rewind of a few seconds, so a disconnect, a
// stall or a restart leaves no gap (the overlap is stored once: rows are idempotent). Jetstream filters by collection
// only; Vigil classifies every post itself.

import WebSocket from 'ws';
import { MAX_LINE_BYTES } from '../../core/line-limits.js';
import { readJsonOr, writeJsonAtomic } from '../../util/atomic-file.js';
import { LineBatcher, LiveSource, messageBytes, reconnectBackoff } from '../live-source.js';

export const JETSTREAM_DEFAULT_URL = 'wss://jetstream2.us-east.bsky.network/subscribe';

export interface JetstreamOptions {
  url: string;
  /** Where the cursor is kept between runs. */
  cursorFile: string;
  collections?: string[];
  /** Only these repositories (DIDs), Jetstream's `wantedDids`; empty or absent: every account. */
  wantedDids?: string[];
  /** No message for this long counts as a stall: the connection is dropped and opened again (default 60 s). */
  stallMs?: number;
  /** How far before the saved cursor a new connection starts, in microseconds (default 2 s). */
  rewindUs?: number;
  /** Reconnect delays: doubling from the first up to the second, ±20 % jitter (defaults 250 ms, 30 s). */
  backoffMs?: [number, number];
  /** A batch is handed on after this long or this many lines (defaults 200 ms, 500). */
  batchMs?: number;
  maxBatch?: number;
  onReconnect?: () => void;
}

const TIME_US = /"time_us"\s*:\s*(\d{1,20})/u;
const TIME_US_KEY = Buffer.from('"time_us"');

/** An event's `time_us` (its cursor), read from its bytes around the first `"time_us"` only; 0 when it has none. */
export function timeUsOf(line: Buffer): number {
  const at = line.indexOf(TIME_US_KEY);
  return at === -1 ? 0 : Number(TIME_US.exec(line.toString('utf8', at, at + 64))?.[1] ?? 0);
}

export class JetstreamSource extends LiveSource<Buffer> {
  readonly name = 'jetstream';
  private cursor: number | null = null;
  private ws: WebSocket | null = null;
  private stopped = false;
  private batcher: LineBatcher<Buffer> | null = null;
  private timers: { stall?: NodeJS.Timeout; retry?: NodeJS.Timeout } = {};
  private failures = 0;

  constructor(private readonly options: JetstreamOptions) {
    super();
  }

  /** The URL of the next connection: collections, and the cursor rewound a little. */
  connectUrl(): string {
    const u = new URL(this.options.url);
    for (const c of this.options.collections ?? ['app.bsky.feed.post']) u.searchParams.append('wantedCollections', c);
    for (const d of this.options.wantedDids ?? []) u.searchParams.append('wantedDids', d);
    if (this.cursor !== null) u.searchParams.set('cursor', String(Math.max(0, this.cursor - (this.options.rewindUs ?? 2_000_000))));
    return u.toString();
  }

  async start(emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    this.batcher = new LineBatcher({
      emit,
      batchMs: this.options.batchMs ?? 200,
      maxBatch: this.options.maxBatch ?? 500,
      published: (lines) => this.published(lines),
      // Not published: the batch waits in front, and the connection starts again from the saved cursor.
      failed: (err) => {
        this.detail = `publishing failed: ${err.message}`;
        this.ws?.terminate();
      },
    });
    const saved = await readJsonOr<{ cursor?: number }>(this.options.cursorFile, {});
    this.cursor = typeof saved.cursor === 'number' ? saved.cursor : null;
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const batcher = this.batcher;
    if (!batcher) throw new Error('connect() runs after start(), which makes the batcher');
    // A message over the longest line Vigil reads closes the connection (ws's error says so) instead of filling memory.
    const ws = new WebSocket(this.connectUrl(), { handshakeTimeout: 10_000, maxPayload: MAX_LINE_BYTES });
    this.ws = ws;
    ws.on('open', () => {
      this.setState('running');
      this.detail = this.cursor === null ? 'live from now' : `from cursor ${this.cursor}`;
      this.armStall();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.failures = 0;
      this.armStall();
      batcher.push(messageBytes(data));
    });
    ws.on('error', (err) => {
      this.detail = err.message;
    });
    ws.on('close', () => {
      clearTimeout(this.timers.stall);
      if (this.ws === ws) this.ws = null;
      batcher.flush();
      if (this.stopped) return;
      this.failures++;
      // The new connection asks for the saved cursor: it waits for the batch in hand to be published (and its cursor
      // saved), or it would ask for an older one and receive again what was already published.
      this.timers.retry = this.retryLater(this.failures, reconnectBackoff(this.options.backoffMs ?? [250, 30_000]), this.options.onReconnect, () => {
        void batcher.settled().then(() => this.connect());
      });
    });
  }

  private armStall(): void {
    clearTimeout(this.timers.stall);
    this.timers.stall = setTimeout(() => {
      this.detail = `no message for ${this.options.stallMs ?? 60_000} ms (stall)`;
      this.ws?.terminate();
    }, this.options.stallMs ?? 60_000);
  }

  /** After a batch is published: count it, and save the cursor (the newest time_us in it). */
  private async published(lines: Buffer[]): Promise<void> {
    this.linesRead += lines.length;
    let max = this.cursor ?? 0;
    for (const l of lines) {
      const t = timeUsOf(l);
      if (t > max) max = t;
    }
    if (max > 0) {
      this.cursor = max;
      await writeJsonAtomic(this.options.cursorFile, { cursor: max });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of Object.values(this.timers)) clearTimeout(t);
    this.ws?.close(1000, 'vigil stopping');
    this.ws?.terminate();
    await this.batcher?.drain();
    this.markStopped();
  }
}
