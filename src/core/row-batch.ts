// A batch of rows on its way to a store, encoded once: one JSON line per post, the post's fields once and, under
// `event_rows`, each of its rows' own fields (the event's side); each post's raw line beside them, unescaped. It
// crosses threads as UTF-8 bytes (transferred, not copied) and a string, and DuckDB reads both natively: it parses a
// post once however many events it matched and expands its rows itself. Keeping raw out of the JSON spares escaping
// it (JSON.stringify) and parsing it back (the store's JSON reader): raw is most of a post.
// Stores that want row objects decode it. A post whose raw line the store reads from the embedded log gives its
// position there (`raw_ref` in the post's JSON) and an empty raw: raw is then kept once per post, outside the rows.

import type { TweetRow } from './row.js';

/** Separates raw lines: U+001E (record separator) never stands unescaped in JSON text, nor does a line break. */
export const RAW_SEPARATOR = '\u001e';

/** The field of a post line that lists its rows' own fields. */
export const EVENT_ROWS_FIELD = 'event_rows';

export interface RowBatch {
  /** Rows (one per (event, post)), not posts. */
  readonly count: number;
  /**
   * One JSON object per post, every column but `raw` (and `event_rows`: its rows' own fields), separated by "\n"
   * (JSON text never holds a raw newline), as UTF-8 bytes: written post by post off the V8 heap, they cross threads
   * by transfer and reach DuckDB without being decoded into a string and encoded again.
   */
  readonly json: Uint8Array;
  /** The raw of each post line, in the same order, separated by RAW_SEPARATOR; empty for a post with a `raw_ref`. */
  readonly rawLines: string;
}

/** The columns one (event, post) row adds to its post's fields: the event's side of the row. */
export const ROW_OWN_COLUMNS = ['id', 'event_kw', 'event_name', 'event_id', 'collected_at', 'match_targets', 'match_fields', 'backfilled'] as const;

export type RowOwnFields = Pick<TweetRow, (typeof ROW_OWN_COLUMNS)[number]>;

/** A post's fields, as the normalizers give them: the same in each of its rows. */
export type PostFields = Omit<TweetRow, keyof RowOwnFields>;

const NEWLINE = 0x0a;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const NEWLINE_BYTES = new Uint8Array([NEWLINE]);
/** The first size of a batch's bytes; doubled as needed (a worker's batch of 1,000 posts takes about 1.5 MB). */
const INITIAL_BYTES = 1 << 20;

/**
 * A post's fields as a JSON object, without raw. Raw is set aside while the object is written (JSON leaves out an
 * undefined field) and put back: a copy of the fifty-odd other fields cost about a quarter more.
 */
function postJson(post: PostFields): string {
  const raw = post.raw;
  (post as { raw: string | undefined }).raw = undefined;
  try {
    return JSON.stringify(post);
  } finally {
    post.raw = raw;
  }
}

/**
 * Builds a RowBatch post by post: a post's fields are encoded once, after the list of its rows' own fields. Of several
 * rows with the same (event, platform, post id) the first is kept, as the stores do; a post left with no row is not
 * written. `position`, when not null, is where the post's raw line sits in the embedded log: the post refers to it
 * instead of carrying it. The JSON goes straight into UTF-8 bytes: its strings die young, instead of living (and being
 * copied by the garbage collector) until the batch is done.
 */
export class RowBatchBuilder {
  private readonly seen = new Set<string>();
  private readonly raws: string[] = [];
  private bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private length = 0;
  private count = 0;

