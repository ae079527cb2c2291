// The embedded rows' table has no primary key (DuckDB keeps an index wholly in memory, and the store's memory_limit
// would stop ingest after a few million rows): each (event, platform, post) is still stored once, for every shape of
// post id, and the check works on a table far bigger than the memory DuckDB may use.

import { afterEach, describe, expect, it } from 'vitest';
import { insertNewSql } from '../../src/adapters/duckdb/keep-once.js';
import { ROW_TABLE, ROWS_KEPT_ONCE } from '../../src/adapters/duckdb/tweet-schema.js';
import { classifyLine } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import type { TweetRow } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { type Cleanups, openTestStore } from '../helpers/duckdb-store.js';
import { lineOf } from '../helpers/real-payloads.js';
import { line, tweet } from '../helpers/tweets.js';

const KEYWORDS = ['tweet', 'id', 'new', 'stored', 'hoot', 'debunked'];
const MATCHER = new Matcher([
  { id: '6d0c4a8e-1b7f-4c39-9a51-2f0e8d3b7c10', name: 'Any', keywords: KEYWORDS, languages: [], active: true, accounts: [], boxes: [] },
]);

function rowsOf(...lines: string[]): TweetRow[] {
  return lines.flatMap((l) => {
    const out = classifyLine(l, MATCHER, '2026-01-01T00:00:00.000Z');
    if (out.kind !== 'post') throw new Error(`not a post: ${l.slice(0, 80)}`);
    return out.rows;
  });
}

