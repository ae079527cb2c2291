// X API v2 filtered stream: the event keywords live on X as stream rules (tagged with the event name, only the
// difference sent on a change, so the connection stays up), and one bearer-token connection delivers the matching
// posts with their users, media and places as `includes` and the `matching_rules`, read as a delimited stream.

import type { VigilEvent } from '../../core/event.js';
import { diffRules, type ExistingRule, rulesFor, type XRule } from '../../core/x-rules.js';
import { reasonOf } from '../../util/retry.js';
import { DelimitedStreamSource, type FailureKind, reconnectDelay, type StreamOptions } from '../http-stream/delimited-stream-source.js';

export const X_API_URL = 'https://api.x.com';

/** Expansions and fields asked for, so a post arrives with what the tweet row needs. */
export const X_STREAM_QUERY = new URLSearchParams({
  expansions: 'author_id,referenced_tweets.id,referenced_tweets.id.author_id,entities.mentions.username,attachments.media_keys,geo.place_id',
  'tweet.fields': 'created_at,lang,public_metrics,entities,geo,referenced_tweets,attachments,note_tweet,author_id',
  'user.fields': 'created_at,description,location,public_metrics,url,username,name',
  'media.fields': 'url,preview_image_url,type',
  'place.fields': 'full_name,geo,country_code',
}).toString();

/** An answer other than 2xx from X's API, with its status for the caller to act on. */
export class XApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'XApiError';
  }
}

export class XRulesClient {
  constructor(
    private readonly base: string,
    private readonly bearer: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new XApiError(`X rules endpoint answered ${res.status}: ${text.slice(0, 300)}`, res.status);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async list(): Promise<ExistingRule[]> {
    const r = await this.call<{ data?: ExistingRule[] }>('GET', '/2/tweets/search/stream/rules');
    return (r.data ?? []).map((x) => ({ id: x.id, value: x.value, tag: x.tag ?? '' }));
  }

  /** Makes the rules on X the wanted ones, sending only the difference. */
  async sync(wanted: XRule[]): Promise<{ added: number; deleted: number }> {
    const { add, deleteIds } = diffRules(await this.list(), wanted);
    if (deleteIds.length > 0) await this.call('POST', '/2/tweets/search/stream/rules', { delete: { ids: deleteIds } });
    if (add.length > 0) await this.call('POST', '/2/tweets/search/stream/rules', { add });
    return { added: add.length, deleted: deleteIds.length };
  }
}

/**
 * Keeps the rules on X in step with the events, checking every `pollMs`. After X failed, the next tries wait as
 * Twitter documents for its streams (network errors 250 ms more each time up to 16 s, HTTP errors 5 s doubling to
 * 320 s, a 429 from 1 minute doubling) rather than knocking at every poll.
 */
export class XRuleSync {
  private timer: NodeJS.Timeout | null = null;
  private last = '';
  private chain: Promise<void> = Promise.resolve();
  /** Failures in a row of one kind (a new kind starts its own schedule, as the stream source does). */
  private failures: { kind: FailureKind; n: number } = { kind: 'network', n: 0 };
  private notBefore = 0;

  constructor(
    private readonly client: XRulesClient,
    private readonly events: () => Promise<VigilEvent[]>,
    private readonly onError: (m: string) => void,
  ) {}

  async start(pollMs = 1000): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), pollMs);
  }

  tick(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (performance.now() < this.notBefore) return;
      let wanted: XRule[];
      try {
        wanted = rulesFor(await this.events());
      } catch (err) {
        this.onError(reasonOf(err)); // our own event list: tried again at the next poll
        return;
      }
      const key = JSON.stringify(wanted);
      if (key === this.last) return;
      try {
        await this.client.sync(wanted);
        this.last = key;
        this.failures = { kind: 'network', n: 0 };
      } catch (err) {
        const kind: FailureKind = !(err instanceof XApiError) ? 'network' : err.status === 429 ? 'rate-limit' : 'http';
        this.failures = { kind, n: this.failures.kind === kind ? this.failures.n + 1 : 1 };
        const delay = reconnectDelay(kind, this.failures.n);
        this.notBefore = performance.now() + delay;
        this.onError(`${reasonOf(err)} (attempt ${this.failures.n}; trying again in ${delay} ms)`);
      }
    });
    return this.chain;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
  }
}

export interface XStreamOptions extends StreamOptions {
  base?: string;
  bearer: string;
}

export class XStreamSource extends DelimitedStreamSource {
  constructor(o: XStreamOptions) {
    const url = `${o.base ?? X_API_URL}/2/tweets/search/stream?${X_STREAM_QUERY}`;
    super('x-v2', (signal) => fetch(url, { headers: { authorization: `Bearer ${o.bearer}` }, signal }), 'filtered stream (rules per event)', {
      stallMs: 30_000,
      ...o,
    });
  }
}
