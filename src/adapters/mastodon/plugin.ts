// Mastodon's streaming API as a live source (public, local or a hashtag).

import type { SourcePlugin } from '../plugin.js';
import { MASTODON_SETTINGS } from './settings.js';

export const mastodonSource: SourcePlugin = {
  name: 'mastodon',
  doc: "a Mastodon instance's streaming API (public, public:local or hashtag:TAG)",
  settings: MASTODON_SETTINGS,
  shape: { name: 'mastodon', split: null },
  async follow({ config, tracker, metrics }) {
    const { MastodonSource } = await import('./mastodon-source.js');
    await tracker.follow(
      new MastodonSource({
        instance: config.mastodonUrl,
        stream: config.mastodonStream,
        token: process.env.VIGIL_MASTODON_TOKEN || undefined,
        onReconnect: () => metrics.sourceReconnects.inc({ source: 'mastodon' }),
      }),
    );
  },
};
