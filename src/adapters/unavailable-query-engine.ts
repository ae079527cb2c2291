// The query engine when none can serve the configured store: every query gets the reason and what works instead.

import { QueryError, type QueryEngine, type QueryResult, type SqlDialect } from '../core/ports.js';

export class UnavailableQueryEngine implements QueryEngine {
  readonly dialect: SqlDialect = 'duckdb';
  constructor(private readonly reason: string) {}

  async query(): Promise<QueryResult> {
    throw new QueryError(this.reason, 501);
  }

  async close(): Promise<void> {}
}
