// What the modules of one Vigil process share: each module's init puts what it makes here (the bus, the store, the
// HTTP server …) for the modules that depend on it. `need` reads a part a module depends on, and says which module
// should have made it if it is missing (a dependency left out of the module's declaration).

import type { FastifyInstance } from 'fastify';
import type { DuckDb } from '../adapters/duckdb/database.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Config } from '../config/index.js';
import type { Bus, EventCatalog, Orchestrator, PostStore, QueryEngine } from '../core/ports.js';
import type { ReadinessCheck } from '../http/health-routes.js';
import type { IndexEntry } from '../http/index-routes.js';
import type { Classifier } from '../roles/classifier/classifier.js';
import type { EventManager } from '../roles/events/event-manager.js';
import type { Tracker } from '../roles/tracker/tracker.js';
import type { Logger } from '../util/log.js';
import type { VigilMetrics } from './metrics.js';

export const ROLE_NAMES = ['events', 'tracker', 'classifier', 'analytics', 'controller'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface Services {
  config: Config;
  log: Logger;
  /** The roles of this process. */
  roles: readonly RoleName[];
  checks: ReadinessCheck[];
  /** Work that starts once the server listens (sources, hints), in module order. */
  afterListen: ((url: string) => Promise<void> | void)[];
  /** The line saying the process is up ("vigil is running", or a role process's own). */
  announce: string;
  /** Replaces GET /api/status (the controller of `vigil run --roles all` answers for its processes). */
  statusOverride?: (headers: Record<string, string>) => Promise<unknown>;
  /** The orchestrator the controller drives (`vigil run` makes it, to host role processes itself). */
  orchestrator?: Orchestrator;
  metrics?: VigilMetrics;
  bus?: Bus;
  /** The embedded database (vigil.duckdb), opened on first use. */
  duckdb?: () => Promise<DuckDb>;
  /** The private database (accounts.duckdb). */
  accounts?: DuckDb;
  store?: PostStore;
  engine?: QueryEngine;
  auth?: AuthService;
  app?: FastifyInstance;
  /** Every /api route, as registered (GET /api, the startup hints). */
  index?: IndexEntry[];
  events?: EventManager;
  /** The events as they are now: the event manager here, else the state on the bus. */
  eventCatalog?: EventCatalog;
  tracker?: Tracker;
  classifier?: Classifier;
  url?: string;
}

const MADE_BY: Partial<Record<keyof Services, string>> = {
  metrics: 'metrics',
  bus: 'bus',
  duckdb: 'duckdb',
  accounts: 'accounts',
  store: 'store',
  engine: 'query-engine',
  auth: 'auth',
  app: 'http',
  events: 'events',
  eventCatalog: 'event-catalog',
  index: 'http',
  tracker: 'tracker',
  classifier: 'classifier',
};

export function need<K extends keyof Services>(s: Services, key: K): NonNullable<Services[K]> {
  const v = s[key];
  if (v === undefined || v === null)
    throw new Error(`module wiring: ${String(key)} is missing; the module needing it must depend on "${MADE_BY[key] ?? String(key)}"`);
  return v as NonNullable<Services[K]>;
}

export const has = (s: Services, role: RoleName): boolean => s.roles.includes(role);
