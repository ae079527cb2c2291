// Term counts give an event page's top lists (hashtags, words, mentions, links, domains, accounts) and the thesis's
// word count exactly as counting the rows does, whether the rows were counted yet or not, after replays, a post twice
// in one batch, a rename, a purge, a compaction of the partial counts, and on a database whose rows were stored
// before the counts existed (one that kept hashtag_count only, as main did before 2026-12-02).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbQueryEngine } from '../../src/adapters/duckdb/query-engine.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { forgetTermCounts, TermCounts } from '../../src/adapters/duckdb/term-counts.js';
import { ROW_TABLE } from '../../src/adapters/duckdb/tweet-schema.js';
import {
  BUCKETS,
  DIALECTS,
  keptWordCountSql,
  keywordHoursSql,
  retweetShareSql,
  risingTermsSql,
  risingWindowSql,
  type Sql,
  topDomainsSql,
  topHashtagsSql,
  topMentionsSql,
  topUrlsSql,
  topUsersSql,
  topWordsSql,
  volumeSql,
} from '../../src/core/analyses.js';
import { classifyLine } from '../../src/core/classify.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { Matcher } from '../../src/core/matcher.js';
import type { TweetRow } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { line, tweet } from '../helpers/tweets.js';

const EVENTS = [
  { id: legacyEventId('Sandy'), name: 'Sandy', keywords: ['sandy', 'nyc'], active: true },
  { id: legacyEventId('Flood'), name: 'Flood', keywords: ['flood'], active: true },
];
const TAGS = ['Sandy', 'sandy', 'SANDY', 'NYC', 'flood', 'Flood', 'évacuation', 'Ünïcode', 'relief'];
const WORDS = ['Water', 'water', 'the', 'die', 'Straße', 'évacuation', 'power', 'a', 'RT', 'x1', 'Überflutung', 'und'];
const PEOPLE = ['FEMA', 'fema', 'NWS', 'RedCross', 'nycmayor'];
const LINKS = ['https://www.NOAA.gov/sandy', 'http://fema.gov/x?y=1', 'https://WWW2.example.org:8080/a', 'ftp://files.example.net/f', 'not a link'];
const LANGS = ['en', 'de', 'fr', 'und'];

/** Posts of both events with hashtags, words, mentions, links, languages and authors in various cases (deterministic). */
function rows(from: number, to: number): TweetRow[] {
  const matcher = new Matcher(EVENTS);
  const out: TweetRow[] = [];
  const pick = <T>(xs: readonly T[], k: number): T => xs[k % xs.length];
  for (let i = from; i < to; i++) {
    const hashtags = [pick(TAGS, i), pick(TAGS, i * 7), ...(i % 5 === 0 ? [pick(TAGS, i * 3)] : [])];
    const words = [pick(WORDS, i), pick(WORDS, i * 5), pick(WORDS, i * 11)].join(i % 2 ? ' ' : ', ');
    const text = `${i % 3 === 0 ? 'sandy' : 'flood'} ${i % 4 === 0 ? 'sandy flood' : ''} ${words} #${pick(TAGS, i)} @${pick(PEOPLE, i)} https://t.co/x${i} post ${i}`;
    const o = classifyLine(
      line(
        tweet({
          id: String(262_000_000_000_000_000n + BigInt(i)),
          text,
          hashtags,
          mentions: i % 6 === 0 ? [] : [pick(PEOPLE, i), pick(PEOPLE, i * 3)],
          urls: i % 4 === 0 ? [] : [{ expanded: pick(LINKS, i) }],
          lang: pick(LANGS, i),
          screenName: pick(PEOPLE, i * 7),
          createdAt: new Date(Date.UTC(2012, 9, 29, 10) + i * 97_000).toISOString(), // minutes, hours and two days
        }),
      ),
      matcher,
      '2026-01-01T00:00:00.000Z',
    );
    if (o.kind === 'post') out.push(...o.rows);
  }
  return out;
}

