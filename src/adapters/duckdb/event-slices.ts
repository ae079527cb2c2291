// An event's rows read a slice of post times at a time, with the columns asked for only: a whole event (a network, a
// Cassandra-like read of every row) in memory that does not grow with it. Raw posts are read from the embedded log
// only when asked for; the other columns come from the rows' table, not the view.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { TweetRow } from '../../core/row.js';
import { sliceCondition, slicesOf, timeCounts } from './ordered-copy.js';
import { RAW_SQL, ROW_TABLE } from './tweet-schema.js';
import { toJson } from './values.js';

/** Rows read at once when the reader does not say: about 60 MB of the bench's posts with raw, far less without. */
export const EVENT_SLICE_ROWS = 20_000;

/** The event's rows in post-time order (then post id), `sliceRows` or so at a time (one post time's rows are never split). */
export async function* eventSlices<K extends keyof TweetRow>(
  conn: DuckDBConnection,
  event: string,
  columns: readonly K[],
  sliceRows = EVENT_SLICE_ROWS,
): AsyncGenerator<Pick<TweetRow, K>[]> {
  const select = columns.map((c) => (c === 'raw' ? `${RAW_SQL} AS raw` : c)).join(', ');
  for (const s of slicesOf(await timeCounts(conn, event), sliceRows)) {
    const r = await conn.runAndReadAll(`SELECT ${select} FROM ${ROW_TABLE} WHERE event_name = $1 AND ${sliceCondition(s)} ORDER BY t_created_at, t_id`, [
      event,
    ]);
    yield (await r.convertRowObjects(toJson)) as unknown as Pick<TweetRow, K>[];
  }
}
