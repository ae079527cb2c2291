// The embedded store's rows: the table `tweet_row` holds them, and the view `tweet` (what analysts query and exports
// read) gives every column of the row schema, `raw` included. A row written from the embedded log keeps only its raw
// post's position there (`raw_ref`), so the line is stored once, in the log, and read back by vigil_raw() when a
// query asks for raw; other rows (a copy for an export, a bus without the log) keep raw in the row.
// Data directories of earlier versions had a `tweet` table: it is brought to the current schema and becomes tweet_row.

import type { DuckDBConnection } from '@duckdb/node-api';
import { legacyEventId } from '../../core/event-id.js';
import { ADDED_COLUMNS, type ColumnType, TWEET_COLUMNS } from '../../core/row.js';
import { EVENT_ROWS_FIELD, ROW_OWN_COLUMNS } from '../../core/row-batch.js';
import type { Logger } from '../../util/log.js';
import { dropPrimaryKey, type KeptOnce } from './keep-once.js';
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
 * No primary key (keep-once.ts: its index grew in memory with every row); `t_key` and `write_seq` (which write of
 * the store stored the row: term-counts.ts) are the store's own (the view does not show them).
 */
const ROW_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${ROW_TABLE} (
  ${columnsDdl},
  raw_ref BIGINT,
  t_key BIGINT,
  write_seq BIGINT
)`;

/** Each (event, platform, post) once; of one post delivered twice, the copy first in the log. */
export const ROWS_KEPT_ONCE: KeptOnce = { table: ROW_TABLE, key: ['event_name', 'platform', 't_id'], byPost: true, first: 'raw_ref' };

/** A row's raw post over the rows' table: its own, or the embedded log's at the position it keeps. */
export const RAW_SQL = `CASE WHEN raw_ref IS NULL THEN raw ELSE ${RAW_FUNCTION}(raw_ref) END`;

/** The row schema's columns in order; raw from the row, or from the embedded log when the row keeps a position. */
const VIEW_DDL = `CREATE OR REPLACE VIEW tweet AS SELECT ${TWEET_COLUMNS.map((c) => (c.name === 'raw' ? `${RAW_SQL} AS raw` : c.name)).join(', ')} FROM ${ROW_TABLE}`;

const ownColumns: readonly string[] = ROW_OWN_COLUMNS;
const columnTypes = (keep: (name: string) => boolean) => Object.fromEntries(TWEET_COLUMNS.filter((c) => keep(c.name)).map((c) => [c.name, SQL_TYPES[c.type]]));

/**
 * The JSON structure of a row batch's post lines (row-batch.ts: every column but raw, which comes beside them, and
 * the rows' own columns in a list), for DuckDB's from_json.
 */
export const POST_LINE_STRUCTURE = JSON.stringify({
  [EVENT_ROWS_FIELD]: [columnTypes((name) => ownColumns.includes(name))],
  ...columnTypes((name) => name !== 'raw' && !ownColumns.includes(name)),
  raw_ref: 'BIGINT',
});

/** Creates or migrates the rows' table and (re)creates the view. Idempotent. */
export async function openTweetSchema(conn: DuckDBConnection, log?: Logger): Promise<void> {
  await migrateTweetTable(conn, log);
  await dropPrimaryKey(conn, ROWS_KEPT_ONCE, ROW_TABLE_DDL, ['tweet'], log);
  await conn.run(ROW_TABLE_DDL);
  for (const c of TWEET_COLUMNS.filter((x) => ADDED_COLUMNS.includes(x.name)))
    await conn.run(`ALTER TABLE ${ROW_TABLE} ADD COLUMN IF NOT EXISTS ${c.name} ${SQL_TYPES[c.type]}`);
  await conn.run(`ALTER TABLE ${ROW_TABLE} ADD COLUMN IF NOT EXISTS write_seq BIGINT`);
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
