// Opens the one embedded DuckDB database of a data directory, with file access from SQL turned off for good.

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
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
  /** The embedded log's raw posts, for rows that keep a position there instead of the line (closed with the database). */
  rawArchive?: RawArchive;
}

/**
 * `path` is a file, or ':memory:'. SQL cannot read or write files nor reach the network (`enable_external_access`
 * off, configuration locked); the database file itself is DuckDB's own and unaffected.
 */
export async function openDuckDb(path: string, options: DuckDbOptions = {}): Promise<DuckDb> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, {
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Checkpointing every 16 MB of WAL (the default) took a third of ingest time; a crash replays the WAL either way.
      checkpoint_threshold: '256MB',
      ...(options.threads ? { threads: String(options.threads) } : {}),
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    });
  } catch (err) {
    // Two Vigils on one data directory are stopped before this by its lock (util/data-lock.ts).
    throw new VigilError('VIGIL_UNAVAILABLE', `cannot open the database ${path}: ${errorMessage(err)}`, { cause: err });
  }
  const connections = new Set<DuckDBConnection>();
  const setup = await instance.connect();
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
