// `vigil bench` / `npm run bench`: measures ingest, matching, word count, event-page queries and handover, prints
// a table with the limits beside the figures, and writes it to BENCHMARKS.md.

import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CassandraPostStore } from '../adapters/cassandra/store.js';
import { openDuckDb } from '../adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../adapters/duckdb/store.js';
import { forgetTermCounts } from '../adapters/duckdb/term-counts.js';
import { KafkaBus } from '../adapters/kafka/kafka-bus.js';
import { SparkQueryEngine } from '../adapters/spark/spark-query-engine.js';
import { EMBEDDED_IMPORT_DEFAULTS } from '../cli/import.js';
import { DEFAULT_CLASSIFIER_WORKERS, DEFAULT_CLASSIFIER_WORKERS_MAX } from '../config/components.js';
import { loadConfig } from '../config/index.js';
import {
  DIALECTS,
  eventCountSql,
  keptWordCountSql,
  keywordHoursSql,
  languagesSql,
  retweetShareSql,
  risingTermsSql,
  topDomainsSql,
  topHashtagsSql,
  topMentionsSql,
  topUrlsSql,
  topUsersSql,
  topWordsSql,
  volumeSql,
  wordCountSql,
} from '../core/analyses.js';
import { rowId } from '../core/classify.js';
import { errorMessage } from '../core/errors.js';
import { legacyEventId } from '../core/event-id.js';
import { Matcher } from '../core/matcher.js';
import type { QueryEngine } from '../core/ports.js';
import type { TweetRow } from '../core/row.js';
import { rowBatch } from '../core/row-batch.js';
import type { PostFeatures } from '../core/tokens.js';
import { recognizeTwitterV1 } from '../core/twitter-v1.js';
import { PAGE_SLOTS, QueryGate } from '../roles/analytics/query-gate.js';
import { ReadyAnalyses } from '../roles/analytics/ready-analyses.js';
import { cassandraMemtableSpace } from './cassandra-memtables.js';
import { benchmarkEvents, generateStream, streamFileName } from './generate.js';
import type { IngestOptions, IngestResult } from './ingest-child.js';
import { BENCH_NOTES } from './notes.js';
import { PROFILE_SECTION } from './profile-table.js';
import { ingestRolesAsProcesses } from './roles-child.js';
import { type Spread, spread, summarizeRuns } from './rounds.js';
import { type Goal, goal, targetsTable } from './targets.js';

const run = promisify(execFile);

export interface BenchOptions {
  /** Where generated streams and databases are kept between runs. */
  workDir: string;
  /** Markdown file the table is written to; null to only print. */
  out: string | null;
  quick: boolean;
  only: string[] | null;
  command: string;
  progress: (msg: string) => void;
}

