// Export of an event's rows as CSV, JSONL, Parquet, ids or a dataset bundle, from any store: the event's rows and the
// deletions are copied into a private in-memory DuckDB (SQL in the main database cannot touch files), which writes
// the files; they are then streamed and removed.

import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { create as tarCreate } from 'tar';
import { sqlString } from '../../core/analyses.js';
import { deletionKey } from '../../core/deletions.js';
import { buildManifest, type DatasetManifest, type ManifestInput } from '../../core/manifest.js';
import type { PostStore } from '../../core/ports.js';
import type { TweetRow } from '../../core/row.js';
import { type RowBatch, rowBatch } from '../../core/row-batch.js';
import { fileChunks } from '../../util/file-chunks.js';
import { sha256OfFile } from '../../util/file-hash.js';
import { LONG_WORK } from '../../util/long-work.js';
import type { DuckDb } from './database.js';
import { fileSelectList } from './file-columns.js';
import { DuckDbPostStore, IS_DELETED_SQL } from './store.js';
import { toJson } from './values.js';

/**
 * ids: a "dehydrated" dataset, one post id per line, for sharing under the platforms' terms. bundle: a .tar.gz with
 * the rows (Parquet), the ids and a manifest.json (event definition and its history, sources, window, checksums).
 */
export type ExportFormat = 'csv' | 'jsonl' | 'parquet' | 'ids' | 'bundle';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'parquet', 'ids', 'bundle'];
type FileFormat = Exclude<ExportFormat, 'bundle'>;

const COPY_OPTIONS: Record<FileFormat, string> = {
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
  parquet: 'FORMAT parquet',
  ids: 'FORMAT csv, HEADER false',
};

/** A written export, streamed from a temporary file removed once read, with its SHA-256. */
export interface ExportFile {
  stream: Readable;
  bytes: number;
  sha256: string;
}

/** Where an export reads the event's rows and the posts deleted on their platforms. */
export interface ExportSource extends Pick<PostStore, 'deletionsOf'> {
  rows(event: string): AsyncIterable<RowBatch>;
}

/** The embedded database as an export source (rows streamed, never all in memory at once). */
export function duckDbSource(db: DuckDb, store: Pick<PostStore, 'deletionsOf'>): ExportSource {
  return {
    async *rows(event) {
      const conn = await db.connect();
      try {
        const result = await conn.stream(`SELECT * FROM tweet WHERE event_name = ${sqlString(event)}`);
        for await (const rows of result.yieldConvertedRowObjects(toJson)) if (rows.length > 0) yield rowBatch(rows as unknown as TweetRow[]);
      } finally {
        db.disconnect(conn);
      }
    },
    deletionsOf: (posts) => store.deletionsOf(posts),
  };
}

/** Any PostStore as an export source (Cassandra: the event's rows are read across its partitions). */
export function storeSource(store: Pick<PostStore, 'eventRows' | 'deletionsOf'>, maxRows = 50_000_000): ExportSource {
  return {
    async *rows(event) {
      yield rowBatch(await store.eventRows(event, maxRows));
    },
    deletionsOf: (posts) => store.deletionsOf(posts),
  };
}

/** The event's rows and the deletions, in a private in-memory database that can write files. */
class ExportCopy {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async load(source: ExportSource, event: string): Promise<ExportCopy> {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    // Times are UTC: written with their zone (TIMESTAMPTZ) they must not take this machine's.
    await conn.run("SET TimeZone = 'UTC'");
    const copy = new ExportCopy(instance, conn);
    try {
      // A copy is read once: its terms are never counted for an event page.
      const store = await DuckDbPostStore.openOn(conn, undefined, false, { termCountIdleMs: 0 });
      for await (const batch of source.rows(event)) await store.writeRows(batch);
      // Only the deletions of the posts copied: looked up by key, not every deletion ever kept.
      // A Mastodon post is named by its instance-local id, read from its payload; the copy keeps each deletion under the
      // t_id of the row it deletes, so leaving deleted posts out is one comparison.
      const posts = (await (
        await conn.runAndReadAll("SELECT DISTINCT platform, t_id, CASE WHEN platform = 'mastodon' THEN raw END AS raw FROM tweet")
      ).convertRowObjects(toJson)) as { platform: string; t_id: string; raw: string | null }[];
      const keys = posts.map((p) => ({ t_id: p.t_id, key: deletionKey(p.platform, p.t_id, p.raw) }));
      const found = new Map((await source.deletionsOf(keys.map((k) => k.key))).map((d) => [`${d.platform}\u0000${d.t_id}`, d]));
      await store.writeDeletions(
        keys.flatMap(({ t_id, key }) => {
          const d = found.get(`${key.platform}\u0000${key.t_id}`);
          return d ? [{ ...d, t_id }] : [];
        }),
      );
      await store.close();
      return copy;
    } catch (err) {
      copy.close();
      throw err;
    }
  }

