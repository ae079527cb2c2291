// All configuration in one validated place: defaults, then environment variables, then command-line flags.

import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

export interface ConfigEntry {
  key: keyof Config;
  env: string;
  flag: string;
  default: string;
  doc: string;
}

/** The table the README documents; `vigil --help` prints it too. */
export const CONFIG_ENTRIES: ConfigEntry[] = [
  { key: 'port', env: 'VIGIL_PORT', flag: '--port', default: '8080', doc: 'HTTP port of the API (0 picks a free one)' },
  { key: 'host', env: 'VIGIL_HOST', flag: '--host', default: '127.0.0.1', doc: 'address to listen on (0.0.0.0 for all; beyond loopback, accounts turn on)' },
  { key: 'dataDir', env: 'VIGIL_DATA', flag: '--data', default: './vigil-data', doc: 'directory holding the database, the bus log and offsets' },
  { key: 'bus', env: 'VIGIL_BUS', flag: '--bus', default: 'embedded', doc: 'embedded (a durable log under --data) or kafka' },
  { key: 'kafkaBrokers', env: 'VIGIL_KAFKA_BROKERS', flag: '--kafka-brokers', default: '127.0.0.1:9092', doc: 'Kafka bootstrap brokers, host:port,...' },
  { key: 'rawRetentionHours', env: 'VIGIL_RAW_RETENTION_HOURS', flag: '--raw-retention-hours', default: '168', doc: 'how long Kafka keeps raw posts (vigil.raw, set when Vigil creates it): how far back re-classification reaches; the embedded log keeps everything' },
  { key: 'kafkaRawPartitions', env: 'VIGIL_KAFKA_RAW_PARTITIONS', flag: '--kafka-raw-partitions', default: '12', doc: 'partitions of vigil.raw when Vigil creates it' },
  { key: 'kafkaReplication', env: 'VIGIL_KAFKA_REPLICATION', flag: '--kafka-replication', default: '1', doc: 'replication factor of the topics Vigil creates' },
  { key: 'kafkaNamespace', env: 'VIGIL_KAFKA_NAMESPACE', flag: '--kafka-namespace', default: '(none)', doc: 'prefix of topic and group names, to share a cluster' },
  { key: 'store', env: 'VIGIL_STORE', flag: '--store', default: 'duckdb', doc: 'duckdb (embedded, under --data) or cassandra' },
  { key: 'analytics', env: 'VIGIL_ANALYTICS', flag: '--analytics', default: 'duckdb', doc: 'the query engine of the notebook, the ready analyses and POST /api/query: duckdb (over the embedded store) or spark (over Cassandra, through Spark Connect)' },
  { key: 'sparkConnect', env: 'VIGIL_SPARK_CONNECT', flag: '--spark-connect', default: 'sc://127.0.0.1:15002', doc: 'the Spark Connect server for --analytics spark (its catalog `cassandra` must reach the same Cassandra)' },
  { key: 'cassandraContactPoints', env: 'VIGIL_CASSANDRA_CONTACT_POINTS', flag: '--cassandra-contact-points', default: '127.0.0.1:9042', doc: 'Cassandra nodes, host:port,...' },
  { key: 'cassandraLocalDc', env: 'VIGIL_CASSANDRA_LOCAL_DC', flag: '--cassandra-local-dc', default: 'datacenter1', doc: 'data center of the contact points' },
  { key: 'cassandraKeyspace', env: 'VIGIL_CASSANDRA_KEYSPACE', flag: '--cassandra-keyspace', default: 'twitter_analytics', doc: 'keyspace (created when missing)' },
  { key: 'cassandraReplication', env: 'VIGIL_CASSANDRA_REPLICATION', flag: '--cassandra-replication', default: "{'class': 'SimpleStrategy', 'replication_factor': 1}", doc: 'replication of a keyspace Vigil creates' },
  { key: 'cassandraBucket', env: 'VIGIL_CASSANDRA_BUCKET', flag: '--cassandra-bucket', default: '1d', doc: 'time bucket of a tweet partition: 1h, 6h, 1d, 7d …' },
  { key: 'replay', env: 'VIGIL_REPLAY', flag: '--replay', default: '(none)', doc: 'JSONL file (gzip allowed) to stream as if live' },
  { key: 'rate', env: 'VIGIL_REPLAY_RATE', flag: '--rate', default: '0', doc: 'replay lines per second; 0 = as fast as possible' },
  { key: 'classifierWorkers', env: 'VIGIL_CLASSIFIER_WORKERS', flag: '--classifier-workers', default: 'CPU cores', doc: 'worker threads that parse and match posts; 0 = on the main thread' },
  { key: 'auth', env: 'VIGIL_AUTH', flag: '--auth', default: 'on', doc: 'accounts and roles: on (the default, loopback included), or off (anyone who reaches the port is admin; a warning is logged)' },
  { key: 'publicUrl', env: 'VIGIL_PUBLIC_URL', flag: '--public-url', default: '(none)', doc: 'the address people use to reach Vigil (e.g. https://vigil.example.org behind a TLS proxy): its host is served and its origin may make changes' },
  { key: 'allowedHosts', env: 'VIGIL_ALLOWED_HOSTS', flag: '--allowed-hosts', default: '(none)', doc: 'more names requests may be sent to, comma-separated (a Kubernetes Service, a proxy); loopback names and the listen address always are' },
  { key: 'importDir', env: 'VIGIL_IMPORT_DIR', flag: '--import-dir', default: '<data>/imports', doc: 'the only folder replays and imports read from (uploads land here)' },
  { key: 'importMaxBytes', env: 'VIGIL_IMPORT_MAX_BYTES', flag: '--import-max-bytes', default: '107374182400', doc: 'largest file an upload may bring (bytes; 100 GiB)' },
  { key: 'maxConnections', env: 'VIGIL_MAX_CONNECTIONS', flag: '--max-connections', default: '1024', doc: 'most HTTP connections open at once (never more than half the open-file limit); at the cap the longest-waiting idle or slow one is closed' },
  { key: 'jwtSecret', env: 'VIGIL_JWT_SECRET', flag: '--jwt-secret', default: '(generated into <data>/secret.key)', doc: 'key that signs sessions and JWTs and seals credentials; the same on every role' },
  { key: 'cookieSecure', env: 'VIGIL_COOKIE_SECURE', flag: '--cookie-secure', default: 'true', doc: 'mark session cookies Secure (browsers accept them on https and on localhost)' },
  { key: 'queryMaxRows', env: 'VIGIL_QUERY_MAX_ROWS', flag: '--query-max-rows', default: '10000', doc: 'most rows a query returns' },
  { key: 'queryTimeoutMs', env: 'VIGIL_QUERY_TIMEOUT_MS', flag: '--query-timeout-ms', default: '30000', doc: 'a query running longer is stopped (counted from when the request arrived)' },
  { key: 'queryMaxSqlBytes', env: 'VIGIL_QUERY_MAX_SQL_BYTES', flag: '--query-max-sql-bytes', default: '65536', doc: 'longest SQL text a query may have' },
  { key: 'queryMaxBytes', env: 'VIGIL_QUERY_MAX_BYTES', flag: '--query-max-bytes', default: '33554432', doc: 'most bytes of answer (JSON) a query returns; the rows after that are cut' },
  { key: 'queryMemoryMb', env: 'VIGIL_QUERY_MEMORY_MB', flag: '--query-memory-mb', default: '1024', doc: "a person's query that grows Vigil's memory by more than this is stopped" },
  { key: 'queriesPerUser', env: 'VIGIL_QUERIES_PER_USER', flag: '--queries-per-user', default: '2', doc: 'queries one person may run at once (more: 429)' },
  { key: 'querySlots', env: 'VIGIL_QUERY_SLOTS', flag: '--query-slots', default: '3', doc: "people's queries running at once (more wait); the event pages have slots of their own" },
  { key: 'duckdbMemoryLimit', env: 'VIGIL_DUCKDB_MEMORY_LIMIT', flag: '--duckdb-memory-limit', default: '1GB', doc: "DuckDB's memory_limit for the embedded database (beyond it, DuckDB spills to disk or stops the query)" },
  { key: 'duckdbThreads', env: 'VIGIL_DUCKDB_THREADS', flag: '--duckdb-threads', default: 'CPU cores', doc: 'threads DuckDB runs queries and writes with' },
  { key: 'logFormat', env: 'VIGIL_LOG_FORMAT', flag: '--log-format', default: 'text', doc: 'log lines as text or json' },
  { key: 'roles', env: 'VIGIL_ROLES', flag: '--roles', default: 'all', doc: 'vigil run: roles of this process, comma-separated: events, tracker, classifier, analytics, controller, or all' },
  { key: 'orchestrator', env: 'VIGIL_ORCHESTRATOR', flag: '--orchestrator', default: 'local', doc: 'how the controller runs trackers and classifiers: local (child processes) or kubernetes' },
  { key: 'source', env: 'VIGIL_SOURCE', flag: '--source', default: 'replay', doc: 'the streaming source: replay (archives, --replay or POST /api/replay), jetstream (Bluesky, live, no credentials) twitter-v1 (statuses/filter, OAuth 1.0a) x-v2 (filtered stream, bearer token) or mastodon (streaming API)' },
  { key: 'twitterStreamUrl', env: 'VIGIL_TWITTER_STREAM_URL', flag: '--twitter-stream-url', default: 'https://stream.twitter.com/1.1/statuses/filter.json', doc: 'the v1.1 filter endpoint for --source twitter-v1 (credentials: VIGIL_TWITTER_CONSUMER_KEY, _CONSUMER_SECRET, _TOKEN, _TOKEN_SECRET)' },
  { key: 'streamStallMs', env: 'VIGIL_STREAM_STALL_MS', flag: '--stream-stall-ms', default: '90000', doc: 'a Twitter v1.1 or X stream silent this long (not even a keep-alive) is dropped and reconnected' },
  { key: 'coverageGapMs', env: 'VIGIL_COVERAGE_GAP_MS', flag: '--coverage-gap-ms', default: '60000', doc: 'a source silent for longer than this is a gap in the coverage report' },
  { key: 'coverageHeartbeatMs', env: 'VIGIL_COVERAGE_HEARTBEAT_MS', flag: '--coverage-heartbeat-ms', default: '30000', doc: 'how often a tracker records that its connections are up (a silent tracker counts as down)' },
  { key: 'handoverOverlapMs', env: 'VIGIL_HANDOVER_OVERLAP_MS', flag: '--handover-overlap-ms', default: '2000', doc: 'how long a replaced tracker connection runs beside the new one (make-before-break)' },
  { key: 'xApiUrl', env: 'VIGIL_X_API_URL', flag: '--x-api-url', default: 'https://api.x.com', doc: 'the X API for --source x-v2 (bearer token: VIGIL_X_BEARER_TOKEN)' },
  { key: 'mastodonUrl', env: 'VIGIL_MASTODON_URL', flag: '--mastodon-url', default: 'https://mastodon.social', doc: 'the instance for --source mastodon (optional token: VIGIL_MASTODON_TOKEN)' },
  { key: 'mastodonStream', env: 'VIGIL_MASTODON_STREAM', flag: '--mastodon-stream', default: 'public', doc: 'public, public:local or hashtag:TAG' },
  { key: 'jetstreamUrl', env: 'VIGIL_JETSTREAM_URL', flag: '--jetstream-url', default: 'wss://jetstream2.us-east.bsky.network/subscribe', doc: 'the Jetstream instance to follow with --source jetstream' },
  { key: 'trackKeywords', env: 'VIGIL_TRACK_KEYWORDS', flag: '--track-keywords', default: '(none)', doc: "a tracker connection's keywords as a JSON array (set by the controller)" },
  { key: 'trackTargets', env: 'VIGIL_TRACK_TARGETS', flag: '--track-targets', default: '(none)', doc: 'a tracker connection\'s other targets as JSON {"follow":[ids],"locations":[[w,s,e,n]]} (set by the controller)' },
  { key: 'classifiersMin', env: 'VIGIL_CLASSIFIERS_MIN', flag: '--classifiers-min', default: '1', doc: 'fewest classifier replicas the controller runs' },
  { key: 'classifiersMax', env: 'VIGIL_CLASSIFIERS_MAX', flag: '--classifiers-max', default: '4', doc: 'most classifier replicas the controller runs' },
  { key: 'lagPerClassifier', env: 'VIGIL_LAG_PER_CLASSIFIER', flag: '--lag-per-classifier', default: '20000', doc: 'consumer lag one classifier replica is expected to absorb; more adds replicas' },
  { key: 'scaleIntervalMs', env: 'VIGIL_SCALE_INTERVAL_MS', flag: '--scale-interval-ms', default: '5000', doc: 'how often the controller reads the lag and rescales' },
  { key: 'analyticsUrl', env: 'VIGIL_ANALYTICS_URL', flag: '--analytics-url', default: '(none)', doc: 'where the events role forwards analytics requests when analytics runs apart (e.g. http://vigil-analytics:8080)' },
  { key: 'eventsUrl', env: 'VIGIL_EVENTS_URL', flag: '--events-url', default: '(none)', doc: 'where a role process without the accounts checks API tokens (the events role, e.g. http://vigil:8080)' },
  { key: 'kubeNamespace', env: 'VIGIL_KUBE_NAMESPACE', flag: '--kube-namespace', default: '(the pod\'s, else default)', doc: 'namespace the Kubernetes orchestrator works in' },
  { key: 'kubeImage', env: 'VIGIL_IMAGE', flag: '--image', default: 'vigil:0.1.0', doc: 'container image of the pods the controller creates' },
  { key: 'kubeOwner', env: 'VIGIL_KUBE_OWNER', flag: '--kube-owner', default: 'vigil-controller', doc: "Deployment that owns what the controller creates (deleting it deletes them)" },
];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A setting holding JSON text, checked against `schema`; `expected` says what it must be. */
function jsonSetting<T extends z.ZodType>(schema: T, expected: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx): z.output<T> | undefined => {
      if (v === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        parsed = undefined;
      }
      const r = schema.safeParse(parsed);
      if (r.success) return r.data;
      ctx.addIssue({ code: 'custom', message: `must be ${expected}` });
      return z.NEVER;
    });
}

