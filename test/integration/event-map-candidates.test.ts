// The event map reads the newest posts that have a position, however many newer posts have none: every v1.1 tweet
// carries a "place" key (null where it has no place), so a look for the key alone took every post as a candidate and
// the map showed only the few placed among the newest `limit` posts. It reads them slice by slice of post time (a
// big event's map reads the posts it shows and those between them, not every post), with the same answer as one
// read of all, and stops looking back after MAP_READ_MS, saying from when it read.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { DIALECTS } from '../../src/core/analyses.js';
import { classifyBatch } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import { MAP_READ_MS, readEventMap } from '../../src/roles/analytics/event-map.js';
import { ReadyAnalyses } from '../../src/roles/analytics/ready-analyses.js';
import { line, MANHATTAN_PLACE, tweet } from '../helpers/tweets.js';

const EVENT = { id: '4f7d2c1a-8b3e-4a5f-9c6d-1e2f3a4b5c60', name: 'Sandy', keywords: ['sandy'], active: true };
const at = (minute: number) => new Date(Date.UTC(2012, 9, 29, 12, minute)).toISOString();

/** 20 posts with coordinates and 5 with a place (the oldest), then 60 newer posts with neither; one with coordinates and no post time. */
function posts(): string[] {
  const out: string[] = [line({ ...tweet({ id: '900', text: 'sandy undated', coordinates: [-73.9, 40.8] }), created_at: 'not a date' })];
  for (let i = 0; i < 20; i++) out.push(line(tweet({ id: String(1000 + i), text: `sandy point ${i}`, createdAt: at(i), coordinates: [-74 + i / 100, 40.7] })));
  for (let i = 0; i < 5; i++) out.push(line({ ...tweet({ id: String(2000 + i), text: `sandy place ${i}`, createdAt: at(20 + i) }), place: MANHATTAN_PLACE }));
  for (let i = 0; i < 60; i++) out.push(line(tweet({ id: String(3000 + i), text: `sandy nowhere ${i}`, createdAt: at(30 + i) })));
  return out;
}

describe('the event map', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function stored() {
    const db = await openDuckDb(join(await mkdtemp(join(tmpdir(), 'vigil-map-')), 'vigil.duckdb'));
    const store = await DuckDbPostStore.open(db);
    cleanups.push(
      () => db.close(),
      () => store.close(),
    );
    const lines = posts();
    const out = classifyBatch(
      lines,
      lines.map((_, i) => `test:${i + 1}`),
      new Matcher([EVENT]),
      '2026-01-01T00:00:00.000Z',
    );
    await store.writeRows(out.rows);
    const engine = new DuckDbQueryEngine(db);
    const sqls: string[] = [];
    const rows = async <T>(sql: string): Promise<T[]> => {
      sqls.push(sql);
      return (await engine.query(sql, { maxRows: 1000, timeoutMs: 10_000 })).rows as T[];
    };
    return { analyses: new ReadyAnalyses(engine), rows, sqls };
  }

  it('reads the newest posts with a position, not the newest posts, when most newer posts have none', async () => {
    const { analyses } = await stored();
    const all = await analyses.geo('Sandy', 100);
    expect(all.scanned).toBe(26);
    expect(all.readFrom).toBeNull();
    expect(all.posts.filter((p) => p.kind === 'point')).toHaveLength(21);
    expect(all.posts.filter((p) => p.kind === 'place').map((p) => p.place)).toEqual(Array(5).fill('Manhattan, NY'));
    expect(all.posts.at(-1)).toMatchObject({ t_id: '900', createdAt: null });

    // a limit under what has a position: the newest positioned posts, the five places first, each one placed
    const cut = await analyses.geo('Sandy', 10);
    expect(cut.scanned).toBe(10);
    expect(cut.posts.map((p) => p.t_id)).toEqual(['2004', '2003', '2002', '2001', '2000', '1019', '1018', '1017', '1016', '1015']);
  });

  it('gives slice by slice of post time the answer of one read of every post, in more reads', async () => {
    const { rows, sqls } = await stored();
    for (const limit of [3, 10, 25, 100]) {
      const whole = await readEventMap(rows, { ...DIALECTS.duckdb, slicesByTime: false }, 'Sandy', limit);
      sqls.length = 0;
      const sliced = await readEventMap(rows, DIALECTS.duckdb, 'Sandy', limit, { firstSliceRows: 1 });
      expect(sliced, `limit ${limit}`).toEqual(whole);
      expect(sqls.length, `limit ${limit}`).toBeGreaterThan(2);
    }
  });

  it('stops looking back after MAP_READ_MS and says from which post time it read', async () => {
    const { rows } = await stored();
    let now = 0;
    const clock = () => {
      now += MAP_READ_MS * 0.6;
      return now;
    };
    const map = await readEventMap(rows, DIALECTS.duckdb, 'Sandy', 100, { clock, firstSliceRows: 70 });
    expect(map.readFrom).not.toBeNull();
    const from = Date.parse(map.readFrom ?? '');
    expect(from).toBeGreaterThan(Date.parse(at(0)));
    expect(map.posts.length).toBeGreaterThan(0);
    expect(map.posts.length).toBeLessThan(26);
    for (const p of map.posts) expect(Date.parse(p.createdAt ?? '')).toBeGreaterThanOrEqual(from);
  });
});