  addPost(post: PostFields, rows: readonly RowOwnFields[], position: number | null = null): void {
    // Raw is JSON text, where the separator cannot stand unescaped; a post that breaks this is refused, not split.
    if (position === null && post.raw.includes(RAW_SEPARATOR)) throw new Error(`row ${post.platform}/${post.t_id}: raw holds U+001E, so it is not JSON text`);
    let written = 0;
    for (const own of rows) {
      const key = `${own.event_name}\u0000${post.platform}\u0000${post.t_id}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      if (written === 0) {
        const ref = position === null ? '' : `"raw_ref":${position},`;
        this.text(`${this.raws.length > 0 ? '\n' : ''}{${ref}"${EVENT_ROWS_FIELD}":[`);
      } else this.byte(COMMA);
      this.text(JSON.stringify(own));
      written++;
    }
    if (written === 0) return;
    this.byte(CLOSE_BRACKET);
    // The post's object closes the line: its opening brace becomes the comma after the rows.
    const body = postJson(post);
    if (body === '{}') this.byte(CLOSE_BRACE);
    else {
      const start = this.length;
      this.text(body);
      this.bytes[start] = COMMA;
    }
    this.raws.push(position === null ? post.raw : '');
    this.count += written;
  }

  build(): RowBatch {
    return { count: this.count, json: this.bytes.subarray(0, this.length), rawLines: this.raws.join(RAW_SEPARATOR) };
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }

  private text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(s.length * 3);
    this.length += this.bytes.write(s, this.length, 'utf8');
  }

  private byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
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

/** A batch of no rows (what is left to store of a batch whose rows were written where they were classified). */
export function emptyRowBatch(): RowBatch {
  return { count: 0, json: new Uint8Array(0), rawLines: '' };
}

/** Several batches as one (a store writing them in one transaction). */
export function joinRowBatches(batches: readonly RowBatch[]): RowBatch {
  if (batches.length === 1) return batches[0];
  const some = batches.filter((b) => b.count > 0);
  const parts: Uint8Array[] = [];
  for (const b of some) {
    if (parts.length > 0) parts.push(NEWLINE_BYTES);
    parts.push(b.json);
  }
  return {
    count: some.reduce((n, b) => n + b.count, 0),
    json: Buffer.concat(parts),
    rawLines: some.map((b) => b.rawLines).join(RAW_SEPARATOR),
  };
}

/** One row of a batch: its fields (its post's and its own, without raw; `raw_ref` for a post kept in the log) and raw. */
export interface RowObject {
  fields: Record<string, unknown>;
  raw: string;
}

/** A batch's rows, each expanded from its post line (a store that reads objects). */
export function rowObjects(batch: RowBatch): RowObject[] {
  if (batch.count === 0) return [];
  const raws = batch.rawLines.split(RAW_SEPARATOR);
  const text = Buffer.from(batch.json.buffer, batch.json.byteOffset, batch.json.byteLength).toString('utf8');
  const out: RowObject[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const post = JSON.parse(line) as Record<string, unknown>;
    const postKeys = Object.keys(post);
    // Copied field by field: a second spread into a literal (`{ ...own, ...post }`) takes V8's slow path, one
    // property at a time, about 60–80 CPU-µs a row here (most of a distributed classifier's main thread); this loop
    // takes about 1.
    for (const own of post[EVENT_ROWS_FIELD] as Record<string, unknown>[]) {
      const fields: Record<string, unknown> = {};
      for (const k of Object.keys(own)) fields[k] = own[k];
      for (const k of postKeys) if (k !== EVENT_ROWS_FIELD) fields[k] = post[k];
      out.push({ fields, raw: raws[i] });
    }
  }
  return out;
}

export function decodeRowBatch(batch: RowBatch): TweetRow[] {
  return rowObjects(batch).map(({ fields, raw }) => {
    // Only a store that reads the embedded log is given positions (PostStore.readsRawFromLog): this one is not.
    if (fields.raw_ref !== undefined)
      throw new Error(`row ${String(fields.platform)}/${String(fields.t_id)} gives its raw post by position, but this store keeps raw in its rows`);
    // Set on the row's own object (rowObjects made one per row), not spread into a copy of its fifty-odd fields.
    fields.raw = raw;
    return fields as unknown as TweetRow;
  });
}
