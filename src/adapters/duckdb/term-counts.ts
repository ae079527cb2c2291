// Term counts, so an event page's top lists (hashtags, words, mentions, links, domains, accounts), its volume and the
// thesis's word count sum a small table instead of a pass over every row (10 M posts: top words 36 s, domains 1.5 s,
// the word count about 6 s → milliseconds).
//
// Counting every write as it is stored cost ingest about half its speed (a write's few thousand rows hold tens of
// thousands of distinct terms, and the words' regular expressions ran in the one writer), so rows are counted later,
// in chunks: when the writer is quiet (store.ts), and before an event page's queries. `term_count_part` holds
// partial counts of the rows up to the write `term_count_mark` names; the `term_count` view adds the rows written
// since, counted as it is read, so it is exact whenever it is read, counted or not. The terms are counted by
// core/analyses.ts's termCountsSql, as the rows path counts them. A rename counts both names again, a purge drops the
// event's counts. A database of an earlier version (main before 2026-12-02 kept hashtag_count only) opens at once and
// gets its rows counted when the writer is quiet (rows of versions before write_seq count as write 0); counts of
// other kinds than today's are counted again the same way. `hashtag_count` stays, as a view of the hashtags.
//
// Hashtags and words of an event's last seven hours are also counted per 5-minute period (`term_bucket_count`, the
// same way: partial counts and a view that adds the rows not counted yet), in the pass that counts them: the keyword
// feedback's rising terms sum those periods instead of reading seven hours of rows. The same counts are kept per hour
// (`term_hour_count`, summed from the periods' in the same pass): the rising terms read whole hours there and only the
// windows' edges per period. A period is kept as long as any of its hour is in the seven hours, so an hour's counts
// stay the sum of its periods' counts.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DIALECTS, RISING_KINDS, RISING_SPAN_HOURS, TERM_BUCKET_MINUTES, TERM_COLUMNS, TERM_KINDS, termBucketSql, termCountsSql } from '../../core/analyses.js';
import type { Logger } from '../../util/log.js';
import { ROW_TABLE } from './tweet-schema.js';

const TERM_COUNT_TABLE = 'term_count';
const PART_TABLE = 'term_count_part';
const MARK_TABLE = 'term_count_mark';
const HASHTAG_VIEW = 'hashtag_count';
/** The rising terms' kinds counted per period (core/analyses.ts, risingTermsSql): partial counts and the exact view. */
const BUCKET_PART_TABLE = 'term_bucket_part';
const BUCKET_VIEW = DIALECTS.duckdb.termBuckets ?? 'term_bucket_count';
/** The same per hour: partial counts and the exact view. */
const HOUR_PART_TABLE = 'term_hour_part';
const HOUR_VIEW = DIALECTS.duckdb.termHours ?? 'term_hour_count';

const PART_DDL = `CREATE TABLE IF NOT EXISTS ${PART_TABLE} (event_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, term VARCHAR NOT NULL, n BIGINT NOT NULL)`;
const BUCKET_PART_DDL = `CREATE TABLE IF NOT EXISTS ${BUCKET_PART_TABLE} (event_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, bucket TIMESTAMP NOT NULL, term VARCHAR NOT NULL, n BIGINT NOT NULL)`;
const HOUR_PART_DDL = `CREATE TABLE IF NOT EXISTS ${HOUR_PART_TABLE} (event_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, bucket TIMESTAMP NOT NULL, term VARCHAR NOT NULL, n BIGINT NOT NULL)`;
const MARK_DDL = `CREATE TABLE IF NOT EXISTS ${MARK_TABLE} (counted_through BIGINT NOT NULL, kinds VARCHAR NOT NULL)`;
/**
 * The kinds counted, and those counted per period: counts of other kinds (another version's, or one that kept no
 * periods) are dropped and counted again.
 */
const KINDS = `${TERM_KINDS.join(',')};${RISING_KINDS.join(',')} per ${TERM_BUCKET_MINUTES} minutes and per hour of the last ${RISING_SPAN_HOURS} hours`;
const HASHTAG_VIEW_DDL = `CREATE OR REPLACE VIEW ${HASHTAG_VIEW} AS SELECT event_name, term AS hashtag, n FROM ${TERM_COUNT_TABLE} WHERE kind = 'hashtag'`;

