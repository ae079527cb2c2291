// A batch of rows on its way to a store, encoded once: the rows as JSON lines without `raw`, and each row's raw line
// beside them, unescaped. It crosses threads as two strings and DuckDB reads both natively. Keeping raw out of the
// row JSON spares escaping it (JSON.stringify) and parsing it back (the store's JSON reader): raw is most of a row.
// Stores that want objects decode it.

import type { TweetRow } from './row.js';

/** Separates raw lines: U+001E (record separator) never stands unescaped in JSON text, nor does a line break. */
export const RAW_SEPARATOR = '\u001e';

export interface RowBatch {
  readonly count: number;
  /** One JSON object per row, every column but `raw`, separated by "\n" (JSON text never holds a raw newline). */
  readonly jsonLines: string;
  /** The raw of each row, in the same order, separated by RAW_SEPARATOR. */
  readonly rawLines: string;
}

/** Encodes rows, keeping the last of several with the same (event, platform, post id). */
export function rowBatch(rows: readonly TweetRow[]): RowBatch {
  const byKey = new Map<string, TweetRow>();
  for (const r of rows) byKey.set(`${r.event_name}\u0000${r.platform}\u0000${r.t_id}`, r);
  const parts: string[] = [];
  const raws: string[] = [];
  for (const r of byKey.values()) {
    const { raw, ...rest } = r;
    // Raw is JSON text, where the separator cannot stand unescaped; a row that breaks this is refused, not split.
    if (raw.includes(RAW_SEPARATOR)) throw new Error(`row ${r.platform}/${r.t_id}: raw holds U+001E, so it is not JSON text`);
    parts.push(JSON.stringify(rest));
    raws.push(raw);
  }
  return { count: parts.length, jsonLines: parts.join('\n'), rawLines: raws.join(RAW_SEPARATOR) };
}

/** Several batches as one (a store writing them in one transaction). */
export function joinRowBatches(batches: readonly RowBatch[]): RowBatch {
  if (batches.length === 1) return batches[0];
  const some = batches.filter((b) => b.count > 0);
  return {
    count: some.reduce((n, b) => n + b.count, 0),
    jsonLines: some.map((b) => b.jsonLines).join('\n'),
    rawLines: some.map((b) => b.rawLines).join(RAW_SEPARATOR),
  };
}

export function decodeRowBatch(batch: RowBatch): TweetRow[] {
  if (batch.count === 0) return [];
  const raws = batch.rawLines.split(RAW_SEPARATOR);
  return batch.jsonLines.split('\n').map((l, i) => ({ ...(JSON.parse(l) as Omit<TweetRow, 'raw'>), raw: raws[i] }) as TweetRow);
}
