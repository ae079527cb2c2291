// One Vigil process running some of the roles (events, tracker, classifier, analytics) over the configured bus and
// store. `vigil start` runs all four here over the embedded log and DuckDB; `vigil run --roles …` runs a subset, and
// roles in different processes meet only through Kafka and Cassandra. Every process serves /healthz, /readyz and
// /metrics beside the API routes of its roles.
//   <data>/bus/                  the durable log and consumer offsets (embedded bus)
//   <data>/vigil.duckdb          events, accounts, notebooks; tweet rows and rejects with the DuckDB store
//   <data>/replay-progress.json  how far each replayed file was published; replay-active.json: the replay to resume

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { FileLogBus } from '../adapters/filelog/file-log-bus.js';
import { openDuckDb, type DuckDb } from '../adapters/duckdb/database.js';
import { DuckDbEventRepository } from '../adapters/duckdb/event-repository.js';
import { DuckDbQueryEngine } from '../adapters/duckdb/query-engine.js';
import { DuckDbTweetStore } from '../adapters/duckdb/store.js';
import { TOPICS, type Bus, type QueryEngine, type TweetStore } from '../core/ports.js';
import { CassandraTweetStore } from '../adapters/cassandra/store.js';
import { UnavailableQueryEngine } from '../adapters/unavailable-query-engine.js';
import { KafkaBus } from '../adapters/kafka/kafka-bus.js';
import { EVENT_LIMITS, trackedKeywords, type VigilEvent } from '../core/event.js';
import { decodeEventState, EVENT_STATE_KEY } from '../core/event-state.js';
import { DuckDbNotebookRepository } from '../adapters/duckdb/notebook-repository.js';
import { duckDbSource, eventManifest, exportBundle, exportEvent, storeSource, type ExportSource, type ManifestAbout } from '../adapters/duckdb/export.js';
import { readFileSync } from 'node:fs';

const VIGIL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
import { Analytics } from '../roles/analytics.js';
import { registerWebUi } from '../http/web-ui.js';
import { authEnabled, type Config } from '../config.js';
import { DuckDbAuthRepository } from '../adapters/duckdb/auth-repository.js';
import { openAccountsDb } from '../adapters/duckdb/accounts-database.js';
import { AuthService } from '../roles/auth.js';
import { registerAuthRoutes } from '../http/auth-routes.js';
import { registerGate } from '../http/access.js';
import { ServedNames } from '../http/served-names.js';
import { QueryGate } from '../roles/query-gate.js';
import { ImportFolder } from '../roles/import-folder.js';
import { isUpload } from '../http/tracker-routes.js';
import { ownerOnlyFromNowOn, secureDataDir } from '../util/private-files.js';
import { loadSecret } from './secret.js';
import { registerAnalyticsRoutes } from '../http/analytics-routes.js';
import { registerEventRoutes } from '../http/event-routes.js';
import { registerHealthRoutes, type ReadinessCheck } from '../http/health-routes.js';
import { API_INDEX, registerIndexRoutes } from '../http/index-routes.js';
import { createServer, withoutHostPaths } from '../http/server.js';
import { registerTrackerRoutes } from '../http/tracker-routes.js';
import { Classifier, CLASSIFIER_GROUP } from '../roles/classifier.js';
import { EventManager } from '../roles/event-manager.js';
import { Tracker } from '../roles/tracker.js';
import type { Logger } from '../util/log.js';
import { VigilMetrics } from './metrics.js';
import { JetstreamSource } from '../adapters/jetstream/jetstream-source.js';
import { TwitterStreamSource } from '../adapters/twitter/twitter-stream-source.js';
import { XRulesClient, XRuleSync, XStreamSource } from '../adapters/x/x-stream.js';
import { MastodonSource } from '../adapters/mastodon/mastodon-source.js';
import type { OAuth1Credentials } from '../adapters/twitter/oauth1.js';
import { planTrackers, type TrackerConnection } from '../core/plan.js';

