// What a person's SQL may do, decided from DuckDB's own parse: every way of writing, running other SQL, reading
// another table, a setting or a file, or building a huge value is refused; the queries researchers write still run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { QueryError } from '../../src/core/errors.js';

const LIMITS = { maxRows: 100, timeoutMs: 10_000, untrusted: true };

let db: DuckDb;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  db = await openDuckDb(':memory:');
  await DuckDbPostStore.open(db);
  const c = await db.connect();
  // Tables that must stay out of reach even when they sit in the same database.
  await c.run("CREATE TABLE vigil_user (name VARCHAR, role VARCHAR, password_hash VARCHAR); INSERT INTO vigil_user VALUES ('ana', 'analyst', 'hash')");
  await c.run('CREATE TABLE vigil_token (id VARCHAR, token_sha256 VARCHAR)');
  await c.run('CREATE SEQUENCE s');
  await c.run("CREATE TABLE vigil_event (name VARCHAR); INSERT INTO vigil_event VALUES ('Sandy')");
  db.disconnect(c);
  engine = new DuckDbQueryEngine(db);
});
afterAll(() => db.close());

async function refusal(sql: string): Promise<QueryError> {
  try {
    await engine.query(sql, LIMITS);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`expected ${sql} to be refused`);
}

describe("a person's SQL, judged from DuckDB's parse", () => {
  it.each([
    ['EXPLAIN ANALYZE of an update', "EXPLAIN ANALYZE UPDATE vigil_user SET role = 'admin' WHERE name = 'ana'"],
    ['EXPLAIN ANALYZE of an insert, behind a comment', "/* just looking */ explain analyze INSERT INTO vigil_user VALUES ('eve', 'admin', 'x')"],
    ['EXPLAIN of a delete', 'EXPLAIN DELETE FROM vigil_user'],
    ['a delete behind a CTE', 'WITH x AS (SELECT 1) DELETE FROM vigil_user'],
    ['an update', "UPDATE vigil_user SET role = 'admin'"],
    ['an insert', "INSERT INTO vigil_user VALUES ('eve', 'admin', 'x')"],
    ['a drop', 'DROP TABLE vigil_user'],
    ['a create', 'CREATE TABLE x AS SELECT * FROM tweet'],
    ['an alter', 'ALTER TABLE tweet ADD COLUMN x INT'],
    ['a checkpoint', 'CHECKPOINT'],
    ['a checkpoint call', 'CALL checkpoint()'],
    ['a pragma', "PRAGMA table_info('vigil_user')"],
    ['a setting', 'SET threads = 1'],
    ['an attach', "ATTACH ':memory:' AS other"],
    ['a copy', "COPY vigil_user TO '/tmp/users.csv'"],
    ['an export', "EXPORT DATABASE '/tmp/db'"],
    ['a transaction', 'BEGIN TRANSACTION'],
    ['a vacuum', 'VACUUM'],
    ['a second statement that writes', 'SELECT 1; DROP TABLE vigil_user'],
    ['SQL run from a string', "SELECT * FROM query('DELETE FROM vigil_user')"],
    ['a table read by name from a string', "SELECT * FROM query_table('vigil_user')"],
    ['an account table', 'SELECT * FROM vigil_user'],
    ['an account table in a subquery', 'SELECT (SELECT count(*) FROM vigil_user) AS n'],
    ['an account table in EXISTS', 'SELECT * FROM tweet WHERE EXISTS (SELECT 1 FROM vigil_token)'],
    ['an account table qualified by schema', 'SELECT * FROM main.vigil_user'],
    ['an account table qualified by database', 'SELECT * FROM memory.main.vigil_user'],
    ['an account table in a nested CTE', 'WITH a AS (SELECT 1) SELECT * FROM (WITH b AS (SELECT * FROM vigil_user) SELECT * FROM b)'],
    ['a CTE name that shadows only in its own subquery', 'SELECT * FROM (WITH vigil_user AS (SELECT 1 AS x) SELECT * FROM vigil_user) a, vigil_user'],
    ['a CTE reading the table it is named after', 'WITH vigil_user AS (SELECT * FROM vigil_user) SELECT * FROM vigil_user'],
    ['the catalog', 'SELECT * FROM information_schema.tables'],
    ['the catalog of another dialect', 'SELECT * FROM pg_catalog.pg_class'],
    ['sqlite_master', 'SELECT * FROM sqlite_master'],
    ['the settings', 'SELECT * FROM duckdb_settings()'],
    ['the tables list', 'SELECT * FROM duckdb_tables()'],
    ['a pragma table function', "SELECT * FROM pragma_table_info('vigil_user')"],
    ['a setting by function', "SELECT current_setting('temp_directory')"],
    ['a sequence', "SELECT nextval('s')"],
    ['a file by function', "SELECT * FROM read_csv('/etc/passwd')"],
    ['a file by path', "SELECT * FROM '/etc/passwd'"],
    ['text of a file', "SELECT * FROM read_text('/etc/hostname')"],
    ['a huge repeat', "SELECT repeat('x', 2000000000)"],
    ['a repeat of a computed size', "SELECT repeat('x', (SELECT 2000000000))"],
    ['a huge pad', "SELECT lpad('a', 1000000000, 'b')"],
    ['a huge list', 'SELECT range(10000000000)'],
    ['a list of a computed size', 'SELECT len(range((SELECT 10000000000)))'],
  ])('refuses %s (403, saying what is allowed)', async (_what, sql) => {
    const e = await refusal(sql);
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/read-only|not allowed|not an analysis table|at most/u);
  });

  it('refuses a query too large to plan (413) and one that does not parse (400)', async () => {
    const huge = Array.from({ length: 8000 }, (_, i) => `SELECT ${i} AS n`).join(' UNION ALL ');
    expect((await refusal(huge)).status).toBe(413);
    expect((await refusal('SELEC 1')).status).toBe(400);
    expect((await refusal('SELECT 1; SELECT 2')).message).toMatch(/exactly one statement/u);
  });

  it.each([
    ['a count', 'SELECT count(*) AS n FROM tweet'],
    ['FROM first', 'FROM tweet LIMIT 1'],
    [
      'CTEs, joins and a window',
      'WITH t AS (SELECT * FROM tweet), d AS (SELECT * FROM deletion) SELECT t.t_id, row_number() OVER (ORDER BY t.t_id) FROM t LEFT JOIN d USING (platform, t_id)',
    ],
    ['a recursive CTE', 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) AS s FROM r'],
    ['unnest and range in FROM', 'SELECT * FROM unnest([1, 2, 3]) u, range(3) r'],
    ['a lateral unnest of a list column', 'SELECT h, count(*) FROM tweet, unnest(hashtags) AS x(h) GROUP BY 1'],
    ['a small repeat and a small range', "SELECT repeat('-', 10) AS line, range(5) AS l"],
    ['the events', 'SELECT name FROM vigil_event'],
    ['VALUES', 'VALUES (1), (2)'],
    ['DESCRIBE', 'DESCRIBE tweet'],
    ['a lambda', 'SELECT list_transform([1, 2], x -> x + 1) AS l'],
  ])('runs %s', async (_what, sql) => {
    await expect(engine.query(sql, LIMITS)).resolves.toMatchObject({ truncated: false });
  });

  it('leaves the account tables as they were after every refusal', async () => {
    const c = await db.connect();
    const rows = (await c.runAndReadAll('SELECT name, role FROM vigil_user')).getRows();
    db.disconnect(c);
    expect(rows).toEqual([['ana', 'analyst']]);
  });
});
