// Twitter API v1.1 statuses/filter: a signed (OAuth 1.0a) POST with `track`, `follow` and `locations` (and stall warnings), read as a
// delimited stream; posts and notices (`limit`, `disconnect`, `warning`) are passed on unchanged.

import { DelimitedStreamSource, type StreamOptions } from '../http-stream/delimited-stream-source.js';
import { type OAuth1Credentials, oauth1Header } from './oauth1.js';

export { type Backoff, reconnectDelay, TWITTER_BACKOFF } from '../http-stream/delimited-stream-source.js';

export const TWITTER_FILTER_URL = 'https://stream.twitter.com/1.1/statuses/filter.json';

export interface TwitterStreamOptions extends StreamOptions {
  url?: string;
  credentials: OAuth1Credentials;
  track: string[];
  /** User ids (posts by, retweeting, replying to them). */
  follow?: string[];
  /** Boxes [west, south, east, north]. */
  locations?: [number, number, number, number][];
}

export class TwitterStreamSource extends DelimitedStreamSource {
  constructor(o: TwitterStreamOptions) {
    const url = o.url ?? TWITTER_FILTER_URL;
    const body: Record<string, string> = { stall_warnings: 'true' };
    if (o.track.length > 0) body.track = o.track.join(',');
    if (o.follow && o.follow.length > 0) body.follow = o.follow.join(',');
    if (o.locations && o.locations.length > 0) body.locations = o.locations.flat().join(',');
    super(
      'twitter-v1',
      (signal) =>
        fetch(url, {
          method: 'POST',
          headers: { authorization: oauth1Header('POST', url, body, o.credentials), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(body).toString(),
          signal,
        }),
      `tracking ${o.track.length} phrases, ${o.follow?.length ?? 0} accounts, ${o.locations?.length ?? 0} boxes`,
      o,
    );
  }
}
