// Embedded mode: every role in one process, everything kept under the data directory.
//   <data>/bus/        the durable log (topics vigil.events, vigil.raw) and consumer offsets (unless --bus kafka)
//   <data>/vigil.duckdb events, tweet rows, rejects
//   <data>/replay-progress.json how far each replayed file was published

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { FileLogBus } from '../adapters/filelog/file-log-bus.js';
import { openDuckDb } from '../adapters/duckdb/database.js';
import { DuckDbEventRepository } from '../adapters/duckdb/event-repository.js';
import { DuckDbQueryEngine } from '../adapters/duckdb/query-engine.js';
import { DuckDbTweetStore } from '../adapters/duckdb/store.js';
import { TOPICS, type Bus, type QueryEngine, type TweetStore } from '../core/ports.js';
import { CassandraTweetStore } from '../adapters/cassandra/store.js';
import { UnavailableQueryEngine } from '../adapters/unavailable-query-engine.js';
import { KafkaBus } from '../adapters/kafka/kafka-bus.js';
import { EVENT_LIMITS, trackedKeywords } from '../core/event.js';
import { DuckDbNotebookRepository } from '../adapters/duckdb/notebook-repository.js';
import { exportEvent } from '../adapters/duckdb/export.js';
import { Analytics } from '../roles/analytics.js';
import { registerWebUi } from '../http/web-ui.js';
import { authEnabled, type Config } from '../config.js';
import { DuckDbAuthRepository } from '../adapters/duckdb/auth-repository.js';
import { AuthService } from '../roles/auth.js';
import { registerAuth } from '../http/auth-routes.js';
import { loadSecret } from './secret.js';
import { registerAnalyticsRoutes } from '../http/analytics-routes.js';
import { registerEventRoutes } from '../http/event-routes.js';
import { API_INDEX, registerIndexRoutes } from '../http/index-routes.js';
import { createServer } from '../http/server.js';
import { registerTrackerRoutes } from '../http/tracker-routes.js';
import { Classifier, CLASSIFIER_GROUP } from '../roles/classifier.js';
import { EventManager } from '../roles/event-manager.js';
import { Tracker } from '../roles/tracker.js';
import type { Logger } from '../util/log.js';

export interface EmbeddedRuntime {
  url: string;
  events: EventManager;
  tracker: Tracker;
  classifier: Classifier;
  /** Raw posts not yet classified and stored. */
  lag(): Promise<number>;
  /** Stops collection, finishes the batch in hand, and closes everything. */
  close(): Promise<void>;
}

export async function startEmbedded(config: Config, log: Logger): Promise<EmbeddedRuntime> {
  await mkdir(config.dataDir, { recursive: true });
  const bus: Bus =
    config.bus === 'kafka'
      ? await KafkaBus.open({
          brokers: config.kafkaBrokers.split(','),
          rawPartitions: config.kafkaRawPartitions,
          replication: config.kafkaReplication,
          namespace: config.kafkaNamespace,
          warn: (m) => log.warn(m),
        })
      : await FileLogBus.open({ dir: join(config.dataDir, 'bus'), warn: (m) => log.warn(m) });
  const db = await openDuckDb(join(config.dataDir, 'vigil.duckdb'));
  const closers: (() => Promise<void> | void)[] = [() => db.close(), () => bus.close()];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const repo = await DuckDbEventRepository.open(db);
    const store: TweetStore =
      config.store === 'cassandra'
        ? await CassandraTweetStore.open({
            contactPoints: config.cassandraContactPoints.split(','),
            localDataCenter: config.cassandraLocalDc,
            keyspace: config.cassandraKeyspace,
            replication: config.cassandraReplication,
            bucketMs: config.cassandraBucket,
          })
        : await DuckDbTweetStore.open(db);
    const engine: QueryEngine =
      config.store === 'cassandra'
        ? new UnavailableQueryEngine('SQL over rows stored in Cassandra needs the Spark engine, which is not built yet; GET /api/events/:name/stats works, and so does the embedded store (--store duckdb)')
        : new DuckDbQueryEngine(db);
    const notebooks = await DuckDbNotebookRepository.open(db);
    closers.push(() => store.close(), () => engine.close());

    const events = new EventManager(repo, bus);
    await events.start();
    const classifier = new Classifier(bus, store, log, { workers: config.classifierWorkers });
    await classifier.start();
    closers.push(() => classifier.stop());
    const tracker = new Tracker(bus, join(config.dataDir, 'replay-progress.json'), log);

    const app = createServer(log);
    const authRepo = await DuckDbAuthRepository.open(db);
    const auth = new AuthService(authRepo, await loadSecret(config, log), log);
    const withAuth = authEnabled(config);
    if (withAuth) await auth.bootstrap(process.env.VIGIL_ADMIN_PASSWORD || undefined);
    registerAuth(app, auth, { enabled: withAuth, secureCookies: config.cookieSecure });
    registerIndexRoutes(app);
    registerEventRoutes(app, events);
    registerAnalyticsRoutes(app, {
      store,
      engine,
      events,
      analytics: new Analytics(engine),
      notebooks,
      exportEvent: (name, format) => exportEvent(db, name, format),
      limits: { maxRows: config.queryMaxRows, timeoutMs: config.queryTimeoutMs },
    });
    await registerWebUi(app);
    registerTrackerRoutes(app, tracker, async () => ({
      mode: config.bus === 'kafka' ? 'embedded roles over Kafka' : 'embedded',
      bus: config.bus === 'kafka' ? { kind: 'kafka', brokers: config.kafkaBrokers } : { kind: 'embedded log' },
      store: config.store === 'cassandra' ? { kind: 'cassandra', contactPoints: config.cassandraContactPoints, keyspace: config.cassandraKeyspace } : { kind: 'duckdb' },
      dataDir: config.dataDir,
      tracker: tracker.status(),
      classifier: { ...classifier.status(), lag: await bus.lag(TOPICS.raw, CLASSIFIER_GROUP) },
      keywords: { tracked: trackedKeywords(await events.list()), limit: EVENT_LIMITS.keywordsMax },
      rejectsStored: await store.rejectCount(),
    }));
    await app.listen({ port: config.port, host: config.host });
    closers.push(() => app.close(), () => tracker.stop());
    const { port } = app.server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    if (config.replay) await tracker.replay(config.replay, config.rate);
    const active = (await events.list()).filter((e) => e.active).length;
    if (active === 0)
      log.info(`no active events yet: add one with  curl -X POST ${url}/api/events -H 'content-type: application/json' -d '{"name":"2012 Hurricane Sandy","keywords":["sandy","flooding"]}'`);
    if (!config.replay)
      log.info(`no source configured: restart with --replay FILE.jsonl [--rate N], or  curl -X POST ${url}/api/replay -H 'content-type: application/json' -d '{"file":"/path/to/posts.jsonl"}'`);
    log.info(`endpoints: ${API_INDEX.map((e) => `${e.method} ${e.path}`).join(', ')}`);
    if (!withAuth) log.info('accounts are off (loopback only); --auth on, or listening beyond loopback, turns them on');
    log.info('vigil is running', { url, auth: withAuth ? 'on' : 'off', data: config.dataDir, bus: config.bus === 'kafka' ? `kafka ${config.kafkaBrokers}` : 'embedded', store: config.store === 'cassandra' ? `cassandra ${config.cassandraContactPoints}/${config.cassandraKeyspace}` : 'duckdb' });

    return { url, events, tracker, classifier, lag: () => bus.lag(TOPICS.raw, CLASSIFIER_GROUP), close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
