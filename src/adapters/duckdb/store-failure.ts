// What a failed write of the embedded store says. DuckDB's own messages end with advice for someone typing SQL
// ("SET memory_limit=…", "SET threads=…"), which a Vigil operator cannot follow: the bus delivers the batch again and
// again, so the reason should name the setting or the fix that lets its next attempt succeed.

import { errorMessage } from '../../core/errors.js';

export function storeFailure(err: unknown): Error {
  const message = errorMessage(err);
  const first = message.split('\n')[0].trim();
  if (/Out of Memory Error/iu.test(first))
    return new Error(
      `the embedded database needs more memory than it may use to store this batch (${first}); raise --duckdb-memory-limit ` +
        '(VIGIL_DUCKDB_MEMORY_LIMIT) and restart Vigil: the batch waits in the log and is stored then, nothing is lost',
      { cause: err },
    );
  if (/No space left on device|disk is full|ENOSPC/iu.test(message))
    return new Error(`the disk of the data directory is full (${first}); free space there: the batch waits in the log and is stored at its next attempt`, {
      cause: err,
    });
  return err instanceof Error ? err : new Error(message);
}
