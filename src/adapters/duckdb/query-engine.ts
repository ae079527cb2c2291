// SQL over the stored rows. Every query is first checked from DuckDB's own parse to be one read-only query over the
// analysis tables (read-only-sql.ts); every query gets its own connection (so ingest's connection is never blocked by
// it), a time limit counted from when the request arrived (a person's wait at the gate of long work,
// util/long-work.ts, included), a row and a byte limit, and is interrupted when cancelled; a person's query is also
// stopped when the process grows by more than `memoryGrowthBytes` while it runs. Rows are converted a batch at a
// time, letting other requests (health probes, event pages) run in between.

import type { Json } from '@duckdb/node-api';
import { errorMessage, QueryError } from '../../core/errors.js';
import type { QueryEngine, QueryOptions, QueryResult, SqlDialect } from '../../core/ports.js';
import { msSince } from '../../util/elapsed.js';
import { GateTimeout } from '../../util/gate.js';
import { LONG_WORK } from '../../util/long-work.js';
import { watchMemory } from '../../util/memory-watch.js';
import type { DuckDb } from './database.js';
import { ANALYSIS_TABLES, checkQueryTree } from './read-only-sql.js';
import { toJson } from './values.js';

export interface DuckDbQueryEngineOptions {
  /** Most parse-tree nodes of a person's query. */
  maxNodes?: number;
  /** How much a person's query may grow the process before it is stopped. */
  memoryGrowthBytes?: number;
}

const ALLOWED = new Set<string>(ANALYSIS_TABLES);
const timedOut = (timeoutMs: number): QueryError =>
  new QueryError(
    `the query ran longer than ${timeoutMs} ms (counted from the request, its wait for a turn included) and was stopped; narrow it (WHERE, LIMIT) or raise the limit`,
    'VIGIL_TIMEOUT',
  );
const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** How often a stopped query's interrupt is said again until its statement ends (see run). */
const INTERRUPT_AGAIN_MS = 50;

export class DuckDbQueryEngine implements QueryEngine {
  readonly dialect: SqlDialect = 'duckdb';
  private readonly maxNodes: number;
  private readonly memoryGrowthBytes: number;

  constructor(
    private readonly db: DuckDb,
    o: DuckDbQueryEngineOptions = {},
  ) {
    this.maxNodes = o.maxNodes ?? 20_000;
    this.memoryGrowthBytes = o.memoryGrowthBytes ?? 2 * 2 ** 30;
  }

  /** Refuses anything but one read-only query over the analysis tables, from DuckDB's parse of it. */
  private async check(conn: Awaited<ReturnType<DuckDb['connect']>>, sql: string): Promise<void> {
    const r = await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const parsed = JSON.parse(String(r.getRows()[0][0])) as { error: boolean; error_type?: string; error_message?: string; statements?: { node: unknown }[] };
    if (parsed.error) {
      if (parsed.error_type === 'parser') throw new QueryError(`the query does not parse: ${parsed.error_message ?? 'syntax error'}`);
      const word = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/u.exec(sql)?.[1]?.toUpperCase() ?? 'this';
      throw new QueryError(`only read-only queries (SELECT …) may run here, and ${word} is a statement of another kind`, 'VIGIL_QUERY_REFUSED');
    }
    const statements = parsed.statements ?? [];
    if (statements.length !== 1) throw new QueryError(`send exactly one statement (got ${statements.length})`);
    checkQueryTree(statements[0].node, ALLOWED, { maxNodes: this.maxNodes });
  }

  /**
   * A person's query (`untrusted`) first waits its turn at the gate of long work (util/long-work.ts), within its time
   * limit: stopped while it waits, it is answered as one stopped while it runs. Vigil's own pages have slots of their
   * own (roles/analytics/query-gate.ts) and do not wait behind people's queries.
   */
  async query(sql: string, options: QueryOptions): Promise<QueryResult> {
    if (sql.trim() === '') throw new QueryError('the query is empty: send one SELECT statement');
    const began = options.startedAt ?? performance.now();
    if (!options.untrusted) return this.run(sql, options, began);
    if (options.signal?.aborted) throw new QueryError('the query was cancelled', 'VIGIL_CANCELLED');
    try {
      return await LONG_WORK.run(() => this.run(sql, options, began), { deadline: began + options.timeoutMs, signal: options.signal });
    } catch (err) {
      if (err instanceof GateTimeout) throw timedOut(options.timeoutMs);
      if (options.signal?.aborted && err === options.signal.reason) throw new QueryError('the query was cancelled', 'VIGIL_CANCELLED');
      throw err;
    }
  }

