// A prepared statement run once per row, and destroyed when done (it holds native memory until it is).

import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';

/** Prepares `sql`, runs it with each list of values in turn, and destroys it, also when a run fails. */
export async function runForEach(conn: DuckDBConnection, sql: string, rows: Iterable<DuckDBValue[]>, types?: DuckDBType[]): Promise<void> {
  const statement = await conn.prepare(sql);
  try {
    for (const values of rows) {
      statement.bind(values, types);
      await statement.run();
    }
  } finally {
    statement.destroySync();
  }
}
