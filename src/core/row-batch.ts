// A batch of rows on its way to a store, encoded once: the rows as JSON lines without `raw`, and each row's raw line
// beside them, unescaped. It crosses threads as two strings and DuckDB reads both natively. Keeping raw out of the
// row JSON spares escaping it (JSON.stringify) and parsing it back (the store's JSON reader): raw is most of a row.
// Stores that want objects decode it. A row whose raw post the store reads from the embedded log gives its position
// there (`raw_ref` in the row JSON) and an empty raw: raw is then kept once per post, outside the rows.

import type { TweetRow } from './row.js';

/** Separates raw lines: U+001E (record separator) never stands unescaped in JSON text, nor does a line break. */
export const RAW_SEPARATOR = '\u001e';

export interface RowBatch {
  readonly count: number;
  /** One JSON object per row, every column but `raw`, separated by "\n" (JSON text never holds a raw newline). */
  readonly jsonLines: string;
  /** The raw of each row, in the same order, separated by RAW_SEPARATOR; empty for a row with a `raw_ref`. */
  readonly rawLines: string;
}

/**
 * Encodes rows, keeping the first of several with the same (event, platform, post id), as the stores do. `positions[i]`, when given
 * and not null, is where row i's raw post sits in the embedded log: the row refers to it instead of carrying it.
 */
export function rowBatch(rows: readonly TweetRow[], positions: readonly (number | null)[] = []): RowBatch {
  const byKey = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    const key = `${r.event_name}\u0000${r.platform}\u0000${r.t_id}`;
    if (!byKey.has(key)) byKey.set(key, i);
  }
  const parts: string[] = [];
  const raws: string[] = [];
  for (const i of byKey.values()) {
    const { raw, ...rest } = rows[i];
    const position = positions[i] ?? null;
    const json = JSON.stringify(rest);
    if (position !== null) {
      parts.push(`${json.slice(0, -1)},"raw_ref":${position}}`);
      raws.push('');
      continue;
    }
    // Raw is JSON text, where the separator cannot stand unescaped; a row that breaks this is refused, not split.
    if (raw.includes(RAW_SEPARATOR)) throw new Error(`row ${rest.platform}/${rest.t_id}: raw holds U+001E, so it is not JSON text`);
    parts.push(json);
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
  return batch.jsonLines.split('\n').map((l, i) => {
    const row = JSON.parse(l) as Omit<TweetRow, 'raw'> & { raw_ref?: number };
    // Only a store that reads the embedded log is given positions (PostStore.readsRawFromLog): this one is not.
    if (row.raw_ref !== undefined) throw new Error(`row ${row.platform}/${row.t_id} gives its raw post by position, but this store keeps raw in its rows`);
    return { ...row, raw: raws[i] } as TweetRow;
  });
}
