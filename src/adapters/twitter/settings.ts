// Settings of the Twitter v1.1 streaming source (--source twitter-v1); the credentials come from the environment.

import { z } from 'zod';
import { group, int, setting } from '../../config/setting.js';

export const TWITTER_SETTINGS = group('Twitter v1.1 (--source twitter-v1)', {
  twitterStreamUrl: setting(
    '--twitter-stream-url',
    'the v1.1 filter endpoint (credentials: VIGIL_TWITTER_CONSUMER_KEY, _CONSUMER_SECRET, _TOKEN, _TOKEN_SECRET)',
    z.string().url('must be a URL').default('https://stream.twitter.com/1.1/statuses/filter.json'),
  ),
  streamStallMs: setting(
    '--stream-stall-ms',
    'a Twitter v1.1 or X stream silent this long (not even a keep-alive) is dropped and reconnected',
    int(100, 3_600_000).default(90_000),
  ),
});