describe('rows kept once without a key', () => {
  const cleanups: Cleanups = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  // No term counting in quiet moments: it would count the 1.5 million rows written around the store, beside the
  // test's own statements, within the same 96 MB (a CI run's insert ran out of memory with a count beside it).
  const open = (memoryLimit?: string) => openTestStore(cleanups, { memoryLimit, store: { termCountIdleMs: 0 } });

  it('stores each post of every id shape once, however often and in whichever batch it comes', async () => {
    const { store, conn, count } = await open();
    const posts = [
      line(tweet({ id: '262000000000000001', text: 'a tweet' })),
      lineOf('mastodon/hashtag.json'),
      lineOf('jetstream/post-langs-two-link.jsonl'),
      line(tweet({ id: 'not-a-number', text: 'an id of no known shape' })),
    ];
    const rows = rowsOf(...posts);
    expect(rows).toHaveLength(4);
    await store.writeRows(rowBatch(rows));
    await store.writeRows(rowBatch(rows));
    await store.writeRows(rowBatch([...rows, ...rows].reverse())); // twice within one batch
    for (const r of rows) await store.writeRows(rowBatch([r]));
    expect(await count()).toBe(4);
    // Two rows of one post that differ elsewhere (another creation time): the key is the post, not the payload.
    await store.writeRows(rowBatch(rowsOf(line(tweet({ id: '262000000000000001', text: 'a tweet', createdAt: '2020-01-01T00:00:00Z' })))));
    expect(await count()).toBe(4);
    const keys = (await conn.runAndReadAll(`SELECT platform, t_key IS NOT NULL FROM ${ROW_TABLE} ORDER BY t_id`)).getRows().map(([p, k]) => `${p}:${k}`);
    expect(keys.sort()).toEqual(['bluesky:true', 'mastodon:true', 'twitter:false', 'twitter:true']);
  });

  it('keeps, of one post given twice in a write, the copy first in the log, and never replaces a stored copy by a later one', async () => {
    const { store, conn, count } = await open();
    const [a, b, c] = rowsOf(...['1', '2', '3'].map((n) => line(tweet({ id: `26200000000000000${n}`, text: `tweet ${n}` }))));
    const refs = async () => (await conn.runAndReadAll(`SELECT t_id, raw_ref FROM ${ROW_TABLE} ORDER BY t_id`)).getRows().map(([id, ref]) => `${id}@${ref}`);
    // Batches that arrive while a write runs are written together: the last three here, in one write.
    await Promise.all([
      store.writeRows(rowBatch([c], [50])),
      store.writeRows(rowBatch([a, b], [700, 900])),
      store.writeRows(rowBatch([b], [800])),
      store.writeRows(rowBatch([a], [300])),
    ]);
    expect(await refs()).toEqual(['262000000000000001@300', '262000000000000002@800', '262000000000000003@50']);
    await Promise.all([store.writeRows(rowBatch([c], [10])), store.writeRows(rowBatch([b, a], [100, 200]))]);
    expect(await refs()).toEqual(['262000000000000001@300', '262000000000000002@800', '262000000000000003@50']);
    expect(await count()).toBe(3);
  });

  it('keeps deletion notices and rejected lines once too, and no table of theirs or of the rows has an index', async () => {
    const { store, conn } = await open();
    const deletions = [
      { platform: 'twitter', t_id: '262000000000000001', deleted_at: '2012-10-30T00:00:00.000Z' },
      { platform: 'mastodon', t_id: '117020593741189701', deleted_at: '2026-08-01T14:00:00.000Z' },
      { platform: 'bluesky', t_id: 'at://did:plc:abc/app.bsky.feed.post/3l3qo2vutsw2b', deleted_at: '2024-09-09T20:00:00.000Z' },
      { platform: 'other', t_id: 'no known shape', deleted_at: '2024-09-09T20:00:00.000Z' },
    ];
    await store.writeDeletions(deletions);
    await store.writeDeletions([...deletions].reverse());
    await store.writeDeletions([deletions[0], { ...deletions[0], deleted_at: '2012-11-01T00:00:00.000Z' }]);
    expect(await store.deletionCount()).toBe(4);
    expect(await store.deletionsOf([{ platform: 'twitter', t_id: '262000000000000001' }])).toEqual([deletions[0]]);
    const reject = { id: 'a'.repeat(40), source: 'test', reason: 'not JSON', line: 'this line is not JSON', at: '2026-01-01T00:00:00.000Z' };
    await store.writeRejects([reject, { ...reject, at: '2026-01-02T00:00:00.000Z' }]);
    await store.writeRejects([reject, { ...reject, id: 'b'.repeat(40) }]);
    expect(await store.rejectCount()).toBe(2);
    const indexes = await conn.runAndReadAll(
      `SELECT count(*) FROM duckdb_constraints() WHERE table_name IN ('${ROW_TABLE}', 'deletion_row', 'reject') AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')`,
    );
    expect(Number(indexes.getRows()[0][0])).toBe(0);
    // What analysts see of deletions is what it was: the store's own t_key stays behind the view.
    expect((await conn.runAndReadAll('SELECT * FROM deletion LIMIT 0')).columnNames()).toEqual(['platform', 't_id', 'deleted_at']);
  });

  it('checks a batch against 1.5 million stored rows within a 96 MB memory limit that their key index would not fit', async () => {
    const { store, conn, count } = await open('96MB');
    const stored = (from: number, to: number) =>
      `SELECT 'Any' AS event_name, '6d0c4a8e-1b7f-4c39-9a51-2f0e8d3b7c10'::UUID AS event_id, 'twitter' AS platform, (262000000000000000 + r)::VARCHAR AS t_id,
        TIMESTAMP '2012-10-29 00:00:00' + to_milliseconds(r) AS t_created_at, r AS raw_ref FROM range(${from}, ${to}) t(r)`;
    for (let i = 0; i < 1_500_000; i += 20_000) await conn.run(insertNewSql(ROWS_KEPT_ONCE, stored(i, i + 20_000)));
    expect(await count()).toBe(1_500_000);
    await conn.run(insertNewSql(ROWS_KEPT_ONCE, stored(1_000_000, 1_000_100)));
    expect(await count()).toBe(1_500_000);
    const again = rowsOf(line(tweet({ id: '262000000000000007', text: 'stored among the first', createdAt: '2012-10-29T00:00:00.007Z' })));
    const fresh = rowsOf(line(tweet({ id: '263000000000000000', text: 'new', createdAt: '2012-10-30T00:00:00Z' })));
    await store.writeRows(rowBatch([...again, ...fresh]));
    expect(await count()).toBe(1_500_001);
    // What the table's primary key needed: an index of every key, in memory.
    await expect(conn.run(`CREATE UNIQUE INDEX row_key ON ${ROW_TABLE} (event_name, platform, t_id)`)).rejects.toThrow(/Out of Memory/i);
  }, 120_000);
});
