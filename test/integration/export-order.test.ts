// An export of the embedded store lists an event's rows by time then post id in every format, however they were
// stored, while its copy reads them a slice of times at a time (ordered-copy.ts) and leaves nothing behind.

import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { duckDbSource, exportEvent } from '../../src/adapters/duckdb/export.js';
import { slicesOf, timestampSql } from '../../src/adapters/duckdb/ordered-copy.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { deletionKey } from '../../src/core/deletions.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { rowsFor } from '../contract/suites/store-contract.js';

const POSTS = 12_000; // more than two slices of SLICE_ROWS
let db: DuckDb;
let store: DuckDbPostStore;

beforeAll(async () => {
  db = await openDuckDb(':memory:');
  store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 });
  // Stored newest first, in batches, with ids that do not follow the times: the files must not list them so.
  for (let b = 0; b < POSTS; b += 1000) {
    const rows = [];
    for (let i = b; i < b + 1000; i++) {
      const second = POSTS - i;
      const at = new Date(Date.UTC(2012, 9, 29, 12) + Math.floor(second / 3) * 1000).toISOString();
      rows.push(...rowsFor(String(9_000_000 + ((i * 7919) % POSTS)), `sandy ${i}`, at));
    }
    await store.writeRows(rowBatch(rows));
  }
  await store.writeDeletions([{ ...deletionKey('twitter', '9000007', null), deleted_at: '2012-10-30T00:00:00.000Z' }]);
}, 60_000);
afterAll(() => db.close());

const copies = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('vigil-export-copy-'));

describe('an export of the embedded store', () => {
  it('lists the rows by time, then post id, in JSONL and CSV, with or without raw, deleted posts left out unless asked for', async () => {
    const before = await copies();
    const jsonl = await exportEvent(duckDbSource(db, store), 'Sandy', 'jsonl');
    const rows = (await text(jsonl.stream))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t_id: string; t_created_at: string; raw: string });
    expect(rows).toHaveLength(POSTS - 1);
    expect(rows.map((r) => r.t_id)).not.toContain('9000007');
    const keys = rows.map((r) => `${r.t_created_at} ${r.t_id}`);
    expect(keys).toEqual([...keys].sort());
    expect(JSON.parse(rows[0].raw)).toMatchObject({ id_str: rows[0].t_id });

    const lean = await exportEvent(duckDbSource(db, store), 'Sandy', 'jsonl', { includeRaw: false });
    const leanRows = (await text(lean.stream))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(leanRows.map((r) => r.t_id)).toEqual(rows.map((r) => r.t_id));
    expect(leanRows[0]).not.toHaveProperty('raw');

    const csv = await exportEvent(duckDbSource(db, store), 'Sandy', 'csv', { includeDeleted: true });
    const lines = (await text(csv.stream)).trim().split('\n');
    expect(lines).toHaveLength(POSTS + 1);
    const ids = lines.slice(1).map((l) => l.split(',')[1]);
    expect(ids).toContain('9000007');
    expect(ids.filter((id) => id !== '9000007')).toEqual(rows.map((r) => r.t_id));
    expect(await copies(), 'each copy is removed once its file is written').toEqual(before);
  }, 60_000);

  it('leaves no temporary folder behind when the rows cannot be read', async () => {
    const folders = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('vigil-export-') || f.startsWith('vigil-bundle-'));
    const before = await folders();
    const broken = {
      appendRows: async () => {
        throw new Error('the store went away');
      },
      deletionsOf: async () => [],
    };
    await expect(exportEvent(broken, 'Sandy', 'parquet')).rejects.toThrow('the store went away');
    expect((await folders()).filter((f) => !before.includes(f))).toEqual([]);
  });

  it('reads the times in slices of about SLICE_ROWS rows, one time never split, rows without a time last', () => {
    const counts: [bigint | null, number][] = [
      [1n, 3],
      [2n, 3],
      [3n, 9],
      [4n, 1],
      [5n, 1],
      [null, 2],
    ];
    expect(slicesOf(counts, 6)).toEqual([
      { from: 1n, to: 2n },
      { from: 3n, to: 3n },
      { from: 4n, to: 5n },
      { from: null, to: null },
    ]);
    expect(slicesOf([], 6)).toEqual([]);
    expect(timestampSql(1351512000123456n)).toBe("TIMESTAMP '2012-10-29 12:00:00.123456'");
    expect(timestampSql(-1n)).toBe("TIMESTAMP '1969-12-31 23:59:59.999999'");
  });
});