/** Twitter v1.1 credentials from the environment; says which are missing. */
function twitterCredentials(): OAuth1Credentials {
  const names = { consumerKey: 'VIGIL_TWITTER_CONSUMER_KEY', consumerSecret: 'VIGIL_TWITTER_CONSUMER_SECRET', token: 'VIGIL_TWITTER_TOKEN', tokenSecret: 'VIGIL_TWITTER_TOKEN_SECRET' } as const;
  const missing = Object.values(names).filter((n) => !process.env[n]);
  if (missing.length > 0) throw new Error(`--source twitter-v1 needs the app's OAuth 1.0a credentials: set ${missing.join(', ')} (README: Live sources)`);
  return { consumerKey: process.env[names.consumerKey]!, consumerSecret: process.env[names.consumerSecret]!, token: process.env[names.token]!, tokenSecret: process.env[names.tokenSecret]! };
}
import { forward, isAnalyticsPath } from './gateway.js';
import { remoteCredentialCheck } from './remote-tokens.js';
import { SparkQueryEngine } from '../adapters/spark/spark-query-engine.js';
import { CoverageRecorder } from '../roles/coverage-recorder.js';
import { Reclassifier } from '../roles/reclassifier.js';
import { registerReclassifyRoutes } from '../http/reclassify-routes.js';
import { eventCoverage } from '../roles/coverage.js';
import type { CoverageReport, Interval } from '../core/coverage.js';

export const ROLE_NAMES = ['events', 'tracker', 'classifier', 'analytics', 'controller'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
/** The roles that hold data paths; `vigil start` runs these four in one process. */
export const DATA_ROLES: readonly RoleName[] = ['events', 'tracker', 'classifier', 'analytics'];

/** `--roles tracker,classifier` or `all`; throws a message naming the valid roles. */
export function parseRoles(value: string): RoleName[] {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.includes('all')) return [...ROLE_NAMES];
  const bad = parts.filter((p) => !(ROLE_NAMES as readonly string[]).includes(p));
  if (parts.length === 0 || bad.length > 0)
    throw new Error(`--roles ${JSON.stringify(value)}: ${bad.length > 0 ? `unknown role ${bad.join(', ')}` : 'no role given'}; choose from ${ROLE_NAMES.join(', ')} or all (comma-separated)`);
  return ROLE_NAMES.filter((r) => parts.includes(r));
}

export interface RoleProcess {
  url: string;
  roles: readonly RoleName[];
  events: EventManager | null;
  tracker: Tracker | null;
  classifier: Classifier | null;
  /** Raw posts not yet classified and stored. */
  lag(): Promise<number>;
  /** Stops collection, finishes the batch in hand, and closes everything. */
  close(): Promise<void>;
}

/** Options for composing a process beyond its config: extra routes, and the roles that will not be in this process. */
export interface RoleProcessOptions {
  /** Registers more routes and readiness checks (the controller's) before the server listens. */
  extend?: (x: { app: FastifyInstance; metrics: VigilMetrics; checks: ReadinessCheck[]; bus: Bus }) => Promise<void> | void;
  /** Replaces GET /api/status (the controller answers for the processes it runs). */
  status?: (headers: Record<string, string>) => Promise<unknown>;
  /** The line saying the process is up (default "vigil is running"; role processes of `vigil run` say so instead). */
  announce?: string;
}

export async function openBus(config: Config, log: Logger): Promise<Bus> {
  if (config.bus === 'kafka')
    return KafkaBus.open({
      brokers: config.kafkaBrokers.split(','),
      rawPartitions: config.kafkaRawPartitions,
      rawRetentionHours: config.rawRetentionHours,
      replication: config.kafkaReplication,
      namespace: config.kafkaNamespace,
      warn: (m) => log.warn(m),
    });
  return FileLogBus.open({ dir: join(config.dataDir, 'bus'), warn: (m) => log.warn(m) });
}

function openStore(config: Config, db: () => Promise<DuckDb>): Promise<TweetStore> {
  if (config.store === 'cassandra')
    return CassandraTweetStore.open({
      contactPoints: config.cassandraContactPoints.split(','),
      localDataCenter: config.cassandraLocalDc,
      keyspace: config.cassandraKeyspace,
      replication: config.cassandraReplication,
      bucketMs: config.cassandraBucket,
    });
  return db().then((d) => DuckDbTweetStore.open(d));
}

