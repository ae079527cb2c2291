// Bluesky's Jetstream as a live source: one connection, resumed from its cursor; limited to the DIDs the events
// name when they name nothing else.

import { join } from 'node:path';
import { planTrackers } from '../../core/plan.js';
import type { SourcePlugin } from '../plugin.js';
import { JETSTREAM_SETTINGS } from './settings.js';

export const jetstreamSource: SourcePlugin = {
  name: 'jetstream',
  doc: "Bluesky's Jetstream (public, no credentials): every post of the network, classified here",
  settings: JETSTREAM_SETTINGS,
  // One connection; limited to the DIDs the events name when they name nothing else (wantedDids).
  shape: { name: 'jetstream', split: null, onlyAccounts: (a) => a.startsWith('did:') },
  async follow({ config, tracker, events, metrics }) {
    const { JetstreamSource } = await import('./jetstream-source.js');
    await tracker.followPlan(
      async () => planTrackers(await events.list(), jetstreamSource.shape),
      (conn) =>
        new JetstreamSource({
          url: config.jetstreamUrl,
          cursorFile: join(config.dataDir, 'jetstream-cursor.json'),
          wantedDids: conn.follow,
          onReconnect: () => metrics.sourceReconnects.inc({ source: 'jetstream' }),
        }),
    );
  },
};