interface Row {
  section?: string;
  measured?: string;
  group: string;
  setting: string;
  result: string;
  beside: string;
  /** Figures of this row that issue #18 sets a target for. */
  goals?: Goal[];
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function streamFile(o: BenchOptions, posts: number): Promise<string> {
  const file = join(o.workDir, streamFileName(posts));
  if (existsSync(file)) return file;
  o.progress(`generating ${fmt(posts)} posts into ${file} …`);
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  let i = 0;
  for (const line of generateStream(posts)) {
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    if (++i % 100_000 === 0) o.progress(`  ${fmt(i)} / ${fmt(posts)}`);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  await rename(tmp, file);
  return file;
}

async function* lines(file: string): AsyncGenerator<string> {
  for await (const l of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (l !== '') yield l;
}

async function jsonParseRate(file: string): Promise<{ postsPerSecond: number; posts: number }> {
  const all: string[] = [];
  for await (const l of lines(file)) all.push(l);
  const t0 = performance.now();
  for (const l of all) JSON.parse(l);
  const s = (performance.now() - t0) / 1000;
  return { postsPerSecond: all.length / s, posts: all.length };
}

async function ingestChild(options: IngestOptions): Promise<IngestResult> {
  const child = fileURLToPath(new URL('./ingest-child.js', import.meta.url));
  const { stdout } = await run(process.execPath, [child, JSON.stringify(options)], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as IngestResult;
}

/** Runs of each ingest setting, alternated (10, 100, 1,000 events, then again): their medians are the figures. */
const INGEST_ROUNDS = 3;

/**
 * The ingest runs take the settings `vigil import --data` takes (EMBEDDED_IMPORT_DEFAULTS: DuckDB on one thread).
 * Importing an archive is the bulk ingest the figures are about; a live collection that also answers queries keeps
 * every core for DuckDB and takes some 10% more CPU per post (the notes).
 */
const IMPORT_SETTING = `DuckDB on ${EMBEDDED_IMPORT_DEFAULTS.duckdbThreads} thread (as \`vigil import --data\`)`;
const INGEST_EVENTS = [10, 100, 1000] as const;
const CLASSIFIER_THREADS = `${DEFAULT_CLASSIFIER_WORKERS} classifier thread${DEFAULT_CLASSIFIER_WORKERS === 1 ? '' : 's'}${
  DEFAULT_CLASSIFIER_WORKERS_MAX > DEFAULT_CLASSIFIER_WORKERS ? ` (up to ${DEFAULT_CLASSIFIER_WORKERS_MAX} while a core idles)` : ''
}`;

/** "median (min–max)" of a figure over the runs, or the one run's figure. */
const ranged = (s: Spread, runs: number, digits = 0): string =>
  runs === 1 ? fmt(s.median, digits) : `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

async function benchIngest(o: BenchOptions, rows: Row[]): Promise<void> {
  const posts = o.quick ? 20_000 : 200_000;
  const rounds = o.quick ? 1 : INGEST_ROUNDS;
  const file = await streamFile(o, posts);
  const size = (await stat(file)).size;
  const parses: number[] = [];
  const runs = new Map<number, IngestResult[]>(INGEST_EVENTS.map((n) => [n, []]));
  for (let round = 1; round <= rounds; round++) {
    parses.push((await jsonParseRate(file)).postsPerSecond);
    o.progress(`round ${round} of ${rounds}: JSON.parse alone ${fmt(parses[parses.length - 1])} posts/s`);
    for (const n of INGEST_EVENTS) {
      o.progress(`round ${round} of ${rounds}: ingest with ${n} events …`);
      const r = await ingestChild({
        file,
        dataDir: join(o.workDir, `ingest-${n}`),
        events: benchmarkEvents(n),
        workers: DEFAULT_CLASSIFIER_WORKERS,
        config: { ...EMBEDDED_IMPORT_DEFAULTS },
        countTerms: true,
      });
      o.progress(
        `  ${fmt(r.postsPerSecond)} posts/s, ${fmt(r.cpuMicrosPerPost)} CPU-µs/post, peak RSS ${fmt(r.peakRssMb)} MB; terms then counted in ${fmt(r.termCountSeconds ?? 0, 1)} s`,
      );
      runs.get(n)?.push(r);
      await rm(join(o.workDir, `ingest-${n}`), { recursive: true, force: true });
    }
  }
  const parse = spread(parses);
  const of = rounds === 1 ? '1 run' : `median of ${rounds} runs (their range)`;
  rows.push({
    group: 'Ingest limit',
    setting: `JSON.parse of the same ${fmt(posts)} lines (avg ${fmt(size / posts)} B), 1 thread, ${of}`,
    result: `${ranged(parse, rounds)} posts/s`,
    beside: `${fmt(parse.median * availableParallelism())} posts/s if every core only parsed`,
  });
  let baseRssMb = 0;
  for (const n of INGEST_EVENTS) {
    const s = summarizeRuns(runs.get(n) ?? []);
    if (n === 10) baseRssMb = s.peakRssMb.median;
    rows.push({
      group: 'Ingest, end to end (embedded)',
      setting: `${n} events × 5 keywords, ${fmt(s.posts)} posts, ${CLASSIFIER_THREADS}, ${IMPORT_SETTING}, ${of}${rounds > 1 ? ", alternated with the other rows' runs" : ''}`,
      result: `${ranged(s.postsPerSecond, rounds)} posts/s, ${ranged(s.cpuMicrosPerPost, rounds)} CPU-µs/post, ${fmt(s.rows)} rows, peak RSS ${ranged(s.peakRssMb, rounds)} MB${s.termCountSeconds ? `; its terms then counted in ${ranged(s.termCountSeconds, rounds, 1)} s (not in the figures)` : ''}`,
      beside: `${fmt((s.postsPerSecond.median / parse.median) * 100)}% of 1-thread JSON.parse (${fmt(1e6 / parse.median, 1)} CPU-µs/post)`,
      goals: [
        ...(n === 10 || n === 1000 ? [goal(n === 10 ? 'ingest-10' : 'ingest-1000', `${fmt(s.posts)} posts, the median`, s.postsPerSecond.median)] : []),
        goal('peak-rss', `${fmt(n)} events, ${fmt(s.posts)} posts, the highest run`, s.peakRssMb.max),
      ],
    });
  }
  if (!o.quick) await benchIngestMemory(o, rows, posts, baseRssMb);
}

/** Memory must not grow with the posts taken in: ten times the posts, the same events, beside the first run's peak. */
async function benchIngestMemory(o: BenchOptions, rows: Row[], basePosts: number, baseRssMb: number): Promise<void> {
  const posts = basePosts * 10;
  const file = await streamFile(o, posts);
  o.progress(`ingest of ${fmt(posts)} posts with 10 events (memory) …`);
  const r = await ingestChild({
    file,
    dataDir: join(o.workDir, 'ingest-memory'),
    events: benchmarkEvents(10),
    workers: DEFAULT_CLASSIFIER_WORKERS,
    config: { ...EMBEDDED_IMPORT_DEFAULTS },
  });
  rows.push({
    group: 'Ingest memory (embedded)',
    setting: `10 events × 5 keywords, ${fmt(r.posts)} posts, ${CLASSIFIER_THREADS}, ${IMPORT_SETTING}`,
    result: `peak RSS ${fmt(r.peakRssMb)} MB, ${fmt(r.postsPerSecond)} posts/s, ${fmt(r.cpuMicrosPerPost)} CPU-µs/post`,
    beside: `${fmt(baseRssMb)} MB at ${fmt(basePosts)} posts, the median above (${r.peakRssMb >= baseRssMb ? '+' : ''}${fmt(((r.peakRssMb - baseRssMb) / baseRssMb) * 100)}%)`,
    goals: [
      goal('peak-rss', `10 events, ${fmt(r.posts)} posts`, r.peakRssMb),
      goal('rss-growth', `${fmt(r.peakRssMb)} MB against ${fmt(baseRssMb)} MB,`, ((r.peakRssMb - baseRssMb) / baseRssMb) * 100),
    ],
  });
  await rm(join(o.workDir, 'ingest-memory'), { recursive: true, force: true });
  await rm(file, { force: true });
}

async function benchMatcher(o: BenchOptions, rows: Row[]): Promise<void> {
  const file = await streamFile(o, o.quick ? 20_000 : 200_000);
  const features: PostFeatures[] = [];
  for await (const l of lines(file)) {
    const r = recognizeTwitterV1(JSON.parse(l), l);
    if (r.kind === 'post') features.push(r.post.features);
    if (features.length >= 100_000) break;
  }
  for (const n of [10, 100, 1000, 10_000]) {
    const m = new Matcher(benchmarkEvents(n));
    let matches = 0;
    for (let i = 0; i < Math.min(5000, features.length); i++) matches += m.match(features[i]).length;
    matches = 0;
    const t0 = performance.now();
    for (const f of features) matches += m.match(f).length;
    const s = (performance.now() - t0) / 1000;
    rows.push({
      group: 'Matcher alone',
      setting: `${fmt(n)} events × 5 keywords (${fmt(m.termCount)} terms)`,
      result: `${fmt(features.length / s)} posts/s`,
      beside: `${fmt(matches / features.length, 2)} matching events per post`,
    });
    o.progress(`matcher, ${n} events: ${fmt(features.length / s)} posts/s`);
  }
}

/** The keywords of the queries' event "bench": the first ten events' crisis terms, matching most posts. */
const BENCH_KEYWORDS = benchmarkEvents(10).map((e) => e.keywords[0]);

/** The queries' database of `n` posts (`-kw`: its rows hold the keywords they matched, since 2026-12-04). */
const queryDbPath = (o: BenchOptions, n: number): string => join(o.workDir, `wordcount-${n}-kw.duckdb`);

/**
 * Builds (once) a database of `base` generated posts in event "bench", each row with the BENCH_KEYWORDS it matched,
 * stored through the store adapter; a larger size is a copy of that file grown inside DuckDB by copies of the rows
 * under new post ids (`<id>-<copy>`).
 */
async function queryDbs(o: BenchOptions, base: number, sizes: number[]): Promise<void> {
  const basePath = queryDbPath(o, base);
  if (!existsSync(basePath)) {
    const tmp = `${basePath}.building`;
    await rm(tmp, { force: true });
    await rm(`${tmp}.wal`, { force: true });
    const db = await openDuckDb(tmp);
    // No counting while it is built (the queries' section counts, and times it). A store left open with its idle
    // counting on had a count running when the database closed: DuckDB deadlocked and the process never exited.
    const store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 });
    o.progress(`storing ${fmt(base)} generated posts for the word count (raw JSON left empty) …`);
    let batch: TweetRow[] = [];
    let done = 0;
    const matcher = new Matcher([{ name: 'bench', keywords: BENCH_KEYWORDS, active: true }]);
    for (const line of generateStream(base, { seed: 99 })) {
      const r = recognizeTwitterV1(JSON.parse(line), '');
      if (r.kind !== 'post') continue;
      const { t_id, ...rest } = r.post.row;
      batch.push({
        id: '00000000-0000-5000-8000-000000000000',
        t_id,
        event_kw: matcher.match(r.post.features)[0]?.keywords ?? [],
        event_name: 'bench',
        event_id: legacyEventId('bench'),
        ...rest,
        collected_at: new Date(0).toISOString(),
        match_targets: [],
        match_fields: [],
        backfilled: false,
      });
      if (batch.length === 10_000) {
        await store.writeRows(rowBatch(batch));
        batch = [];
      }
      if (++done % 100_000 === 0) o.progress(`  ${fmt(done)} / ${fmt(base)}`);
    }
    await store.writeRows(rowBatch(batch));
    await store.close();
    await (await db.connect()).run('CHECKPOINT');
    db.close();
    await rename(tmp, basePath);
  }
  for (const n of sizes) {
    const path = queryDbPath(o, n);
    if (n <= base || existsSync(path)) continue;
    o.progress(`growing a copy to ${fmt(n)} rows …`);
    const tmp = `${path}.building`;
    await copyFile(basePath, tmp);
    const db = await openDuckDb(tmp);
    const c = await db.connect();
    await c.run(
      `INSERT INTO tweet_row SELECT * EXCLUDE (k) REPLACE (t_id || '-' || k AS t_id, NULL::BIGINT AS t_key) FROM tweet_row, range(1, ${Math.ceil(n / base)}) AS copies(k)`,
    );
    // Rows copied around the store: their terms are counted again when the store next opens it.
    await forgetTermCounts(c);
    await c.run('CHECKPOINT');
    db.close();
    await rename(tmp, path);
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function benchQueries(o: BenchOptions, rows: Row[]): Promise<void> {
  const base = o.quick ? 100_000 : 1_000_000;
  const sizes = o.quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000];
  await queryDbs(o, base, sizes);
  for (const size of sizes) {
    // DuckDB's memory limit as Vigil runs it (--duckdb-memory-limit's default).
    const memoryLimit = loadConfig({}).duckdbMemoryLimit;
    const db = await openDuckDb(queryDbPath(o, size), { memoryLimit });
    // Counted afresh each run, and timed: what a data directory of an earlier version costs once, while idle after
    // start (and what the first event page after an import of as many posts costs, if the store was never idle).
    const setup = await db.connect();
    await forgetTermCounts(setup);
    db.disconnect(setup);
    const store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 3_600_000 }); // also brings a database of an earlier version up to date
    o.progress(`counting the terms of ${fmt(size)} stored posts …`);
    const c0 = performance.now();
    await store.countTerms();
    const countS = (performance.now() - c0) / 1000;
    rows.push({
      group: 'Term counts for the event page (DuckDB), counted once',
      setting: `${fmt(size)} stored posts, memory_limit ${memoryLimit}`,
      result: `${fmt(countS, 1)} s = ${fmt(size / countS)} posts/s`,
      beside: 'a data directory written before them (counted while the store is idle); later rows are counted when the store is idle or an event page asks',
    });
    const engine = new DuckDbQueryEngine(db);
    o.progress(`word count over ${fmt(size)} posts …`);
    // Run twice: the first reads the database file into DuckDB's buffers (as the first query after a start does).
    const timed = async () => {
      const t0 = performance.now();
      const r = await engine.query(wordCountSql(DIALECTS.duckdb), { maxRows: 10_000_000, timeoutMs: 3_600_000 });
      return { r, s: (performance.now() - t0) / 1000 };
    };
    const first = await timed();
    const { r, s } = await timed();
    rows.push({
      group: 'Word count (Project EPIC, thesis Listing 6.1), DuckDB',
      setting: `${fmt(size)} stored posts`,
      result: `${fmt(s, 1)} s = ${fmt(size / s)} posts/s (${fmt(r.rowCount)} distinct words); first run ${fmt(first.s, 1)} s`,
      beside: 'Project EPIC thesis, Spark on 4 × 1 vCPU: 490,199 in 238 s = 2,060/s; 54,395,957 in 4,228 s = 12,866/s',
      goals: size === sizes[sizes.length - 1] ? [goal('word-count', `${fmt(size)} posts, as SQL over every row`, s)] : [],
    });
    // The same word count summed from the term counts (counted above), as Vigil's own pages and notebooks read it.
    const kept = async () => {
      const t0 = performance.now();
      const k = await engine.query(keptWordCountSql(DIALECTS.duckdb), { maxRows: 10_000_000, timeoutMs: 3_600_000 });
      return { k, s: (performance.now() - t0) / 1000 };
    };
    const keptFirst = await kept();
    const { k, s: keptS } = await kept();
    if (JSON.stringify(k.rows) !== JSON.stringify(r.rows)) throw new Error('the word count from the term counts differs from the one counted from the rows');
    rows.push({
      group: 'Word count (Project EPIC, thesis Listing 6.1), DuckDB',
      setting: `${fmt(size)} stored posts, from the term counts`,
      result: `${fmt(keptS * 1000)} ms (${fmt(k.rowCount)} distinct words, the same counts); first run ${fmt(keptFirst.s * 1000)} ms`,
      beside: 'the counts kept of the same words (term_count, kind thesis-word), as counted in the row above',
      goals:
        size === sizes[sizes.length - 1] ? [goal('word-count', `${fmt(size)} posts, summed from the term counts (as Vigil's word count reads it)`, keptS)] : [],
    });
    if (size === sizes[sizes.length - 1]) {
      const queries: [string, string][] = [
        ['count', eventCountSql(DIALECTS.duckdb, 'bench')],
        ['volume by hour', volumeSql(DIALECTS.duckdb, 'bench', 'hour')],
        ['top hashtags', topHashtagsSql(DIALECTS.duckdb, 'bench')],
        ['top words', topWordsSql(DIALECTS.duckdb, 'bench')],
        ['top users', topUsersSql(DIALECTS.duckdb, 'bench')],
        ['top mentions', topMentionsSql(DIALECTS.duckdb, 'bench')],
        ['top links', topUrlsSql(DIALECTS.duckdb, 'bench')],
        ['top domains', topDomainsSql(DIALECTS.duckdb, 'bench')],
        ['languages', languagesSql(DIALECTS.duckdb, 'bench')],
        ['retweet share and accounts', retweetShareSql(DIALECTS.duckdb, 'bench')],
      ];
      for (const [name, sql] of queries) {
        const run = async (): Promise<number> => {
          const q0 = performance.now();
          await engine.query(sql, { maxRows: 100_000, timeoutMs: 600_000 });
          return performance.now() - q0;
        };
        // The first run reads the columns it needs into DuckDB's buffers: given apart, not in the percentiles (with
        // 20 runs, p95 was the slowest one, i.e. the first).
        const first = await run();
        const times: number[] = [];
        for (let i = 0; i < (o.quick ? 5 : 40); i++) times.push(await run());
        rows.push({
          group: 'Event page queries, DuckDB',
          setting: `${name}, event of ${fmt(size)} posts`,
          result: `p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms; first run ${fmt(first)} ms`,
          beside: `${times.length} runs after the first`,
          goals: [goal('event-page', `${name} p95`, percentile(times, 95))],
        });
        o.progress(`${name}: p50 ${fmt(percentile(times, 50))} ms`);
      }
      // The whole event page as the UI asks for it: the store's term counts brought up to date, then its queries
      // through the pages' slots of the query gate, as the analytics role runs them.
      const pages = new QueryGate({ perUser: 1, personSlots: 1, pageSlots: PAGE_SLOTS }).forPages(engine);
      const page = new ReadyAnalyses(pages, { countTerms: () => store.countTerms() });
      const times: number[] = [];
      for (let i = 0; i < (o.quick ? 5 : 20); i++) {
        const p0 = performance.now();
        await page.summary('bench', 'hour');
        times.push(performance.now() - p0);
      }
      rows.push({
        group: 'Event page queries, DuckDB',
        setting: `the whole event page (its ${queries.length - 1} queries, ${PAGE_SLOTS} at a time as Vigil runs them, term counts brought up to date first), event of ${fmt(size)} posts`,
        result: `p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms`,
        beside: `${times.length} loads`,
      });
      // The event page's keyword feedback (its keywords' posts per hour and the rising terms), as the UI asks for it.
      // The rising terms read the event's last 7 hours (here all 10 M posts fall in them): the counts of their
      // 5-minute periods (the windows end with the newest post's period, so they are whole periods).
      const loads: number[] = [];
      for (let i = 0; i < (o.quick ? 5 : 20); i++) {
        const p0 = performance.now();
        await page.keywords('bench', BENCH_KEYWORDS);
        loads.push(performance.now() - p0);
      }
      rows.push({
        group: 'Event page queries, DuckDB',
        setting: `keyword feedback (keywords' posts per hour; rising terms: hashtags and words of the last hour against the 6 before), event of ${fmt(size)} posts in those 7 hours`,
        result: `p50 ${fmt(percentile(loads, 50))} ms, p95 ${fmt(percentile(loads, 95))} ms`,
        beside: `${loads.length} loads; the rising terms from the counts per 5-minute period (a collection of 1% of Twitter gathers about 1.5 M posts in 7 hours)`,
        goals: [goal('event-page', 'keyword feedback p95', percentile(loads, 95))],
      });
      o.progress(`keyword feedback: p50 ${fmt(percentile(loads, 50))} ms`);
      // The same rising terms counted from the rows of those 7 hours, as before the counts per period.
      const r0 = performance.now();
      const fromRows = await engine.query(risingTermsSql({ ...DIALECTS.duckdb, termBuckets: undefined }, 'bench'), { maxRows: 100_000, timeoutMs: 600_000 });
      const fromRowsS = (performance.now() - r0) / 1000;
      const fromCounts = await engine.query(risingTermsSql(DIALECTS.duckdb, 'bench'), { maxRows: 100_000, timeoutMs: 600_000 });
      if (JSON.stringify(fromCounts.rows) !== JSON.stringify(fromRows.rows))
        throw new Error('the rising terms from the counts per period differ from those counted from the rows');
      rows.push({
        group: 'Event page queries, DuckDB',
        setting: `rising terms counted from the rows of the 7 hours instead, event of ${fmt(size)} posts in those 7 hours`,
        result: `${fmt(fromRowsS, 1)} s`,
        beside: 'what the keyword feedback took before the counts per period (2026-12-02: 28.9 s); the same terms and figures (compared)',
      });
      // The keywords' posts per hour, counted from the rows instead of summed from the term counts.
      const h0 = performance.now();
      const hoursFromRows = await engine.query(keywordHoursSql({ ...DIALECTS.duckdb, termCounts: undefined }, 'bench'), {
        maxRows: 100_000,
        timeoutMs: 600_000,
      });
      const hoursFromRowsMs = performance.now() - h0;
      const hoursFromCounts = await engine.query(keywordHoursSql(DIALECTS.duckdb, 'bench'), { maxRows: 100_000, timeoutMs: 600_000 });
      if (hoursFromRows.rowCount === 0 || JSON.stringify(hoursFromCounts.rows) !== JSON.stringify(hoursFromRows.rows))
        throw new Error("the keywords' posts per hour from the term counts differ from those counted from the rows (or there are none)");
      rows.push({
        group: 'Event page queries, DuckDB',
        setting: `keywords' posts per hour counted from the rows instead, event of ${fmt(size)} posts (${BENCH_KEYWORDS.length} keywords)`,
        result: `${fmt(hoursFromRowsMs)} ms`,
        beside: `what the keyword feedback's chart took before the term counts kept it; the same ${fmt(hoursFromRows.rowCount)} figures (compared)`,
      });
    }
    await store.close();
    db.close();
  }
}

async function benchHandover(o: BenchOptions, rows: Row[]): Promise<void> {
  const posts = o.quick ? 20_000 : 100_000;
  const file = await streamFile(o, posts);
  const stable = 'sandy';
  const lists = [[stable, 'flooding'], [stable, 'power', 'outage'], [stable], [stable, 'fema', 'evacuate'], [stable, 'storm']];
  const dataDir = join(o.workDir, 'handover');
  o.progress(`handover: ${fmt(posts)} posts at 10,000 posts/s, ${lists.length} keyword changes …`);
  const r = await ingestChild({
    file,
    dataDir,
    events: [{ name: 'changing', keywords: lists[0] }],
    workers: availableParallelism(),
    rate: 10_000,
    keywordChanges: { everyMs: (posts / 10_000 / (lists.length + 1)) * 1000, lists: lists.slice(1) },
  });
  const expected = new Set<string>();
  const m = new Matcher([{ name: 'k', keywords: [stable], active: true }]);
  for await (const l of lines(file)) {
    const p = recognizeTwitterV1(JSON.parse(l), l);
    if (p.kind === 'post' && m.match(p.post.features).length > 0) expected.add(p.post.row.t_id);
  }
  const db = await openDuckDb(join(dataDir, 'vigil.duckdb'));
  const engine = new DuckDbQueryEngine(db);
  const stored = await engine.query(
    `SELECT t_id, count(*) AS n FROM tweet WHERE event_name = 'changing' AND list_contains(event_kw, '${stable}') GROUP BY t_id`,
    { maxRows: 10_000_000, timeoutMs: 600_000 },
  );
  db.close();
  const got = new Set(stored.rows.map((x) => x.t_id as string));
  const lost = [...expected].filter((id) => !got.has(id)).length;
  const dup = stored.rows.filter((x) => (x.n as number) > 1).length;
  rows.push({
    group: 'Handover (keyword changes during replay)',
    setting: `${fmt(posts)} posts at ${fmt(r.postsPerSecond)} posts/s, ${lists.length - 1} changes, stable keyword "${stable}" in ${fmt(expected.size)} posts`,
    result: `lost ${lost}, duplicated ${dup}`,
    beside: 'must be 0 and 0',
    goals: [goal('handover', 'lost', lost), goal('handover', 'duplicated', dup)],
  });
  await rm(dataDir, { recursive: true, force: true });
}

async function benchDistributed(o: BenchOptions, rows: Row[]): Promise<void> {
  const brokers = process.env.VIGIL_KAFKA_BROKERS ?? '127.0.0.1:9092';
  const contact = process.env.VIGIL_CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042';
  const missing: string[] = [];
  try {
    const bus = await KafkaBus.open({ brokers: brokers.split(','), namespace: 'bench-probe.', warn: () => undefined });
    await bus.close();
  } catch {
    missing.push(`Kafka at ${brokers} (scripts/engines/kafka.sh up)`);
  }
  try {
    const store = await CassandraPostStore.open({ contactPoints: contact.split(','), keyspace: 'vigil_bench_probe' });
    await store.close();
  } catch {
    missing.push(`Cassandra at ${contact} (scripts/engines/cassandra.sh up)`);
  }
  const group = 'Distributed ingest';
  const memtables = missing.length === 0 ? await cassandraMemtableSpace(contact.split(',')) : null;
  const setting = `tracker → Kafka → classifier → Cassandra${memtables ? ` (memtables ${memtables})` : ''}`;
  if (missing.length > 0) {
    o.progress(`distributed ingest: skipped, not running: ${missing.join(', ')}`);
    rows.push({ group, setting, result: `skipped: not running: ${missing.join(', ')}`, beside: '' });
    return;
  }
  const posts = o.quick ? 20_000 : 100_000;
  const file = await streamFile(o, posts);
  const run = Date.now();
  const through = (name: string, stream: string) =>
    ingestChild({
      file: stream,
      dataDir: join(o.workDir, name),
      events: benchmarkEvents(10),
      workers: availableParallelism(),
      config: {
        bus: 'kafka',
        kafkaBrokers: brokers,
        kafkaNamespace: `${name}${run}.`,
        store: 'cassandra',
        cassandraContactPoints: contact,
        cassandraKeyspace: `vigil_${name.replaceAll('-', '_')}_${run}`,
      },
    });
  // A Cassandra just started runs its first minute in the JVM's interpreter and first compilers (measured here: the
  // first 100,000 posts after a start cost Cassandra 460-605 CPU-µs/post, the next runs 230-290); a collection runs
  // for hours. Some posts go through first, not measured.
  const warmUp = o.quick ? 5_000 : 20_000;
  o.progress(`distributed ingest: warming Kafka and Cassandra up with ${fmt(warmUp)} posts (not measured) …`);
  await through('distributed-warmup', await streamFile(o, warmUp));
  await rm(join(o.workDir, 'distributed-warmup'), { recursive: true, force: true });
  o.progress(`distributed ingest: ${fmt(posts)} posts through Kafka and Cassandra …`);
  const r = await through('distributed', file);
  rows.push({
    group,
    setting: `${setting}, 10 events, ${fmt(r.posts)} posts, 1 classifier process (${availableParallelism()} threads)`,
    result: `${fmt(r.postsPerSecond)} posts/s, ${fmt(r.rows)} rows, peak RSS ${fmt(r.peakRssMb)} MB`,
    beside: 'Kafka and Cassandra on the same cores',
    goals: [goal('distributed', 'one process', r.postsPerSecond)],
  });
  await rm(join(o.workDir, 'distributed'), { recursive: true, force: true });

  o.progress(`distributed ingest: ${fmt(posts)} posts, every role its own process, 2 classifier processes …`);
  const p = await ingestRolesAsProcesses({
    file,
    dataDir: join(o.workDir, 'distributed-roles'),
    events: benchmarkEvents(10),
    classifiers: 2,
    env: {
      VIGIL_BUS: 'kafka',
      VIGIL_KAFKA_BROKERS: brokers,
      VIGIL_KAFKA_NAMESPACE: `benchroles${run}.`,
      VIGIL_STORE: 'cassandra',
      VIGIL_CASSANDRA_CONTACT_POINTS: contact,
      VIGIL_CASSANDRA_KEYSPACE: `vigil_benchroles_${run}`,
    },
  });
  rows.push({
    group,
    setting: `${setting}, 10 events, ${fmt(p.posts)} posts, \`vigil run --roles all\`: each role a process, 2 classifier processes (1 thread each)`,
    result: `${fmt(p.postsPerSecond)} posts/s, ${fmt(p.rows)} rows`,
    beside: 'the same machine; the processes share its cores with Kafka and Cassandra',
    goals: [goal('distributed', 'every role a process', p.postsPerSecond)],
  });
  await rm(join(o.workDir, 'distributed-roles'), { recursive: true, force: true });
}

/** Project EPIC's word count on DuckDB and on Spark (over Cassandra) at growing sizes: the same rows in both stores. */
async function benchSpark(o: BenchOptions, rows: Row[]): Promise<void> {
  const contact = process.env.VIGIL_CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042';
  const sparkUrl = process.env.VIGIL_SPARK_CONNECT ?? 'sc://127.0.0.1:15002';
  const group = 'Word count (Project EPIC, thesis Listing 6.1), DuckDB vs Spark over Cassandra';
  const run = Date.now();
  const keyspace = `vigil_benchspark_${run}`;
  let cass: CassandraPostStore;
  try {
    cass = await CassandraPostStore.open({ contactPoints: contact.split(','), keyspace, concurrency: 64 });
  } catch {
    rows.push({ group, setting: '', result: `skipped: Cassandra not running at ${contact} (scripts/engines/cassandra.sh up)`, beside: '' });
    return;
  }
  const spark = new SparkQueryEngine({ url: sparkUrl, keyspace });
  try {
    await spark.query('SELECT 1 AS one', { maxRows: 1, timeoutMs: 60_000 });
  } catch (err) {
    await cass.close();
    await spark.close();
    rows.push({ group, setting: '', result: `skipped: ${errorMessage(err)}`, beside: '' });
    return;
  }
  const dbPath = join(o.workDir, `spark-parity-${run}.duckdb`);
  const db = await openDuckDb(dbPath);
  const duckStore = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 }); // no counting while word counts are timed
  const duck = new DuckDbQueryEngine(db);
  const sizes = o.quick ? [20_000, 50_000] : [100_000, 300_000, 1_000_000];
  const stream = generateStream(sizes[sizes.length - 1], { seed: 11 });
  let stored = 0;
  const limits = { maxRows: 10_000_000, timeoutMs: 3_600_000 };
  for (const size of sizes) {
    o.progress(`word count on both engines: storing posts up to ${fmt(size)} in DuckDB and Cassandra …`);
    let batch: TweetRow[] = [];
    while (stored < size) {
      const next = stream.next();
      if (next.done) break;
      const r = recognizeTwitterV1(JSON.parse(next.value), '');
      if (r.kind !== 'post') continue;
      const { t_id, ...rest } = r.post.row;
      batch.push({
        id: rowId(legacyEventId('bench'), rest.platform, t_id),
        t_id,
        event_kw: [],
        event_name: 'bench',
        event_id: legacyEventId('bench'),
        ...rest,
        collected_at: new Date(0).toISOString(),
        match_targets: [],
        match_fields: [],
        backfilled: false,
      });
      stored++;
      if (batch.length === 5000 || stored === size) {
        const b = rowBatch(batch);
        batch = [];
        await Promise.all([duckStore.writeRows(b), cass.writeRows(b)]);
      }
    }
    const timed = async (e: QueryEngine): Promise<{ s: number; words: number }> => {
      const t0 = performance.now();
      const r = await e.query(wordCountSql(DIALECTS[e.dialect]), limits);
      return { s: (performance.now() - t0) / 1000, words: r.rowCount };
    };
    o.progress(`word count over ${fmt(size)} posts: DuckDB, then Spark …`);
    const d = await timed(duck);
    const sp = await timed(spark);
    const beside = `same ${fmt(d.words)} distinct words on both: ${d.words === sp.words ? 'yes' : `no (${fmt(sp.words)} on Spark)`}`;
    rows.push({ group, setting: `${fmt(size)} stored posts, DuckDB (embedded store)`, result: `${fmt(d.s, 2)} s = ${fmt(size / d.s)} posts/s`, beside });
    rows.push({
      group,
      setting: `${fmt(size)} stored posts, Spark 3.5 local[${availableParallelism()}] reading Cassandra`,
      result: `${fmt(sp.s, 1)} s = ${fmt(size / sp.s)} posts/s`,
      beside: 'Project EPIC thesis, Spark on 4 × 1 vCPU: 490,199 in 238 s = 2,060/s',
    });
  }
  await spark.close();
  await cass.close();
  await duckStore.close();
  db.close();
  await rm(dbPath, { force: true });
}