/** The events as the event manager last published them (for roles running apart from it). */
function eventsFromBus(bus: Bus): { list(): Promise<VigilEvent[]> } {
  return {
    async list() {
      const latest = await bus.latest(TOPICS.events);
      if (!latest || latest.key !== EVENT_STATE_KEY || latest.value === null) return [];
      return decodeEventState(latest.value).events;
    },
  };
}

/** Roles apart from each other need a shared bus and store; says what to change when they are not. */
export function checkDistributable(config: Config, roles: readonly RoleName[], who = `roles ${roles.join(',')} run apart from the others, so they`): void {
  const together = DATA_ROLES.every((r) => roles.includes(r));
  if (together) return;
  const missing: string[] = [];
  if (config.bus !== 'kafka') missing.push('--bus kafka');
  if (config.store !== 'cassandra' && roles.some((r) => r === 'classifier' || r === 'analytics')) missing.push('--store cassandra');
  if (missing.length > 0)
    throw new Error(`${who} must share a bus and a store: add ${missing.join(' ')} (or run every role in one process with 'vigil start')`);
}

export async function startRoles(config: Config, roles: readonly RoleName[], log: Logger, options: RoleProcessOptions = {}): Promise<RoleProcess> {
  const has = (r: RoleName): boolean => roles.includes(r);
  if (has('analytics') && config.analytics === 'spark' && config.store !== 'cassandra')
    throw new Error('--analytics spark queries the rows in Cassandra (Spark cannot read the embedded store): add --store cassandra --bus kafka, or leave --analytics at duckdb');
  ownerOnlyFromNowOn();
  await secureDataDir(config.dataDir);
  const bus = await openBus(config, log);
  const closers: (() => Promise<void> | void)[] = [() => bus.close()];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.reverse()) await c();
  };
  let accountsHandle: DuckDb | null = null;
  /** The private database (accounts, sessions, tokens, credentials, audit, notebooks), out of reach of user SQL. */
  const accountsDatabase = async (): Promise<DuckDb> => {
    if (!accountsHandle) {
      // Data directories written before accounts had a database of their own kept them beside the rows: moved here.
      accountsHandle = await openAccountsDb(config.dataDir, has('events') || has('analytics') ? await db() : null, log);
      const opened = accountsHandle;
      closers.push(() => opened.close());
    }
    return accountsHandle;
  };
  let dbHandle: DuckDb | null = null;
  const db = async (): Promise<DuckDb> => {
    if (!dbHandle) {
      dbHandle = await openDuckDb(join(config.dataDir, 'vigil.duckdb'), { memoryLimit: config.duckdbMemoryLimit, threads: config.duckdbThreads });
      const opened = dbHandle;
      closers.push(() => opened.close());
    }
    return dbHandle;
  };
  try {
    const metrics = new VigilMetrics(roles);
    const checks: ReadinessCheck[] = [{ name: 'bus', check: async () => void (await bus.lag(TOPICS.raw, CLASSIFIER_GROUP)) }];
    const needsStore = has('classifier') || has('analytics');
    const store = needsStore ? await openStore(config, db) : null;
    if (store) {
      closers.push(() => store.close());
      checks.push({ name: 'store', check: async () => void (await store.eventStats('vigil readiness probe')) });
    }

    const events = has('events') ? new EventManager(await DuckDbEventRepository.open(await db()), bus) : null;
    await events?.start();

    const classifier = has('classifier')
      ? new Classifier(bus, store!, log, {
          workers: config.classifierWorkers,
          onBatch: (o, seconds) => {
            metrics.postsIn.inc(o.counts.lines);
            metrics.postsOut.inc(o.counts.rows);
            metrics.rejects.inc(o.counts.rejected);
            metrics.limited.inc(o.counts.limited);
            for (const [event, n] of Object.entries(o.matches)) metrics.matches.inc({ event }, n);
            metrics.storeLatency.observe(seconds);
          },
        })
      : null;
    if (classifier) {
      await classifier.start();
      closers.push(() => classifier.stop());
    }
    metrics.gaugeFrom('vigil_consumer_lag', 'Raw posts published but not yet classified and stored (classifier group lag)', () => bus.lag(TOPICS.raw, CLASSIFIER_GROUP));

    const coverage = has('tracker') ? new CoverageRecorder(bus, log, { gapMs: config.coverageGapMs, heartbeatMs: config.coverageHeartbeatMs }) : null;
    const tracker = has('tracker')
      ? new Tracker(bus, join(config.dataDir, 'replay-progress.json'), log, {
          activeFile: join(config.dataDir, 'replay-active.json'),
          handoverOverlapMs: config.handoverOverlapMs,
          coverage: coverage ?? undefined,
          onPublish: (source, n) => metrics.trackerPublished.inc({ source }, n),
        })
      : null;
    if (tracker) checks.push({ name: 'tracker', check: async () => {
      const r = tracker.ready();
      if (!r.ready) throw new Error(r.reason);
    } });

    const app = createServer(log, { maxConnections: config.maxConnections, longBody: isUpload });
    const withAuth = authEnabled(config);
    const accountsDb = has('events') ? await DuckDbAuthRepository.open(await accountsDatabase()) : null;
    if (accountsDb) closers.push(() => accountsDb.close());
    const auth = new AuthService(accountsDb, await loadSecret(config, log), log);
    if (!accountsDb && config.eventsUrl) auth.remote = remoteCredentialCheck(config.eventsUrl);
    if (!accountsDb && !config.eventsUrl && withAuth)
      log.warn('this process does not hold the accounts and has no --events-url: sessions and JWTs are checked by signature only, so a revoked one works until it expires; set --events-url');
    // The first start creates the admin account (sign in with the link printed below).
    if (accountsDb) await auth.bootstrap(process.env.VIGIL_ADMIN_PASSWORD || undefined);
    const names = new ServedNames({ listenHost: config.host, publicUrl: config.publicUrl, allowedHosts: config.allowedHosts });
    registerGate(app, { auth, enabled: withAuth, names });
    registerAuthRoutes(app, auth, { enabled: withAuth, secureCookies: config.cookieSecure, accounts: accountsDb !== null });
    registerHealthRoutes(app, { roles, checks, metrics });
    registerIndexRoutes(app);
    const eventList = events ?? eventsFromBus(bus);
    if (events) registerEventRoutes(app, events);
    if (has('analytics')) {
      const engine: QueryEngine =
        config.analytics === 'spark'
          ? new SparkQueryEngine({ url: config.sparkConnect, keyspace: config.cassandraKeyspace })
          : config.store === 'cassandra'
            ? new UnavailableQueryEngine('SQL over rows stored in Cassandra runs on Spark: start Vigil with --analytics spark --spark-connect sc://HOST:15002 (scripts/engines/spark.sh up starts one here); GET /api/events/:name/stats works without it')
            : new DuckDbQueryEngine(await db(), { memoryGrowthBytes: config.queryMemoryMb * 2 ** 20 });
      closers.push(() => engine.close());
      const gate = new QueryGate({ perUser: config.queriesPerUser, personSlots: config.querySlots, pageSlots: 2 });
      const notebooks = await DuckDbNotebookRepository.open(await accountsDatabase(), engine.dialect);
      /** The event as defined now and its history (null where the event manager runs apart). */
      const eventAbout = async (name: string) => ({ event: (await eventList.list()).find((e) => e.name === name) ?? null, history: events ? await events.history(name) : null });
      const coverageFor = (name: string, about: Awaited<ReturnType<typeof eventAbout>>, window: Partial<Interval>): Promise<CoverageReport> =>
        eventCoverage(store!, name, about, window, { gapThresholdMs: config.coverageGapMs, heartbeatMs: config.coverageHeartbeatMs });
      const coverageOf = async (name: string, window: Partial<Interval>): Promise<CoverageReport> => coverageFor(name, await eventAbout(name), window);
      const manifestAbout = async (name: string): Promise<ManifestAbout> => {
        const about = await eventAbout(name);
        return { ...about, version: VIGIL_VERSION, generatedAt: new Date().toISOString(), coverage: await coverageFor(name, about, {}) };
      };
      const exportSource = async (): Promise<ExportSource> => (config.store === 'cassandra' ? storeSource(store!) : duckDbSource(await db(), store!));
      const reclassifier = new Reclassifier(bus, store!, eventList, log);
      closers.push(() => reclassifier.close());
      registerReclassifyRoutes(app, reclassifier);
      registerAnalyticsRoutes(app, {
        store: store!,
        engine,
        gate,
        events: eventList,
        analytics: new Analytics(gate.forPages(engine)),
        notebooks,
        coverage: coverageOf,
        exportEvent: async (name, format, includeDeleted) =>
          format === 'bundle' ? exportBundle(await exportSource(), name, await manifestAbout(name)) : exportEvent(await exportSource(), name, format, includeDeleted),
        manifest: async (name) => eventManifest(await exportSource(), name, await manifestAbout(name)),
        limits: { maxRows: config.queryMaxRows, timeoutMs: config.queryTimeoutMs, maxSqlBytes: config.queryMaxSqlBytes, maxBytes: config.queryMaxBytes },
      });
    }
    if (has('events')) await registerWebUi(app);
    if (has('events') && !has('analytics') && config.analyticsUrl) {
      // The UI's one origin: analytics requests go on to the analytics role (on Kubernetes, its Service).
      const target = config.analyticsUrl;
      app.addHook('onRequest', async (req, reply) => {
        if (!isAnalyticsPath(req.url.split('?')[0])) return;
        reply.hijack();
        forward(req.raw, reply.raw, target);
      });
    }
    const statusOf = async (admin: boolean): Promise<unknown> => (admin ? fullStatus() : withoutHostPaths(await fullStatus()));
    const fullStatus = async (): Promise<Record<string, unknown>> => ({
      mode: DATA_ROLES.every(has) ? (config.bus === 'kafka' ? 'embedded roles over Kafka' : 'embedded') : `roles ${roles.join(',')}`,
      roles,
      bus: config.bus === 'kafka' ? { kind: 'kafka', brokers: config.kafkaBrokers } : { kind: 'embedded log' },
      store: config.store === 'cassandra' ? { kind: 'cassandra', contactPoints: config.cassandraContactPoints, keyspace: config.cassandraKeyspace } : { kind: 'duckdb' },
      dataDir: config.dataDir,
      tracker: tracker?.status() ?? null,
      trackerKeywords: config.trackKeywords ?? null,
      classifier: { ...(classifier?.status() ?? {}), lag: await bus.lag(TOPICS.raw, CLASSIFIER_GROUP) },
      keywords: { tracked: trackedKeywords(await eventList.list()), limit: EVENT_LIMITS.keywordsMax },
      rejectsStored: store ? await store.rejectCount() : null,
      deletionsStored: store ? await store.deletionCount() : null,
    });
    const custom = options.status;
    if (tracker) registerTrackerRoutes(app, tracker, statusOf, { imports: new ImportFolder(config.importDir), maxUploadBytes: config.importMaxBytes });
    else if (custom)
      app.get('/api/status', { config: { access: 'read' } }, async (req) => {
        const pass: Record<string, string> = {};
        for (const h of ['cookie', 'authorization'] as const) if (typeof req.headers[h] === 'string') pass[h] = req.headers[h];
        return custom(pass);
      });
    else app.get('/api/status', { config: { access: 'read' } }, async (req) => statusOf(req.identity?.role === 'admin'));
    await options.extend?.({ app, metrics, checks, bus });

    await app.listen({ port: config.port, host: config.host });
    closers.push(() => app.close());
    if (tracker) closers.push(() => tracker.stop());
    if (coverage) closers.push(() => coverage.close());
    const { port } = app.server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const hints = options.announce === undefined;
    if (tracker) {
      if (config.source === 'twitter-v1' && !config.replay) {
        const credentials = twitterCredentials();
        const make = (conn: TrackerConnection): TwitterStreamSource =>
          new TwitterStreamSource({ url: config.twitterStreamUrl, credentials, track: conn.keywords, follow: conn.follow, locations: conn.locations, stallMs: config.streamStallMs, onReconnect: () => metrics.sourceReconnects.inc({ source: 'twitter-v1' }) });
        // Under the controller the keywords come with the process (one connection); alone, the tracker follows the events.
        const fixed = config.trackKeywords;
        const other = config.trackTargets ?? { follow: [], locations: [] };
        const plan = fixed
          ? async () => (fixed.length + other.follow.length + other.locations.length > 0 ? [{ id: 'tracker-0', source: 'twitter-v1' as const, keywords: fixed, ...other, hash: 'fixed' }] : [])
          : async () => planTrackers(await eventList.list(), 'twitter-v1');
        await tracker.followPlan(plan, make);
      } else if (config.source === 'x-v2' && !config.replay) {
        const bearer = process.env.VIGIL_X_BEARER_TOKEN;
        if (!bearer) throw new Error('--source x-v2 needs the app\'s bearer token: set VIGIL_X_BEARER_TOKEN (README: Live sources)');
        // The keywords live on X as rules, one per event (tagged with its name), synced as the events change.
        const sync = new XRuleSync(new XRulesClient(config.xApiUrl, bearer), () => eventList.list(), (m) => log.error('X stream rules could not be updated; retrying', { reason: m }));
        await sync.start();
        closers.push(() => sync.stop());
        await tracker.follow(new XStreamSource({ base: config.xApiUrl, bearer, onReconnect: () => metrics.sourceReconnects.inc({ source: 'x-v2' }) }));
      } else if (config.source === 'mastodon' && !config.replay) {
        await tracker.follow(
          new MastodonSource({ instance: config.mastodonUrl, stream: config.mastodonStream, token: process.env.VIGIL_MASTODON_TOKEN || undefined, onReconnect: () => metrics.sourceReconnects.inc({ source: 'mastodon' }) }),
        );
      } else if (config.source === 'jetstream' && !config.replay)
        // One connection; replaced make-before-break when the DIDs it is limited to change (see planTrackers).
        await tracker.followPlan(
          async () => planTrackers(await eventList.list(), 'jetstream'),
          (conn) =>
            new JetstreamSource({
              url: config.jetstreamUrl,
              cursorFile: join(config.dataDir, 'jetstream-cursor.json'),
              wantedDids: conn.follow,
              onReconnect: () => metrics.sourceReconnects.inc({ source: 'jetstream' }),
            }),
        );
      else if (config.replay) await tracker.replay(config.replay, config.rate);
      else if (await tracker.resume()) log.info('carrying on the replay of the previous run');
      else if (hints) log.info(`no source configured: restart with --replay FILE.jsonl [--rate N], or upload an archive in the UI (or: vigil import FILE)`);
    }
    const cliTokenFile = join(config.dataDir, 'cli-token');
    const bearer = withAuth ? ` -H "Authorization: Bearer $(cat ${cliTokenFile})"` : '';
    if (withAuth && accountsDb) await auth.ensureCliToken(cliTokenFile);
    if (hints && events && (await events.list()).filter((e) => e.active).length === 0)
      log.info(`no active events yet: add one in the UI, or  curl -X POST ${url}/api/events${bearer} -H 'content-type: application/json' -d '{"name":"2012 Hurricane Sandy","keywords":["sandy","flooding"]}'`);
    if (hints && has('events')) log.info(`endpoints: ${API_INDEX.map((e) => `${e.method} ${e.path}`).join(', ')}`);
    if (!withAuth) log.warn(`accounts are OFF (--auth off): anyone who can reach ${url}, any other user of this machine included, acts as admin; leave --auth on unless this machine is yours alone`);
    if (withAuth && accountsDb) {
      const browser = config.publicUrl?.replace(/\/$/u, '') ?? (['0.0.0.0', '::'].includes(config.host) ? `http://127.0.0.1:${port}` : url);
      log.info(`sign in: open ${browser}/signin?code=${await auth.signInCode()} in your browser (good once, for an hour; \`vigil login\` prints a new one)`);
    }
    log.info(options.announce ?? 'vigil is running', {
      url,
      roles: roles.join(','),
      auth: withAuth ? 'on' : 'off',
      data: config.dataDir,
      bus: config.bus === 'kafka' ? `kafka ${config.kafkaBrokers}` : 'embedded',
      store: config.store === 'cassandra' ? `cassandra ${config.cassandraContactPoints}/${config.cassandraKeyspace}` : 'duckdb',
    });

    return { url, roles, events, tracker, classifier, lag: () => bus.lag(TOPICS.raw, CLASSIFIER_GROUP), close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
