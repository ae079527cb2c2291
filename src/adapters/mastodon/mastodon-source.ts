// A Mastodon instance's streaming API as a live source: a WebSocket to /api/v1/streaming with the public (or local,
// or one hashtag's) stream, an optional access token; each message ({"stream", "event", "payload"}) is passed on
// unchanged and the classifier turns `update` events into rows (HTML content as text) and counts `delete`s.
// Mastodon keeps no cursor: a disconnect is reconnected with backoff, and what was posted meanwhile is not replayed.

import WebSocket from 'ws';
import { MAX_LINE_BYTES } from '../../core/line-limits.js';
import { LineBatcher, LiveSource, messageBytes, reconnectBackoff } from '../live-source.js';

export interface MastodonOptions {
  /** The instance, e.g. https://mastodon.social. */
  instance: string;
  /** public, public:local, or hashtag:TAG. */
  stream: string;
  token?: string;
  stallMs?: number;
  /** Reconnect delays: doubling from the first up to the second, ±20 % jitter (defaults 1 s, 60 s). */
  backoffMs?: [number, number];
  batchMs?: number;
  onReconnect?: () => void;
}

/** The streaming URL for a stream name: public, public:local, hashtag:TAG (hashtag:local:TAG too). */
export function mastodonStreamUrl(instance: string, stream: string): string {
  const u = new URL('/api/v1/streaming', instance.replace(/^http/u, 'ws'));
  const [kind, ...rest] = stream.split(':');
  if (kind === 'hashtag') {
    const local = rest[0] === 'local';
    u.searchParams.set('stream', local ? 'hashtag:local' : 'hashtag');
    u.searchParams.set('tag', (local ? rest.slice(1) : rest).join(':'));
  } else u.searchParams.set('stream', stream === 'public:local' ? 'public:local' : 'public');
  return u.toString();
}

export class MastodonSource extends LiveSource<Buffer> {
  readonly name = 'mastodon';
  private failures = 0;
  private stopped = false;
  private ws: WebSocket | null = null;
  private batcher: LineBatcher<Buffer> | null = null;
  private timers: { stall?: NodeJS.Timeout; retry?: NodeJS.Timeout } = {};

  constructor(private readonly options: MastodonOptions) {
    super();
  }

  async start(emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    this.batcher = new LineBatcher({
      emit,
      batchMs: this.options.batchMs ?? 200,
      maxBatch: 500,
      published: (lines) => {
        this.linesRead += lines.length;
      },
      // Mastodon keeps no cursor to resume from, so the batch stays here and is published again, with backoff.
      failed: (err, attempt) => {
        this.detail = `publishing failed (attempt ${attempt}): ${err.message}`;
      },
      retry: { minMs: 1000, maxMs: 30_000, jitter: 0.2 },
    });
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    const batcher = this.batcher;
    if (!batcher) throw new Error('connect() runs after start(), which makes the batcher');
    const ws = new WebSocket(mastodonStreamUrl(this.options.instance, this.options.stream), {
      headers: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
      handshakeTimeout: 10_000,
      // A message over the longest line Vigil reads closes the connection (ws's error says so) instead of filling memory.
      maxPayload: MAX_LINE_BYTES,
    });
    this.ws = ws;
    const arm = (): void => {
      clearTimeout(this.timers.stall);
      this.timers.stall = setTimeout(() => {
        this.detail = `no message for ${this.options.stallMs ?? 120_000} ms (stall)`;
        ws.terminate();
      }, this.options.stallMs ?? 120_000);
    };
    ws.on('open', () => {
      this.setState('running');
      this.detail = `${this.options.stream} on ${this.options.instance}`;
      arm();
    });
    ws.on('ping', arm);
    ws.on('unexpected-response', (_req, res) => {
      this.detail = `HTTP ${res.statusCode}${res.statusCode === 401 ? ' (check the access token)' : ''}`;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.failures = 0;
      arm();
      batcher.push(messageBytes(data));
    });
    ws.on('error', (err) => {
      this.detail ??= err.message;
    });
    ws.on('close', () => {
      clearTimeout(this.timers.stall);
      batcher.flush();
      if (this.stopped) return;
      this.failures++;
      this.timers.retry = this.retryLater(this.failures, reconnectBackoff(this.options.backoffMs ?? [1000, 60_000]), this.options.onReconnect, () => {
        this.detail = undefined;
        this.connect();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of Object.values(this.timers)) clearTimeout(t);
    this.ws?.terminate();
    await this.batcher?.drain();
    this.markStopped();
  }
}
