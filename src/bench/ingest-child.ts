// One ingest measurement in a process of its own (so its peak memory is its own): the embedded runtime, the
// given events, a replay of the file as fast as it goes (or at a rate), until every post is stored.
// Usage: node ingest-child.js '<json options>'; prints one JSON result line.

import { rm } from 'node:fs/promises';
import { importCountConfig } from '../cli/import.js';
import { loadConfig } from '../config/index.js';
import { startEmbedded } from '../runtime/embedded.js';
import { withStoreAlone } from '../runtime/process.js';
import { silentLogger } from '../util/log.js';
import { peakRssMb } from './peak-rss.js';

export interface IngestOptions {
  file: string;
  dataDir: string;
  events: { name: string; keywords: string[] }[];
  workers: number;
  rate?: number;
  /** More settings of the runtime (config keys), e.g. a Kafka bus and a Cassandra store. */
  config?: Record<string, string>;
  /** During the replay, replace the keywords of event 0 with each list in turn, `everyMs` apart. */
  keywordChanges?: { everyMs: number; lists: string[][] };
  /** After the measured ingest, time the store's counting of the rows' terms (termCountSeconds). */
  countTerms?: boolean;
}

/** The line the child writes to stderr when ingest begins, with the monotonic time in µs (scripts/profile-ingest.mjs). */
const INGEST_STARTED = 'vigil-ingest-started-at-us';
const INGEST_ENDED = 'vigil-ingest-ended-at-us';

export interface IngestResult {
  posts: number;
  seconds: number;
  postsPerSecond: number;
  peakRssMb: number;
  rows: number;
  /** CPU time of the whole process (every thread: workers, DuckDB, libuv) per post: steady on a shared machine. */
  cpuMicrosPerPost: number;
  /** Classifier worker threads at the end (the pool starts more while they are all busy and a core idles). */
  workers: number;
  /**
   * Seconds the store took, after the ingest, to count the rows' terms (what an event page's top lists sum, and what
   * the first page after an import waits for): not counted in the ingest's figures. Only when asked (countTerms).
   */
  termCountSeconds?: number;
}

async function ingest(o: IngestOptions): Promise<IngestResult> {
  await rm(o.dataDir, { recursive: true, force: true });
  const rt = await startEmbedded(loadConfig({ port: '0', dataDir: o.dataDir, classifierWorkers: String(o.workers), ...o.config }), silentLogger);
  try {
    for (const e of o.events) await rt.events.create(e);
    // When the measured part begins, on the monotonic clock of perf and of V8's profiles (µs): a profiler
    // (scripts/profile-ingest.mjs) leaves out what came before, such as creating a thousand events.
    process.stderr.write(`${INGEST_STARTED} ${process.hrtime.bigint() / 1000n}\n`);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await rt.tracker.replay(o.file, o.rate ?? 0);
    const changes = o.keywordChanges;
    if (changes) {
      const first = o.events[0].name;
      for (const keywords of changes.lists) {
        await new Promise((r) => setTimeout(r, changes.everyMs));
        await rt.events.patch(first, { keywords });
      }
    }
    await rt.tracker.idle();
    while ((await rt.lag()) > 0) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // ... and when it ends: what follows (closing, a term count in a quiet moment) is not the ingest's.
    process.stderr.write(`${INGEST_ENDED} ${process.hrtime.bigint() / 1000n}\n`);
    const { counts, workers } = rt.classifier.status();
    const result: IngestResult = {
      posts: counts.posts,
      seconds,
      postsPerSecond: counts.posts / seconds,
      peakRssMb: peakRssMb(),
      rows: counts.rows,
      cpuMicrosPerPost: (cpu.user + cpu.system) / counts.posts,
      workers,
    };
    return result;
  } finally {
    await rt.close();
  }
}

/** Seconds the term count of the rows stored takes, as `vigil import --data` runs it once its roles have stopped. */
async function countTermsAsImportDoes(dataDir: string): Promise<number | undefined> {
  return withStoreAlone(importCountConfig(dataDir), silentLogger, async (store) => {
    if (!store.countTerms) return undefined;
    const t = performance.now();
    await store.countTerms();
    return (performance.now() - t) / 1000;
  });
}

async function run(o: IngestOptions): Promise<IngestResult> {
  const result = await ingest(o);
  if (o.countTerms) result.termCountSeconds = await countTermsAsImportDoes(o.dataDir);
  return result;
}

run(JSON.parse(process.argv[2] ?? '{}') as IngestOptions).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exitCode = 1;
  },
);
