// Settings of the Bluesky Jetstream source (--source jetstream).

import { z } from 'zod';
import { group, setting } from '../../config/setting.js';

export const JETSTREAM_SETTINGS = group('Bluesky Jetstream (--source jetstream)', {
  jetstreamUrl: setting(
    '--jetstream-url',
    'the Jetstream instance to follow',
    z
      .string()
      .regex(/^wss?:\/\/\S+$/u, 'must be a ws:// or wss:// URL')
      .default('wss://jetstream2.us-east.bsky.network/subscribe'),
  ),
});
