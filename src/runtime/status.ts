// GET /api/status of one process: what runs here (the source, the classifier's counts and lag, what is stored), with
// host paths for admins only; the controller of `vigil run --roles all` answers for its processes instead.

import { busPlugin, storePlugin } from '../adapters/registry.js';
import { EVENT_LIMITS, trackedKeywords } from '../core/event.js';
import { TOPICS } from '../core/ports.js';
import { withoutHostPaths } from '../http/server.js';
import { registerStatusRoutes } from '../http/status-routes.js';
import { CLASSIFIER_GROUP } from '../roles/classifier/classifier.js';
import type { ModuleManager } from './modules.js';
import { need, ROLE_NAMES, type Services } from './services.js';

async function statusOf(s: Services): Promise<Record<string, unknown>> {
  const { config, roles } = s;
  const bus = need(s, 'bus');
  const store = s.store;
  const together = ROLE_NAMES.filter((r) => r !== 'controller').every((r) => roles.includes(r));
  return {
    mode: together ? (busPlugin(config.bus).shared ? `embedded roles over ${config.bus}` : 'embedded') : `roles ${roles.join(',')}`,
    roles,
    bus: { kind: config.bus, doc: busPlugin(config.bus).doc },
    store: { kind: config.store, doc: storePlugin(config.store).doc },
    dataDir: config.dataDir,
    tracker: s.tracker?.status() ?? null,
    trackerKeywords: config.trackKeywords ?? null,
    classifier: { ...(s.classifier?.status() ?? {}), lag: await bus.lag(TOPICS.raw, CLASSIFIER_GROUP) },
    keywords: { tracked: trackedKeywords(await need(s, 'eventCatalog').list()), limit: EVENT_LIMITS.keywordsMax },
    rejectsStored: store ? await store.rejectCount() : null,
    deletionsStored: store ? await store.deletionCount() : null,
    // Rows an event page's first load waits to have counted (an import's: minutes); null for a store that keeps none.
    termCounts: store?.termCountBacklog ? { rowsToCount: await store.termCountBacklog() } : null,
  };
}

function initStatus(s: Services): void {
  const override = s.statusOverride;
  registerStatusRoutes(need(s, 'app'), async (req) => {
    if (override) {
      const pass: Record<string, string> = {};
      for (const h of ['cookie', 'authorization'] as const) if (typeof req.headers[h] === 'string') pass[h] = req.headers[h];
      return (await override(pass)) as Record<string, unknown>;
    }
    const status = await statusOf(s);
    return req.identity?.role === 'admin' ? status : withoutHostPaths(status);
  });
}

export function registerStatusModule(m: ModuleManager<Services>): void {
  // After the roles here, so it can say what they do.
  m.register(
    'status',
    (s) => [
      'http',
      'bus',
      'event-catalog',
      ...s.roles.filter((r) => r === 'tracker' || r === 'classifier'),
      ...(s.roles.some((r) => r === 'classifier' || r === 'analytics') ? ['store'] : []),
    ],
    initStatus,
  );
}