const SECTIONS: Record<string, (o: BenchOptions, rows: Row[]) => Promise<void>> = {
  ingest: benchIngest,
  matcher: benchMatcher,
  queries: benchQueries,
  handover: benchHandover,
  distributed: benchDistributed,
  spark: benchSpark,
};
export const BENCH_SECTIONS = Object.keys(SECTIONS);

async function machine(): Promise<string> {
  const db = await openDuckDb(':memory:');
  const c = await db.connect();
  const v = (await c.runAndReadAll('SELECT version()')).getRows()[0][0];
  db.close();
  return `${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB memory, Node.js ${process.version}, DuckDB ${String(v)}, ${process.platform}/${process.arch}`;
}

/** Rows of earlier runs, kept beside the Markdown so `--only` re-measures some sections and keeps the others. */
async function earlierRows(jsonPath: string): Promise<Row[]> {
  try {
    return JSON.parse(await readFile(jsonPath, 'utf8')) as Row[];
  } catch {
    return [];
  }
}

export async function runBench(o: BenchOptions): Promise<string> {
  await mkdir(o.workDir, { recursive: true });
  const fresh: Row[] = [];
  const measured = new Date().toISOString().slice(0, 10);
  const ran: string[] = [];
  for (const [name, fn] of Object.entries(SECTIONS)) {
    if (o.only && !o.only.includes(name)) continue;
    const before = fresh.length;
    await fn(o, fresh);
    for (const r of fresh.slice(before)) Object.assign(r, { section: name, measured });
    ran.push(name);
  }
  const jsonPath = o.out ? `${o.out.replace(/\.md$/u, '')}.json` : null;
  const kept = jsonPath ? (await earlierRows(jsonPath)).filter((r) => r.section && !ran.includes(r.section)) : [];
  const order = Object.keys(SECTIONS);
  const rows = [...kept, ...fresh].sort((a, b) => order.indexOf(a.section ?? '') - order.indexOf(b.section ?? ''));
  const table = [
    '| Benchmark | Setting | Result | Beside it | Measured |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.group} | ${r.setting} | ${r.result} | ${r.beside} | ${r.measured ?? ''} |`),
  ].join('\n');
  const md = `# Benchmarks

Measured on ${await machine()}.

Command: \`npm run bench\` (\`vigil bench --out BENCHMARKS.md\`; \`--only SECTION,...\` re-measures some sections and keeps
the others, from BENCHMARKS.json). This run: \`${o.command}\`${o.quick ? ' (quick sizes)' : ''}. Streams are generated
deterministically (seed 42): Twitter v1.1 JSON with full user and entities objects, ~30% retweets, ~3 KB per line,
in the bytes the streaming API sent (ASCII: "/", "<", ">" and every non-ASCII character escaped, as in the real
captures of test/fixtures/real/twitter-v1).
Ingest runs the whole pipeline (replay → log → parse, classify, normalize on worker threads → store, committed) in
a process of its own.

${table}

Against issue #18's targets ("Done when"; each figure from the rows above, computed when measured):

${targetsTable(rows.flatMap((r) => r.goals ?? []))}

Notes:
${BENCH_NOTES}

${PROFILE_SECTION}`;
  if (o.out) await writeFile(o.out, md);
  if (jsonPath) await writeFile(jsonPath, `${JSON.stringify(rows, null, 2)}\n`);
  return md;
}