  async write(file: string, format: FileFormat, o: ExportOptions = {}): Promise<void> {
    const where = o.includeDeleted ? '' : `WHERE NOT ${IS_DELETED_SQL}`;
    const columns =
      format === 'ids' ? 't_id' : await fileSelectList(this.conn, 'tweet', { csv: format === 'csv', without: o.includeRaw === false ? ['raw'] : [] });
    await this.conn.run(`COPY (SELECT ${columns} FROM tweet ${where} ORDER BY t_created_at, t_id) TO ${sqlString(file)} (${COPY_OPTIONS[format]})`);
  }

  /** Platforms and rows (deleted posts left out), deletions, and the time window of the event's posts. */
  async facts(): Promise<{ platforms: { platform: string; rows: number }[]; deleted: number; first: string | null; last: string | null }> {
    const platforms = (await (
      await this.conn.runAndReadAll(`SELECT platform, count(*)::INT AS rows FROM tweet WHERE NOT ${IS_DELETED_SQL} GROUP BY 1 ORDER BY 1`)
    ).convertRowObjects(toJson)) as { platform: string; rows: number }[];
    const [w] = (await (
      await this.conn.runAndReadAll(
        `SELECT min(t_created_at) AS first, max(t_created_at) AS last, count(*) FILTER (WHERE ${IS_DELETED_SQL})::INT AS deleted FROM tweet`,
      )
    ).convertRowObjects(toJson)) as { first: string | null; last: string | null; deleted: number }[];
    return { platforms, deleted: w.deleted, first: w.first, last: w.last };
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** A file's SHA-256 and size, read as a stream (an export may be larger than memory should hold). */
async function digest(file: string): Promise<{ sha256: string; bytes: number }> {
  return { sha256: await sha256OfFile(file), bytes: (await stat(file)).size };
}

export async function served(dir: string, file: string): Promise<ExportFile> {
  const d = await digest(file);
  const stream = fileChunks(file);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return { stream, ...d };
}

/**
 * An export holds threads of Node's pool for as long as its copy lives: it takes its turn with people's queries
 * (util/long-work.ts).
 */
function withCopy<T>(source: ExportSource, event: string, fn: (copy: ExportCopy) => Promise<T>): Promise<T> {
  return LONG_WORK.run(async () => {
    const copy = await ExportCopy.load(source, event);
    try {
      return await fn(copy);
    } finally {
      copy.close();
    }
  });
}

export interface ExportOptions {
  /** Posts deleted on their platform are left out unless true. */
  includeDeleted?: boolean;
  /** The original JSON of each post (`raw`), unless false. */
  includeRaw?: boolean;
}

export async function exportEvent(source: ExportSource, event: string, format: FileFormat, o: ExportOptions = {}): Promise<ExportFile> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-export-'));
  const file = join(dir, `export.${format}`);
  await withCopy(source, event, (copy) => copy.write(file, format, o));
  return served(dir, file);
}

/** What the manifest says about an event that does not depend on the files: who, what, when, how many. */
export type ManifestAbout = Omit<ManifestInput, 'eventName' | 'window' | 'platforms' | 'deleted' | 'files'>;

/** The manifest of an event's data as it is now, without files (the bundle's lists its files and checksums). */
export async function eventManifest(source: ExportSource, event: string, about: ManifestAbout): Promise<DatasetManifest> {
  const facts = await withCopy(source, event, (copy) => copy.facts());
  return buildManifest({
    ...about,
    eventName: event,
    window: { first: facts.first, last: facts.last },
    platforms: facts.platforms,
    deleted: facts.deleted,
    files: [],
  });
}

/** The dataset bundle: rows.parquet, ids.txt and manifest.json in one .tar.gz (deleted posts left out). */
export async function exportBundle(source: ExportSource, event: string, about: ManifestAbout): Promise<ExportFile> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
  const data = join(dir, 'data');
  await mkdir(data);
  const facts = await withCopy(source, event, async (copy) => {
    await copy.write(join(data, 'rows.parquet'), 'parquet');
    await copy.write(join(data, 'ids.txt'), 'ids');
    return copy.facts();
  });
  const rows = facts.platforms.reduce((n, p) => n + p.rows, 0);
  const files = [];
  for (const name of ['rows.parquet', 'ids.txt']) files.push({ path: name, ...(await digest(join(data, name))), rows });
  const manifest = buildManifest({
    ...about,
    eventName: event,
    window: { first: facts.first, last: facts.last },
    platforms: facts.platforms,
    deleted: facts.deleted,
    files,
  });
  await writeFile(join(data, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const out = join(dir, 'dataset.tar.gz');
  await tarCreate({ gzip: true, file: out, cwd: data, portable: true }, ['manifest.json', 'rows.parquet', 'ids.txt']);
  return served(dir, out);
}
