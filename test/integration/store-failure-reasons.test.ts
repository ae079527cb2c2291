// A write the embedded store cannot do says what lets its next attempt succeed: DuckDB's own advice is for someone
// typing SQL ("SET memory_limit=…"), while a Vigil operator raises --duckdb-memory-limit or frees disk space.

import { afterEach, describe, expect, it } from 'vitest';
import { storeFailure } from '../../src/adapters/duckdb/store-failure.js';
import { classifyLine } from '../../src/core/classify.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { type Cleanups, openTestStore } from '../helpers/duckdb-store.js';
import { FLOOD_MATCHER as MATCHER } from '../helpers/flood-event.js';
import { line, tweet } from '../helpers/tweets.js';

describe('what a failed write of the embedded store says', () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('out of its memory limit: names --duckdb-memory-limit and a restart, without the SQL advice', async () => {
    const { store, count } = await openTestStore(cleanups, { memoryLimit: '4MB', store: { termCountIdleMs: 0 } });
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const out = classifyLine(
        line(tweet({ id: String(262000000000300000n + BigInt(i)), text: `flood ${'water '.repeat(40)}${i}` })),
        MATCHER,
        '2026-01-01T00:00:00.000Z',
      );
      if (out.kind !== 'post') throw new Error('not a post');
      return out.rows;
    }).flat();
    const failed = await store.writeRows(rowBatch(rows)).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(failed).not.toBeNull();
    expect(failed?.message).toMatch(/^the embedded database needs more memory than it may use to store this batch \(Out of Memory Error/u);
    expect(failed?.message).toContain('raise --duckdb-memory-limit (VIGIL_DUCKDB_MEMORY_LIMIT) and restart Vigil');
    expect(failed?.message).not.toContain('SET ');
    expect(await count()).toBe(0);
  });

  it('a full disk names the data directory; another failure keeps its own words', () => {
    const full = storeFailure(new Error('IO Error: Could not write file "vigil.duckdb.wal": No space left on device'));
    expect(full.message).toMatch(/^the disk of the data directory is full \(IO Error: .*No space left on device\); free space there/u);
    const other = new Error('Constraint Error: NOT NULL constraint failed: t.n');
    expect(storeFailure(other)).toBe(other);
    expect(storeFailure('plain text').message).toBe('plain text');
  });
});