  private async run(sql: string, { maxRows, timeoutMs, signal, untrusted, maxBytes }: QueryOptions, began: number): Promise<QueryResult> {
    const conn = await this.db.connect();
    let stopped: 'time' | 'cancel' | 'memory' | null = null;
    let again: ReturnType<typeof setInterval> | undefined;
    const stop = (why: 'time' | 'cancel' | 'memory'): void => {
      stopped ??= why;
      conn.interrupt();
      // DuckDB forgets an interrupt that comes before its statement begins (each statement starts uninterrupted): a
      // stop while the statement waited for a thread of the pool was lost, and the query ran to its end. Said again
      // until this run ends.
      again ??= setInterval(() => conn.interrupt(), INTERRUPT_AGAIN_MS);
    };
    const timer = setTimeout(() => stop('time'), Math.max(0, began + timeoutMs - performance.now()));
    const onAbort = (): void => stop('cancel');
    signal?.addEventListener('abort', onAbort);
    const unwatch = untrusted ? watchMemory(this.memoryGrowthBytes, () => stop('memory')) : () => undefined;
    try {
      if (signal?.aborted) throw new QueryError('the query was cancelled', 'VIGIL_CANCELLED');
      await this.check(conn, sql);
      // Stopped already (a time limit that passed while the query waited its turn): not started at all.
      if (stopped) throw new Error('interrupted');
      const result = await conn.stream(sql);
      const columns = result.columnNames().map((name, i) => ({ name, type: result.columnTypes()[i].toString() }));
      const rows: Record<string, Json>[] = [];
      let bytes = 0;
      let truncatedBy: 'rows' | 'bytes' | undefined;
      for await (const batch of result.yieldConvertedRowObjects(toJson)) {
        for (const r of batch) {
          if (rows.length >= maxRows) {
            truncatedBy = 'rows';
            break;
          }
          if (maxBytes !== undefined) {
            bytes += JSON.stringify(r).length + 1;
            if (bytes > maxBytes) {
              truncatedBy = 'bytes';
              break;
            }
          }
          rows.push(r as Record<string, Json>);
        }
        if (truncatedBy || stopped) break;
        await yieldToOthers();
      }
      if (stopped) throw new Error('interrupted');
      return {
        columns,
        rows,
        rowCount: rows.length,
        truncated: truncatedBy !== undefined,
        ...(truncatedBy ? { truncatedBy } : {}),
        elapsedMs: msSince(began),
      };
    } catch (err) {
      if (err instanceof QueryError) throw err;
      if (stopped === 'time') throw timedOut(timeoutMs);
      if (stopped === 'cancel') throw new QueryError('the query was cancelled', 'VIGIL_CANCELLED');
      if (stopped === 'memory')
        throw new QueryError(
          `the query needed more than ${Math.round(this.memoryGrowthBytes / 2 ** 20)} MB of memory and was stopped; narrow it (WHERE, LIMIT, fewer or shorter columns)`,
          'VIGIL_QUERY_MEMORY',
        );
      // DuckDB's own memory_limit reached: the same answer as the memory watch's, with the setting that bounds it.
      if (/Out of Memory Error/iu.test(errorMessage(err)))
        throw new QueryError(
          `the query needed more memory than the embedded database may use (--duckdb-memory-limit) and was stopped; narrow it (WHERE, LIMIT, fewer or shorter columns) or raise the limit: ${errorMessage(err)}`,
          'VIGIL_QUERY_MEMORY',
        );
      // DuckDB's other errors (a missing column) carry no code: its message goes to the caller as it is.
      throw new QueryError(errorMessage(err));
    } finally {
      clearTimeout(timer);
      clearInterval(again);
      unwatch();
      signal?.removeEventListener('abort', onAbort);
      this.db.disconnect(conn);
    }
  }

  async close(): Promise<void> {}
}
