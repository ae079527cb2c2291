// An event's rows copied from the embedded database into an export's private copy, in the order the files list them
// (t_created_at, then t_id), in memory that does not grow with the event. The rows travel as DuckDB's own data
// chunks, never as JavaScript objects, and are never sorted all at once: a row with its raw post is about 3 KB, and
// DuckDB cannot sort rows that wide in less memory than they take. Only the times are counted and sorted; the rows are
// then read a few thousand at a time, each slice a range of those times, each slice sorted on its own.

import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../core/analyses.js';
import { TWEET_COLUMNS } from '../../core/row.js';
import { RAW_SQL, ROW_TABLE, SQL_TYPES } from './tweet-schema.js';

/** Rows read and sorted at once: about 15 MB of the bench's posts with their raw, 20 MB without it. */
export const SLICE_ROWS = 5_000;
export const SLICE_ROWS_WITHOUT_RAW = 25_000;

/**
 * The view's columns read from the rows' table, each as it stores them, then the table's own columns (none kept in a
 * copy). Without raw, only a Mastodon post's is read (its deletion is known by the id in its payload): read through
 * the view, raw would be computed for every row before the outer expression looks at it.
 */
const copySelect = (raw: boolean): string =>
  `${TWEET_COLUMNS.map((c) =>
    c.name !== 'raw'
      ? `${c.name}::${SQL_TYPES[c.type]} AS ${c.name}`
      : raw
        ? `${RAW_SQL} AS raw`
        : `CASE WHEN platform = 'mastodon' THEN ${RAW_SQL} END AS raw`,
  ).join(', ')}, NULL::BIGINT AS raw_ref, NULL::BIGINT AS t_key, NULL::BIGINT AS write_seq`;

/** Times (microseconds since 1970; null: rows without one, which come last) whose rows are read together. */
export interface Slice {
  from: bigint | null;
  to: bigint | null;
}

/** Consecutive times grouped into slices of about `sliceRows` rows (one time with more rows is a slice of its own). */
export function slicesOf(counts: readonly [bigint | null, number][], sliceRows = SLICE_ROWS): Slice[] {
  const slices: Slice[] = [];
  let open: { from: bigint; to: bigint; rows: number } | null = null;
  for (const [at, rows] of counts) {
    if (open && (at === null || open.rows + rows > sliceRows)) {
      slices.push({ from: open.from, to: open.to });
      open = null;
    }
    if (at === null) slices.push({ from: null, to: null });
    else if (open) {
      open.to = at;
      open.rows += rows;
    } else open = { from: at, to: at, rows };
  }
  if (open) slices.push({ from: open.from, to: open.to });
  return slices;
}

/**
 * A TIMESTAMP literal of microseconds since 1970: a constant the scan compares with each row group's least and
 * greatest time, so that a slice reads only the row groups of its times.
 */
export function timestampSql(micros: bigint): string {
  const seconds = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
  const sub = micros - seconds * 1_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(sub).padStart(6, '0')}'`;
}

/** An event's rows per post time in the rows' table (microseconds since 1970, null last), to slice them by. */
export async function timeCounts(conn: DuckDBConnection, event: string): Promise<[bigint | null, number][]> {
  const sql = `SELECT epoch_us(t_created_at), count(*)::INTEGER FROM ${ROW_TABLE} WHERE event_name = ${sqlString(event)} GROUP BY 1 ORDER BY 1 NULLS LAST`;
  return (await conn.runAndReadAll(sql)).getRows() as [bigint | null, number][];
}

/** The rows of a slice's times, as a condition on t_created_at. */
export function sliceCondition(s: Slice): string {
  return s.from === null ? 't_created_at IS NULL' : `t_created_at BETWEEN ${timestampSql(s.from)} AND ${timestampSql(s.to ?? s.from)}`;
}

/**
 * Appends the event's rows of `from` (its rows' table) to the rows table of `into`, in the files' order; with `raw`
 * false, without raw posts (reading them is most of the work: a manifest, or an export with raw=exclude).
 */
export async function appendInOrder(
  from: DuckDBConnection,
  event: string,
  into: DuckDBConnection,
  raw = true,
  sliceRows = raw ? SLICE_ROWS : SLICE_ROWS_WITHOUT_RAW,
): Promise<void> {
  const ofEvent = `event_name = ${sqlString(event)}`;
  const counts = await timeCounts(from, event);
  const appender = await into.createAppender(ROW_TABLE);
  try {
    for (const s of slicesOf(counts, sliceRows)) {
      const result = await from.stream(`SELECT ${copySelect(raw)} FROM ${ROW_TABLE} WHERE ${ofEvent} AND ${sliceCondition(s)} ORDER BY t_created_at, t_id`);
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) appender.appendDataChunk(chunk);
      // The appender holds what it was given in memory until it flushes, which commits it to the copy.
      appender.flushSync();
    }
  } finally {
    appender.closeSync();
  }
}
