// The embedded bus: a durable log under the data directory (the default).

import { join } from 'node:path';
import type { BusPlugin } from '../plugin.js';

export const filelogBus: BusPlugin = {
  name: 'embedded',
  doc: 'a durable log under --data (one process; no server to run)',
  shared: false,
  async create({ config, log }) {
    const { FileLogBus } = await import('./file-log-bus.js');
    return FileLogBus.open({ dir: join(config.dataDir, 'bus'), warn: (m) => log.warn(m) });
  },
};
