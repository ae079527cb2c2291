// The modules every role stands on: the data directory, metrics, the bus, the embedded and accounts databases, the
// store, the query engine, identity, and the HTTP server with its gate. Each init makes its part and returns how to
// stop it; the roles' own modules are in src/roles/<role>/module.ts.

import { join } from 'node:path';
import { openAccountsDb } from '../adapters/duckdb/accounts-database.js';
import { DuckDbAuthRepository } from '../adapters/duckdb/auth-repository.js';
import { type DuckDb, openDuckDb } from '../adapters/duckdb/database.js';
import { rawLogArchive } from '../adapters/filelog/log-archive.js';
import { busPlugin, queryEnginePlugin, SELECTION, storePlugin } from '../adapters/registry.js';
import { UnavailableQueryEngine } from '../adapters/unavailable-query-engine.js';
import { AuthService } from '../auth/auth-service.js';
import { authEnabled } from '../config/index.js';
import { UsageError } from '../core/errors.js';
import { TOPICS } from '../core/ports.js';
import { registerGate } from '../http/access.js';
import { registerAuthRoutes } from '../http/auth-routes.js';
import { registerHealthRoutes } from '../http/health-routes.js';
import { collectIndex } from '../http/index-routes.js';
import { ServedNames } from '../http/served-names.js';
import { createServer } from '../http/server.js';
import { isUpload } from '../http/tracker-routes.js';
import { CLASSIFIER_GROUP } from '../roles/classifier/classifier.js';
import { EventStateReader } from '../roles/events/state-reader.js';
import { lockDataDir } from '../util/data-lock.js';
import { ownerOnlyFromNowOn, secureDataDir } from '../util/private-files.js';
import { VigilMetrics } from './metrics.js';
import type { ModuleManager } from './modules.js';
import { remoteCredentialCheck } from './remote-tokens.js';
import { loadSecret } from './secret.js';
import { has, need, type Services } from './services.js';

/** The data directory, owner-only. */
async function initData(s: Services): Promise<void> {
  ownerOnlyFromNowOn();
  await secureDataDir(s.config.dataDir);
}

/**
 * The data directory as this process's alone while it runs, for what one process at a time may open there (the
 * embedded database and bus). A process holding neither does not take it: the replacement tracker that comes up
 * before the old one stops (make-before-break) shares the old one's directory.
 */
function initDataLock(s: Services) {
  return lockDataDir(s.config.dataDir);
}

function initMetrics(s: Services): void {
  s.metrics = new VigilMetrics(s.roles);
}

async function initBus(s: Services) {
  const bus = await busPlugin(s.config.bus).create({ config: s.config, log: s.log.child('bus') });
  s.bus = bus;
  s.checks.push({ name: 'bus', check: async () => void (await bus.lag(TOPICS.raw, CLASSIFIER_GROUP)) });
  need(s, 'metrics').gaugeFrom('vigil_consumer_lag', 'Raw posts published but not yet classified and stored (classifier group lag)', () =>
    bus.lag(TOPICS.raw, CLASSIFIER_GROUP),
  );
  return () => bus.close();
}

/** The embedded database, opened when a module first asks for it. */
function initDuckDb(s: Services) {
  let opened: Promise<DuckDb> | null = null;
  s.duckdb = () =>
    (opened ??= openDuckDb(join(s.config.dataDir, 'vigil.duckdb'), {
      memoryLimit: s.config.duckdbMemoryLimit,
      threads: s.config.duckdbThreads,
      rowGroupSize: s.config.duckdbRowGroupSize,
      // With the embedded bus, raw posts are kept once, in its log, and rows keep where (vigil_raw reads them back).
      rawArchive: rawLogArchive(s.config.dataDir),
    }));
  return async () => {
    if (opened) (await opened).close();
  };
}

/** The accounts database; data directories of earlier versions kept its tables beside the rows: moved here. */
async function initAccounts(s: Services) {
  const db = await openAccountsDb(s.config.dataDir, await need(s, 'duckdb')(), s.log.child('accounts'));
  s.accounts = db;
  return () => db.close();
}

