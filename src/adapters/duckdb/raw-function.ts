// `vigil_raw(position)`: the raw post the embedded log holds at a byte position. The `tweet` view gives a row's raw
// through it when the row keeps a position instead of the line (raw stored once, in the log). Every database that
// holds the view registers it, with the archive or (a copy that keeps raw in its rows) without one.

import { BIGINT, type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api';
import { errorMessage } from '../../core/errors.js';
import type { RawArchive } from '../../core/ports.js';

export const RAW_FUNCTION = 'vigil_raw';

export function registerRawFunction(conn: DuckDBConnection, archive: RawArchive | null): void {
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: RAW_FUNCTION,
      returnType: VARCHAR,
      parameterTypes: [BIGINT],
      mainFunction: (info, input, output) => {
        const positions = input.getColumnVector(0);
        try {
          for (let i = 0; i < input.rowCount; i++) {
            const at = positions.getItem(i) as bigint | null;
            if (at !== null && !archive) throw new Error('this database keeps no log of raw posts to read them from');
            output.setItem(i, at === null || !archive ? null : archive.read(Number(at)));
          }
          output.flush();
        } catch (err) {
          info.setError(`reading a raw post from the embedded log: ${errorMessage(err)}`);
        }
      },
    }),
  );
}

/** Registers the function without an archive unless the database has it already (a copy used for an export). */
export async function ensureRawFunction(conn: DuckDBConnection): Promise<void> {
  const r = await conn.runAndReadAll('SELECT count(*) FROM duckdb_functions() WHERE function_name = $1', [RAW_FUNCTION]);
  if (Number(r.getRows()[0][0]) === 0) registerRawFunction(conn, null);
}
