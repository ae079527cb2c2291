// A batch of rows on its way to a store, encoded once as JSON lines: it crosses threads as one string and DuckDB
// reads it natively. Stores that want objects decode it.

import type { TweetRow } from './row.js';

export interface RowBatch {
  readonly count: number;
  /** One JSON object per row, separated by "\n" (JSON text never holds a raw newline). */
  readonly jsonLines: string;
}

/** Encodes rows, keeping the last of several with the same (event, platform, post id). */
export function rowBatch(rows: readonly TweetRow[]): RowBatch {
  const byKey = new Map<string, TweetRow>();
  for (const r of rows) byKey.set(`${r.event_name}\u0000${r.platform}\u0000${r.t_id}`, r);
  const parts: string[] = [];
  for (const r of byKey.values()) parts.push(JSON.stringify(r));
  return { count: parts.length, jsonLines: parts.join('\n') };
}

export function decodeRowBatch(batch: RowBatch): TweetRow[] {
  return batch.count === 0 ? [] : batch.jsonLines.split('\n').map((l) => JSON.parse(l) as TweetRow);
}
