// Settings of the embedded database (--store duckdb, --query-engine duckdb).

import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { group, int, setting } from '../../config/setting.js';

export const DUCKDB_SETTINGS = group('DuckDB (the embedded database)', {
  duckdbMemoryLimit: setting(
    '--duckdb-memory-limit',
    "DuckDB's memory_limit for the embedded database (beyond it, DuckDB spills to disk or stops the query)",
    z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/iu, 'must be a size like 512MB or 2GB')
      .default('1GB'),
  ),
  duckdbThreads: setting('--duckdb-threads', 'threads DuckDB runs queries and writes with', int(1, 256).default(availableParallelism()), {
    shown: 'CPU cores',
  }),
});