/** Partial rows appended before a compaction is due: at least this many, and as many as the last compaction left. */
const COMPACT_AFTER = 500_000;

/**
 * A compaction is done only if it leaves at most this share of the partial rows (estimated first, with HyperLogLog: a
 * fiftieth of its cost). Otherwise the rows stay as they are until the table doubles again. Events that share few
 * terms across chunks (a thousand events of a few hundred posts each) gain little: of a 200,000-post import at
 * 1,000 events, 10.7 M partial rows summed to 9.4 M (and 6.2 M periods to 6.1 M) in 13 s of sums and a 15 s commit
 * that wrote both tables again, half of the 51 s the whole count took.
 */
const WORTH_COMPACTING = 0.75;

/** The rows of `tweet_row` a count reads, with `where` (parameters $1 …). */
const rowsToCount = (where: string): string => `SELECT ${TERM_COLUMNS.join(', ')} FROM ${ROW_TABLE} WHERE ${where}`;

/** Every kind of term in `rows` (a query giving the TERM_COLUMNS), counted: event_name, kind, term, n. */
const countsSql = (rows: string, kinds: readonly string[] = TERM_KINDS): string =>
  TERM_KINDS.filter((kind) => kinds.includes(kind))
    .map((kind) => `SELECT event_name, '${kind}' AS kind, term, n FROM (${termCountsSql(DIALECTS.duckdb, kind, `(${rows}) AS counted_rows`)}) AS c`)
    .join('\n  UNION ALL ');

/**
 * The RISING_KINDS in `rows`, counted per period (`bucket`, NULL for a row without a time): event_name, kind, bucket,
 * term, n. Summed over the periods they are those rows' counts (countsSql): add() cuts the terms out once for both.
 */
const bucketCountsSql = (rows: string, bucket: (t: string) => string = termBucketSql): string =>
  RISING_KINDS.map(
    (kind) =>
      `SELECT event_name, '${kind}' AS kind, bucket, term, n FROM (${termCountsSql(DIALECTS.duckdb, kind, `(SELECT *, ${bucket('t_created_at')} AS bucket FROM (${rows}) AS r) AS counted_rows`, 'event_name, bucket')}) AS c`,
  ).join('\n  UNION ALL ');

/** The start of the hour holding a timestamp. */
const hourOf = (timestamp: string): string => `date_trunc('hour', ${timestamp})`;

const OTHER_KINDS = TERM_KINDS.filter((kind) => !(RISING_KINDS as readonly string[]).includes(kind));

/**
 * Rows of writes after `mark`, as a condition with constants (DuckDB then skips the row groups of earlier writes by
 * their min/max; a subquery for the mark made every read of the view scan all rows). Rows of versions before
 * write_seq count as write 0, counted by the first count.
 */
const after = (mark: number): string => (mark < 0 ? `coalesce(write_seq, 0) > ${mark}` : `write_seq > ${mark}`);

/** The view as of `mark`: the partial counts and the rows after it, counted as they are read. Replaced as the mark moves. */
const viewDdl = (mark: number): string => `CREATE OR REPLACE VIEW ${TERM_COUNT_TABLE} AS SELECT event_name, kind, term, n FROM ${PART_TABLE}
  UNION ALL ${countsSql(rowsToCount(after(Math.trunc(mark))))}`;

/** The same for the counts per period (the rows' periods that have a time). */
const bucketViewDdl = (mark: number): string => `CREATE OR REPLACE VIEW ${BUCKET_VIEW} AS SELECT event_name, kind, bucket, term, n FROM ${BUCKET_PART_TABLE}
  UNION ALL SELECT * FROM (${bucketCountsSql(rowsToCount(after(Math.trunc(mark))))}) AS c WHERE bucket IS NOT NULL`;

/** The same per hour. */
const hourViewDdl = (mark: number): string => `CREATE OR REPLACE VIEW ${HOUR_VIEW} AS SELECT event_name, kind, bucket, term, n FROM ${HOUR_PART_TABLE}
  UNION ALL SELECT * FROM (${bucketCountsSql(rowsToCount(after(Math.trunc(mark))), hourOf)}) AS c WHERE bucket IS NOT NULL`;

/** Where the counts per period of the rows being counted wait, to be summed into the counts too. */
const BUCKETS_STAGED = 'vigil_term_buckets';

