// The settings of Vigil's own components (the adapters declare theirs in their plugin files).

import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { group, int, jsonSetting, setting } from './setting.js';

/**
 * A worker per core but one: the main thread (the log, the store's statements) and DuckDB's thread take that one. On
 * 2 cores one worker imported as fast as two with 8–20% less CPU and about 70 MB less memory (BENCHMARKS.md).
 */
export const DEFAULT_CLASSIFIER_WORKERS = Math.max(1, Math.min(8, availableParallelism() - 1));

/**
 * One more worker than the default, started only when the workers are all busy and a core idles (a bulk import once
 * the file is read): on 2 cores, 1,000 events, alternated 200,000-post imports 9–21% more posts/s in 7 of 8 pairs
 * (BENCHMARKS.md).
 */
export const DEFAULT_CLASSIFIER_WORKERS_MAX = Math.max(1, Math.min(8, availableParallelism()));

/** The most classifier workers the settings allow: the setting, else the default but never fewer than start. */
export function classifierWorkersMax(c: { classifierWorkers: number; classifierWorkersMax?: number }): number {
  return c.classifierWorkersMax ?? Math.max(c.classifierWorkers, DEFAULT_CLASSIFIER_WORKERS_MAX);
}

export const SERVER = group('Server', {
  port: setting('--port', 'HTTP port of the API and UI (0 picks a free one)', int(0, 65535).default(8080)),
  host: setting('--host', 'address to listen on (0.0.0.0 for every address of the machine)', z.string().min(1).default('127.0.0.1')),
  dataDir: setting('--data', 'directory holding the databases, the log, offsets and keys (owner-only, 0700)', z.string().min(1).default('./vigil-data'), {
    env: 'VIGIL_DATA',
  }),
  publicUrl: setting(
    '--public-url',
    'the address people use to reach Vigil (e.g. https://vigil.example.org behind a TLS proxy): its host is served and its origin may make changes',
    z.string().url('must be a URL like https://vigil.example.org').optional(),
  ),
  allowedHosts: setting(
    '--allowed-hosts',
    'more names requests may be sent to, comma-separated (a Kubernetes Service, a proxy); loopback names and the listen address always are',
    z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim())
          .filter((h) => h !== ''),
      ),
  ),
  maxConnections: setting(
    '--max-connections',
    'most HTTP connections open at once (never more than half the open-file limit); at the cap the longest-waiting idle or slow one is closed',
    int(16, 1_000_000).default(1024),
  ),
  logLevel: setting(
    '--log-level',
    'least important lines logged: debug (every request too), info, warn or error',
    z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ),
  logFormat: setting(
    '--log-format',
    'log lines as text or json (one JSON object per line, with the component and, under vigil run, the process)',
    z.enum(['text', 'json']).default('text'),
  ),
});

export const ACCESS = group('Accounts and access', {
  auth: setting(
    '--auth',
    'accounts and access levels: on (the default, loopback included), or off (anyone who reaches the port is admin; a warning is logged); auto, from earlier versions, means on',
    z
      .enum(['on', 'off', 'auto'])
      .default('on')
      .transform((v) => (v === 'auto' ? 'on' : v)),
  ),
  jwtSecret: setting(
    '--jwt-secret',
    'key that signs sessions and JWTs and seals credentials; the same on every role process',
    z.string().min(32, 'must be at least 32 characters').optional(),
    { shown: 'generated into <data>/secret.key' },
  ),
  cookieSecure: setting(
    '--cookie-secure',
    'mark session cookies Secure (browsers accept them on https and on localhost)',
    z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
  ),
});

