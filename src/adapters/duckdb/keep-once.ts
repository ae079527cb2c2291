// Tables that keep each key once without a primary key. DuckDB holds a key's index (ART) wholly in memory, so an
// index of every post grew with every row until the store ran out of its memory_limit (a few million rows at
// 256MB). Instead, an insert adds only the incoming rows whose key the table does not hold yet (one writer at a time:
// the store's own connection, so the check and the insert see the same table).

import type { DuckDBConnection } from '@duckdb/node-api';
import { msSince } from '../../util/elapsed.js';
import type { Logger } from '../../util/log.js';

/**
 * A number from a post id (`t_id`) that grows with the post's time on the platforms Vigil reads (a Twitter or X id,
 * the status id ending a Mastodon URI, the timestamp in a Bluesky record key), NULL for an id of another shape. A
 * function of t_id alone, so two rows of one post always share it; rows are stored roughly in time order, so the
 * row groups of one period hold a narrow range of it, and a check joined on it skips the others.
 */
export const T_KEY_SQL = `coalesce(
    TRY_CAST(t_id AS BIGINT),
    TRY_CAST(regexp_extract(t_id, '/([0-9]{1,18})$', 1) AS BIGINT),
    CASE WHEN regexp_matches(t_id, '/[2-7a-j][2-7a-z]{12}$') THEN (list_sum(list_transform(range(13),
      k -> (strpos('234567abcdefghijklmnopqrstuvwxyz', t_id[length(t_id) - 12 + k::INT]) - 1)::HUGEINT << (5 * (12 - k))::INT)) >> 10)::BIGINT END)`;

export interface KeptOnce {
  table: string;
  /** The columns that identify a row. */
  key: readonly string[];
  /** A post table: it has t_id among its key and a t_key column (T_KEY_SQL), which the check joins on too. */
  byPost: boolean;
  /** Which of several incoming rows of one key is kept (a column; the lowest wins, then the first given). */
  first?: string;
}

/**
 * CTEs `firsts` (each incoming key once: its row number `n`, and t_key on a post table) and `fresh` (those the table
 * does not hold yet), from a CTE `keys` giving the key columns, `first` if any, and `n`. Narrow on purpose: the
 * wide rows are neither sorted nor copied for the check. On a post table the check also joins on t_key, so DuckDB's
 * join filter (the incoming t_keys' min and max) skips every row group of other periods: its cost follows the rows of
 * the same period, not the table's size. Rows whose id gives no t_key are matched among themselves.
 */
function freshKeysCtes(t: KeptOnce): string {
  const cols = t.key.join(', ');
  const sameKey = t.key.map((c) => `r.${c} = i.${c}`).join(' AND ');
  const stored = (where: string, firsts: string, on: string) =>
    `SELECT ${t.key.map((c) => `r.${c}`).join(', ')} FROM ${where} r SEMI JOIN ${firsts} i ON ${on}`;
  const check = t.byPost
    ? `${stored(t.table, 'firsts', `r.t_key = i.t_key AND ${sameKey}`)}
    UNION ALL ${stored(`(FROM ${t.table} WHERE t_key IS NULL)`, '(FROM firsts WHERE t_key IS NULL)', sameKey)}`
    : stored(t.table, 'firsts', sameKey);
  return `firsts AS (
  SELECT ${cols},${t.byPost ? ` ${T_KEY_SQL} AS t_key,` : ''} ${t.first ? `arg_min(n, (${t.first}, n))` : 'min(n)'} AS n FROM keys GROUP BY ${cols}
), stored AS (
  ${check}
), fresh AS (
  SELECT n${t.byPost ? ', t_key' : ''} FROM firsts ANTI JOIN stored USING (${cols})
)`;
}

/**
 * INSERT of the rows of `incoming` (a query giving the table's columns, t_key aside) whose key the table does not
 * hold yet, each key once (freshKeysCtes).
 */