export const ConfigSchema = z.object({
  port: int(0, 65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./vigil-data'),
  bus: z.enum(['embedded', 'kafka']).default('embedded'),
  kafkaBrokers: z
    .string()
    .regex(/^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$/u, 'must be host:port[,host:port...]')
    .default('127.0.0.1:9092'),
  kafkaRawPartitions: int(1, 1000).default(12),
  rawRetentionHours: int(1, 87_600).default(168),
  kafkaReplication: int(1, 10).default(1),
  kafkaNamespace: z.string().regex(/^[A-Za-z0-9._-]*$/u, 'letters, digits, ".", "_" and "-" only').default(''),
  store: z.enum(['duckdb', 'cassandra']).default('duckdb'),
  analytics: z.enum(['duckdb', 'spark']).default('duckdb'),
  sparkConnect: z.string().regex(/^sc:\/\/[^\s/:;]+(:\d{1,5})?\/?(;[^;=\s]+=[^;\s]*)*$/u, 'must be a Spark Connect URL like sc://127.0.0.1:15002').default('sc://127.0.0.1:15002'),
  cassandraContactPoints: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/u, 'must be host[:port][,host[:port]...]').default('127.0.0.1:9042'),
  cassandraLocalDc: z.string().min(1).default('datacenter1'),
  cassandraKeyspace: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,47}$/u, 'letters, digits and _, starting with a letter').default('twitter_analytics'),
  cassandraReplication: z.string().regex(/^\{.*\}$/u, "must be a CQL map like {'class': 'NetworkTopologyStrategy', 'dc1': 3}").default("{'class': 'SimpleStrategy', 'replication_factor': 1}"),
  cassandraBucket: z
    .string()
    .regex(/^\d+[hd]$/u, 'must be a number of hours or days, like 1h, 6h, 1d, 7d')
    .default('1d')
    .transform((v) => Number(v.slice(0, -1)) * (v.endsWith('h') ? 3_600_000 : 86_400_000)),
  replay: z.string().min(1).optional(),
  rate: z.coerce.number().min(0).default(0),
  classifierWorkers: int(0, 64).default(Math.min(8, availableParallelism())),
  auth: z.enum(['on', 'off', 'auto']).default('on').transform((v) => (v === 'auto' ? 'on' : v)),
  publicUrl: z.string().url('must be a URL like https://vigil.example.org').optional(),
  allowedHosts: z.string().default('').transform((v) => v.split(',').map((h) => h.trim()).filter((h) => h !== '')),
  importDir: z.string().min(1).optional(),
  importMaxBytes: z.coerce.number().int().min(1).default(107_374_182_400),
  maxConnections: int(16, 1_000_000).default(1024),
  jwtSecret: z.string().min(32, 'must be at least 32 characters').optional(),
  cookieSecure: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  queryMaxRows: int(1, 10_000_000).default(10_000),
  queryTimeoutMs: int(100, 3_600_000).default(30_000),
  queryMaxSqlBytes: int(64, 10_000_000).default(65_536),
  queryMaxBytes: int(1024, 2_000_000_000).default(33_554_432),
  queryMemoryMb: int(16, 1_000_000).default(1024),
  queriesPerUser: int(1, 100).default(2),
  querySlots: int(1, 100).default(3),
  duckdbMemoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/iu, 'must be a size like 512MB or 2GB').default('1GB'),
  duckdbThreads: int(1, 256).default(availableParallelism()),
  logFormat: z.enum(['text', 'json']).default('text'),
  roles: z.string().min(1).default('all'),
  orchestrator: z.enum(['local', 'kubernetes']).default('local'),
  source: z.enum(['replay', 'jetstream', 'twitter-v1', 'x-v2', 'mastodon']).default('replay'),
  mastodonUrl: z.string().regex(/^https?:\/\/\S+$/u, 'must be the instance URL, like https://mastodon.social').default('https://mastodon.social'),
  mastodonStream: z.string().regex(/^(public|public:local|hashtag(:local)?:[^\s:]+)$/u, 'must be public, public:local or hashtag:TAG').default('public'),
  xApiUrl: z.string().url('must be a URL').default('https://api.x.com'),
  handoverOverlapMs: int(0, 600_000).default(2000),
  streamStallMs: int(100, 3_600_000).default(90_000),
  coverageGapMs: int(100, 86_400_000).default(60_000),
  coverageHeartbeatMs: int(100, 3_600_000).default(30_000),
  twitterStreamUrl: z.string().url('must be a URL').default('https://stream.twitter.com/1.1/statuses/filter.json'),
  jetstreamUrl: z.string().regex(/^wss?:\/\/\S+$/u, 'must be a ws:// or wss:// URL').default('wss://jetstream2.us-east.bsky.network/subscribe'),
  trackKeywords: jsonSetting(z.array(z.string()), 'a JSON array of strings, like ["sandy","flooding"]'),
  trackTargets: jsonSetting(
    z.object({ follow: z.array(z.string()).default([]), locations: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])).default([]) }).strict(),
    'JSON like {"follow":["783214"],"locations":[[-74.3,40.5,-73.7,40.9]]}',
  ),
  classifiersMin: int(0, 100).default(1),
  classifiersMax: int(1, 100).default(4),
  lagPerClassifier: int(1, 100_000_000).default(20_000),
  scaleIntervalMs: int(200, 3_600_000).default(5000),
  analyticsUrl: z.string().url('must be a URL like http://vigil-analytics:8080').optional(),
  eventsUrl: z.string().url('must be a URL like http://vigil:8080').optional(),
  kubeNamespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/u, 'must be a Kubernetes namespace name').optional(),
  kubeImage: z.string().min(1).default('vigil:0.1.0'),
  kubeOwner: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/u, 'must be a Deployment name').default('vigil-controller'),
}).refine((c) => c.classifiersMin <= c.classifiersMax, { message: 'classifiers-min must not exceed classifiers-max', path: ['classifiersMin'] });

