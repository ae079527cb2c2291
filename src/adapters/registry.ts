// Every adapter Vigil can run with, in one list per kind: buses, stores, query engines, live sources and
// orchestrators. The settings that choose them (--bus, --store, --query-engine, --source, --orchestrator) take their
// values from here, each adapter brings its own settings, and its code is loaded only when it is chosen. Adding an
// adapter is a folder with its plugin.ts and one line below.

import { z } from 'zod';
import { group, setting, shapeOf } from '../config/setting.js';
import { UsageError } from '../core/errors.js';
import type { SourceShape } from '../core/plan.js';
import { cassandraStore } from './cassandra/plugin.js';
import { CASSANDRA_SETTINGS } from './cassandra/settings.js';
import { duckdbQueryEngine, duckdbStore } from './duckdb/plugin.js';
import { DUCKDB_SETTINGS } from './duckdb/settings.js';
import { filelogBus } from './filelog/plugin.js';
import { FILELOG_SETTINGS } from './filelog/settings.js';
import { jetstreamSource } from './jetstream/plugin.js';
import { JETSTREAM_SETTINGS } from './jetstream/settings.js';
import { kafkaBus } from './kafka/plugin.js';
import { KAFKA_SETTINGS } from './kafka/settings.js';
import { kubernetesOrchestrator } from './kubernetes/plugin.js';
import { KUBERNETES_SETTINGS } from './kubernetes/settings.js';
import { localOrchestrator } from './local/plugin.js';
import { mastodonSource } from './mastodon/plugin.js';
import { MASTODON_SETTINGS } from './mastodon/settings.js';
import type { BusPlugin, OrchestratorPlugin, QueryEnginePlugin, SourcePlugin, StorePlugin } from './plugin.js';
import { sparkQueryEngine } from './spark/plugin.js';
import { SPARK_SETTINGS } from './spark/settings.js';
import { twitterSource } from './twitter/plugin.js';
import { TWITTER_SETTINGS } from './twitter/settings.js';
import { xSource } from './x/plugin.js';
import { X_SETTINGS } from './x/settings.js';

export const BUSES: readonly BusPlugin[] = [filelogBus, kafkaBus];
export const STORES: readonly StorePlugin[] = [duckdbStore, cassandraStore];
export const QUERY_ENGINES: readonly QueryEnginePlugin[] = [duckdbQueryEngine, sparkQueryEngine];
export const SOURCES: readonly SourcePlugin[] = [jetstreamSource, twitterSource, xSource, mastodonSource];
export const ORCHESTRATORS: readonly OrchestratorPlugin[] = [localOrchestrator, kubernetesOrchestrator];

/** The adapters' own settings, each group under its adapter. */
export const ADAPTER_SETTINGS = [
  FILELOG_SETTINGS,
  KAFKA_SETTINGS,
  CASSANDRA_SETTINGS,
  DUCKDB_SETTINGS,
  SPARK_SETTINGS,
  TWITTER_SETTINGS,
  X_SETTINGS,
  MASTODON_SETTINGS,
  JETSTREAM_SETTINGS,
  KUBERNETES_SETTINGS,
] as const;

export const ADAPTER_SHAPE = {
  ...shapeOf(FILELOG_SETTINGS.settings),
  ...shapeOf(KAFKA_SETTINGS.settings),
  ...shapeOf(CASSANDRA_SETTINGS.settings),
  ...shapeOf(DUCKDB_SETTINGS.settings),
  ...shapeOf(SPARK_SETTINGS.settings),
  ...shapeOf(TWITTER_SETTINGS.settings),
  ...shapeOf(X_SETTINGS.settings),
  ...shapeOf(MASTODON_SETTINGS.settings),
  ...shapeOf(JETSTREAM_SETTINGS.settings),
  ...shapeOf(KUBERNETES_SETTINGS.settings),
};

/** A choice among `plugins` by name: the setting's values, its help (each value with its doc) and its default. */
function choice(plugins: readonly { name: string; doc: string }[], fallback: string, what: string) {
  const names = plugins.map((p) => p.name);
  const docs = plugins.map((p) => `${p.name} = ${p.doc}`).join('; ');
  const schema = z
    .string()
    .default(fallback)
    .refine((v) => names.includes(v), { message: `must be one of ${names.join(', ')}` });
  return { schema, doc: `${what}: ${docs}` };
}

const bus = choice(BUSES, 'embedded', 'the bus');
const store = choice(STORES, 'duckdb', 'where posts are stored');
const engine = choice(QUERY_ENGINES, 'duckdb', 'the engine of the notebook, the ready analyses and POST /api/query');
const source = choice([{ name: 'replay', doc: 'archives only: --replay, uploads, vigil import' }, ...SOURCES], 'replay', 'the streaming source');
const orchestrator = choice(ORCHESTRATORS, 'local', 'how the controller runs trackers and classifiers');

export const SELECTION = group('What runs where', {
  bus: setting('--bus', bus.doc, bus.schema),
  store: setting('--store', store.doc, store.schema),
  queryEngine: setting('--query-engine', engine.doc, engine.schema, { aliases: ['--analytics'], env: 'VIGIL_QUERY_ENGINE' }),
  source: setting('--source', source.doc, source.schema),
  orchestrator: setting('--orchestrator', orchestrator.doc, orchestrator.schema),
});

function find<P extends { name: string }>(plugins: readonly P[], name: string, flag: string): P {
  const p = plugins.find((x) => x.name === name);
  if (!p) throw new UsageError(`${flag} ${name}: there is no such adapter; choose from ${plugins.map((x) => x.name).join(', ')}`);
  return p;
}

export const busPlugin = (name: string): BusPlugin => find(BUSES, name, '--bus');
export const storePlugin = (name: string): StorePlugin => find(STORES, name, '--store');
export const queryEnginePlugin = (name: string): QueryEnginePlugin => find(QUERY_ENGINES, name, '--query-engine');
export const orchestratorPlugin = (name: string): OrchestratorPlugin => find(ORCHESTRATORS, name, '--orchestrator');
/** How archives are taken: one connection, unfiltered (Vigil matches every post itself). */
const REPLAY_SHAPE: SourceShape = { name: 'replay', split: null };

/** The shape of the source chosen (what the controller plans connections from). */
export const sourceShape = (name: string): SourceShape => sourcePlugin(name)?.shape ?? REPLAY_SHAPE;

/** The live source chosen, or null for archives only (replays). */
export const sourcePlugin = (name: string): SourcePlugin | null => (name === 'replay' ? null : find(SOURCES, name, '--source'));

/** What keeps roles in one process: a bus or a store that processes elsewhere cannot reach. */
export function notShared(config: { bus: string; store: string }): { bus: boolean; store: boolean } {
  return { bus: !busPlugin(config.bus).shared, store: storePlugin(config.store).embedded };
}
