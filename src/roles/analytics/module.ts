// The analytics role: the ready analyses of the event pages, people's SQL (shared out by the query gate),
// notebooks, exports, manifests, networks, coverage reports and re-classification.

import { duckDbSource, type ExportSource, eventManifest, exportBundle, exportEvent, type ManifestAbout, storeSource } from '../../adapters/duckdb/export.js';
import { DuckDbNotebookRepository } from '../../adapters/duckdb/notebook-repository.js';
import { storePlugin } from '../../adapters/registry.js';
import type { CoverageReport, Interval } from '../../core/coverage.js';
import { registerAnalyticsRoutes } from '../../http/analytics-routes.js';
import { registerExportRoutes } from '../../http/export-routes.js';
import { registerQueryRoutes } from '../../http/query-routes.js';
import { registerReclassifyRoutes } from '../../http/reclassify-routes.js';
import { registerStoredEventRoutes } from '../../http/stored-event-routes.js';
import type { ModuleManager } from '../../runtime/modules.js';
import { need, type Services } from '../../runtime/services.js';
import { VIGIL_VERSION } from '../../version.js';
import { eventCoverage } from './coverage.js';
import { PAGE_SLOTS, QueryGate } from './query-gate.js';
import { ReadyAnalyses } from './ready-analyses.js';
import { Reclassifier } from './reclassifier.js';

/** How the analytics routes learn about an event: as defined now, its history, coverage and manifest facts. */
function eventFacts(s: Services) {
  const { config } = s;
  const store = need(s, 'store');
  const catalog = need(s, 'eventCatalog');
  /** The event as defined now and its history (null where the event manager runs apart). */
  const about = async (name: string) => ({
    event: (await catalog.list()).find((e) => e.name === name) ?? null,
    history: s.events ? await s.events.history(name) : null,
  });
  const coverageFor = (name: string, a: Awaited<ReturnType<typeof about>>, window: Partial<Interval>): Promise<CoverageReport> =>
    eventCoverage(store, name, a, window, { gapThresholdMs: config.coverageGapMs, heartbeatMs: config.coverageHeartbeatMs });
  const manifestAbout = async (name: string): Promise<ManifestAbout> => {
    const a = await about(name);
    return { ...a, version: VIGIL_VERSION, generatedAt: new Date().toISOString(), coverage: await coverageFor(name, a, {}) };
  };
  const exportSource = async (): Promise<ExportSource> =>
    storePlugin(config.store).embedded ? duckDbSource(await need(s, 'duckdb')(), store) : storeSource(store);
  return { coverage: async (name: string, window: Partial<Interval>) => coverageFor(name, await about(name), window), manifestAbout, exportSource };
}

async function initAnalytics(s: Services) {
  const { config } = s;
  const engine = need(s, 'engine');
  const store = need(s, 'store');
  const gate = new QueryGate({ perUser: config.queriesPerUser, personSlots: config.querySlots, pageSlots: PAGE_SLOTS });
  const notebooks = await DuckDbNotebookRepository.open(need(s, 'accounts'), engine.dialect);
  const facts = eventFacts(s);
  const reclassifier = new Reclassifier(need(s, 'bus'), store, need(s, 'eventCatalog'), s.log.child('analytics'));
  const app = need(s, 'app');
  const events = need(s, 'eventCatalog');
  registerReclassifyRoutes(app, reclassifier);
  registerAnalyticsRoutes(app, {
    store,
    events,
    analytics: new ReadyAnalyses(gate.forPages(engine), { countTerms: async () => store.countTerms?.() }),
    coverage: facts.coverage,
    manifest: async (name) => eventManifest(await facts.exportSource(), name, await facts.manifestAbout(name)),
  });
  registerStoredEventRoutes(app, { store, events });
  registerExportRoutes(app, {
    store,
    events,
    exportEvent: async (name, format, o) =>
      format === 'bundle'
        ? exportBundle(await facts.exportSource(), name, await facts.manifestAbout(name))
        : exportEvent(await facts.exportSource(), name, format, o),
  });
  registerQueryRoutes(app, {
    engine,
    gate,
    notebooks,
    limits: { maxRows: config.queryMaxRows, timeoutMs: config.queryTimeoutMs, maxSqlBytes: config.queryMaxSqlBytes, maxBytes: config.queryMaxBytes },
  });
  return () => reclassifier.close();
}

export function registerAnalyticsModule(m: ModuleManager<Services>): void {
  m.register('analytics', ['store', 'query-engine', 'accounts', 'http', 'bus', 'event-catalog'], initAnalytics);
}