export const COLLECTION = group('Collection', {
  replay: setting(
    '--replay',
    'an archive (JSON lines, gzip allowed) to stream as if live at start, from any path of the operator',
    z.string().min(1).optional(),
    { env: 'VIGIL_REPLAY' },
  ),
  rate: setting('--rate', 'replay lines per second; 0 = as fast as possible', z.coerce.number().min(0).default(0), { env: 'VIGIL_REPLAY_RATE' }),
  importDir: setting('--import-dir', 'the only folder replays and imports read from (uploads land here)', z.string().min(1).optional(), {
    shown: '<data>/imports',
  }),
  importMaxBytes: setting('--import-max-bytes', 'largest file an upload may bring (bytes; 100 GiB)', z.coerce.number().int().min(1).default(107_374_182_400)),
  classifierWorkers: setting(
    '--classifier-workers',
    'worker threads that parse and match posts (and, with --store cassandra, write their rows); 0 = on the main thread',
    int(0, 64).default(DEFAULT_CLASSIFIER_WORKERS),
    { shown: 'CPU cores less one, 1 to 8' },
  ),
  classifierWorkersMax: setting(
    '--classifier-workers-max',
    'most worker threads: more are started, up to this, while all are busy and a core idles (a bulk import); the same as --classifier-workers keeps the number fixed',
    int(1, 64).optional(),
    { shown: 'CPU cores, 1 to 8 (at least --classifier-workers)' },
  ),
  handoverOverlapMs: setting(
    '--handover-overlap-ms',
    'how long a replaced tracker connection runs beside the new one (make-before-break)',
    int(0, 600_000).default(2000),
  ),
  coverageGapMs: setting('--coverage-gap-ms', 'a source silent for longer than this is a gap in the coverage report', int(100, 86_400_000).default(60_000)),
  coverageHeartbeatMs: setting(
    '--coverage-heartbeat-ms',
    'how often a tracker records that its connections are up (a silent tracker counts as down)',
    int(100, 3_600_000).default(30_000),
  ),
  trackKeywords: setting(
    '--track-keywords',
    "a tracker connection's keywords as a JSON array (set by the controller)",
    jsonSetting(z.array(z.string()), 'a JSON array of strings, like ["sandy","flooding"]'),
  ),
  trackTargets: setting(
    '--track-targets',
    'a tracker connection\'s other targets as JSON {"follow":[ids],"locations":[[w,s,e,n]]} (set by the controller)',
    jsonSetting(
      z.object({ follow: z.array(z.string()).default([]), locations: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])).default([]) }).strict(),
      'JSON like {"follow":["783214"],"locations":[[-74.3,40.5,-73.7,40.9]]}',
    ),
  ),
});

export const QUERIES = group('Queries', {
  queryMaxRows: setting('--query-max-rows', 'most rows a query returns', int(1, 10_000_000).default(10_000)),
  queryTimeoutMs: setting(
    '--query-timeout-ms',
    'a query running longer is stopped (counted from when the request arrived)',
    int(100, 3_600_000).default(30_000),
  ),
  queryMaxSqlBytes: setting('--query-max-sql-bytes', 'longest SQL text a query may have', int(64, 10_000_000).default(65_536)),
  queryMaxBytes: setting(
    '--query-max-bytes',
    'most bytes of answer (JSON) a query returns; the rows after that are cut',
    int(1024, 2_000_000_000).default(33_554_432),
  ),
  queryMemoryMb: setting('--query-memory-mb', "a person's query that grows Vigil's memory by more than this is stopped", int(16, 1_000_000).default(1024)),
  queriesPerUser: setting('--queries-per-user', 'queries one person may run at once (more: 429)', int(1, 100).default(2)),
  querySlots: setting('--query-slots', "people's queries running at once (more wait); the event pages have slots of their own", int(1, 100).default(3)),
});

export const ROLE_PROCESSES = group(
  'Roles as processes (vigil run) and the controller',
  {
    roles: setting(
      '--roles',
      'roles of this process, comma-separated: events, tracker, classifier, analytics, controller, or all',
      z.string().min(1).default('all'),
    ),
    classifiersMin: setting('--classifiers-min', 'fewest classifier replicas the controller runs', int(0, 100).default(1)),
    classifiersMax: setting('--classifiers-max', 'most classifier replicas the controller runs', int(1, 100).default(4)),
    lagPerClassifier: setting(
      '--lag-per-classifier',
      'consumer lag one classifier replica is expected to absorb; more adds replicas',
      int(1, 100_000_000).default(20_000),
    ),
    scaleIntervalMs: setting('--scale-interval-ms', 'how often the controller reads the lag and rescales', int(200, 3_600_000).default(5000)),
    analyticsUrl: setting(
      '--analytics-url',
      'where the events role forwards analytics requests when analytics runs apart (e.g. http://vigil-analytics:8080)',
      z.string().url('must be a URL like http://vigil-analytics:8080').optional(),
    ),
    eventsUrl: setting(
      '--events-url',
      'where a role process without the accounts checks sessions, JWTs and API tokens (the events role, e.g. http://vigil:8080)',
      z.string().url('must be a URL like http://vigil:8080').optional(),
      { shown: 'none (set by --roles all)' },
    ),
  },
  ['run'],
);
