// Opens the one embedded DuckDB database of a data directory, with file access from SQL turned off for good.

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../core/analyses.js';
import { errorMessage, VigilError } from '../../core/errors.js';
import type { RawArchive } from '../../core/ports.js';
import { registerRawFunction } from './raw-function.js';

export interface DuckDb {
  instance: DuckDBInstance;
  /** Rows stored here may keep their raw post's position in the embedded log (read back through vigil_raw). */
  readsRawFromLog: boolean;
  connect(): Promise<DuckDBConnection>;
  /** Closes a connection from `connect` before the database closes. */
  disconnect(conn: DuckDBConnection): void;
  /** Closes every connection and the database; closing again does nothing. */
  close(): void;
}

export interface DuckDbOptions {
  threads?: number;
  memoryLimit?: string;
  /** Rows per row group of what is written from now on (DEFAULT_ROW_GROUP_SIZE unless given). */
  rowGroupSize?: number;
  /** The embedded log's raw posts, for rows that keep a position there instead of the line (closed with the database). */
  rawArchive?: RawArchive;
}

/**
 * Rows per row group (DuckDB's own default is 122,880). DuckDB compresses a row group when it is full, on the thread
 * of the statement that fills it, and the rest at the commit; during a bulk import the classifier stops when its
 * batches in flight wait on that statement. With 122,880 a 200,000-post import stopped about a second midway and
 * spent about a second in its last commit (2026-12-05); with 30,720 each stop is short enough for the batches in
 * flight to cover it, the last commit takes about a third, and the same queries take the same time; a 2,000,000-post
 * import is as fast either way (BENCHMARKS.md).
 */
export const DEFAULT_ROW_GROUP_SIZE = 30_720;

/** The name the database file is attached under, and every connection uses. */
const CATALOG = 'vigil';

/**
 * `path` is a file, or ':memory:'. SQL cannot read or write files nor reach the network (`enable_external_access`
 * off, configuration locked); the database file itself is DuckDB's own and unaffected. The file is attached to an
 * in-memory instance rather than opened as it: DuckDB takes a row group size only when attaching, and keeps none in
 * the file (a file written with another size is read and written on as it is).
 */
export async function openDuckDb(path: string, options: DuckDbOptions = {}): Promise<DuckDb> {
  let instance: DuckDBInstance | undefined;
  let setup: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Checkpointing every 16 MB of WAL (the default) took a third of ingest time; a crash replays the WAL either way.
      checkpoint_threshold: '256MB',
      ...(options.threads ? { threads: String(options.threads) } : {}),
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    });
    setup = await instance.connect();
    await setup.run(`ATTACH ${sqlString(path)} AS ${CATALOG} (ROW_GROUP_SIZE ${options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE})`);
    await setup.run(`USE ${CATALOG}`);
    await setup.run('SET enable_external_access = false');
  } catch (err) {
    instance?.closeSync();
    // Two Vigils on one data directory are stopped before this by its lock (util/data-lock.ts).
    throw new VigilError('VIGIL_UNAVAILABLE', `cannot open the database ${path}: ${errorMessage(err)}`, { cause: err });
  }
  const connections = new Set<DuckDBConnection>();
  registerRawFunction(setup, options.rawArchive ?? null);
  await setup.run('SET lock_configuration = true');
  connections.add(setup);
  let closed = false;
  return {
    instance,
    readsRawFromLog: options.rawArchive !== undefined,
    async connect() {
      const c = await instance.connect();
      connections.add(c);
      await c.run(`USE ${CATALOG}`);
      return c;
    },
    disconnect(c) {
      if (connections.delete(c)) c.closeSync();
    },
    close() {
      if (closed) return;
      closed = true;
      for (const c of connections) c.closeSync();
      connections.clear();
      instance.closeSync();
      options.rawArchive?.close();
    },
  };
}
