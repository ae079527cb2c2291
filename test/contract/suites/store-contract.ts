// The behaviour every PostStore must have; each implementation's test file runs this suite against it.

import { describe, expect, it } from 'vitest';
import { classifyLine, lineId } from '../../../src/core/classify.js';
import { type CoverageRecord, coverageRecord } from '../../../src/core/coverage.js';
import { deletionKey } from '../../../src/core/deletions.js';
import { legacyEventId } from '../../../src/core/event-id.js';
import { Matcher } from '../../../src/core/matcher.js';
import type { PostStore } from '../../../src/core/ports.js';
import type { TweetRow } from '../../../src/core/row.js';
import { rowBatch } from '../../../src/core/row-batch.js';
import { realPostRows } from '../../helpers/real-payloads.js';
import { eventRows } from '../../helpers/store-rows.js';
import { line, tweet } from '../../helpers/tweets.js';

export interface StoreFactory {
  fresh(): Promise<{ store: PostStore; cleanup(): Promise<void> }>;
}

const matcher = new Matcher([
  { name: 'Sandy', keywords: ['sandy'], active: true },
  { name: 'Floods', keywords: ['flooding'], active: true },
]);

export function rowsFor(id: string, text: string, createdAt = '2012-10-29T12:00:00Z'): TweetRow[] {
  const o = classifyLine(
    line(tweet({ id, text, createdAt, hashtags: ['sandy'], urls: [{ expanded: 'https://fema.gov/a' }] })),
    matcher,
    '2026-01-01T00:00:00.000Z',
  );
  if (o.kind !== 'post') throw new Error('fixture is not a post');
  return o.rows;
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`PostStore contract: ${name}`, () => {
    it('stores rows and reports count, first and last post time per event', async () => {
      const { store, cleanup } = await factory.fresh();
      await store.writeRows(rowBatch([...rowsFor('1', 'sandy', '2012-10-29T10:00:00Z'), ...rowsFor('2', 'sandy', '2012-10-30T11:00:00Z')]));
      expect(await store.eventStats('Sandy')).toEqual({ count: 2, first: '2012-10-29T10:00:00.000Z', last: '2012-10-30T11:00:00.000Z' });
      expect(await store.eventStats('Nobody')).toEqual({ count: 0, first: null, last: null });
      await cleanup();
    });

    it('writing the same (event, post) again keeps one row, within a batch and across batches', async () => {
      const { store, cleanup } = await factory.fresh();
      const rows = rowsFor('7', 'sandy');
      await store.writeRows(rowBatch([...rows, ...rows]));
      await store.writeRows(rowBatch(rows));
      expect((await store.eventStats('Sandy')).count).toBe(1);
      await cleanup();
    });

    it('batches written side by side (several in flight) are each stored once, and each write settles', async () => {
      const { store, cleanup } = await factory.fresh();
      const batches = Array.from({ length: 6 }, (_, i) => rowBatch(rowsFor(String(100 + i), 'sandy', `2012-10-29T1${i}:00:00Z`)));
      await Promise.all([...batches, batches[0], batches[3]].map((b) => store.writeRows(b)));
      expect((await store.eventStats('Sandy')).count).toBe(6);
      await cleanup();
    });

    it('one post matching two events is one row in each', async () => {
      const { store, cleanup } = await factory.fresh();
      await store.writeRows(rowBatch(rowsFor('8', 'sandy flooding')));
      expect((await store.eventStats('Sandy')).count).toBe(1);
      expect((await store.eventStats('Floods')).count).toBe(1);
      await cleanup();
    });

    it('keeps rejects with their reason, each line once even when delivered again from another position', async () => {
      const { store, cleanup } = await factory.fresh();
      const r = { id: lineId('{bad'), line: '{bad', reason: 'invalid JSON', source: 'vigil.raw@3', at: '2026-01-01T00:00:00.000Z' };
      await store.writeRejects([r]);
      await store.writeRejects([r, { ...r, source: 'vigil.raw@9' }, { ...r, id: lineId('{worse'), line: '{worse' }]);
      expect(await store.rejectCount()).toBe(2);
      await cleanup();
    });

    it('keeps deletions once each, however often the notice comes', async () => {
      const { store, cleanup } = await factory.fresh();
      const d = { platform: 'twitter', t_id: '8', deleted_at: '2026-01-01T00:00:00.000Z' };
      await store.writeDeletions([d]);
      await store.writeDeletions([d, { ...d, platform: 'bluesky', t_id: 'at://did:plc:a/app.bsky.feed.post/k' }]);
      await store.writeDeletions([]);
      expect(await store.deletionCount()).toBe(2);
      // looked up by the posts' keys; a Mastodon notice names the status id that ends the stored URI
      await store.writeDeletions([{ platform: 'mastodon', t_id: '42', deleted_at: d.deleted_at }]);
      const keys = [
        ['twitter', '8'],
        ['twitter', '9'],
        ['bluesky', 'at://did:plc:a/app.bsky.feed.post/k'],
        ['mastodon', 'https://m.example/users/a/statuses/42'],
      ].map(([p, id]) => deletionKey(p, id));
      expect(await store.deletionsOf(keys)).toEqual([
        { platform: 'bluesky', t_id: 'at://did:plc:a/app.bsky.feed.post/k', deleted_at: d.deleted_at },
        { platform: 'mastodon', t_id: '42', deleted_at: d.deleted_at },
        d,
      ]);
      expect(await store.deletionsOf([])).toEqual([]);
      await cleanup();
    });

    it('stores a post with no hashtags, links or mentions (empty lists)', async () => {
      const { store, cleanup } = await factory.fresh();
      const o = classifyLine(line(tweet({ id: '9', text: 'sandy' })), matcher, '2026-01-01T00:00:00.000Z');
      await store.writeRows(rowBatch(o.kind === 'post' ? o.rows : []));
      expect((await store.eventStats('Sandy')).count).toBe(1);
      await cleanup();
    });

    it("reads back an event's rows across several days (partitions), every column as written", async () => {
      const { store, cleanup } = await factory.fresh();
      const written = [
        ...rowsFor('101', 'sandy day one', '2012-10-28T23:59:59Z'),
        ...rowsFor('102', 'sandy day two', '2012-10-29T00:00:00Z'),
        ...rowsFor('103', 'sandy day three', '2012-10-30T12:30:00Z'),
      ].filter((r) => r.event_name === 'Sandy');
      await store.writeRows(rowBatch(written));
      await store.writeRows(rowBatch(written));
      const read = await eventRows(store, 'Sandy');
      const byId = (rows: TweetRow[]) => [...rows].sort((a, b) => a.t_id.localeCompare(b.t_id));
      expect(byId(read)).toEqual(byId(written));
      expect(await store.eventStats('Sandy')).toEqual({ count: 3, first: '2012-10-28T23:59:59.000Z', last: '2012-10-30T12:30:00.000Z' });
      await cleanup();
    });

    it('reads a whole event in slices of the size asked for, with the columns asked for only, raw when named', async () => {
      const { store, cleanup } = await factory.fresh();
      const written = ['2012-10-28T23:59:59Z', '2012-10-29T00:00:00Z', '2012-10-29T06:00:00Z', '2012-10-30T12:30:00Z', '2012-10-31T01:00:00Z']
        .flatMap((at, i) => rowsFor(String(201 + i), `sandy ${i}`, at))
        .filter((r) => r.event_name === 'Sandy');
      await store.writeRows(rowBatch(written));
      const byId = <T extends { t_id: string }>(rows: T[]) => [...rows].sort((a, b) => a.t_id.localeCompare(b.t_id));
      for (const columns of [
        ['t_id', 'hashtags', 'u_followers_count'],
        ['t_id', 'raw'],
        ['t_id', 't_created_at', 'platform', 'raw'],
      ] as const) {
        const slices: Record<string, unknown>[][] = [];
        for await (const slice of store.eventRowSlices('Sandy', columns, 2)) slices.push(slice);
        expect(slices.length, columns.join()).toBeGreaterThanOrEqual(3);
        for (const slice of slices) expect(slice.length).toBeLessThanOrEqual(2);
        const read = byId(slices.flat() as { t_id: string }[]);
        expect(read, columns.join()).toEqual(byId(written.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])) as { t_id: string })));
      }
      const all: unknown[] = [];
      for await (const slice of store.eventRowSlices('Nobody', ['t_id'])) all.push(...slice);
      expect(all).toEqual([]);
      await cleanup();
    });

    it('stores the rows of real payloads of every platform and reads back every column as written, raw included', async () => {
      const { store, cleanup } = await factory.fresh();
      const written = realPostRows('Real payloads');
      expect(new Set(written.map((r) => r.platform))).toEqual(new Set(['twitter', 'x', 'bluesky', 'mastodon']));
      await store.writeRows(rowBatch(written));
      const read = await eventRows(store, 'Real payloads');
      // A Mastodon status and its edit (status.update) are one post: one row, whichever version a store keeps.
      const times = new Map<string, number>();
      for (const r of written) times.set(r.id, (times.get(r.id) ?? 0) + 1);
      expect([...times.values()].filter((n) => n > 1)).toEqual([2]);
      expect(read).toHaveLength(times.size);
      const once = (rows: TweetRow[]) => rows.filter((r) => times.get(r.id) === 1).sort((a, b) => a.t_id.localeCompare(b.t_id));
      expect(once(read)).toEqual(once(written));
      await cleanup();
    });

    it('keeps coverage records once each and reads them back up to a time, oldest first', async () => {
      const { store, cleanup } = await factory.fresh();
      const rec = (kind: CoverageRecord['kind'], at: string, extra: Partial<CoverageRecord> = {}) =>
        coverageRecord({ source: 'twitter-v1', connection: 'tracker-0', kind, at, ...extra });
      const records = [
        rec('connected', '2026-01-01T00:00:00.000Z'),
        rec('limit', '2026-01-01T00:05:00.000Z', { count: 42 }),
        rec('gap', '2026-01-01T00:06:00.000Z', { until: '2026-01-01T00:09:00.000Z' }),
        rec('disconnected', '2026-01-01T00:10:00.000Z', { detail: 'stall' }),
        coverageRecord({ source: 'jetstream', connection: 'tracker-0', kind: 'connected', at: '2026-01-01T00:01:00.000Z' }),
      ];
      await store.writeCoverage(records);
      await store.writeCoverage(records.slice(0, 2));
      const read = await store.coverageRecords('2026-01-01T00:06:00.000Z');
      expect(read).toEqual(
        records
          .slice(0, 3)
          .concat(records[4])
          .sort((x, y) => x.at.localeCompare(y.at) || x.id.localeCompare(y.id)),
      );
      expect(await store.coverageRecords('2026-01-02T00:00:00.000Z')).toHaveLength(5);
      await cleanup();
    });

    it("counts rejects per hour within a window, and gives the window's lines, oldest first", async () => {
      const { store, cleanup } = await factory.fresh();
      const r = (n: number, at: string) => ({ id: lineId(`bad${n}`), line: `bad${n}`, reason: 'invalid JSON', source: 's', at });
      await store.writeRejects([
        r(1, '2026-01-01T10:05:00.000Z'),
        r(2, '2026-01-01T10:55:00.000Z'),
        r(3, '2026-01-01T12:00:00.000Z'),
        r(4, '2026-01-03T00:00:00.000Z'),
      ]);
      expect(await store.rejectsByHour('2026-01-01T10:00:00.000Z', '2026-01-01T13:00:00.000Z')).toEqual([
        { hour: '2026-01-01T10:00:00.000Z', count: 2 },
        { hour: '2026-01-01T12:00:00.000Z', count: 1 },
      ]);
      expect(await store.rejectLines('2026-01-01T10:00:00.000Z', '2026-01-01T13:00:00.000Z', 10)).toEqual(['bad1', 'bad2', 'bad3']);
      expect(await store.rejectLines('2026-01-01T10:00:00.000Z', '2026-01-01T13:00:00.000Z', 1)).toEqual(['bad1']);
      await cleanup();
    });

    it('a backfilled row never replaces a live one, and writing it again changes nothing', async () => {
      const { store, cleanup } = await factory.fresh();
      const [live] = rowsFor('301', 'sandy').filter((r) => r.event_name === 'Sandy');
      const back = (r: TweetRow): TweetRow => ({ ...r, backfilled: true, event_kw: ['sandy', 'storm'], collected_at: '2025-12-31T00:00:00.000Z' });
      await store.writeRows(rowBatch([live]));
      await store.writeRows(rowBatch([back(live)]));
      const [onlyBack] = rowsFor('302', 'sandy').filter((r) => r.event_name === 'Sandy');
      await store.writeRows(rowBatch([back(onlyBack)]));
      await store.writeRows(rowBatch([back(onlyBack)]));
      const read = Object.fromEntries((await eventRows(store, 'Sandy')).map((r) => [r.t_id, r]));
      expect(read['301']).toMatchObject({ backfilled: false, event_kw: live.event_kw });
      expect(read['302']).toMatchObject({ backfilled: true, event_kw: ['sandy', 'storm'] });
      expect((await store.eventStats('Sandy')).count).toBe(2);
      await cleanup();
    });

    it('a renamed event takes its rows to the new name (every column kept, a replay after adds none); other rows stay', async () => {
      const { store, cleanup } = await factory.fresh();
      const sandyId = legacyEventId('Sandy');
      const rows = [...rowsFor('401', 'sandy flooding', '2012-10-29T10:00:00Z'), ...rowsFor('402', 'sandy', '2012-10-31T10:00:00Z')];
      await store.writeRows(rowBatch(rows));
      expect(await store.storedEvents()).toEqual(
        [
          { name: 'Floods', eventId: legacyEventId('Floods') },
          { name: 'Sandy', eventId: sandyId },
        ].sort((a, b) => a.name.localeCompare(b.name)),
      );
      const to = { name: '2012 Hurricane Sandy', eventId: sandyId };
      await store.reassignRows({ from: { name: 'Sandy', eventId: sandyId }, to });
      await store.reassignRows({ from: { name: 'Sandy', eventId: sandyId }, to }); // again: nothing left to move
      expect((await store.eventStats('Sandy')).count).toBe(0);
      expect(await store.eventStats(to.name)).toEqual({ count: 2, first: '2012-10-29T10:00:00.000Z', last: '2012-10-31T10:00:00.000Z' });
      const moved = rows.filter((r) => r.event_name === 'Sandy').map((r) => ({ ...r, event_name: to.name }));
      const byId = (a: TweetRow, b: TweetRow) => a.t_id.localeCompare(b.t_id);
      expect((await eventRows(store, to.name)).sort(byId)).toEqual(moved.sort(byId));
      expect((await store.eventStats('Floods')).count).toBe(1);
      const renamedMatcher = new Matcher([{ id: sandyId, name: to.name, keywords: ['sandy'], active: true }]);
      const replay = classifyLine(line(tweet({ id: '401', text: 'sandy' })), renamedMatcher, '2026-01-02T00:00:00.000Z');
      if (replay.kind !== 'post') throw new Error('fixture is not a post');
      await store.writeRows(rowBatch(replay.rows));
      expect((await store.eventStats(to.name)).count).toBe(2);
      expect((await store.storedEvents()).map((s) => s.name)).toEqual(['2012 Hurricane Sandy', 'Floods']);
      await cleanup();
    });

    it("an event adopts the rows a deleted event left under its name; a purge deletes a name's rows and nothing else", async () => {
      const { store, cleanup } = await factory.fresh();
      await store.writeRows(rowBatch(rowsFor('501', 'sandy flooding')));
      const fresh = { name: 'Sandy', eventId: '6b1f7a52-0c3e-4d0e-9f53-6f0a1b2c3d4e' };
      await store.reassignRows({ from: { name: 'Sandy', eventId: legacyEventId('Sandy') }, to: fresh });
      expect((await eventRows(store, 'Sandy')).map((r) => r.event_id)).toEqual([fresh.eventId]);
      expect((await store.storedEvents()).filter((s) => s.name === 'Sandy')).toEqual([fresh]);
      await store.purgeEvent('Sandy');
      expect((await store.eventStats('Sandy')).count).toBe(0);
      expect((await store.eventStats('Floods')).count).toBe(1);
      expect(await store.storedEvents()).toEqual([{ name: 'Floods', eventId: legacyEventId('Floods') }]);
      await cleanup();
    });

    it('rows that come again after their name was purged or moved are listed and counted again (partitions and identity written anew)', async () => {
      const { store, cleanup } = await factory.fresh();
      const sandyId = legacyEventId('Sandy');
      const rows = rowsFor('601', 'sandy', '2012-10-29T10:00:00Z');
      await store.writeRows(rowBatch(rows));
      await store.writeRows(rowBatch(rowsFor('602', 'sandy', '2012-10-29T11:00:00Z')));
      await store.purgeEvent('Sandy');
      await store.writeRows(rowBatch(rows));
      expect(await store.eventStats('Sandy')).toEqual({ count: 1, first: '2012-10-29T10:00:00.000Z', last: '2012-10-29T10:00:00.000Z' });
      expect(await store.storedEvents()).toEqual([{ name: 'Sandy', eventId: sandyId }]);

      await store.reassignRows({ from: { name: 'Sandy', eventId: sandyId }, to: { name: 'Superstorm', eventId: sandyId } });
      expect((await store.eventStats('Sandy')).count).toBe(0);
      // A batch matched before the rename, stored after it.
      await store.writeRows(rowBatch(rowsFor('603', 'sandy', '2012-10-29T12:00:00Z')));
      expect((await store.eventStats('Sandy')).count).toBe(1);
      expect((await store.storedEvents()).map((e) => e.name).sort()).toEqual(['Sandy', 'Superstorm']);
      await cleanup();
    });

    it('an empty write is a no-op', async () => {
      const { store, cleanup } = await factory.fresh();
      await store.writeRows(rowBatch([]));
      await store.writeRejects([]);
      expect((await store.eventStats('Sandy')).count).toBe(0);
      await cleanup();
    });
  });
}
