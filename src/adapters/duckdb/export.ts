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
import { deletionKey, type PostKey } from '../../core/deletions.js';
import { buildManifest, type DatasetManifest, type ManifestInput } from '../../core/manifest.js';
import type { PostStore } from '../../core/ports.js';
import { TWEET_COLUMN_NAMES } from '../../core/row.js';
import { type RowBatch, rowBatch } from '../../core/row-batch.js';
import { fileChunks } from '../../util/file-chunks.js';
import { sha256OfFile } from '../../util/file-hash.js';
import { LONG_WORK } from '../../util/long-work.js';
import type { DuckDb } from './database.js';
import { fileSelectList } from './file-columns.js';
import { appendInOrder } from './ordered-copy.js';
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
  // A Parquet row group is built in memory: 10,240 rows with their raw posts are about 30 MB (DuckDB's 122,880, 370).
  parquet: 'FORMAT parquet, ROW_GROUP_SIZE 10240',
  ids: 'FORMAT csv, HEADER false',
};

/** A written export, streamed from a temporary file removed once read, with its SHA-256. */
export interface ExportFile {
  stream: Readable;
  bytes: number;
  sha256: string;
}

/**
 * Where an export reads the event's rows and the posts deleted on their platforms: rows as batches (the copy sorts
 * them), or, from a DuckDB database, appended to the copy's rows table in the files' order (ordered-copy.ts).
 */
export type ExportSource = Pick<PostStore, 'deletionsOf'> &
  ({ rows(event: string): AsyncIterable<RowBatch> } | { appendRows(event: string, into: DuckDBConnection, raw: boolean): Promise<void> });

/** The embedded database as an export source (rows streamed, never all in memory at once). */
export function duckDbSource(db: DuckDb, store: Pick<PostStore, 'deletionsOf'>): ExportSource {
  return {
    async appendRows(event, into, raw) {
      const conn = await db.connect();
      try {
        await appendInOrder(conn, event, into, raw);
      } finally {
        db.disconnect(conn);
      }
    },
    deletionsOf: (posts) => store.deletionsOf(posts),
  };
}

/** Any PostStore as an export source (Cassandra: the event's rows are read across its partitions, a page at a time). */
export function storeSource(store: Pick<PostStore, 'eventRowSlices' | 'deletionsOf'>): ExportSource {
  return {
    async *rows(event) {
      for await (const rows of store.eventRowSlices(event, TWEET_COLUMN_NAMES)) yield rowBatch(rows);
    },
    deletionsOf: (posts) => store.deletionsOf(posts),
  };
}

/** Posts whose deletions are looked up at once. */
const DELETION_LOOKUP_POSTS = 50_000;

/**
 * What the copy may hold in memory. It is a file in a temporary folder, not an in-memory database: an event's rows
 * with their raw posts (about 3 KB each) are larger than memory should hold, and what it sorts or groups spills there.
 */
const COPY_MEMORY_LIMIT = '256MB';

/** The event's rows and the deletions, in a private database that can write files, removed when closed. */
class ExportCopy {
  private constructor(
    private readonly dir: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    /** Its rows are stored in the files' order, which each file then keeps (no sort of rows this wide). */
    private readonly ordered: boolean,
  ) {}

