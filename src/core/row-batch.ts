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

/** What one (event, post) row adds to its post's fields: the event's side of the row. */
export type RowOwnFields = Pick<TweetRow, 'id' | 'event_kw' | 'event_name' | 'event_id' | 'collected_at' | 'match_targets' | 'match_fields' | 'backfilled'>;

/** A post's fields, as the normalizers give them: the same in each of its rows. */
export type PostFields = Omit<TweetRow, keyof RowOwnFields>;

/**
 * Builds a RowBatch post by post: a post's fields are encoded once and each of its rows puts its own fields before
 * them (a post matching several events is not encoded again per event). Of several rows with the same (event,
 * platform, post id) the first is kept, as the stores do. `position`, when not null, is where the post's raw line
 * sits in the embedded log: its rows refer to it instead of carrying it.
 */
export class RowBatchBuilder {
  private readonly seen = new Set<string>();
  private readonly parts: string[] = [];
  private readonly raws: string[] = [];

  addPost(post: PostFields, rows: readonly RowOwnFields[], position: number | null = null): void {
    let body: string | null = null;
    for (const own of rows) {
      const key = `${own.event_name}\u0000${post.platform}\u0000${post.t_id}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      if (body === null) {
        const { raw: _raw, ...fields } = post;
        // Raw is JSON text, where the separator cannot stand unescaped; a row that breaks this is refused, not split.
        if (position === null && post.raw.includes(RAW_SEPARATOR))
          throw new Error(`row ${post.platform}/${post.t_id}: raw holds U+001E, so it is not JSON text`);
        // The fields without their braces, a raw_ref after them when the raw line stays in the log.
        const inner = JSON.stringify(fields).slice(1, -1);
        const ref = position === null ? '' : `"raw_ref":${position}`;
        body = inner !== '' && ref !== '' ? `${inner},${ref}` : inner + ref;
      }
      const head = JSON.stringify(own);
      this.parts.push(body === '' ? head : `${head.slice(0, -1)},${body}}`);
      this.raws.push(position === null ? post.raw : '');
    }
  }

  build(): RowBatch {
    return { count: this.parts.length, jsonLines: this.parts.join('\n'), rawLines: this.raws.join(RAW_SEPARATOR) };
  }
}

/** Encodes whole rows (see RowBatchBuilder); `positions[i]` is row i's raw post's place in the embedded log, if any. */
export function rowBatch(rows: readonly TweetRow[], positions: readonly (number | null)[] = []): RowBatch {
  const b = new RowBatchBuilder();
  for (const [i, row] of rows.entries()) {
    const { id, event_kw, event_name, event_id, collected_at, match_targets, match_fields, backfilled, ...post } = row;
    b.addPost(post, [{ id, event_kw, event_name, event_id, collected_at, match_targets, match_fields, backfilled }], positions[i] ?? null);
  }
  return b.build();
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
    const row = JSON.parse(l) as TweetRow & { raw_ref?: number };
    // Only a store that reads the embedded log is given positions (PostStore.readsRawFromLog): this one is not.
    if (row.raw_ref !== undefined) throw new Error(`row ${row.platform}/${row.t_id} gives its raw post by position, but this store keeps raw in its rows`);
    // Set on the parsed object, not spread into a copy of its fifty-odd fields.
    row.raw = raws[i];
    return row;
  });
}
