// A query's result as a file to download (CSV or Parquet), whichever engine answered it: the rows go into a private
// in-memory DuckDB (the main database cannot touch files), which writes the file; it is streamed, then removed.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../core/analyses.js';
import type { QueryResult } from '../../core/ports.js';
import { type ExportFile, served } from './export.js';
import { fileSelectList } from './file-columns.js';

export type ResultFormat = 'csv' | 'parquet';
export const RESULT_FORMATS: readonly ResultFormat[] = ['csv', 'parquet'];

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The result's rows as a DuckDB table `result`, typed as the engine said when DuckDB knows the type, else as read. */
async function load(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, result: Pick<QueryResult, 'columns' | 'rows'>, dir: string): Promise<void> {
  if (result.rows.length === 0) {
    const columns = result.columns.map((c) => `${quoted(c.name)} VARCHAR`).join(', ');
    await conn.run(`CREATE TABLE result (${columns || '"(no columns)" VARCHAR'})`);
    return;
  }
  const file = join(dir, 'rows.ndjson');
  await writeFile(file, `${result.rows.map((r) => JSON.stringify(Object.fromEntries(result.columns.map((c) => [c.name, r[c.name] ?? null])))).join('\n')}\n`);
  const typed = `{${result.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;
  const read = (options: string): string =>
    `CREATE OR REPLACE TABLE result AS SELECT * FROM read_json(${sqlString(file)}, format = 'newline_delimited'${options})`;
  try {
    await conn.run(read(`, columns = ${typed}`));
  } catch {
    // A type name DuckDB does not know (Spark's): the types as DuckDB reads the values.
    await conn.run(read(', sample_size = -1'));
  }
}

export async function resultFile(result: Pick<QueryResult, 'columns' | 'rows'>, format: ResultFormat): Promise<ExportFile> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-result-'));
  try {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await conn.run("SET TimeZone = 'UTC'"); // times are UTC, and written with their zone
      await load(conn, result, dir);
      const out = join(dir, `result.${format}`);
      const select = await fileSelectList(conn, 'result', { csv: format === 'csv' });
      await conn.run(`COPY (SELECT ${select} FROM result) TO ${sqlString(out)} (${format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet'})`);
      await rm(join(dir, 'rows.ndjson'), { force: true });
      return await served(dir, out);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
