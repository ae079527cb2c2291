// What an adapter declares to plug into Vigil: its name (the value of --bus, --store, --query-engine, --source or
// --orchestrator), what it is for, its settings, and a `create` that loads its code only when it is chosen. The
// registry (registry.ts) lists them; nothing outside it compares an adapter's name.

import type { Config } from '../config/index.js';
import type { SettingGroup } from '../config/setting.js';
import type { SourceShape } from '../core/plan.js';
import type { Bus, EventCatalog, Orchestrator, PostStore, ProcessHost, QueryEngine } from '../core/ports.js';
import type { Tracker } from '../roles/tracker/tracker.js';
import type { VigilMetrics } from '../runtime/metrics.js';
import type { Logger } from '../util/log.js';
import type { DuckDb } from './duckdb/database.js';

interface PluginBase<N extends string = string> {
  name: N;
  /** One line for the help and the README: what it is and when to choose it. */
  doc: string;
  settings?: SettingGroup;
}

export interface BusPlugin extends PluginBase {
  /** Processes on other machines can meet through it (roles may run apart). */
  shared: boolean;
  create(c: { config: Config; log: Logger }): Promise<Bus>;
}

export interface StorePlugin extends PluginBase {
  /** Keeps its rows in the embedded database (the query engine over it can be DuckDB's). */
  embedded: boolean;
  create(c: { config: Config; log: Logger; duckdb: () => Promise<DuckDb> }): Promise<PostStore>;
}

export interface QueryEnginePlugin extends PluginBase {
  /** The stores whose rows it can query (a setting that pairs them otherwise is refused at start). */
  reads: (store: StorePlugin) => boolean;
  create(c: { config: Config; log: Logger; duckdb: () => Promise<DuckDb> }): Promise<QueryEngine>;
}

/** What a live source gets to run: the tracker it feeds, the events it follows, and somewhere to keep state. */
export interface SourceContext {
  config: Config;
  log: Logger;
  tracker: Tracker;
  events: EventCatalog;
  metrics: VigilMetrics;
  /** Registers what to stop when the process stops (besides the tracker's connections). */
  onStop: (stop: () => Promise<void> | void) => void;
}

export interface SourcePlugin extends PluginBase {
  /** How it takes the events' targets: the controller plans its connections from this. */
  shape: SourceShape;
  /** Connects the tracker to the platform and keeps it connected as the events change. */
  follow(c: SourceContext): Promise<void>;
}

/** What an orchestrator is given to start role processes: the vigil command and each process's settings. */
export interface OrchestratorContext {
  config: Config;
  log: Logger;
  /** The vigil entry point (bin/vigil.js). */
  bin: string;
  /** Every process's settings, as VIGIL_* variables. */
  env: NodeJS.ProcessEnv;
  /** More settings for trackers only (the replay file). */
  trackerEnv: NodeJS.ProcessEnv;
}

/** Runs role processes on this machine: the controller can also host events and analytics behind one address. */
export interface LocalOrchestratorPlugin extends PluginBase {
  local: true;
  create(c: OrchestratorContext): Promise<ProcessHost>;
}

/** Has a cluster run them: the controller runs alone and creates what the cluster runs. */
export interface ClusterOrchestratorPlugin extends PluginBase {
  local: false;
  create(c: OrchestratorContext): Promise<Orchestrator>;
}

export type OrchestratorPlugin = LocalOrchestratorPlugin | ClusterOrchestratorPlugin;