/** The newest post's time of each event of the rows being counted. */
const LASTS = 'vigil_term_lasts';

/**
 * Whether a row (alias r) of an event whose newest post is l.last falls in the hours the rising terms read. Newest
 * posts only grow newer (a rename or a purge counts its events again), so a row outside them stays outside: its
 * periods are never read and are not counted (an import of a week counts the periods of its last hours only).
 */
const IN_RISING_SPAN = `coalesce(r.t_created_at > l.last - INTERVAL ${RISING_SPAN_HOURS} HOUR, false)`;
const rowsWithLast = (rows: string, inSpan: boolean): string =>
  `SELECT r.* FROM (${rows}) AS r LEFT JOIN ${LASTS} AS l USING (event_name) WHERE ${inSpan ? '' : 'NOT '}${IN_RISING_SPAN}`;

/**
 * A period or an hour whose hour ended before its event's last RISING_SPAN_HOURS (alias b; LASTS as l): dropped when
 * compacted. A period is kept while its hour is, so that an hour's counts stay the sum of its periods' counts.
 */
const HOUR_IN_SPAN = `${hourOf('b.bucket')} + INTERVAL 1 HOUR > l.last - INTERVAL ${RISING_SPAN_HOURS} HOUR`;

/** The last write counted, as `conn` sees it. */
async function markOn(conn: DuckDBConnection): Promise<number> {
  return Number((await conn.runAndReadAll(`SELECT max(counted_through) FROM ${MARK_TABLE}`)).getRows()[0][0]);
}

