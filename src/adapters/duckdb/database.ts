// Opens the one embedded DuckDB database of a data directory, with file access from SQL turned off for good.

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { errorMessage, VigilError } from '../../core/errors.js';

export interface DuckDb {
  instance: DuckDBInstance;
  connect(): Promise<DuckDBConnection>;
  /** Closes a connection from `connect` before the database closes. */
  disconnect(conn: DuckDBConnection): void;
  close(): void;
}

/**
 * `path` is a file, or ':memory:'. SQL cannot read or write files nor reach the network (`enable_external_access`
 * off, configuration locked); the database file itself is DuckDB's own and unaffected.
 */
export async function openDuckDb(path: string, options: { threads?: number; memoryLimit?: string } = {}): Promise<DuckDb> {
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
  await setup.run('SET lock_configuration = true');
  connections.add(setup);
  return {
    instance,
    async connect() {
      const c = await instance.connect();
      connections.add(c);
      return c;
    },
    disconnect(c) {
      if (connections.delete(c)) c.closeSync();
    },
    close() {
      for (const c of connections) c.closeSync();
      instance.closeSync();
    },
  };
}
