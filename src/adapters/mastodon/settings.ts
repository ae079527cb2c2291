// Settings of the Mastodon streaming source (--source mastodon).

import { z } from 'zod';
import { group, setting } from '../../config/setting.js';

export const MASTODON_SETTINGS = group('Mastodon (--source mastodon)', {
  mastodonUrl: setting(
    '--mastodon-url',
    'the instance (optional token: VIGIL_MASTODON_TOKEN)',
    z
      .string()
      .regex(/^https?:\/\/\S+$/u, 'must be the instance URL, like https://mastodon.social')
      .default('https://mastodon.social'),
  ),
  mastodonStream: setting(
    '--mastodon-stream',
    'public, public:local or hashtag:TAG',
    z
      .string()
      .regex(/^(public|public:local|hashtag(:local)?:[^\s:]+)$/u, 'must be public, public:local or hashtag:TAG')
      .default('public'),
  ),
});
