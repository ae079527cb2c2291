// Export of an event's rows as CSV, JSONL or Parquet. SQL in the main database cannot touch files, so the rows are
// copied into a private in-memory DuckDB that writes the file, which is then streamed and removed.

import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { create as tarCreate } from 'tar';
import { buildManifest, type DatasetManifest, type ManifestInput } from '../../core/manifest.js';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { sqlString } from '../../core/analyses.js';
import type { DuckDb } from './database.js';
import { DuckDbTweetStore, IS_DELETED_SQL } from './store.js';
import { toJson } from './values.js';

/**
 * ids: a "dehydrated" dataset, one post id per line, for sharing under the platforms' terms. bundle: a .tar.gz with
 * the rows (Parquet), the ids and a manifest.json (event definition and its history, sources, window, checksums).
 */
export type ExportFormat = 'csv' | 'jsonl' | 'parquet' | 'ids' | 'bundle';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'parquet', 'ids', 'bundle'];
type FileFormat = Exclude<ExportFormat, 'bundle'>;

const COPY_OPTIONS: Record<FileFormat, string> = { csv: 'FORMAT csv, HEADER true', jsonl: 'FORMAT json', parquet: 'FORMAT parquet', ids: 'FORMAT csv, HEADER false' };

/** A written export, streamed from a temporary file removed once read, with its SHA-256. */
export interface ExportFile {
  stream: Readable;
  bytes: number;
  sha256: string;
}

async function served(dir: string, file: string): Promise<ExportFile> {
  const content = await readFile(file);
  const stream = createReadStream(file);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return { stream, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') };
}

/** Posts deleted on their platform are left out unless `includeDeleted`. */
export async function exportEvent(db: DuckDb, event: string, format: FileFormat, includeDeleted = false): Promise<ExportFile> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-export-'));
  const file = join(dir, `export.${format}`);
  await writeExport(db, event, [{ file, format }], includeDeleted);
  return served(dir, file);
}

/** What the manifest says about an event that does not depend on the files: who, what, when, how many. */
export type ManifestAbout = Omit<ManifestInput, 'eventName' | 'window' | 'platforms' | 'deleted' | 'files'>;

/** The manifest of an event's data as it is now, without files (the bundle's lists its files and checksums). */
export async function eventManifest(db: DuckDb, event: string, about: ManifestAbout): Promise<DatasetManifest> {
  const facts = await datasetFacts(db, event);
  return buildManifest({ ...about, eventName: event, window: { first: facts.first, last: facts.last }, platforms: facts.platforms, deleted: facts.deleted, files: [] });
}

/** The dataset bundle: rows.parquet, ids.txt and manifest.json in one .tar.gz (deleted posts left out). */
export async function exportBundle(db: DuckDb, event: string, about: ManifestAbout): Promise<ExportFile> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
  const data = join(dir, 'data');
  await mkdir(data);
  await writeExport(db, event, [{ file: join(data, 'rows.parquet'), format: 'parquet' }, { file: join(data, 'ids.txt'), format: 'ids' }], false);
  const facts = await datasetFacts(db, event);
  const rows = facts.platforms.reduce((n, p) => n + p.rows, 0);
  const files = [];
  for (const name of ['rows.parquet', 'ids.txt']) {
    const bytes = await readFile(join(data, name));
    files.push({ path: name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), rows });
  }
  const manifest = buildManifest({ ...about, eventName: event, window: { first: facts.first, last: facts.last }, platforms: facts.platforms, deleted: facts.deleted, files });
  await writeFile(join(data, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const out = join(dir, 'dataset.tar.gz');
  await tarCreate({ gzip: true, file: out, cwd: data, portable: true }, ['manifest.json', 'rows.parquet', 'ids.txt']);
  return served(dir, out);
}

/** Platforms and rows (deleted posts left out), deletions, and the time window of an event's posts. */
async function datasetFacts(db: DuckDb, event: string): Promise<{ platforms: { platform: string; rows: number }[]; deleted: number; first: string | null; last: string | null }> {
  const conn = await db.connect();
  try {
    const ev = sqlString(event);
    const platforms = (await (await conn.runAndReadAll(`SELECT platform, count(*)::INT AS rows FROM tweet WHERE event_name = ${ev} AND NOT ${IS_DELETED_SQL} GROUP BY 1 ORDER BY 1`)).convertRowObjects(toJson)) as { platform: string; rows: number }[];
    const [w] = (await (await conn.runAndReadAll(`SELECT min(t_created_at) AS first, max(t_created_at) AS last, count(*) FILTER (WHERE ${IS_DELETED_SQL})::INT AS deleted FROM tweet WHERE event_name = ${ev}`)).convertRowObjects(toJson)) as { first: string | null; last: string | null; deleted: number }[];
    return { platforms, deleted: w.deleted, first: w.first, last: w.last };
  } finally {
    db.disconnect(conn);
  }
}

async function writeExport(db: DuckDb, event: string, outputs: { file: string; format: FileFormat }[], includeDeleted: boolean): Promise<void> {
  const out = await DuckDBInstance.create(':memory:');
  const source = await db.connect();
  try {
    const outConn = await out.connect();
    const copy = await DuckDbTweetStore.openOn(outConn);
    const result = await source.stream(`SELECT * FROM tweet WHERE event_name = ${sqlString(event)}${includeDeleted ? '' : ` AND NOT ${IS_DELETED_SQL}`} ORDER BY t_created_at, t_id`);
    for await (const rows of result.yieldConvertedRowObjects(toJson)) {
      if (rows.length > 0) await copy.writeRows({ count: rows.length, jsonLines: rows.map((r) => JSON.stringify(r)).join('\n') });
    }
    for (const { file, format } of outputs)
      await outConn.run(`COPY (SELECT ${format === 'ids' ? 't_id' : '*'} FROM tweet ORDER BY t_created_at, t_id) TO ${sqlString(file)} (${COPY_OPTIONS[format]})`);
    outConn.closeSync();
  } finally {
    db.disconnect(source);
    out.closeSync();
  }
}