  /** `raw` false: the copy may leave raw posts out (a source that can spares reading them). */
  static async load(source: ExportSource, event: string, raw: boolean): Promise<ExportCopy> {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-export-copy-'));
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(join(dir, 'copy.duckdb'), {
        memory_limit: COPY_MEMORY_LIMIT,
        // One thread writes a file in the order its rows were stored: with more, DuckDB's writers took turns in
        // blocks of 2,048 rows and the file came out of order (preserve_insertion_order notwithstanding).
        threads: '1',
        temp_directory: join(dir, 'spill'),
      });
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    const conn = await instance.connect();
    const copy = new ExportCopy(dir, instance, conn, 'appendRows' in source);
    try {
      // Times are UTC: written with their zone (TIMESTAMPTZ) they must not take this machine's.
      await conn.run("SET TimeZone = 'UTC'");
      // A copy is read once: its terms are never counted for an event page.
      const store = await DuckDbPostStore.openOn(conn, undefined, false, { termCountIdleMs: 0 });
      if ('appendRows' in source) await source.appendRows(event, conn, raw);
      else for await (const batch of source.rows(event)) await store.writeRows(batch);
      // Only the deletions of the posts copied: looked up by key, not every deletion ever kept.
      // A Mastodon post is named by its instance-local id, read from its payload; the copy keeps each deletion under the
      // t_id of the row it deletes, so leaving deleted posts out is one comparison.
      // Looked up in batches: an event's posts, a million or more, are not all held as objects at once, and each
      // look-up is a query of the store.
      const posts = await conn.stream("SELECT DISTINCT platform, t_id, CASE WHEN platform = 'mastodon' THEN raw END AS raw FROM tweet");
      let keys: { t_id: string; key: PostKey }[] = [];
      const lookUp = async (): Promise<void> => {
        const found = new Map((await source.deletionsOf(keys.map((k) => k.key))).map((d) => [`${d.platform}\u0000${d.t_id}`, d]));
        const deletions = keys.flatMap(({ t_id, key }) => {
          const d = found.get(`${key.platform}\u0000${key.t_id}`);
          return d ? [{ ...d, t_id }] : [];
        });
        if (deletions.length > 0) await store.writeDeletions(deletions);
        keys = [];
      };
      for await (const chunk of posts.yieldConvertedRowObjects(toJson)) {
        for (const p of chunk as { platform: string; t_id: string; raw: string | null }[])
          keys.push({ t_id: p.t_id, key: deletionKey(p.platform, p.t_id, p.raw) });
        if (keys.length >= DELETION_LOOKUP_POSTS) await lookUp();
      }
      if (keys.length > 0) await lookUp();
      await store.close();
      return copy;
    } catch (err) {
      await copy.close();
      throw err;
    }
  }

  async write(file: string, format: FileFormat, o: ExportOptions = {}): Promise<void> {
    const where = o.includeDeleted ? '' : `WHERE NOT ${IS_DELETED_SQL}`;
    const columns =
      format === 'ids' ? 't_id' : await fileSelectList(this.conn, 'tweet', { csv: format === 'csv', without: o.includeRaw === false ? ['raw'] : [] });
    const order = this.ordered ? '' : 'ORDER BY t_created_at, t_id';
    await this.conn.run(`COPY (SELECT ${columns} FROM tweet ${where} ${order}) TO ${sqlString(file)} (${COPY_OPTIONS[format]})`);
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

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
    await rm(this.dir, { recursive: true, force: true });
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
function withCopy<T>(source: ExportSource, event: string, raw: boolean, fn: (copy: ExportCopy) => Promise<T>): Promise<T> {
  return LONG_WORK.run(async () => {
    const copy = await ExportCopy.load(source, event, raw);
    try {
      return await fn(copy);
    } finally {
      await copy.close();
    }
  });
}

export interface ExportOptions {
  /** Posts deleted on their platform are left out unless true. */
  includeDeleted?: boolean;
  /** The original JSON of each post (`raw`), unless false. */
  includeRaw?: boolean;
}

/** Makes a temporary folder for `fn`, removed if `fn` fails (else once its file has been served). */
async function inTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export function exportEvent(source: ExportSource, event: string, format: FileFormat, o: ExportOptions = {}): Promise<ExportFile> {
  return inTempDir('vigil-export-', async (dir) => {
    const file = join(dir, `export.${format}`);
    await withCopy(source, event, o.includeRaw !== false && format !== 'ids', (copy) => copy.write(file, format, o));
    return served(dir, file);
  });
}

/** What the manifest says about an event that does not depend on the files: who, what, when, how many. */
export type ManifestAbout = Omit<ManifestInput, 'eventName' | 'window' | 'platforms' | 'deleted' | 'files'>;

/** The manifest of an event's data as it is now, without files (the bundle's lists its files and checksums). */
export async function eventManifest(source: ExportSource, event: string, about: ManifestAbout): Promise<DatasetManifest> {
  const facts = await withCopy(source, event, false, (copy) => copy.facts());
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
export function exportBundle(source: ExportSource, event: string, about: ManifestAbout): Promise<ExportFile> {
  return inTempDir('vigil-bundle-', async (dir) => {
    const data = join(dir, 'data');
    await mkdir(data);
    const facts = await withCopy(source, event, true, async (copy) => {
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
  });
}
