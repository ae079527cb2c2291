// Term counts, so an event page's top lists (hashtags, words, mentions, links, domains, accounts) sum a small table
// instead of a pass over every row (10 M posts: top words 36 s, domains 1.5 s → milliseconds).
//
// Counting every write as it is stored cost ingest about half its speed (a write's few thousand rows hold tens of
// thousands of distinct terms, and the words' regular expressions run in the one writer), so the rows are counted
// when an event page asks (`count()`, run before its queries) and on open: `term_count_part` holds partial counts of
// the rows up to the write `term_count_mark` names, and the `term_count` view adds the rows written since, counted
// as it is read, so it is exact whenever it is read. The occurrences counted are core/analyses.ts's, the ones the
// rows path counts. A rename counts both names again, a purge drops the event's counts; a database without the
// counts (main before 2026-12-02 kept hashtag_count only) gets its rows counted on open. `hashtag_count` stays, as
// a view of the hashtags.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { countedTerm, DIALECTS, TERM_COLUMNS, TERM_KINDS, termOccurrencesSql } from '../../core/analyses.js';
import type { Logger } from '../../util/log.js';
import { ROW_TABLE } from './tweet-schema.js';

export const TERM_COUNT_TABLE = 'term_count';
const PART_TABLE = 'term_count_part';
const MARK_TABLE = 'term_count_mark';
const HASHTAG_VIEW = 'hashtag_count';

const PART_DDL = `CREATE TABLE IF NOT EXISTS ${PART_TABLE} (event_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, term VARCHAR NOT NULL, n BIGINT NOT NULL)`;
const MARK_DDL = `CREATE TABLE IF NOT EXISTS ${MARK_TABLE} (counted_through BIGINT NOT NULL)`;
const HASHTAG_VIEW_DDL = `CREATE OR REPLACE VIEW ${HASHTAG_VIEW} AS SELECT event_name, term AS hashtag, n FROM ${TERM_COUNT_TABLE} WHERE kind = 'hashtag'`;

/** Partial rows appended before a compaction is due: at least this many, and as many as the last compaction left. */
const COMPACT_AFTER = 500_000;

/** The rows of `tweet_row` a count reads, with `where` (parameters $1 …). */
export const rowsToCount = (where: string): string => `SELECT ${TERM_COLUMNS.join(', ')} FROM ${ROW_TABLE} WHERE ${where}`;

/** Every kind of term in `rows` (a query giving the TERM_COLUMNS), counted: event_name, kind, term, n. */
export const countsSql = (rows: string): string => {
  const kinds = TERM_KINDS.map(
    (kind) =>
      `SELECT event_name, '${kind}' AS kind, ${countedTerm(kind)} AS term FROM (${termOccurrencesSql(DIALECTS.duckdb, kind, `(${rows}) AS counted_rows`)}) AS o`,
  );
  return `SELECT event_name, kind, term, count(*) AS n FROM (${kinds.join('\n   UNION ALL ')}) AS t GROUP BY ALL`;
};

const VIEW_DDL = `CREATE OR REPLACE VIEW ${TERM_COUNT_TABLE} AS SELECT event_name, kind, term, n FROM ${PART_TABLE}
  UNION ALL ${countsSql(rowsToCount(`write_seq > (SELECT max(counted_through) FROM ${MARK_TABLE})`))}`;

/** Adds the counts of `rows` to the partial counts. */
export const addCountsSql = (rows: string): string => `INSERT INTO ${PART_TABLE} ${countsSql(rows)}`;

