// Hashtag counts kept at ingest give an event's top hashtags exactly as counting the rows' lists does, after
// replays, a post twice in one batch, a rename, a purge, a compaction of the partial counts, and on a database whose
// rows were stored before the counts existed.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { HASHTAG_COUNT_TABLE, HashtagCounts } from '../../src/adapters/duckdb/hashtag-counts.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { ROW_TABLE } from '../../src/adapters/duckdb/tweet-schema.js';
import { DIALECTS, topHashtagsSql } from '../../src/core/analyses.js';
import { classifyLine } from '../../src/core/classify.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { Matcher } from '../../src/core/matcher.js';
import type { TweetRow } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { line, tweet } from '../helpers/tweets.js';

const EVENTS = [
  { id: legacyEventId('Sandy'), name: 'Sandy', keywords: ['sandy'], active: true },
  { id: legacyEventId('Flood'), name: 'Flood', keywords: ['flood'], active: true },
];
const TAGS = ['Sandy', 'sandy', 'SANDY', 'NYC', 'flood', 'Flood', 'évacuation', 'Ünïcode', 'relief'];

/** Posts of both events, each with a few hashtags in various cases (deterministic). */
function rows(from: number, to: number): TweetRow[] {
  const matcher = new Matcher(EVENTS);
  const out: TweetRow[] = [];
  for (let i = from; i < to; i++) {
    const hashtags = [TAGS[i % TAGS.length], TAGS[(i * 7) % TAGS.length], ...(i % 5 === 0 ? [TAGS[(i * 3) % TAGS.length]] : [])];
    const text = `${i % 3 === 0 ? 'sandy' : 'flood'} ${i % 4 === 0 ? 'sandy flood' : ''} post ${i}`;
    const o = classifyLine(line(tweet({ id: String(262_000_000_000_000_000n + BigInt(i)), text, hashtags })), matcher, '2026-01-01T00:00:00.000Z');
    if (o.kind === 'post') out.push(...o.rows);
  }
  return out;
}

describe('hashtag counts kept at ingest', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function open(path: string) {
    const db = await openDuckDb(path);
    const store = await DuckDbPostStore.open(db);
    const engine = new DuckDbQueryEngine(db);
    const close = async () => {
      await store.close();
      db.close();
    };
    const top = async (event: string, q = DIALECTS.duckdb) => (await engine.query(topHashtagsSql(q, event, 1000), { maxRows: 1000, timeoutMs: 10_000 })).rows;
    /** What counting the rows' lists gives (the engine without the counts). */
    const fromRows = (event: string) => top(event, { ...DIALECTS.duckdb, hashtagCounts: undefined });
    return { db, store, close, top, fromRows };
  }

  it('gives the same top hashtags as the rows, through replays, a rename, a purge and a reopen that counts them afresh', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-hashtags-')), 'vigil.duckdb');
    let v = await open(path);
    const first = rows(0, 300);
    await v.store.writeRows(rowBatch(first));
    await v.store.writeRows(rowBatch(first.slice(100, 200))); // a replay
    await v.store.writeRows(rowBatch([...rows(300, 400), ...rows(350, 450)])); // overlapping posts in one batch
    for (const e of ['Sandy', 'Flood']) {
      const expected = await v.fromRows(e);
      expect(expected.length).toBeGreaterThan(3);
      expect(await v.top(e)).toEqual(expected);
    }
    const sandy = await v.fromRows('Sandy');
    expect(sandy.find((r) => r.hashtag === 'sandy')?.n).toBeGreaterThan(0); // Sandy, sandy and SANDY counted together
    expect(sandy.filter((r) => String(r.hashtag).toLowerCase() === 'sandy')).toHaveLength(1);

    await v.store.reassignRows({ from: { name: 'Sandy', eventId: legacyEventId('Sandy') }, to: { name: 'Hurricane Sandy', eventId: legacyEventId('Sandy') } });
    expect(await v.top('Sandy')).toEqual([]);
    expect(await v.top('Hurricane Sandy')).toEqual(sandy);
    await v.store.purgeEvent('Flood');
    expect(await v.top('Flood')).toEqual([]);
    await v.store.writeRows(rowBatch(rows(450, 500)));
    expect(await v.top('Flood')).toEqual(await v.fromRows('Flood'));

    // A database whose rows were stored before the counts existed: counted on open.
    const conn = await v.db.connect();
    await conn.run(`DROP TABLE ${HASHTAG_COUNT_TABLE}`);
    v.db.disconnect(conn);
    await v.close();
    v = await open(path);
    cleanups.push(v.close);
    for (const e of ['Hurricane Sandy', 'Flood']) expect(await v.top(e)).toEqual(await v.fromRows(e));
  });

  it('sums its partial counts into one row per event and hashtag when they outgrow the last compaction', async () => {
    const db = await openDuckDb(':memory:');
    cleanups.push(() => db.close());
    const conn = await db.connect();
    await conn.run(`CREATE TABLE ${ROW_TABLE} (event_name VARCHAR, hashtags VARCHAR[])`);
    const counts = await HashtagCounts.open(conn, undefined, 10);
    const batch = (k: number) => `SELECT 'E' AS event_name, ['Tag' || (${k} % 3), 'tag' || (${k} % 3), 'other'] AS hashtags FROM range(5)`;
    const total = async () =>
      (await conn.runAndReadAll(`SELECT hashtag, sum(n)::INT AS n, count(*)::INT AS parts FROM ${HASHTAG_COUNT_TABLE} GROUP BY 1 ORDER BY 1`)).getRows();
    for (let k = 0; k < 3; k++) await counts.add(batch(k));
    // 3 adds of 2 rows each: 6 partial rows, below the threshold of 10.
    expect((await total()).map((r) => r[2])).toEqual([3, 1, 1, 1]);
    await counts.add(batch(3));
    await counts.add(batch(4)); // 10 partial rows: summed
    expect((await total()).map((r) => r[2])).toEqual([1, 1, 1, 1]);
    await counts.add(batch(5)); // partial again, on top of the sums
    const after = await total();
    expect(after.map((r) => r[2])).toEqual([2, 1, 1, 2]);
    expect(after.map((r) => [r[0], r[1]])).toEqual([
      ['other', 30],
      ['tag0', 20],
      ['tag1', 20],
      ['tag2', 20],
    ]);
  });
});
