// Tables that keep each key once without a primary key. DuckDB holds a key's index (ART) wholly in memory, so an
// index of every post grew with every row until the store ran out of its memory_limit (a few million rows at
// 256MB). Instead, an insert adds only the incoming rows whose key the table does not hold yet (insertNewSql), or,
// on the store's hot path, writes insert all their rows and those that repeat a key are deleted before their
// transaction commits (PostLinesWriter). One writer at a time: the store's own connection, so the check and the
// insert see the same table.

import { BIGINT, BOOLEAN, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
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
 * Rows given as post lines (row-batch.ts) written to a post table that numbers its writes (`write_seq`), each key
 * once: one JSON object per post, its fields once and, under `rowsField`, the list of its rows' own fields; DuckDB
 * parses each post once and expands its rows. In two steps, in the caller's transaction: each write's rows are all
 * inserted (a statement that reads no table, so DuckDB plans it once for good), then, before the transaction commits,
 * the rows of its writes whose key the table held already, or that they brought twice (all but the first), are
 * deleted, in one statement for all of them.
 * Checking inside the INSERT cost more than the insert itself: DuckDB binds and optimizes again, on every execution,
 * a prepared statement that reads a table, and that statement's plan (the JSON structure, the check's CTEs) took about
 * 15 ms of every write's 30–40. The delete's plan is small, and the t_key bounds of the writes' rows come to it as
 * constants, so its scan skips every row group of other periods by their min and max. Once per transaction, not per
 * write: a bulk import's transaction holds a few hundred writes (commit-group.ts), and a check of each write scanned
 * the transaction's rows not committed yet (which have no min and max) again each time: measured with DuckDB alone on
 * the row batches of a 200,000-post ingest at 10 events, 4.2 → 1.1 ms of checking per thousand posts.
 */
export class PostLinesWriter {
  private constructor(
    private readonly insertRows: DuckDBPreparedStatement,
    private readonly bounds: DuckDBPreparedStatement,
    private readonly repeats: DuckDBPreparedStatement,
  ) {}

  /**
   * `lines`: a query giving each line (`line`), the write's number (`write_seq`, from its last parameter, which
   * `insert` binds) and any column stored beside the parsed ones (each post's, in each of its rows).
   */
  static async prepare(conn: DuckDBConnection, t: KeptOnce, structure: string, rowsField: string, lines: string): Promise<PostLinesWriter> {
    if (!t.byPost) throw new Error(`${t.table}: post lines go to a post table (t_id and t_key)`);
    const insert = `INSERT INTO ${t.table} BY NAME
WITH posts AS (SELECT unnest(from_json(line, '${structure}')), * EXCLUDE (line) FROM (${lines})),
incoming AS (SELECT * EXCLUDE (${rowsField}), unnest(${rowsField}, recursive := true) FROM posts)
SELECT *, ${T_KEY_SQL} AS t_key FROM incoming`;
    const bounds = `SELECT min(t_key), max(t_key), bool_or(t_key IS NULL) FROM ${t.table} WHERE write_seq BETWEEN $1 AND $2`;
    return new PostLinesWriter(await conn.prepare(insert), await conn.prepare(bounds), await conn.prepare(deleteRepeatsSql(t)));
  }

  /** Inserts the lines' rows (`values` of types `types` bound to `lines`, then `seq` as their write number), every one. */
  async insert(values: DuckDBValue[], types: DuckDBType[], seq: number): Promise<void> {
    this.insertRows.bind([...values, BigInt(seq)], [...types, BIGINT]);
    await this.insertRows.run();
  }

  /**
   * Deletes the rows of writes `from` to `to` (in the same transaction, not committed yet) that repeat a key: held
   * by the table before them, or by an earlier row among them.
   */
  async dropRepeats(from: number, to: number): Promise<void> {
    this.bounds.bind([BigInt(from), BigInt(to)], [BIGINT, BIGINT]);
    const [min, max, someWithout] = (await this.bounds.runAndReadAll()).getRows()[0];
    if (min === null && someWithout !== true) return; // nothing written
    this.repeats.bind([BigInt(from), BigInt(to), min ?? 0n, max ?? -1n, someWithout === true], [BIGINT, BIGINT, BIGINT, BIGINT, BOOLEAN]);
    await this.repeats.run();
  }

  close(): void {
    for (const s of [this.insertRows, this.bounds, this.repeats]) s.destroySync();
  }
}

/**
 * DELETE of the rows of writes $1 to $2 whose key the table held before them (among rows of t_key $3 to $4, or
 * without t_key when $5), or that those writes hold twice (the first kept: the lowest `first`, then the first
 * inserted). Their rows are read once (`w`, materialized) and only their key columns; the table's scan is bounded
 * by constants, which DuckDB checks against each row group's min and max before reading it.
 */
function deleteRepeatsSql(t: KeptOnce): string {
  const cols = t.key.join(', ');
  const same = (a: string, b: string) => t.key.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');
  const earlier = '(o.write_seq IS NULL OR o.write_seq NOT BETWEEN $1 AND $2)';
  const storedKeys = t.key.map((c) => `o.${c}`).join(', ');
  return `DELETE FROM ${t.table} WHERE write_seq BETWEEN $1 AND $2 AND rowid IN (
  WITH w AS MATERIALIZED (SELECT rowid AS rid, ${cols}, t_key${t.first ? `, ${t.first}` : ''} FROM ${t.table} WHERE write_seq BETWEEN $1 AND $2),
  stored AS (
    SELECT ${storedKeys} FROM ${t.table} o SEMI JOIN w ON o.t_key = w.t_key AND ${same('o', 'w')}
      WHERE o.t_key BETWEEN $3 AND $4 AND ${earlier}
    UNION ALL SELECT ${storedKeys} FROM ${t.table} o SEMI JOIN (FROM w WHERE t_key IS NULL) w ON ${same('o', 'w')}
      WHERE $5 AND o.t_key IS NULL AND ${earlier}
  )
  SELECT rid FROM w ANTI JOIN (SELECT ${t.first ? `arg_min(rid, (${t.first}, rid))` : 'min(rid)'} AS rid FROM w GROUP BY ${cols}) kept USING (rid)
  UNION ALL SELECT w.rid FROM w SEMI JOIN stored s ON ${same('w', 's')}
)`;
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