async function initStore(s: Services) {
  const store = await storePlugin(s.config.store).create({ ...s, duckdb: need(s, 'duckdb') });
  s.store = store;
  s.checks.push({ name: 'store', check: async () => void (await store.eventStats('vigil readiness probe')) });
  return () => store.close();
}

/** The query engine, if it can read the store; else one that says how to get SQL (501). */
async function initQueryEngine(s: Services) {
  const store = storePlugin(s.config.store);
  const engine = queryEnginePlugin(s.config.queryEngine);
  if (!engine.reads(store)) {
    // The default engine over a store it cannot read leaves SQL unavailable (stats still work); a chosen one is a mistake.
    if (s.config.queryEngine !== SELECTION.settings.queryEngine.schema.parse(undefined))
      throw new UsageError(`--query-engine ${engine.name} cannot read the rows of --store ${store.name} (${engine.doc}); choose the engine that reads them`);
    s.engine = new UnavailableQueryEngine(
      `SQL over rows stored in ${store.name} runs on another engine: start Vigil with --query-engine spark --spark-connect sc://HOST:15002 (scripts/engines/spark.sh up starts one here); GET /api/events/:name/stats works without it`,
    );
  } else s.engine = await engine.create({ ...s, duckdb: need(s, 'duckdb') });
  const made = s.engine;
  return () => made.close();
}

/** Who callers are: the accounts where the event manager runs, else asked of it (--events-url). */
async function initAuth(s: Services) {
  // Accounts are the event manager's; another role's process (analytics keeps its notebooks in an accounts database
  // of its own) asks the event manager who a caller is.
  const repo = has(s, 'events') ? await DuckDbAuthRepository.open(need(s, 'accounts')) : null;
  const auth = new AuthService(repo, await loadSecret(s.config, s.log), s.log.child('auth'));
  if (!repo && s.config.eventsUrl) auth.remote = remoteCredentialCheck(s.config.eventsUrl);
  if (!repo && !s.config.eventsUrl && authEnabled(s.config))
    s.log.warn(
      'this process does not hold the accounts and has no --events-url: sessions and JWTs are checked by signature only, so a revoked one works until it expires; set --events-url',
    );
  if (repo) await auth.bootstrap(process.env.VIGIL_ADMIN_PASSWORD || undefined);
  s.auth = auth;
  return repo ? () => repo.close() : undefined;
}

function initEventCatalog(s: Services): void {
  s.eventCatalog ??= new EventStateReader(need(s, 'bus'));
}

/** The HTTP server with its gate (Host, Origin, identity, the route's access), sign-in and health routes. */
async function initHttp(s: Services) {
  const { config } = s;
  const app = await createServer(s.log.child('http'), { maxConnections: config.maxConnections, longBody: isUpload });
  s.index = collectIndex(app);
  const auth = need(s, 'auth');
  const names = new ServedNames({ listenHost: config.host, publicUrl: config.publicUrl, allowedHosts: config.allowedHosts });
  registerGate(app, { auth, enabled: authEnabled(config), names });
  registerAuthRoutes(app, auth, { enabled: authEnabled(config), secureCookies: config.cookieSecure, accounts: auth.holdsAccounts });
  registerHealthRoutes(app, { checks: s.checks, metrics: need(s, 'metrics') });
  s.app = app;
  return () => app.close();
}

/** The modules every role stands on. */
export function registerInfrastructure(m: ModuleManager<Services>): void {
  m.register('data', [], initData)
    .register('data-lock', ['data'], initDataLock)
    .register('metrics', [], initMetrics)
    .register('bus', (s) => [busPlugin(s.config.bus).shared ? 'data' : 'data-lock', 'metrics'], initBus)
    .register('duckdb', ['data-lock'], initDuckDb)
    .register('accounts', ['duckdb'], initAccounts)
    .register('store', ['duckdb'], initStore)
    .register('query-engine', ['store'], initQueryEngine)
    .register('auth', (s) => (has(s, 'events') ? ['accounts'] : ['data']), initAuth)
    .register('event-catalog', (s) => (has(s, 'events') ? ['events'] : ['bus']), initEventCatalog)
    .register('http', ['auth', 'metrics'], initHttp);
}