const LISTS: [string, (q: Sql, event: string, limit: number) => string][] = [
  ['hashtags', topHashtagsSql],
  ['words', topWordsSql],
  ['mentions', topMentionsSql],
  ['links', topUrlsSql],
  ['domains', topDomainsSql],
  ['accounts', topUsersSql],
];
const SHARE = 'posts, retweets and accounts';
LISTS.push(['thesis word count', (q, event, limit) => keptWordCountSql(q, q.str(event), limit)]);
const EVERY_EVENT = 'thesis word count of every event';
LISTS.push([EVERY_EVENT, (q, _event, limit) => keptWordCountSql(q, undefined, limit)]);
LISTS.push([SHARE, retweetShareSql]);
LISTS.push(['keyword hours', keywordHoursSql]);
for (const bucket of BUCKETS) LISTS.push([`volume by ${bucket}`, (q, event) => volumeSql(q, event, bucket)]);
// Every rising term of the last hour against the six before (the posts span 13 hours, 97 s apart).
LISTS.push(['rising terms', (q, event) => risingTermsSql(q, event, 1, 6, 0, 10_000)]);
/** The engine counting the rows (no counts kept, none per period). */
const FROM_ROWS: Sql = { ...DIALECTS.duckdb, termCounts: undefined, termBuckets: undefined };

