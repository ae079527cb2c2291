// Settings of the embedded database (--store duckdb, --query-engine duckdb).

import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { group, int, setting } from '../../config/setting.js';
import { DEFAULT_ROW_GROUP_SIZE } from './database.js';

/** DuckDB's vector: a row group holds whole vectors. */
const VECTOR_ROWS = 2048;

/** How often the store looks for a quiet moment to count the rows' terms (term-counts.ts), unless set. */
export const DEFAULT_TERM_COUNT_IDLE_MS = 2_000;

export const DUCKDB_SETTINGS = group('DuckDB (the embedded database)', {
  duckdbMemoryLimit: setting(
    '--duckdb-memory-limit',
    "DuckDB's memory_limit for the embedded database, its cache of stored rows and the work of ingest and queries (beyond it, DuckDB spills to disk or stops the query); 128MB keeps a Vigil importing at 1,000 events at about 900 MB (256MB reached 1 GB) at the same speed and the same query times on 10 M posts; raise it for large ad-hoc joins",
    z
      .string()
      .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/iu, 'must be a size like 512MB or 2GB')
      .default('128MB'),
  ),
  termCountIdleMs: setting(
    '--term-count-idle-ms',
    "how often the embedded store looks for a quiet moment to count the terms of rows stored since (what an event page's top lists sum); 0 = never in the background: an event page, when opened, counts what it needs",
    int(0, 86_400_000).default(DEFAULT_TERM_COUNT_IDLE_MS),
  ),
  duckdbRowGroupSize: setting(
    '--duckdb-row-group-size',
    "rows per row group of the embedded database (a multiple of 2048), for what is written from now on; smaller groups shorten the pause while DuckDB compresses a full one and an import's last commit: 30,720 imported 200,000 posts 3–8% faster than DuckDB's own 122,880 on 2 cores (2,000,000 as fast), with the same query times",
    int(VECTOR_ROWS, 512 * VECTOR_ROWS)
      .refine((n) => n % VECTOR_ROWS === 0, `must be a multiple of ${VECTOR_ROWS} (DuckDB's vector of rows)`)
      .default(DEFAULT_ROW_GROUP_SIZE),
  ),
  duckdbThreads: setting(
    '--duckdb-threads',
    'threads DuckDB runs queries and writes with (one DuckDB for both); 1 on a node that only imports leaves the cores to parsing: about 10% faster ingest on 2 cores, slower queries',
    int(1, 256).default(availableParallelism()),
    {
      shown: 'CPU cores',
    },
  ),
});
