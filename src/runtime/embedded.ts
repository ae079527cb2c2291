// Embedded mode (`vigil start`): the four data roles in one process, by default over the embedded log and DuckDB,
// everything kept under the data directory.

import type { Config } from '../config.js';
import type { Logger } from '../util/log.js';
import { DATA_ROLES, startRoles, type RoleProcess } from './roles.js';

export type EmbeddedRuntime = RoleProcess & Required<Pick<{ [K in 'events' | 'tracker' | 'classifier']: NonNullable<RoleProcess[K]> }, 'events' | 'tracker' | 'classifier'>>;

export async function startEmbedded(config: Config, log: Logger): Promise<EmbeddedRuntime> {
  const rt = await startRoles(config, DATA_ROLES, log);
  return { ...rt, events: rt.events!, tracker: rt.tracker!, classifier: rt.classifier! };
}
