// The embedded store's rows: the table `tweet_row` holds them, and the view `tweet` (what analysts query and exports
// read) gives every column of the row schema, `raw` included. A row written from the embedded log keeps only its raw
// post's position there (`raw_ref`), so the line is stored once, in the log, and read back by vigil_raw() when a
// query asks for raw; other rows (a copy for an export, a bus without the log) keep raw in the row.
// Data directories of earlier versions had a `tweet` table: it is brought to the current schema and becomes tweet_row.

import type { DuckDBConnection } from '@duckdb/node-api';
import { legacyEventId } from '../../core/event-id.js';
import { ADDED_COLUMNS, type ColumnType, TWEET_COLUMNS } from '../../core/row.js';
import type { Logger } from '../../util/log.js';
import { RAW_FUNCTION } from './raw-function.js';
import { retypeListColumns } from './retype-lists.js';

export const SQL_TYPES: Record<ColumnType, string> = {
  uuid: 'UUID',
  text: 'VARCHAR',
  int: 'BIGINT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  'list<text>': 'VARCHAR[]',
};

/** The rows' table (no one queries it but the store: analysts read the view). */
export const ROW_TABLE = 'tweet_row';

const columnsDdl = TWEET_COLUMNS.map((c) => `${c.name} ${SQL_TYPES[c.type]}`).join(',\n  ');

/**
 * A number from the post id that grows with the post's time on the platforms Vigil reads (a Twitter or X id, the
 * status id ending a Mastodon URI, the timestamp in a Bluesky record key), NULL for an id of another shape. It is a
 * function of t_id alone, so two rows of one post always share it; rows are stored roughly in time order, so the row
 * groups of one period have a narrow range of it (insertNewRowsSql prunes on that).
 */
const T_KEY_SQL = `coalesce(
    TRY_CAST(t_id AS BIGINT),
    TRY_CAST(regexp_extract(t_id, '/([0-9]{1,18})$', 1) AS BIGINT),
    CASE WHEN regexp_matches(t_id, '/[2-7a-j][2-7a-z]{12}$') THEN (list_sum(list_transform(range(13),
      k -> (strpos('234567abcdefghijklmnopqrstuvwxyz', t_id[length(t_id) - 12 + k::INT]) - 1)::HUGEINT << (5 * (12 - k))::INT)) >> 10)::BIGINT END)`;

/**
 * No primary key: DuckDB holds a key's index wholly in memory, so it grew with every row until the store ran out of
 * its memory_limit (a few million rows at 256MB). A row is kept once per (event, platform, post) by insertNewRowsSql.
 * `t_key` (T_KEY_SQL) is the store's own: the view does not show it.
 */
const ROW_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${ROW_TABLE} (
  ${columnsDdl},
  raw_ref BIGINT,
  t_key BIGINT
)`;

/**
 * Inserts the rows of `incoming` (a query giving row columns, raw_ref among them, not t_key) that the table does not
 * hold yet, each (event_name, platform, t_id) once (the lowest raw_ref first): replays, a post published twice and a
 * re-import store nothing twice. The check joins the table on t_key as well, so DuckDB's join filter (the incoming
 * keys' min and max) skips every row group of other periods: its cost follows the rows of the same period, not the
 * table's size, and no index sits in memory. Rows whose id has no t_key are matched among themselves. One writer at
 * a time (the store's own connection), so the check and the insert see the same table.
 */
export function insertNewRowsSql(incoming: string): string {
  const sameKey = 'r.t_id = i.t_id AND r.platform = i.platform AND r.event_name = i.event_name';
  return `INSERT INTO ${ROW_TABLE} BY NAME
