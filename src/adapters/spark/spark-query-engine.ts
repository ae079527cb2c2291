// The QueryEngine on Spark: read-only SQL over the rows in Cassandra, through a Spark Connect server whose catalog
// `cassandra` is the Spark Cassandra Connector's (scripts/engines/spark.sh sets it up). In its session the client
// names the keyspace's tables as the embedded engine does (`tweet`, `reject`, `deletion`, `coverage`), so a query
// reads the same on both. The query runs as a subquery, which Spark's grammar only allows to be a query: nothing
// else (DDL, INSERT, …) can run.

import { status as grpcStatus } from '@grpc/grpc-js';
import { errorMessage, QueryError } from '../../core/errors.js';
import type { QueryEngine, QueryOptions, QueryResult, SqlDialect } from '../../core/ports.js';
import { TWEET_COLUMNS } from '../../core/row.js';
import { msSince } from '../../util/elapsed.js';
import { retry } from '../../util/retry.js';
import { sparkColumnSql } from '../cassandra/schema.js';
import { arrowRows } from './arrow-rows.js';
import { SparkConnectClient, SparkError } from './spark-connect-client.js';

export interface SparkEngineOptions {
  /** sc://host:port */
  url: string;
  keyspace: string;
  /** The Spark catalog over Cassandra (default `cassandra`). */
  catalog?: string;
}

export class SparkQueryEngine implements QueryEngine {
  readonly dialect: SqlDialect = 'spark';
  private client: SparkConnectClient;
  private views: Promise<void> | null = null;

  constructor(private readonly options: SparkEngineOptions) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,47}$/u.test(options.keyspace)) throw new Error(`invalid keyspace name "${options.keyspace}"`);
    this.client = new SparkConnectClient(options.url);
  }

  /** The session's temporary views over the keyspace's tables (again after the server lost the session). */
  private ensureViews(): Promise<void> {
    const source = `${this.options.catalog ?? 'cassandra'}.${this.options.keyspace}`;
    this.views ??= (async () => {
      const statements = [
        tweetViewSql(source),
        `CREATE OR REPLACE TEMPORARY VIEW reject AS SELECT id, source, rejected_at, reason, line FROM ${source}.reject`,
        `CREATE OR REPLACE TEMPORARY VIEW deletion AS SELECT platform, t_id, deleted_at FROM ${source}.deletion`,
        `CREATE OR REPLACE TEMPORARY VIEW coverage AS SELECT id, source, connection, kind, happened_at, ended_at, count, detail FROM ${source}.coverage`,
      ];
      for (const s of statements) {
        // A keyspace made moments ago reaches Spark's Cassandra driver a little later (schema events are debounced):
        // about 10 s of patience, any other error at once.
        await retry(() => this.client.executeSql(s), { attempts: 12, minMs: 250, maxMs: 1000, jitter: 0.2, shouldRetry: tableNotFound });
      }
    })().catch((err: unknown) => {
      this.views = null;
      throw err;
    });
    return this.views;
  }

  async query(sql: string, { maxRows, timeoutMs, startedAt, signal, maxBytes }: QueryOptions): Promise<QueryResult> {
    const body = sql.trim().replace(/;\s*$/u, '');
    if (body === '') throw new QueryError('the query is empty: send one SELECT statement');
    const began = startedAt ?? performance.now();
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        abort.abort();
      },
      Math.max(0, began + timeoutMs - performance.now()),
    );
    const onAbort = (): void => abort.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      if (signal?.aborted) throw new QueryError('the query was cancelled', 'VIGIL_CANCELLED');
      const run = async () => {
        await this.ensureViews();
        return this.client.executeSql(`SELECT * FROM (\n${body}\n) AS vigil_query LIMIT ${maxRows + 1}`, { signal: abort.signal, maxRows });
      };
      const r = await run().catch((err: unknown) => {
        // A restarted server forgot the session's views: make them again once (a query naming a table that does not
        // exist fails the same way the second time, and that answer goes back).
        if (!tableNotFound(err)) throw err;
        this.views = null;
        return run();
      });
      const { columns, rows } = arrowRows(r.batches, maxRows);
      let truncatedBy: 'rows' | 'bytes' | undefined = r.rows > maxRows ? 'rows' : undefined;
      if (maxBytes !== undefined) {
        let bytes = 0;
        const keep = rows.findIndex((row) => {
          bytes += JSON.stringify(row).length + 1;
          return bytes > maxBytes;
        });
        if (keep !== -1) {
          rows.length = keep;
          truncatedBy = 'bytes';
        }
      }
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
      if (timedOut)
        throw new QueryError(
          `the query ran longer than ${timeoutMs} ms (counted from the request) and was stopped; narrow it (WHERE, LIMIT) or raise the limit`,
          'VIGIL_TIMEOUT',
        );
      if (signal?.aborted) throw new QueryError('the query was cancelled', 'VIGIL_CANCELLED');
      const message = errorMessage(err);
      if (err instanceof SparkError && err.code === grpcStatus.UNAVAILABLE)
        throw new QueryError(
          `Spark Connect at ${this.options.url} cannot be reached (${message.split('\n')[0]}); start it (scripts/engines/spark.sh up) or fix --spark-connect`,
          'VIGIL_NOT_AVAILABLE',
        );
      throw new QueryError(`Spark: ${message.split('\n')[0]}`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/** Spark's "no such table or view", by the error class the server sends in the gRPC status details. */
function tableNotFound(err: unknown): boolean {
  return err instanceof SparkError && err.info?.errorClass === 'TABLE_OR_VIEW_NOT_FOUND';
}

/**
 * The rows with their post's raw JSON: a row written since the post table has none of its own and takes its post's.
 * The post side is grouped by its key, so Spark knows it holds one row per post and leaves the join out of every
 * query that does not ask for raw.
 */
export function tweetViewSql(source: string): string {
  const columns = TWEET_COLUMNS.map((c) => (c.name === 'raw' ? 'coalesce(raw, post_raw) AS raw' : sparkColumnSql(c.name))).join(', ');
  const posts = `SELECT platform AS post_platform, t_id AS post_t_id, max(raw) AS post_raw FROM ${source}.post GROUP BY platform, t_id`;
  return `CREATE OR REPLACE TEMPORARY VIEW tweet AS SELECT ${columns} FROM ${source}.tweet LEFT JOIN (${posts}) AS posts ON platform = post_platform AND t_id = post_t_id`;
}
