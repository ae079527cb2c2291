// The embedded bus: a durable log under the data directory (the default).

import type { BusPlugin } from '../plugin.js';
import { embeddedLogDir } from './log-archive.js';
import { FILELOG_SETTINGS } from './settings.js';

export const filelogBus: BusPlugin = {
  name: 'embedded',
  doc: 'a durable log under --data (one process; no server to run)',
  shared: false,
  settings: FILELOG_SETTINGS,
  async create({ config, log }) {
    const { FileLogBus } = await import('./file-log-bus.js');
    return FileLogBus.open({ dir: embeddedLogDir(config.dataDir), warn: (m) => log.warn(m), segmentBytes: config.logSegmentMb * 1024 * 1024 });
  },
};