/** The settings, with paths resolved (the import folder defaults to <data>/imports). */
export type Config = Omit<z.infer<typeof ConfigSchema>, 'importDir'> & { importDir: string };

/**
 * Reads a settings file for --config: a JSON object, or lines of VIGIL_NAME=value (# starts a comment). Keys may be
 * the environment names (VIGIL_BUS), the flags without dashes (bus, kafka-brokers) or the setting names (kafkaBrokers).
 * Returns the settings as environment variables, to sit between the defaults and the real environment.
 */
export function parseConfigFile(text: string, file: string): Record<string, string> {
  const byAnyName = new Map<string, ConfigEntry>();
  for (const e of CONFIG_ENTRIES) for (const n of [e.env, e.flag.slice(2), e.key]) byAnyName.set(n, e);
  const pairs: [string, unknown][] = [];
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
    }
    pairs.push(...Object.entries(parsed as Record<string, unknown>));
  } else {
    text.split(/\r?\n/u).forEach((line, i) => {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) return;
      const eq = t.indexOf('=');
      if (eq < 1) throw new Error(`${file}:${i + 1}: expected NAME=value, got ${JSON.stringify(t)}`);
      pairs.push([t.slice(0, eq).trim(), t.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/u, '$2')]);
    });
  }
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [k, v] of pairs) {
    const e = byAnyName.get(k);
    if (!e) unknown.push(k);
    else out[e.env] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (unknown.length > 0) throw new Error(`${file}: unknown setting ${unknown.join(', ')}; the settings are listed by 'vigil --help'`);
  return out;
}

/**
 * Builds the configuration from the environment and flags (flags win). Throws one message naming every bad setting
 * and where it came from.
 */
export function loadConfig(flags: Partial<Record<keyof Config, string | undefined>>, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  const origin: Record<string, string> = {};
  for (const e of CONFIG_ENTRIES) {
    const fromFlag = flags[e.key];
    const fromEnv = env[e.env];
    if (fromFlag !== undefined) {
      raw[e.key] = fromFlag;
      origin[e.key] = e.flag;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[e.key] = fromEnv;
      origin[e.key] = e.env;
    }
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      return `${origin[key] ?? key} = ${JSON.stringify(raw[key])}: ${i.message}`;
    });
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const dataDir = resolve(parsed.data.dataDir);
  return { ...parsed.data, dataDir, importDir: resolve(dataDir, parsed.data.importDir ?? 'imports') };
}

/** Whether accounts are enforced: always, unless turned off explicitly (--auth off). */
export function authEnabled(c: Pick<Config, 'auth'>): boolean {
  return c.auth !== 'off';
}