export function insertNewSql(t: KeptOnce, incoming: string): string {
  const keyCols = [...t.key, ...(t.first ? [t.first] : [])].join(', ');
  return `INSERT INTO ${t.table} BY NAME
WITH incoming AS (SELECT *, row_number() OVER () AS n FROM (${incoming})),
keys AS (SELECT ${keyCols}, n FROM incoming),
${freshKeysCtes(t)}
SELECT incoming.* EXCLUDE (n)${t.byPost ? ', fresh.t_key' : ''} FROM incoming JOIN fresh USING (n)`;
}

/**
 * INSERT of rows given as post lines (row-batch.ts): one JSON object per post, its fields once and, under
 * \`rowsField\`, the list of its rows' own fields; DuckDB parses each post once and expands its rows. Only rows
 * that are new are inserted, each key once (freshKeysCtes). \`lines\` is a query giving each line (\`line\`), its
 * number (\`pn\`) and any column stored beside the parsed ones (each post's, in each of its rows). A row's
 * number is its line's and its place in the list, so the check and the insert, which each read \`incoming\`, name the
 * same row (a row_number() over the expanded rows could differ between the two).
 */
export function insertNewPostLinesSql(t: KeptOnce, structure: string, rowsField: string, lines: string): string {
  const keyCols = [...t.key, ...(t.first ? [t.first] : [])].join(', ');
  return `INSERT INTO ${t.table} BY NAME
WITH lines AS (${lines}),
posts AS (SELECT unnest(from_json(line, '${structure}')), * EXCLUDE (line) FROM lines),
incoming AS (
  SELECT * EXCLUDE (${rowsField}), unnest(${rowsField}, recursive := true), (pn << 32) + unnest(range(len(${rowsField}))) AS n FROM posts
),
keys AS (SELECT ${keyCols}, n FROM incoming),
${freshKeysCtes(t)}
SELECT incoming.* EXCLUDE (n, pn)${t.byPost ? ', fresh.t_key' : ''} FROM incoming JOIN fresh USING (n)`;
}

/**
 * A table of an earlier version with a primary key (or, for a post table, without t_key) is copied once into one
 * made by `ddl` (no key), in one transaction: DuckDB cannot drop a constraint. `dependents` (views on the table)
 * are dropped first; the caller creates them again.
 */
export async function dropPrimaryKey(conn: DuckDBConnection, t: KeptOnce, ddl: string, dependents: string[], log?: Logger): Promise<void> {
  const q = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0][0]);
  const where = `schema_name = current_schema() AND table_name = '${t.table}'`;
  if ((await q(`SELECT count(*) FROM duckdb_tables() WHERE ${where}`)) === 0) return;
  const keyed = (await q(`SELECT count(*) FROM duckdb_constraints() WHERE ${where} AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`)) > 0;
  const lacksTKey = t.byPost && (await q(`SELECT count(*) FROM duckdb_columns() WHERE ${where} AND column_name = 't_key'`)) === 0;
  if (!keyed && !lacksTKey) return;
  const started = performance.now();
  log?.info(`${t.table}: copying its rows into a table without a primary key, once (a big collection takes minutes)`, {
    rows: await q(`SELECT count(*) FROM ${t.table}`),
  });
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const v of dependents) await conn.run(`DROP VIEW IF EXISTS ${v}`);
    await conn.run(`ALTER TABLE ${t.table} RENAME TO ${t.table}_keyed`);
    await conn.run(ddl);
    await conn.run(`INSERT INTO ${t.table} BY NAME SELECT *${lacksTKey ? `, ${T_KEY_SQL} AS t_key` : ''} FROM ${t.table}_keyed`);
    await conn.run(`DROP TABLE ${t.table}_keyed`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  log?.info(`${t.table}: copied into a table without a primary key (its index held every key in memory); rows are kept once by the insert itself`, {
    rows: await q(`SELECT count(*) FROM ${t.table}`),
    ms: msSince(started),
  });
}

/** A table of an earlier version that is a view now: renamed to the table behind the view (nothing copied). */
export async function renameBaseTable(conn: DuckDBConnection, from: string, to: string): Promise<void> {
  const r = await conn.runAndReadAll(
    `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '${from}' AND table_type = 'BASE TABLE'`,
  );
  if (Number(r.getRows()[0][0]) > 0) await conn.run(`ALTER TABLE ${from} RENAME TO ${to}`);
}