async function tableKind(conn: DuckDBConnection, name: string): Promise<'table' | 'view' | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT 'table' FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name = $1
     UNION ALL SELECT 'view' FROM duckdb_views() WHERE schema_name = current_schema() AND view_name = $1`,
    [name],
  );
  const rows = r.getRows();
  return rows.length === 0 ? undefined : (String(rows[0][0]) as 'table' | 'view');
}

/** Drops the counts (rows copied around the store, as the bench does): the next open counts every row. */
export async function forgetTermCounts(conn: DuckDBConnection): Promise<void> {
  for (const sql of [
    `DROP VIEW IF EXISTS ${HASHTAG_VIEW}`,
    `DROP VIEW IF EXISTS ${TERM_COUNT_TABLE}`,
    `DROP TABLE IF EXISTS ${PART_TABLE}`,
    `DROP TABLE IF EXISTS ${MARK_TABLE}`,
  ])
    await conn.run(sql);
}

export class TermCounts {
  private constructor(
    private readonly conn: DuckDBConnection,
    private appended: number,
    private compacted: number,
    private readonly compactAfter: number,
  ) {}

  /** Creates the tables and views; a database whose rows were stored before they existed gets them counted. Idempotent. */
  static async open(conn: DuckDBConnection, log?: Logger, compactAfter = COMPACT_AFTER): Promise<TermCounts> {
    const q = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0][0]);
    if ((await tableKind(conn, PART_TABLE)) === undefined) {
      const started = Date.now();
      const rows = await q(`SELECT count(*) FROM ${ROW_TABLE}`);
      if (rows > 0) log?.info(`${TERM_COUNT_TABLE}: counting the terms of the rows stored so far (once; about 3 s per million rows) …`, { rows });
      await conn.run('BEGIN TRANSACTION');
      try {
        // A term_count table of a development build between 2026-12-01 and -02 gives way to the view.
        if ((await tableKind(conn, TERM_COUNT_TABLE)) === 'table') await conn.run(`DROP TABLE ${TERM_COUNT_TABLE}`);
        await conn.run(PART_DDL);
        await conn.run(MARK_DDL);
        // Rows of versions before write_seq have none: counted here, with everything else stored so far.
        await conn.run(addCountsSql(rowsToCount('true')));
        await conn.run(`INSERT INTO ${MARK_TABLE} SELECT coalesce(max(write_seq), 0) FROM ${ROW_TABLE}`);
        if ((await tableKind(conn, HASHTAG_VIEW)) === 'table') await conn.run(`DROP TABLE ${HASHTAG_VIEW}`);
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      if (rows > 0) log?.info(`${TERM_COUNT_TABLE}: counted`, { rows, ms: Date.now() - started });
    }
    await conn.run(VIEW_DDL);
    await conn.run(HASHTAG_VIEW_DDL);
    return new TermCounts(conn, await q(`SELECT count(*) FROM ${PART_TABLE}`), 0, compactAfter);
  }

  /**
   * Counts the rows written since the last count (inside the caller's transaction), and sums the partial counts
   * when they are due. The view is exact either way; this makes reading it cheap.
   */
  async count(): Promise<void> {
    const mark = `(SELECT max(counted_through) FROM ${MARK_TABLE})`;
    const last = (await this.conn.runAndReadAll(`SELECT max(write_seq), ${mark} FROM ${ROW_TABLE} WHERE write_seq > ${mark}`)).getRows()[0];
    if (last[0] === null) return;
    await this.add(rowsToCount('write_seq > $1 AND write_seq <= $2'), [last[1], last[0]]);
    await this.conn.run(`UPDATE ${MARK_TABLE} SET counted_through = $1`, [last[0]]);
  }

  private async add(rows: string, params: DuckDBValue[]): Promise<void> {
    const r = await this.conn.run(addCountsSql(rows), params);
    this.appended += Number(r.rowsChanged);
    if (this.appended - this.compacted < Math.max(this.compactAfter, this.compacted)) return;
    // Rows, not the table, are replaced (readers on other connections keep their snapshot).
    await this.conn.run(`CREATE TEMP TABLE vigil_term_sums AS SELECT event_name, kind, term, CAST(sum(n) AS BIGINT) AS n FROM ${PART_TABLE} GROUP BY ALL`);
    await this.conn.run(`DELETE FROM ${PART_TABLE}`);
    await this.conn.run(`INSERT INTO ${PART_TABLE} FROM vigil_term_sums`);
    await this.conn.run('DROP TABLE vigil_term_sums');
    this.compacted = Number((await this.conn.runAndReadAll(`SELECT count(*) FROM ${PART_TABLE}`)).getRows()[0][0]);
    this.appended = this.compacted;
  }

  /** Counts these events' rows again (after rows moved between them), inside the caller's transaction. */
  async recount(names: readonly string[]): Promise<void> {
    const list = names.map((_, i) => `$${i + 1}`).join(', ');
    await this.conn.run(`DELETE FROM ${PART_TABLE} WHERE event_name IN (${list})`, [...names]);
    const counted = `(write_seq IS NULL OR write_seq <= (SELECT max(counted_through) FROM ${MARK_TABLE}))`;
    await this.add(rowsToCount(`event_name IN (${list}) AND ${counted}`), [...names]);
  }

  /** Drops an event's counts (its rows were deleted), inside the caller's transaction. */
  async purge(name: string): Promise<void> {
    await this.conn.run(`DELETE FROM ${PART_TABLE} WHERE event_name = $1`, [name]);
  }
}
