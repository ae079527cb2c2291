// The two query engines over the same rows: DuckDB (embedded) and Spark reading Cassandra through the Spark
// Cassandra Connector (a Spark Connect server started by scripts/engines/spark.sh; `npm test` does it). The thesis's
// word count gives identical top-1,000 lists over 100,000 posts, and every ready analysis gives the same answer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { SparkQueryEngine } from '../../src/adapters/spark/spark-query-engine.js';
import { DIALECTS, keywordHoursSql, risingTermsSql, wordCountSql } from '../../src/core/analyses.js';
import type { QueryEngine } from '../../src/core/ports.js';
import { ReadyAnalyses } from '../../src/roles/analytics/ready-analyses.js';
import { ODD_EVENT, type SameRows, SPARK_URL, sameRows } from '../helpers/same-rows.js';
import { queryEngineContract } from './suites/query-engine-contract.js';

const LIMITS = { maxRows: 1_000_000, timeoutMs: 600_000 };

describe('DuckDB and Spark over the same 100,000 posts', () => {
  let rows: SameRows;
  let duck: QueryEngine;
  let spark: QueryEngine;

  beforeAll(async () => {
    rows = await sameRows(100_000);
    duck = new DuckDbQueryEngine(rows.db);
    spark = new SparkQueryEngine({ url: SPARK_URL, keyspace: rows.keyspace });
  }, 600_000);

  afterAll(async () => {
    await spark?.close();
    await rows?.cleanup();
  });

  it("the thesis's word count (split on spaces, lower-case, count, most frequent first) gives identical top-1,000 lists", async () => {
    const [d, s] = await Promise.all([
      duck.query(`${wordCountSql(DIALECTS.duckdb)} LIMIT 1000`, LIMITS),
      spark.query(`${wordCountSql(DIALECTS.spark)} LIMIT 1000`, LIMITS),
    ]);
    expect(d.rowCount).toBe(1000);
    expect(s.rows).toEqual(d.rows);
    // all 100,000 posts were read: the counts of every word add up to the words of every post
    const total = async (e: QueryEngine) =>
      (await e.query(`SELECT sum(n) AS words, count(*) AS distinct_words FROM (${wordCountSql(DIALECTS[e.dialect])}) AS wc`, LIMITS)).rows[0];
    const [dt, st] = await Promise.all([total(duck), total(spark)]);
    expect(st).toEqual(dt);
    expect((await spark.query('SELECT count(*) AS n FROM tweet', LIMITS)).rows).toEqual([{ n: 100_000 }]);
  }, 600_000);

  it('every ready analysis (event page, cards, keyword feedback) answers the same on both', async () => {
    // A correctness test: on a loaded machine a Spark query over 100,000 posts may take more than a page's 60 s.
    const options = { now: () => new Date('2026-01-01T01:00:00Z'), timeoutMs: LIMITS.timeoutMs };
    const [da, sa] = [new ReadyAnalyses(duck, options), new ReadyAnalyses(spark, options)];
    // every bucket once; the event whose name needs escaping too
    for (const [event, bucket] of [
      ['bench', 'hour'],
      [ODD_EVENT, 'minute'],
      [ODD_EVENT, 'day'],
    ] as const) {
      const d = await da.summary(event, bucket);
      expect(d.volume.length).toBeGreaterThan(0);
      expect(await sa.summary(event, bucket)).toEqual(d);
    }
    expect(await sa.keywords('bench', ['flood'])).toEqual(await da.keywords('bench', ['flood']));
    expect(await sa.overview()).toEqual(await da.overview());
    // the map: the same newest posts with a position (a place's look in raw is a regular expression in both dialects)
    const placed = async (a: ReadyAnalyses) => (await a.geo('bench', 300)).posts.map(({ t_id, lon, lat, kind, place }) => ({ t_id, lon, lat, kind, place }));
    const onMap = await placed(da);
    expect(onMap).toHaveLength(300);
    expect(new Set(onMap.map((p) => p.kind))).toEqual(new Set(['point', 'place']));
    expect(await placed(sa)).toEqual(onMap);
    for (const [name, sql] of [
      ['keyword hours', keywordHoursSql],
      ['rising terms', risingTermsSql],
    ] as const) {
      const [d, s] = await Promise.all([duck.query(sql(DIALECTS.duckdb, 'bench'), LIMITS), spark.query(sql(DIALECTS.spark, 'bench'), LIMITS)]);
      expect(s.rows, name).toEqual(d.rows);
      expect(d.rowCount, name).toBeGreaterThan(0);
    }
  }, 600_000);
});

describe('the query engine contract on both engines', () => {
  let rows: SameRows;
  let duck: QueryEngine;
  let spark: QueryEngine;
  beforeAll(async () => {
    rows = await sameRows(500, 3);
    duck = new DuckDbQueryEngine(rows.db);
    spark = new SparkQueryEngine({ url: SPARK_URL, keyspace: rows.keyspace });
  }, 120_000);
  afterAll(async () => {
    await spark?.close();
    await rows?.cleanup();
  });
  queryEngineContract('DuckDB', () => duck, 500);
  queryEngineContract('Spark over Cassandra', () => spark, 500);
  // Before a query is sent, a new session's views are made: a query whose time ran out meanwhile, or whose person
  // left, was sent and cancelled in the same instant, and the cancelled call's error, with nothing listening yet,
  // ended the whole process.
  const COUNT = 'SELECT count(*) AS n FROM tweet';
  /** A new engine (its session's views not made yet): `stopped` is answered `status`, then the next query is. */
  async function stoppedInSetUp(status: number, stopped: (fresh: QueryEngine) => Promise<unknown>): Promise<void> {
    const fresh = new SparkQueryEngine({ url: SPARK_URL, keyspace: rows.keyspace });
    try {
      await expect(stopped(fresh)).rejects.toMatchObject({ status });
      expect((await fresh.query(COUNT, LIMITS)).rows).toEqual((await duck.query(COUNT, LIMITS)).rows);
    } finally {
      await fresh.close();
    }
  }
  it('Spark: a query whose time runs out while the session is set up is answered 504, and the engine answers the next one', async () => {
    await stoppedInSetUp(504, (fresh) => fresh.query(COUNT, { maxRows: 10, timeoutMs: 1_000, startedAt: performance.now() - 5_000 }));
  }, 60_000);
  it('Spark: a query its person cancels while the session is set up is answered 499, and the engine answers the next one', async () => {
    await stoppedInSetUp(499, (fresh) => {
      const gone = new AbortController();
      setTimeout(() => gone.abort(), 1);
      return fresh.query(COUNT, { ...LIMITS, signal: gone.signal });
    });
  }, 60_000);
  it('Spark: a server that cannot be reached is a 501 that says how to start one', async () => {
    const gone = new SparkQueryEngine({ url: 'sc://127.0.0.1:1', keyspace: 'x' });
    await expect(gone.query('SELECT 1', { maxRows: 1, timeoutMs: 20_000 })).rejects.toMatchObject({
      status: 501,
      message: expect.stringContaining('scripts/engines/spark.sh up'),
    });
    await gone.close();
  });
});
