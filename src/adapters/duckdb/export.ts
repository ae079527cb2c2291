// Export of an event's rows as CSV, JSONL or Parquet. SQL in the main database cannot touch files, so the rows are
// copied into a private in-memory DuckDB that writes the file, which is then streamed and removed.

import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { sqlString } from '../../core/analyses.js';
import type { DuckDb } from './database.js';
import { DuckDbTweetStore, IS_DELETED_SQL } from './store.js';
import { toJson } from './values.js';

/** ids: a "dehydrated" dataset, one post id per line, for sharing under the platforms' terms. */
export type ExportFormat = 'csv' | 'jsonl' | 'parquet' | 'ids';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'parquet', 'ids'];

const COPY_OPTIONS: Record<ExportFormat, string> = { csv: 'FORMAT csv, HEADER true', jsonl: 'FORMAT json', parquet: 'FORMAT parquet', ids: 'FORMAT csv, HEADER false' };

/** Posts deleted on their platform are left out unless `includeDeleted`. */
export async function exportEvent(db: DuckDb, event: string, format: ExportFormat, includeDeleted = false): Promise<Readable> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-export-'));
  const file = join(dir, `export.${format}`);
  const out = await DuckDBInstance.create(':memory:');
  const source = await db.connect();
  try {
    const outConn = await out.connect();
    const copy = await DuckDbTweetStore.openOn(outConn);
    const result = await source.stream(`SELECT * FROM tweet WHERE event_name = ${sqlString(event)}${includeDeleted ? '' : ` AND NOT ${IS_DELETED_SQL}`} ORDER BY t_created_at, t_id`);
    for await (const rows of result.yieldConvertedRowObjects(toJson)) {
      if (rows.length > 0) await copy.writeRows({ count: rows.length, jsonLines: rows.map((r) => JSON.stringify(r)).join('\n') });
    }
    await outConn.run(`COPY (SELECT ${format === 'ids' ? 't_id' : '*'} FROM tweet ORDER BY t_created_at, t_id) TO ${sqlString(file)} (${COPY_OPTIONS[format]})`);
    outConn.closeSync();
  } finally {
    db.disconnect(source);
    out.closeSync();
  }
  const stream = createReadStream(file);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return stream;
}