WITH incoming AS (
  SELECT DISTINCT ON (event_name, platform, t_id) *, ${T_KEY_SQL} AS t_key
  FROM (${incoming}) ORDER BY event_name, platform, t_id, raw_ref NULLS LAST
), stored AS (
  SELECT r.event_name, r.platform, r.t_id FROM ${ROW_TABLE} r SEMI JOIN incoming i ON r.t_key = i.t_key AND ${sameKey}
  UNION ALL
  SELECT r.event_name, r.platform, r.t_id FROM (FROM ${ROW_TABLE} WHERE t_key IS NULL) r
    SEMI JOIN (FROM incoming WHERE t_key IS NULL) i ON ${sameKey}
)
SELECT incoming.* FROM incoming ANTI JOIN stored USING (event_name, platform, t_id)`;
}

/** The row schema's columns in order; raw from the row, or from the embedded log when the row keeps a position. */
const VIEW_DDL = `CREATE OR REPLACE VIEW tweet AS SELECT ${TWEET_COLUMNS.map((c) =>
  c.name === 'raw' ? `CASE WHEN raw_ref IS NULL THEN raw ELSE ${RAW_FUNCTION}(raw_ref) END AS raw` : c.name,
).join(', ')} FROM ${ROW_TABLE}`;

/** The JSON structure of a row batch's rows (every column but raw, which comes beside them), for DuckDB's from_json. */
export const ROW_JSON_STRUCTURE = JSON.stringify({
  ...Object.fromEntries(TWEET_COLUMNS.filter((c) => c.name !== 'raw').map((c) => [c.name, SQL_TYPES[c.type]])),
  raw_ref: 'BIGINT',
});

/** Creates or migrates the rows' table and (re)creates the view. Idempotent. */
export async function openTweetSchema(conn: DuckDBConnection, log?: Logger): Promise<void> {
  await migrateTweetTable(conn, log);
  await dropRowKey(conn, log);
  await conn.run(ROW_TABLE_DDL);
  for (const c of TWEET_COLUMNS.filter((x) => ADDED_COLUMNS.includes(x.name)))
    await conn.run(`ALTER TABLE ${ROW_TABLE} ADD COLUMN IF NOT EXISTS ${c.name} ${SQL_TYPES[c.type]}`);
  await conn.run(VIEW_DDL);
}

/** A `tweet` table of an earlier version: its columns brought up to date, then renamed to tweet_row (raw stays in its rows). */
async function migrateTweetTable(conn: DuckDBConnection, log?: Logger): Promise<void> {
  const r = await conn.runAndReadAll(
    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'tweet' AND table_type = 'BASE TABLE'",
  );
  if (Number(r.getRows()[0][0]) === 0) return;
  for (const c of TWEET_COLUMNS.filter((x) => ADDED_COLUMNS.includes(x.name)))
    await conn.run(`ALTER TABLE tweet ADD COLUMN IF NOT EXISTS ${c.name} ${SQL_TYPES[c.type]}`);
  await retypeListColumns(conn, log);
  await addEventIds(conn, log);
  await inTransaction(conn, async () => {
    await conn.run(`ALTER TABLE tweet RENAME TO ${ROW_TABLE}`);
    await conn.run(`ALTER TABLE ${ROW_TABLE} ADD COLUMN raw_ref BIGINT`);
  });
  log?.info(`tweet: rows are in ${ROW_TABLE} now and \`tweet\` is a view of them; posts stored from now on keep raw once, in the embedded log`);
}

/**
 * A rows' table of an earlier version has the primary key (event_name, platform, t_id), whose index DuckDB keeps in
 * memory, and no t_key: the table is copied once into one without the key and with t_key (DuckDB cannot drop a
 * constraint), in one transaction.
 */
async function dropRowKey(conn: DuckDBConnection, log?: Logger): Promise<void> {
  const r = await conn.runAndReadAll(
    `SELECT count(*) FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name = '${ROW_TABLE}'
       AND (SELECT count(*) FROM duckdb_columns() c WHERE c.schema_name = current_schema() AND c.table_name = '${ROW_TABLE}' AND c.column_name = 't_key') = 0`,
  );
  if (Number(r.getRows()[0][0]) === 0) return;
  const started = Date.now();
  await inTransaction(conn, async () => {
    await conn.run('DROP VIEW IF EXISTS tweet');
    await conn.run(`CREATE TABLE ${ROW_TABLE}_unkeyed AS SELECT *, ${T_KEY_SQL} AS t_key FROM ${ROW_TABLE}`);
    await conn.run(`DROP TABLE ${ROW_TABLE}`);
    await conn.run(`ALTER TABLE ${ROW_TABLE}_unkeyed RENAME TO ${ROW_TABLE}`);
  });
  const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE}`)).getRows()[0][0]);
  log?.info(
    `${ROW_TABLE}: copied into a table without a primary key (its index held every key in memory) and with t_key; rows are kept once by the insert itself`,
    {
      rows,
      ms: Date.now() - started,
    },
  );
}

export async function inTransaction(conn: DuckDBConnection, fn: () => Promise<unknown>): Promise<void> {
  await conn.run('BEGIN TRANSACTION');
  try {
    await fn();
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Rows stored before events had an identity get the one their event's name gives (legacyEventId, as the event
 * manager gives the event itself). Idempotent: only rows without one are touched.
 */
async function addEventIds(conn: DuckDBConnection, log?: Logger): Promise<void> {
  const names = (await conn.runAndReadAll('SELECT DISTINCT event_name FROM tweet WHERE event_id IS NULL')).getRows().map((r) => String(r[0]));
  if (names.length === 0) return;
  await inTransaction(conn, async () => {
    for (const name of names) await conn.run('UPDATE tweet SET event_id = $1::UUID WHERE event_name = $2 AND event_id IS NULL', [legacyEventId(name), name]);
  });
  log?.info('tweet: rows stored before events had an identity now carry it (event_id)', { events: names.length });
}
