// The behaviour every QueryEngine must have, over a store holding the rows of `sameRows` (small).

import { describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/core/errors.js';
import type { QueryEngine } from '../../../src/core/ports.js';

const LIMITS = { maxRows: 1000, timeoutMs: 120_000 };

/** Minutes of work on either engine (the column of range() is named differently). */
const slowSql = (e: QueryEngine): string =>
  e.dialect === 'spark' ? 'SELECT sum(hash(id)) AS n FROM range(50000000000)' : 'SELECT sum(hash(range)) AS n FROM range(50000000000)';

async function failure(p: Promise<unknown>): Promise<QueryError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error('expected the query to fail');
}

export function queryEngineContract(name: string, engine: () => QueryEngine, posts: number): void {
  describe(`QueryEngine contract: ${name}`, () => {
    it('answers a query with named, typed columns; times as ISO-8601 UTC, lists as arrays, integers as numbers', async () => {
      const r = await engine().query(
        "SELECT t_id, t_created_at, hashtags, t_retweet_count, t_is_a_retweet FROM tweet WHERE event_name = 'bench' AND size(hashtags) > 0 ORDER BY t_id LIMIT 2".replace(
          'size(hashtags)',
          engine().dialect === 'spark' ? 'size(hashtags)' : 'len(hashtags)',
        ),
        LIMITS,
      );
      expect(r.columns.map((c) => c.name)).toEqual(['t_id', 't_created_at', 'hashtags', 't_retweet_count', 't_is_a_retweet']);
      expect(r.rowCount).toBe(2);
      const [row] = r.rows;
      expect(row.t_created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/u);
      expect(Array.isArray(row.hashtags)).toBe(true);
      expect(typeof row.t_retweet_count).toBe('number');
      expect(typeof row.t_is_a_retweet).toBe('boolean');
      expect((await engine().query('SELECT count(*) AS n FROM tweet', LIMITS)).rows).toEqual([{ n: posts }]);
    });

    it('cuts a result at maxRows and says so', async () => {
      const r = await engine().query('SELECT t_id FROM tweet ORDER BY t_id', { ...LIMITS, maxRows: 7 });
      expect(r.rowCount).toBe(7);
      expect(r.truncated).toBe(true);
    });

    it('runs only read-only queries: DDL and writes are refused (400 or 403) with the reason', async () => {
      for (const sql of ['DROP TABLE tweet', "INSERT INTO tweet (t_id) VALUES ('x')", 'SELECT 1; SELECT 2', 'CREATE TABLE x AS SELECT 1 AS a'])
        expect([400, 403], sql).toContain((await failure(engine().query(sql, { ...LIMITS, untrusted: true }))).status);
      expect((await engine().query('SELECT count(*) AS n FROM tweet', LIMITS)).rows).toEqual([{ n: posts }]);
    });

    it("an engine's own error comes back as 400 with its message", async () => {
      const e = await failure(engine().query('SELECT no_such_column FROM tweet', LIMITS));
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/no_such_column/u);
    });

    it('a cancelled query stops (499) and the engine answers the next one', async () => {
      const abort = new AbortController();
      const slow = engine().query(slowSql(engine()), { ...LIMITS, signal: abort.signal });
      setTimeout(() => abort.abort(), 1500);
      const started = performance.now();
      expect((await failure(slow)).status).toBe(499);
      expect(performance.now() - started).toBeLessThan(15_000);
      expect((await engine().query('SELECT 1 AS one', LIMITS)).rows).toEqual([{ one: 1 }]);
    }, 60_000);

    it('a query over its time limit is stopped with 504 (not 408, which browsers send again by themselves)', async () => {
      const e = await failure(engine().query(slowSql(engine()), { ...LIMITS, timeoutMs: 1500 }));
      expect(e.status).toBe(504);
    }, 60_000);
  });
}
