// Term counts kept at ingest, so an event page's top lists (hashtags, words, mentions, links, domains, accounts) read
// a small table instead of a pass over every row (10 M posts: top words 36 s, domains 1.5 s → milliseconds).
// `term_count` holds (event_name, kind, lang, term, n) in partial counts of the occurrences core/analyses.ts defines:
// each write adds the counts of the rows it stored; when the partial rows outgrow the last compaction they are summed
// into one row per (event, kind, lang, term). Every change of rows keeps it true: a write (new rows only), a rename
// (both names counted again), a purge; a database without it (written before 2026-12-02, which kept hashtag_count
// only) gets it counted from the rows on open. `hashtag_count` stays, as a view of the hashtags.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { countedTerm, DIALECTS, TERM_COLUMNS, TERM_KINDS, termOccurrencesSql } from '../../core/analyses.js';
import type { Logger } from '../../util/log.js';
import { ROW_TABLE } from './tweet-schema.js';

export const TERM_COUNT_TABLE = 'term_count';
const HASHTAG_VIEW = 'hashtag_count';

const DDL = `CREATE TABLE IF NOT EXISTS ${TERM_COUNT_TABLE} (event_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, lang VARCHAR NOT NULL, term VARCHAR NOT NULL, n BIGINT NOT NULL)`;
const HASHTAG_VIEW_DDL = `CREATE OR REPLACE VIEW ${HASHTAG_VIEW} AS SELECT event_name, term AS hashtag, n FROM ${TERM_COUNT_TABLE} WHERE kind = 'hashtag'`;

/** Partial rows appended before a compaction is due: at least this many, and as many as the last compaction left. */
const COMPACT_AFTER = 500_000;

/** The rows of `tweet_row` a count reads, with `where` (parameters $1 …). */
export const rowsToCount = (where: string): string => `SELECT ${TERM_COLUMNS.join(', ')} FROM ${ROW_TABLE} WHERE ${where}`;

/**
 * Adds the counts of every kind of term in `rows` (a query giving the TERM_COLUMNS). A write's few thousand rows are
 * read once and held (`held`); all the rows of a database or an event are read again for each kind instead, so the
 * count streams through DuckDB's memory limit.
 */
export const addCountsSql = (rows: string, held = true): string => {
  const kinds = TERM_KINDS.map(
    (kind) =>
      `SELECT event_name, '${kind}' AS kind, lang, ${countedTerm(kind)} AS term FROM (${termOccurrencesSql(DIALECTS.duckdb, kind, 'counted_rows')}) AS o`,
  );
  return `INSERT INTO ${TERM_COUNT_TABLE} WITH counted_rows AS ${held ? '' : 'NOT '}MATERIALIZED (${rows})
   SELECT event_name, kind, lang, term, count(*) AS n FROM (${kinds.join('\n   UNION ALL ')}) AS t GROUP BY ALL`;
};

async function tableKind(conn: DuckDBConnection, name: string): Promise<'table' | 'view' | undefined> {
  const r = await conn.runAndReadAll(
    `SELECT 'table' FROM duckdb_tables() WHERE schema_name = current_schema() AND table_name = $1
     UNION ALL SELECT 'view' FROM duckdb_views() WHERE schema_name = current_schema() AND view_name = $1`,
    [name],
  );
  const rows = r.getRows();
  return rows.length === 0 ? undefined : (String(rows[0][0]) as 'table' | 'view');
}

export class TermCounts {
  private constructor(
    private readonly conn: DuckDBConnection,
    private appended: number,
    private compacted: number,
    private readonly compactAfter: number,
  ) {}

  /** Creates the table; a database whose rows were stored before it existed gets them counted. Idempotent. */
  static async open(conn: DuckDBConnection, log?: Logger, compactAfter = COMPACT_AFTER): Promise<TermCounts> {
    const q = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0][0]);
    if ((await tableKind(conn, TERM_COUNT_TABLE)) === undefined) {
      const started = Date.now();
      const rows = await q(`SELECT count(*) FROM ${ROW_TABLE}`);
      if (rows > 0) log?.info(`${TERM_COUNT_TABLE}: counting the terms of the rows stored so far (once; about 4 s per million rows) …`, { rows });
      await conn.run('BEGIN TRANSACTION');
      try {
        await conn.run(DDL);
        await conn.run(addCountsSql(rowsToCount('true'), false));
        if ((await tableKind(conn, HASHTAG_VIEW)) === 'table') await conn.run(`DROP TABLE ${HASHTAG_VIEW}`);
        await conn.run(HASHTAG_VIEW_DDL);
        await conn.run('COMMIT');
      } catch (err) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
      if (rows > 0) log?.info(`${TERM_COUNT_TABLE}: counted`, { rows, ms: Date.now() - started });
    }
    await conn.run(HASHTAG_VIEW_DDL);
    return new TermCounts(conn, await q(`SELECT count(*) FROM ${TERM_COUNT_TABLE}`), 0, compactAfter);
  }

  /** Adds the counts of `rows` (inside the caller's transaction), and sums the partial counts when they are due. */
  async add(rows: string, params: DuckDBValue[] = []): Promise<void> {
    const r = await this.conn.run(addCountsSql(rows), params);
    this.appended += Number(r.rowsChanged);
    if (this.appended - this.compacted < Math.max(this.compactAfter, this.compacted)) return;
    // Rows, not the table, are replaced (readers on other connections keep their snapshot).
    await this.conn.run(
      `CREATE TEMP TABLE vigil_term_sums AS SELECT event_name, kind, lang, term, CAST(sum(n) AS BIGINT) AS n FROM ${TERM_COUNT_TABLE} GROUP BY ALL`,
    );
    await this.conn.run(`DELETE FROM ${TERM_COUNT_TABLE}`);
    await this.conn.run(`INSERT INTO ${TERM_COUNT_TABLE} FROM vigil_term_sums`);
    await this.conn.run('DROP TABLE vigil_term_sums');
    this.compacted = Number((await this.conn.runAndReadAll(`SELECT count(*) FROM ${TERM_COUNT_TABLE}`)).getRows()[0][0]);
    this.appended = this.compacted;
  }

  /** Counts these events' rows again (after rows moved between them), inside the caller's transaction. */
  async recount(names: readonly string[]): Promise<void> {
    const list = names.map((_, i) => `$${i + 1}`).join(', ');
    await this.conn.run(`DELETE FROM ${TERM_COUNT_TABLE} WHERE event_name IN (${list})`, [...names]);
    const r = await this.conn.run(addCountsSql(rowsToCount(`event_name IN (${list})`), false), [...names]);
    this.appended += Number(r.rowsChanged);
  }

  /** Drops an event's counts (its rows were deleted), inside the caller's transaction. */
  async purge(name: string): Promise<void> {
    await this.conn.run(`DELETE FROM ${TERM_COUNT_TABLE} WHERE event_name = $1`, [name]);
  }
}
