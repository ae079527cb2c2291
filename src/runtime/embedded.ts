// Embedded mode (`vigil start`): the four data roles in one process, by default over the embedded log and DuckDB,
// everything kept under the data directory.

import type { Config } from '../config/index.js';
import type { Classifier } from '../roles/classifier/classifier.js';
import type { EventManager } from '../roles/events/event-manager.js';
import type { Tracker } from '../roles/tracker/tracker.js';
import type { Logger } from '../util/log.js';
import { DATA_ROLES, type RoleProcess, startProcess } from './process.js';
import { need } from './services.js';

export interface EmbeddedRuntime extends RoleProcess {
  events: EventManager;
  tracker: Tracker;
  classifier: Classifier;
}

export async function startEmbedded(config: Config, log: Logger): Promise<EmbeddedRuntime> {
  const rt = await startProcess(config, DATA_ROLES, log);
  return { ...rt, events: need(rt.services, 'events'), tracker: need(rt.services, 'tracker'), classifier: need(rt.services, 'classifier') };
}