async function tableKind(conn: DuckDBConnection, name: string): Promise<'table' | 'view' | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT 'table' FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name = $1
     UNION ALL SELECT 'view' FROM duckdb_views() WHERE schema_name = current_schema() AND view_name = $1`,
    [name],
  );
  const rows = r.getRows();
  return rows.length === 0 ? undefined : (String(rows[0][0]) as 'table' | 'view');
}

/** Drops a table or view of this name, if there is one. */
async function dropObject(conn: DuckDBConnection, name: string): Promise<void> {
  const kind = await tableKind(conn, name);
  if (kind) await conn.run(`DROP ${kind === 'table' ? 'TABLE' : 'VIEW'} ${name}`);
}

/** Drops the counts (rows copied around the store, as the bench does): the next open counts every row. */
export async function forgetTermCounts(conn: DuckDBConnection): Promise<void> {
  for (const name of [HASHTAG_VIEW, TERM_COUNT_TABLE, PART_TABLE, BUCKET_VIEW, BUCKET_PART_TABLE, HOUR_VIEW, HOUR_PART_TABLE, MARK_TABLE])
    await dropObject(conn, name);
}

/** A table of partial counts: rows appended since its last compaction, which sums them into one row per key. */
interface Parts {
  table: string;
  key: string;
  appended: number;
  compacted: number;
  /**
   * Counts appended since the last compaction (2 for rows found at open, whose counts are not known). One count's
   * rows are summed per key already: compacting them alone sums nothing (it was a fifth of counting an import).
   */
  counts: number;
}

export class TermCounts {
  private constructor(
    private readonly conn: DuckDBConnection,
    /** The counts, per period and per hour (whose rows, counted in time order, seldom share a period: compacted apart). */
    private readonly parts: readonly [Parts, Parts, Parts],
    private readonly compactAfter: number,
  ) {}

  /** Creates the tables and views; a database whose rows were stored before they existed gets them counted. Idempotent. */
  static async open(conn: DuckDBConnection, log?: Logger, compactAfter = COMPACT_AFTER): Promise<TermCounts> {
    const q = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0][0]);
    const countedKinds = await conn
      .runAndReadAll(`SELECT kinds FROM ${MARK_TABLE}`)
      .then((r) => String(r.getRows()[0]?.[0]))
      .catch(() => undefined);
    if (countedKinds !== KINDS) await forgetTermCounts(conn);
    if ((await tableKind(conn, PART_TABLE)) === undefined) {
      await conn.run('BEGIN TRANSACTION');
      try {
        // The hashtag_count table of earlier versions (and a term_count table of a development build of 2026-12-02)
        // give way to views.
        await dropObject(conn, HASHTAG_VIEW);
        await dropObject(conn, TERM_COUNT_TABLE);
        await conn.run(PART_DDL);
        await conn.run(BUCKET_PART_DDL);
        await conn.run(HOUR_PART_DDL);
        await conn.run(MARK_DDL);
        await conn.run(`INSERT INTO ${MARK_TABLE} VALUES (-1, '${KINDS}')`);
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      const rows = await q(`SELECT count(*) FROM ${ROW_TABLE}`);
      if (rows > 0)
        log?.info(
          `${TERM_COUNT_TABLE}: the terms of the rows stored so far are counted while the store is idle (4–6 s per million rows of short posts, up to 35 s on one core for long ones of an event's last seven hours)`,
          { rows },
        );
    }
    const mark = await markOn(conn);
    await conn.run(viewDdl(mark));
    await conn.run(bucketViewDdl(mark));
    await conn.run(hourViewDdl(mark));
    await conn.run(HASHTAG_VIEW_DDL);
    const parts = async (table: string, key: string): Promise<Parts> => {
      const appended = await q(`SELECT count(*) FROM ${table}`);
      return { table, key, appended, compacted: 0, counts: appended > 0 ? 2 : 0 };
    };
    return new TermCounts(
      conn,
      [
        await parts(PART_TABLE, 'event_name, kind, term'),
        await parts(BUCKET_PART_TABLE, 'event_name, kind, bucket, term'),
        await parts(HOUR_PART_TABLE, 'event_name, kind, bucket, term'),
      ],
      compactAfter,
    );
  }

  /**
   * Counts the rows of the writes after the last one counted (inside the caller's transaction), whole writes of at
   * most about `maxRows` rows in all (at least one write); sums the partial counts when they are due. Returns the
   * rows counted: 0 when every row is. The view is exact either way; this makes reading it cheap.
   */
  async count(maxRows = Number.POSITIVE_INFINITY): Promise<number> {
    const mark = await this.mark();
    const limit = Number.isFinite(maxRows) ? maxRows : 2 ** 62;
    const r = await this.conn.runAndReadAll(
      `WITH writes AS (SELECT coalesce(write_seq, 0) AS seq, count(*) AS n FROM ${ROW_TABLE} WHERE ${after(mark)} GROUP BY 1),
         upto AS (SELECT seq, sum(n) OVER (ORDER BY seq) AS total, row_number() OVER (ORDER BY seq) AS k FROM writes)
       SELECT max(seq), CAST(max(total) AS BIGINT) FROM upto WHERE total <= $1 OR k = 1`,
      [limit],
    );
    const [through, rows] = r.getRows()[0];
    if (through === null) return 0;
    await this.add(rowsToCount(`${after(mark)} AND coalesce(write_seq, 0) <= ${Number(through)}`), []);
    await this.conn.run(`UPDATE ${MARK_TABLE} SET counted_through = $1`, [through]);
    await this.conn.run(viewDdl(Number(through)));
    await this.conn.run(bucketViewDdl(Number(through)));
    await this.conn.run(hourViewDdl(Number(through)));
    return Number(rows);
  }

  /** Rows of writes not counted yet, as committed on `conn` (two statements: the mark as a constant prunes row groups). */
  static async backlog(conn: DuckDBConnection): Promise<number> {
    return Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE} WHERE ${after(await markOn(conn))}`)).getRows()[0][0]);
  }

  private mark(): Promise<number> {
    return markOn(this.conn);
  }

  /**
   * Adds the counts of `rows`, of every kind, and of the rising terms' kinds per period and per hour for the rows in
   * their event's last RISING_SPAN_HOURS, to the partial counts. Each row's terms are cut out of its text once.
   */
  private async add(rows: string, params: DuckDBValue[]): Promise<void> {
    const [counts, periods, hours] = this.parts;
    await this.lasts(`SELECT DISTINCT event_name FROM (${rows}) AS r`, params);
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${BUCKETS_STAGED} AS ${bucketCountsSql(rowsWithLast(rows, true))}`, params);
    periods.appended += Number((await this.conn.run(`INSERT INTO ${BUCKET_PART_TABLE} SELECT * FROM ${BUCKETS_STAGED} WHERE bucket IS NOT NULL`)).rowsChanged);
    hours.appended += Number(
      (
        await this.conn.run(
          `INSERT INTO ${HOUR_PART_TABLE} SELECT event_name, kind, ${hourOf('bucket')}, term, CAST(sum(n) AS BIGINT) FROM ${BUCKETS_STAGED} WHERE bucket IS NOT NULL GROUP BY ALL`,
        )
      ).rowsChanged,
    );
    counts.appended += Number(
      (
        await this.conn.run(
          `INSERT INTO ${PART_TABLE} SELECT event_name, kind, term, CAST(sum(n) AS BIGINT) FROM ${BUCKETS_STAGED} GROUP BY ALL
       UNION ALL ${countsSql(rowsWithLast(rows, false), RISING_KINDS)}
       UNION ALL ${countsSql(rows, OTHER_KINDS)}`,
          params,
        )
      ).rowsChanged,
    );
    await this.conn.run(`DROP TABLE ${BUCKETS_STAGED}`);
    for (const p of this.parts) {
      p.counts++;
      if (p.counts >= 2 && p.appended - p.compacted >= Math.max(this.compactAfter, p.compacted)) await this.compact(p);
    }
  }

  /** LASTS for the events `events` (a query giving event_name) names. */
  private async lasts(events: string, params: DuckDBValue[]): Promise<void> {
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${LASTS} AS SELECT event_name, max(t_created_at) AS last FROM ${ROW_TABLE} WHERE event_name IN (${events}) GROUP BY 1`,
      params,
    );
  }

  /**
   * Sums a table's partial counts, one row per key, if that leaves at most WORTH_COMPACTING of its rows; else it is
   * looked at again once it has doubled. Rows, not the table, are replaced (readers on other connections keep their
   * snapshot).
   */
  private async compact(p: Parts): Promise<void> {
    // Periods and hours that ended before their event's last hours are never read again (IN_RISING_SPAN): dropped.
    // Their rows are kept in time order, so that a read of some periods skips the row groups of others.
    const periods = p.table !== PART_TABLE;
    if (periods) await this.lasts(`SELECT DISTINCT event_name FROM ${p.table}`, []);
    const from = periods ? `${p.table} AS b JOIN ${LASTS} AS l USING (event_name) WHERE ${HOUR_IN_SPAN}` : p.table;
    const left = Number((await this.conn.runAndReadAll(`SELECT approx_count_distinct(hash(${p.key})) FROM ${from}`)).getRows()[0][0]);
    if (left > WORTH_COMPACTING * p.appended) {
      p.compacted = p.appended;
      p.counts = 1;
      return;
    }
    await this.conn.run(
      `CREATE TEMP TABLE vigil_term_sums AS SELECT ${p.key}, CAST(sum(n) AS BIGINT) AS n FROM ${from} GROUP BY ALL${periods ? ' ORDER BY bucket' : ''}`,
    );
    await this.conn.run(`DELETE FROM ${p.table}`);
    await this.conn.run(`INSERT INTO ${p.table} FROM vigil_term_sums`);
    await this.conn.run('DROP TABLE vigil_term_sums');
    p.compacted = Number((await this.conn.runAndReadAll(`SELECT count(*) FROM ${p.table}`)).getRows()[0][0]);
    p.appended = p.compacted;
    p.counts = 1;
  }

  /** Counts these events' rows again (after rows moved between them), inside the caller's transaction. */
  async recount(names: readonly string[]): Promise<void> {
    const list = names.map((_, i) => `$${i + 1}`).join(', ');
    await this.conn.run(`DELETE FROM ${PART_TABLE} WHERE event_name IN (${list})`, [...names]);
    await this.conn.run(`DELETE FROM ${BUCKET_PART_TABLE} WHERE event_name IN (${list})`, [...names]);
    await this.conn.run(`DELETE FROM ${HOUR_PART_TABLE} WHERE event_name IN (${list})`, [...names]);
    await this.add(rowsToCount(`event_name IN (${list}) AND coalesce(write_seq, 0) <= ${await this.mark()}`), [...names]);
  }

  /** Drops an event's counts (its rows were deleted), inside the caller's transaction. */
  async purge(name: string): Promise<void> {
    await this.conn.run(`DELETE FROM ${PART_TABLE} WHERE event_name = $1`, [name]);
    await this.conn.run(`DELETE FROM ${BUCKET_PART_TABLE} WHERE event_name = $1`, [name]);
    await this.conn.run(`DELETE FROM ${HOUR_PART_TABLE} WHERE event_name = $1`, [name]);
  }
}
