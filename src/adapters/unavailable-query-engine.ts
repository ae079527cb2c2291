// The query engine when none can serve the configured store: every query gets the reason and what works instead.

import { QueryError } from '../core/errors.js';
import type { QueryEngine, QueryResult, SqlDialect } from '../core/ports.js';

export class UnavailableQueryEngine implements QueryEngine {
  readonly dialect: SqlDialect = 'duckdb';
  constructor(private readonly reason: string) {}

  async query(): Promise<QueryResult> {
    throw new QueryError(this.reason, 'VIGIL_NOT_AVAILABLE');
  }

  async close(): Promise<void> {}
}
