// Read-only SQL over the stored rows. Only a single SELECT (or EXPLAIN) runs; each query gets its own connection
// (so ingest's connection is never blocked by it), a time limit (interrupted when over) and a row limit.

import { StatementType, type Json } from '@duckdb/node-api';
import { QueryError, type QueryEngine, type QueryOptions, type QueryResult, type SqlDialect } from '../../core/ports.js';
import type { DuckDb } from './database.js';
import { toJson } from './values.js';

const READ_ONLY = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

export class DuckDbQueryEngine implements QueryEngine {
  readonly dialect: SqlDialect = 'duckdb';
  private running = 0;
  private readonly queue: (() => void)[] = [];

  /** At most `maxConcurrent` queries run at once; the others wait their turn. */
  constructor(private readonly db: DuckDb, private readonly maxConcurrent = 4) {}

  private async slot(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }

  async query(sql: string, { maxRows, timeoutMs, signal }: QueryOptions): Promise<QueryResult> {
    if (sql.trim() === '') throw new QueryError('the query is empty: send one SELECT statement');
    await this.slot();
    const conn = await this.db.connect();
    const started = performance.now();
    let timedOut = false;
    let cancelled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      conn.interrupt();
    }, timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      conn.interrupt();
    };
    signal?.addEventListener('abort', onAbort);
    try {
      if (signal?.aborted) throw new QueryError('the query was cancelled', 499);
      const statements = await conn.extractStatements(sql);
      if (statements.count !== 1) throw new QueryError(`send exactly one statement (got ${statements.count})`);
      const prepared = await statements.prepare(0);
      if (!READ_ONLY.has(prepared.statementType))
        throw new QueryError(`only read-only queries (SELECT) are allowed here; got a ${StatementType[prepared.statementType] ?? 'statement of another kind'}`);
      const result = await prepared.stream();
      const columns = result.columnNames().map((name, i) => ({ name, type: result.columnTypes()[i].toString() }));
      const rows: Record<string, Json>[] = [];
      let truncated = false;
      for await (const batch of result.yieldConvertedRowObjects(toJson)) {
        for (const r of batch) {
          if (rows.length >= maxRows) {
            truncated = true;
            break;
          }
          rows.push(r as Record<string, Json>);
        }
        if (truncated) break;
      }
      return { columns, rows, rowCount: rows.length, truncated, elapsedMs: Math.round(performance.now() - started) };
    } catch (err) {
      if (err instanceof QueryError) throw err;
      if (timedOut) throw new QueryError(`the query ran longer than ${timeoutMs} ms and was stopped; narrow it (WHERE, LIMIT) or raise the limit`, 408);
      if (cancelled) throw new QueryError('the query was cancelled', 499);
      throw new QueryError((err as Error).message);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.db.disconnect(conn);
      this.release();
    }
  }

  async close(): Promise<void> {}
}