describe('term counts for the event page', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A connection to a database holding only the columns of the rows' table that the counts read. */
  async function bareRowTable() {
    const db = await openDuckDb(':memory:');
    cleanups.push(() => db.close());
    const conn = await db.connect();
    await conn.run(
      `CREATE TABLE ${ROW_TABLE} (event_name VARCHAR, t_lang VARCHAR, t_text VARCHAR, hashtags VARCHAR[], um_screen_name VARCHAR[], urls VARCHAR[], u_screen_name VARCHAR, u_id VARCHAR, t_created_at TIMESTAMP, event_kw VARCHAR[], write_seq BIGINT)`,
    );
    return conn;
  }

  async function open(path: string, termCountIdleMs = 60_000, termCountChunkRows?: number) {
    const db = await openDuckDb(path);
    const store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs, termCountChunkRows });
    const engine = new DuckDbQueryEngine(db);
    const close = async () => {
      await store.close();
      db.close();
    };
    const lists = async (event: string, q: Sql = DIALECTS.duckdb) => {
      const out: Record<string, Record<string, unknown>[]> = {};
      for (const [name, sql] of LISTS) out[name] = (await engine.query(sql(q, event, 1000) as string, { maxRows: 1000, timeoutMs: 10_000 })).rows;
      return out;
    };
    /** What counting the rows gives (the engine without the counts). */
    const fromRows = (event: string) => lists(event, FROM_ROWS);
    /** The same lists from the counts, with the latest rows not counted yet (the view counts them) and counted. */
    const expectSame = async (event: string) => {
      const expected = await fromRows(event);
      expect(await lists(event)).toEqual(expected);
      await store.countTerms();
      expect(await lists(event)).toEqual(expected);
      return expected;
    };
    return { db, store, engine, close, lists, fromRows, expectSame };
  }

  it('gives the same top lists as the rows, through replays, a rename, a purge and the opening of a database written without them', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-terms-')), 'vigil.duckdb');
    let v = await open(path);
    const first = rows(0, 300);
    await v.store.writeRows(rowBatch(first));
    await v.store.countTerms();
    await v.store.writeRows(rowBatch(first.slice(100, 200))); // a replay
    await v.store.writeRows(rowBatch([...rows(300, 400), ...rows(350, 450)])); // overlapping posts in one batch
    for (const e of ['Sandy', 'Flood']) {
      const expected = await v.expectSame(e);
      for (const [name] of LISTS) expect(expected[name].length, name).toBeGreaterThan(name === SHARE || name === 'volume by day' ? 0 : 2);
      expect(Number(expected[SHARE][0].users)).toBeGreaterThan(2);
    }
    const first300 = await v.fromRows('Sandy');
    expect(first300.hashtags.filter((r) => String(r.hashtag).toLowerCase() === 'sandy')).toHaveLength(1); // Sandy, sandy and SANDY counted together
    expect(first300.mentions.map((r) => r.user)).toContain('fema'); // FEMA and fema together
    expect(first300.words.map((r) => r.word)).toEqual(expect.arrayContaining(['water', 'straße', 'überflutung', 'x1']));
    expect(first300.words.map((r) => r.word)).not.toContain('rt');
    expect(first300.domains.map((r) => r.domain)).toEqual(expect.arrayContaining(['noaa.gov', 'fema.gov', 'example.org', 'files.example.net']));
    expect(first300.accounts.map((r) => r.user)).toEqual(expect.arrayContaining(['FEMA', 'fema'])); // accounts as written
    const thesisWords = first300['thesis word count'].map((r) => r.word);
    expect(thesisWords).toEqual(expect.arrayContaining(['water', 'straße', 'rt', 'the', '#sandy', 'water,', ''])); // split at spaces only, empty words too
    expect(thesisWords).not.toContain('Water');

    await v.store.writeRows(rowBatch(rows(200, 320))); // not counted before the rename
    await v.expectSame('Sandy');
    await v.store.writeRows(rowBatch(rows(320, 330)));
    const sandy = await v.fromRows('Sandy');
    await v.store.reassignRows({ from: { name: 'Sandy', eventId: legacyEventId('Sandy') }, to: { name: 'Hurricane Sandy', eventId: legacyEventId('Sandy') } });
    const gone = async (event: string) => {
      const { [SHARE]: share, [EVERY_EVENT]: _all, ...lists } = await v.lists(event);
      for (const list of Object.values(lists)) expect(list).toEqual([]);
      expect(share).toEqual([{ posts: 0, retweets: null, users: 0 }]);
    };
    await gone('Sandy');
    expect(await v.lists('Hurricane Sandy')).toEqual(sandy);
    await v.store.purgeEvent('Flood');
    await gone('Flood');
    await v.store.writeRows(rowBatch(rows(450, 500)));
    await v.expectSame('Flood');

    // A database written before the term counts, with the hashtag counts table of then: counted on open.
    const conn = await v.db.connect();
    await forgetTermCounts(conn);
    await conn.run('CREATE TABLE hashtag_count (event_name VARCHAR NOT NULL, hashtag VARCHAR NOT NULL, n BIGINT NOT NULL)');
    v.db.disconnect(conn);
    await v.close();
    v = await open(path);
    cleanups.push(v.close);
    for (const e of ['Hurricane Sandy', 'Flood']) await v.expectSame(e);
    const tags = await v.engine.query("SELECT hashtag, sum(n) AS n FROM hashtag_count WHERE event_name = 'Flood' GROUP BY 1 ORDER BY n DESC, hashtag", {
      maxRows: 1000,
      timeoutMs: 10_000,
    });
    expect(tags.rows).toEqual((await v.fromRows('Flood')).hashtags);
  });

  it('sums its partial counts into one row per event, kind and term when they outgrow the last compaction', async () => {
    const conn = await bareRowTable();
    const counts = await TermCounts.open(conn, undefined, 10);
    const write = async (k: number) => {
      await conn.run(
        `INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, ['Tag' || (${k} % 3), 'tag' || (${k} % 3), 'other'], [], [], NULL, NULL, NULL, [], ${k + 1} FROM range(5)`,
      );
      await counts.count();
    };
    const total = async () =>
      (await conn.runAndReadAll(`SELECT term, sum(n)::INT AS n, count(*)::INT AS parts FROM term_count_part GROUP BY 1 ORDER BY 1`)).getRows();
    for (let k = 0; k < 3; k++) await write(k);
    // 3 counts of 2 terms each: 6 partial rows, below the threshold of 10.
    expect((await total()).map((r) => r[2])).toEqual([3, 1, 1, 1]);
    await write(3);
    await write(4); // 10 partial rows: summed
    expect((await total()).map((r) => r[2])).toEqual([1, 1, 1, 1]);
    await write(5); // partial again, on top of the sums
    const after = await total();
    // Writes not counted yet are counted a whole write at a time, at most about maxRows rows (at least one write).
    await conn.run(`INSERT INTO ${ROW_TABLE} SELECT 'F', NULL, NULL, ['x'], [], [], NULL, NULL, NULL, [], 7 + (i // 5) FROM range(15) AS r(i)`);
    expect(await counts.count(7)).toBe(5);
    expect(await counts.count(10)).toBe(10);
    expect(await counts.count(10)).toBe(0);
    await conn.run(`DELETE FROM ${ROW_TABLE} WHERE event_name = 'F'`);
    await counts.purge('F');
    expect(after.map((r) => r[2])).toEqual([2, 1, 1, 2]);
    expect(after.map((r) => [r[0], r[1]])).toEqual([
      ['other', 30],
      ['tag0', 20],
      ['tag1', 20],
      ['tag2', 20],
    ]);
    expect(await counts.count()).toBe(0); // nothing new: nothing added
    expect(await total()).toEqual(after);
  });

  it("leaves one count's partial rows as they are (each key once already), however many", async () => {
    const conn = await bareRowTable();
    const counts = await TermCounts.open(conn, undefined, 4);
    await conn.run(`INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, ['tag' || i], [], [], NULL, NULL, NULL, [], 1 FROM range(20) AS r(i)`);
    await counts.count();
    // Compacting rewrites the table's rows (their rowids start after the old ones): these are the first ones still.
    const rows = async () => (await conn.runAndReadAll("SELECT count(*)::INT, min(rowid)::INT FROM term_count_part WHERE kind = 'hashtag'")).getRows();
    expect(await rows()).toEqual([[20, 0]]);
    await conn.run(`INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, ['tag' || i], [], [], NULL, NULL, NULL, [], 2 FROM range(20) AS r(i)`);
    await counts.count(); // a second count: 40 partial rows of 20 keys, summed
    expect((await rows())[0][0]).toBe(20);
    expect((await rows())[0][1]).toBeGreaterThan(0);
  });

  it('leaves partial counts as they are while summing them would remove few (terms no two counts share), and sums them once it would', async () => {
    const conn = await bareRowTable();
    const counts = await TermCounts.open(conn, undefined, 4);
    const write = async (seq: number, tags: string, n: number) => {
      await conn.run(`INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, [${tags}], [], [], NULL, NULL, NULL, [], ${seq} FROM range(${n}) AS r(i)`);
      await counts.count();
    };
    const parts = async () =>
      (await conn.runAndReadAll("SELECT count(*)::INT, min(rowid)::INT, sum(n)::INT FROM term_count_part WHERE kind = 'hashtag'")).getRows()[0];
    const viewed = async () => (await conn.runAndReadAll("SELECT sum(n)::INT FROM term_count WHERE kind = 'hashtag'")).getRows()[0][0];
    await write(1, "'tag' || i", 20);
    await write(2, "'tag' || (i + 20)", 20);
    // Two counts of 20 terms each, none shared: summing would leave all 40, so the table keeps its first rows.
    expect(await parts()).toEqual([40, 0, 40]);
    expect(await viewed()).toBe(40);
    // The same 40 terms again: 80 partial rows of 40 keys, summed (the rows are new ones).
    await write(3, "'tag' || i", 40);
    const [rows, firstRowId, sum] = await parts();
    expect([rows, sum]).toEqual([40, 80]);
    expect(firstRowId).toBeGreaterThan(0);
    expect(await viewed()).toBe(80);
  });

  it('sums its partial counts per 5-minute period apart, one row per event, kind, period and term', async () => {
    const conn = await bareRowTable();
    const counts = await TermCounts.open(conn, undefined, 4);
    const periods = async (table = 'term_bucket_part') =>
      (
        await conn.runAndReadAll(
          `SELECT strftime(bucket, '%H:%M') AS b, term, sum(n)::INT AS n, count(*)::INT AS parts FROM ${table} WHERE kind = 'hashtag' GROUP BY 1, 2 ORDER BY 1, 2`,
        )
      ).getRows();
    // Posts at 10:01 and 10:07 (two periods: 10:00 and 10:05), written twice: the second write's counts are partial rows.
    for (let k = 1; k <= 2; k++) {
      await conn.run(
        `INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, ['Sandy', 'flood'], [], [], NULL, NULL, TIMESTAMP '2012-10-29 10:01:00' + INTERVAL (6 * (i % 2)) MINUTE, [], ${k} FROM range(4) AS r(i)`,
      );
      await counts.count();
    }
    // 8 partial rows after the second write, at least the threshold (4) and the size the last compaction left: summed.
    expect(await periods()).toEqual([
      ['10:00', 'flood', 4, 1],
      ['10:00', 'sandy', 4, 1],
      ['10:05', 'flood', 4, 1],
      ['10:05', 'sandy', 4, 1],
    ]);
    // Per hour too, each hour the sum of its periods.
    expect(await periods('term_hour_part')).toEqual([
      ['10:00', 'flood', 8, 1],
      ['10:00', 'sandy', 8, 1],
    ]);
    // Eight hours later the morning's periods are out of the seven hours the rising terms read: the next compaction
    // drops them, and rows of the morning written now are not counted per period at all (only in the counts).
    for (const [k, time] of [
      [3, '18:00'],
      [4, '10:02'],
      [5, '18:02'],
    ] as const) {
      await conn.run(
        `INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, ['Sandy', 'flood'], [], [], NULL, NULL, TIMESTAMP '2012-10-29 ${time}:00', [], ${k} FROM range(4)`,
      );
      await counts.count();
    }
    expect(await periods()).toEqual([
      ['18:00', 'flood', 8, 1],
      ['18:00', 'sandy', 8, 1],
    ]);
    expect(await periods('term_hour_part')).toEqual([
      ['18:00', 'flood', 8, 1],
      ['18:00', 'sandy', 8, 1],
    ]);
    const sandy = await conn.runAndReadAll("SELECT sum(n)::INT FROM term_count_part WHERE kind = 'hashtag' AND term = 'sandy'");
    expect(sandy.getRows()).toEqual([[20]]);
  });

  it('keeps the periods of an hour while it keeps the hour, so that rising terms read from whole hours stay exact as the newest post moves on', async () => {
    const conn = await bareRowTable();
    const counts = await TermCounts.open(conn, undefined, 4);
    const write = async (k: number, time: string, tag: string) => {
      await conn.run(
        `INSERT INTO ${ROW_TABLE} SELECT 'E', NULL, NULL, ['${tag}'], [], [], NULL, NULL, TIMESTAMP '2012-10-29 ${time}:00', [], ${k} FROM range(4)`,
      );
      await counts.count();
    };
    await write(1, '11:01', 'early');
    await write(2, '11:12', 'late');
    // The newest post at 18:07: the windows end at 18:10, the seven hours start at 11:10, inside hour 11, which the
    // rising terms read as the hour less its periods 11:00 and 11:05; compactions follow.
    for (let k = 3; k <= 8; k++) await write(k, k === 3 ? '18:07' : '18:05', 'newest');
    const periodsOfHour11 = await conn.runAndReadAll(
      "SELECT term, sum(n)::INT FROM term_bucket_part WHERE bucket >= TIMESTAMP '2012-10-29 11:00' AND bucket < TIMESTAMP '2012-10-29 12:00' GROUP BY 1 ORDER BY 1",
    );
    const hour11 = await conn.runAndReadAll("SELECT term, sum(n)::INT FROM term_hour_part WHERE bucket = TIMESTAMP '2012-10-29 11:00' GROUP BY 1 ORDER BY 1");
    expect(hour11.getRows()).toEqual([
      ['early', 4],
      ['late', 4],
    ]);
    expect(periodsOfHour11.getRows()).toEqual(hour11.getRows());
    const rising = async (q: typeof DIALECTS.duckdb) =>
      (await conn.runAndReadAll(risingTermsSql(q, 'E', 1, 6, 0, 1000, '2012-10-29T18:10:00.000Z'))).getRowObjectsJson();
    expect(await rising(DIALECTS.duckdb)).toEqual([
      { kind: 'hashtag', term: '#newest', recent: 24, before: 0, score: 24 },
      { kind: 'hashtag', term: '#late', recent: 0, before: 4, score: 0 },
    ]);
    expect(await rising({ ...DIALECTS.duckdb, termHours: undefined })).toEqual(await rising(DIALECTS.duckdb));
  });

  it('tells how many rows are not counted yet, and counts them a chunk at a time, saying after each what is left', async () => {
    const v = await open(join(await mkdtemp(join(tmpdir(), 'vigil-terms-')), 'vigil.duckdb'), 0, 100);
    cleanups.push(v.close);
    expect(await v.store.termCountBacklog()).toBe(0);
    for (let i = 0; i < 5; i++) await v.store.writeRows(rowBatch(rows(i * 50, i * 50 + 50)));
    const conn = await v.db.connect();
    const stored = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE}`)).getRows()[0][0]);
    v.db.disconnect(conn);
    expect(await v.store.termCountBacklog()).toBe(stored);
    const heard: { counted: number; left: number }[] = [];
    await v.store.countTerms((p) => heard.push(p));
    // whole writes of at most 100 rows a chunk (at least one write): several chunks, each heard with what is left
    expect(heard.length).toBeGreaterThanOrEqual(3);
    for (const [i, p] of heard.entries()) {
      expect(p.counted + p.left).toBe(stored);
      if (i > 0) expect(p.counted).toBeGreaterThan(heard[i - 1].counted);
    }
    expect(heard.at(-1)).toEqual({ counted: stored, left: 0 });
    expect(await v.store.termCountBacklog()).toBe(0);
    await v.expectSame('Sandy');
  });

  it('answers what GET /api/status asks (rows to count, rejects, deletions) while a count runs, without waiting for it', async () => {
    // One chunk: a read waiting behind the count would answer only once the count is done, showing no progress.
    const v = await open(join(await mkdtemp(join(tmpdir(), 'vigil-terms-')), 'vigil.duckdb'), 0);
    cleanups.push(v.close);
    for (let i = 0; i < 20_000; i += 2_000) await v.store.writeRows(rowBatch(rows(i, i + 2_000)));
    const stored = await v.store.termCountBacklog();
    expect(stored).toBeGreaterThanOrEqual(20_000);
    let counted = false;
    const counting = v.store.countTerms().then(() => {
      counted = true;
    });
    const [left, rejects, deletions] = [await v.store.termCountBacklog(), await v.store.rejectCount(), await v.store.deletionCount()];
    expect(counted).toBe(false);
    expect({ left, rejects, deletions }).toEqual({ left: stored, rejects: 0, deletions: 0 });
    await counting;
    expect(await v.store.termCountBacklog()).toBe(0);
  });

  it('counts the rows not counted yet by itself in a quiet moment', async () => {
    const v = await open(join(await mkdtemp(join(tmpdir(), 'vigil-terms-')), 'vigil.duckdb'), 50);
    cleanups.push(v.close);
    await v.store.writeRows(rowBatch(rows(0, 200)));
    const conn = await v.db.connect();
    const uncounted = async () =>
      Number(
        (await conn.runAndReadAll(`SELECT count(*) FROM ${ROW_TABLE} WHERE write_seq > (SELECT max(counted_through) FROM term_count_mark)`)).getRows()[0][0],
      );
    const deadline = Date.now() + 10_000;
    while ((await uncounted()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await uncounted()).toBe(0);
    expect(Number((await conn.runAndReadAll('SELECT count(*) FROM term_count_part')).getRows()[0][0])).toBeGreaterThan(0);
    v.db.disconnect(conn);
    await v.expectSame('Sandy');
  });

  it("leaves a bulk import's rows to be counted when it ends, however idle its writer, and counts them then", async () => {
    const v = await open(join(await mkdtemp(join(tmpdir(), 'vigil-terms-')), 'vigil.duckdb'), 50);
    cleanups.push(v.close);
    const conn = await v.db.connect();
    const mark = async () => Number((await conn.runAndReadAll('SELECT max(counted_through) FROM term_count_mark')).getRows()[0][0]);
    // An import whose writes come every 20 ms, each done in a few: its writer is idle most of each 50 ms.
    const committed: Promise<void>[] = [];
    for (let i = 0; i < 25; i++) {
      committed.push(v.store.writeRows(rowBatch(rows(i * 10, i * 10 + 10)), { moreComing: true }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await v.store.applied();
    expect(await mark()).toBe(-1);
    await v.store.writeRows(rowBatch(rows(250, 260)));
    await Promise.all(committed);
    const deadline = Date.now() + 10_000;
    while ((await mark()) === -1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await mark()).toBeGreaterThan(-1);
    v.db.disconnect(conn);
    await v.expectSame('Sandy');
  });
});

describe('rising terms', () => {
  it("count the event page's words and hashtags: the last hour's and the six hours' before it, from the rows or from the counts per period", async () => {
    const engineOf = async (posts: TweetRow[]) => {
      const db = await openDuckDb(':memory:');
      const store = await DuckDbPostStore.open(db, undefined, { termCountIdleMs: 0 });
      await store.writeRows(rowBatch(posts));
      const engine = new DuckDbQueryEngine(db);
      const query = async (sql: string) => (await engine.query(sql, { maxRows: 10_000, timeoutMs: 10_000 })).rows;
      const close = async () => {
        await store.close();
        db.close();
      };
      return { query, close, store };
    };
    // Posts 97 s apart from 10:00: rows(0, 250) span 6.7 hours, the newest (post 249) at 16:42:33. The windows end
    // with its 5-minute period, at 16:45: the last hour (from 15:45:00) holds posts 214 to 249, the seven hours all.
    const all = await engineOf(rows(0, 250));
    const lastHour = await engineOf(rows(214, 250));
    const fromRows = FROM_ROWS;
    try {
      const counts = async (v: typeof all) => {
        const out = new Map<string, number>();
        for (const r of await v.query(topWordsSql(fromRows, 'Sandy', 10_000))) out.set(String(r.word), Number(r.n));
        for (const r of await v.query(topHashtagsSql(fromRows, 'Sandy', 10_000))) out.set(`#${r.hashtag}`, Number(r.n));
        return new Map([...out].filter(([term]) => term.length > 2 && term !== 'amp'));
      };
      const total = await counts(all);
      const recent = await counts(lastHour);
      const fromTheRows = await all.query(risingTermsSql(FROM_ROWS, 'Sandy', 1, 6, 0, 10_000));
      const fromTheView = await all.query(risingTermsSql(DIALECTS.duckdb, 'Sandy', 1, 6, 0, 10_000)); // rows not counted yet
      await all.store.countTerms();
      const fromTheCounts = await all.query(risingTermsSql(DIALECTS.duckdb, 'Sandy', 1, 6, 0, 10_000));
      expect(fromTheView).toEqual(fromTheRows);
      expect(fromTheCounts).toEqual(fromTheRows);
      // The windows' end read first (as the keyword feedback does), from the minutes counted or from the rows.
      const [window] = await all.query(risingWindowSql(DIALECTS.duckdb, 'Sandy'));
      expect(window.upto).toBe('2012-10-29T16:45:00.000Z');
      expect(await all.query(risingWindowSql(FROM_ROWS, 'Sandy'))).toEqual([window]);
      expect(await all.query(risingTermsSql(DIALECTS.duckdb, 'Sandy', 1, 6, 0, 10_000, String(window.upto)))).toEqual(fromTheRows);
      expect(await all.query(risingTermsSql(FROM_ROWS, 'Sandy', 1, 6, 0, 10_000, String(window.upto)))).toEqual(fromTheRows);
      const rising = fromTheCounts;
      expect(rising.length).toBe(total.size);
      expect(rising.some((r) => r.kind === 'hashtag') && rising.some((r) => r.kind === 'word')).toBe(true);
      for (const r of rising) {
        const term = String(r.term);
        expect([term, Number(r.recent) + Number(r.before)]).toEqual([term, total.get(term)]);
        expect([term, Number(r.recent)]).toEqual([term, recent.get(term) ?? 0]);
      }
      // two-letter words are not suggested (the event page ranks them)
      expect(total.has('x1') || rising.some((r) => r.term === 'x1')).toBe(false);
      expect((await all.query(topWordsSql(fromRows, 'Sandy', 10_000))).map((r) => r.word)).toContain('x1');
      // Windows ending elsewhere, each edge inside an hour read from its periods or as the hour less the periods
      // outside it (core/rising-pieces.ts): the same figures as the rows, with the rows counted or not yet.
      const ends = ['16:45', '16:00', '15:10', '14:35', '13:55', '12:05'].map((hhmm) => `2012-10-29T${hhmm}:00.000Z`);
      const compare = async () => {
        for (const upto of ends) {
          const rowsSay = await all.query(risingTermsSql(FROM_ROWS, 'Sandy', 1, 6, 0, 10_000, upto));
          expect(rowsSay.length).toBeGreaterThan(0);
          expect([upto, await all.query(risingTermsSql(DIALECTS.duckdb, 'Sandy', 1, 6, 0, 10_000, upto))]).toEqual([upto, rowsSay]);
          expect([upto, await all.query(risingTermsSql(DIALECTS.duckdb, 'Sandy', 2, 3, 0, 10_000, upto))]).toEqual([
            upto,
            await all.query(risingTermsSql(FROM_ROWS, 'Sandy', 2, 3, 0, 10_000, upto)),
          ]);
        }
      };
      await compare();
      // Posts after the first window's end (16:45), not counted yet, then counted.
      await all.store.writeRows(rowBatch(rows(250, 260)));
      await compare();
      await all.store.countTerms();
      await compare();
    } finally {
      await all.close();
      await lastHour.close();
    }
  });
});
