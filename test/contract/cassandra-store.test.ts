// The store contract against a real Cassandra 5.0 node (started by scripts/engines/cassandra.sh; `npm test` does
// it). Each test gets a keyspace of its own.

import { randomUUID } from 'node:crypto';
import { Client } from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { CQL_TYPES } from '../../src/adapters/cassandra/schema.js';
import { CassandraPostStore } from '../../src/adapters/cassandra/store.js';
import { generateStream } from '../../src/bench/generate.js';
import { classifyBatch } from '../../src/core/classify.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { Matcher } from '../../src/core/matcher.js';
import { ADDED_COLUMNS, RETYPED_LIST_COLUMNS, TWEET_COLUMNS } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { packLines } from '../../src/roles/classifier/packed-lines.js';
import { CASSANDRA } from '../helpers/engines.js';
import { lineOf, realPostRows } from '../helpers/real-payloads.js';
import { eventRows } from '../helpers/store-rows.js';
import { storeContract } from './suites/store-contract.js';

const CONTACT = CASSANDRA.split(',');

async function dropKeyspace(keyspace: string): Promise<void> {
  const c = new Client({ contactPoints: CONTACT, localDataCenter: 'datacenter1' });
  await c.connect();
  await c.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await c.shutdown();
}

storeContract('Apache Cassandra', {
  async fresh() {
    const keyspace = `vigil_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const store = await CassandraPostStore.open({ contactPoints: CONTACT, keyspace });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropKeyspace(keyspace);
      },
    };
  },
});

describe('Cassandra store: schema and errors', () => {
  it('partitions tweets by (event_name, bucket) and clusters by t_id, with every thesis column', async () => {
    const keyspace = `vigil_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const store = await CassandraPostStore.open({ contactPoints: CONTACT, keyspace });
    const c = new Client({ contactPoints: CONTACT, localDataCenter: 'datacenter1' });
    await c.connect();
    const cols = await c.execute('SELECT column_name, kind, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [keyspace, 'tweet']);
    const kinds = Object.fromEntries(cols.rows.map((r) => [r.get('column_name') as string, `${r.get('kind') as string}:${r.get('type') as string}`]));
    expect(kinds.event_name).toBe('partition_key:text');
    expect(kinds.bucket).toBe('partition_key:timestamp');
    expect(kinds.t_id).toBe('clustering:text');
    for (const [name, type] of [
      ['id', 'uuid'],
      ['hashtags', 'list<text>'],
      ['t_created_at', 'timestamp'],
      ['t_favorite_count', 'int'],
      ['u_utc_offset', 'int'],
      ['urls', 'list<text>'],
      ['t_is_a_retweet', 'boolean'],
      ['um_screen_name_list', 'frozen<list<text>>'],
      ['event_kw_list', 'frozen<list<text>>'],
    ])
      expect(kinds[name]).toBe(`regular:${type}`);
    expect(kinds.um_screen_name, 'the comma-joined text column of the first schema').toBeUndefined();
    const indexes = await c.execute('SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ?', [keyspace]);
    expect(indexes.rowLength).toBe(0);
    await c.execute(`DROP KEYSPACE ${keyspace}`);
    await c.shutdown();
    await store.close();
  });

  it("keeps each post's raw JSON once, in the post table, and gives it back with every row of every event", async () => {
    const keyspace = `vigil_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const store = await CassandraPostStore.open({ contactPoints: CONTACT, keyspace });
    const c = new Client({ contactPoints: CONTACT, localDataCenter: 'datacenter1' });
    await c.connect();
    try {
      // Posts whose id no other post shares (the table keys a row by event and post id, whatever the platform).
      const once = realPostRows('Quake').filter((r, _, all) => all.filter((o) => o.t_id === r.t_id).length === 1);
      const rows = [...once, ...once.map((r) => ({ ...r, event_name: 'Flood' }))];
      await store.writeRows(rowBatch(rows));
      await store.writeRows(rowBatch(rows));
      const posts = new Set(rows.map((r) => `${r.platform}/${r.t_id}`));
      const stored = await c.execute(`SELECT platform, t_id, raw FROM ${keyspace}.post`);
      expect(stored.rowLength).toBe(posts.size);
      const inRows = await c.execute(`SELECT raw FROM ${keyspace}.tweet`);
      expect(inRows.rowLength).toBe(rows.length);
      expect(inRows.rows.filter((r) => r.get('raw') !== null)).toHaveLength(0);
      for (const event of ['Quake', 'Flood']) {
        const back = await eventRows(store, event);
        const want = rows.filter((r) => r.event_name === event);
        expect(back.map((r) => `${r.t_id} ${r.raw}`).sort()).toEqual(want.map((r) => `${r.t_id} ${r.raw}`).sort());
      }
    } finally {
      await c.execute(`DROP KEYSPACE ${keyspace}`);
      await c.shutdown();
      await store.close();
    }
  });

  it('says what to do when Cassandra cannot be reached', async () => {
    await expect(CassandraPostStore.open({ contactPoints: ['127.0.0.1:1'], keyspace: 'x' })).rejects.toThrow(
      /cannot reach Cassandra at 127\.0\.0\.1:1.*cassandra\.sh up/,
    );
  });

  it('migrates a keyspace of the first schema: comma-joined columns become lists (a name holding a comma taken again from the raw post), rows get their event identity', async () => {
    const keyspace = `vigil_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const c = new Client({ contactPoints: CONTACT, localDataCenter: 'datacenter1' });
    await c.connect();
    // The tweet table as main wrote it before: the retyped columns as text under their own names.
    const columns = TWEET_COLUMNS.filter((col) => !ADDED_COLUMNS.includes(col.name)).map(
      (col) => `${col.name} ${(RETYPED_LIST_COLUMNS as readonly string[]).includes(col.name) ? 'text' : CQL_TYPES[col.type]}`,
    );
    await c.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    await c.execute(`CREATE TABLE ${keyspace}.tweet (${columns.join(', ')}, bucket timestamp, PRIMARY KEY ((event_name, bucket), t_id))`);
    await c.execute(`CREATE TABLE ${keyspace}.event_buckets (event_name text, bucket timestamp, PRIMARY KEY ((event_name), bucket))`);
    const raw = lineOf('twitter-v1/mentions.json');
    const tId = (JSON.parse(raw) as { id_str: string }).id_str;
    const bucket = new Date('2017-01-01T00:00:00Z');
    const insert = `INSERT INTO ${keyspace}.tweet (event_name, bucket, t_id, id, platform, raw, t_text, t_is_a_retweet, collected_at, event_kw, media_url, um_id, um_name, um_screen_name) VALUES ('Gnip', ?, ?, uuid(), 'twitter', ?, '', false, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`;
    const at = new Date('2017-01-01T00:00:00Z');
    await c.execute(
      insert,
      [bucket, tId, raw, at, 'gnip,inc', null, '2382763597,16958875,783214', '👸🏼🙄 Fiona,Gnip, Inc.,Twitter', 'notFromShrek,Gnip,Twitter', 1_000_000],
      { prepare: true },
    );
    await c.execute(insert, [bucket, '2', '{}', at, 'sandy', 'https://a/1.jpg,https://a/2.jpg', '7,8', ',Bo', 'a,b', 2_000_000], { prepare: true });
    await c.execute(`INSERT INTO ${keyspace}.event_buckets (event_name, bucket) VALUES ('Gnip', ?)`, [bucket], { prepare: true });

    const store = await CassandraPostStore.open({ contactPoints: CONTACT, keyspace });
    const rows = Object.fromEntries((await eventRows(store, 'Gnip')).map((r) => [r.t_id, r]));
    expect(rows[tId]).toMatchObject({
      event_kw: ['gnip', 'inc'],
      media_url: [],
      um_id: ['2382763597', '16958875', '783214'],
      um_name: ['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter'],
      um_screen_name: ['notFromShrek', 'Gnip', 'Twitter'],
    });
    expect(rows['2']).toMatchObject({ event_kw: ['sandy'], media_url: ['https://a/1.jpg', 'https://a/2.jpg'], um_id: ['7', '8'], um_name: [null, 'Bo'] });
    // Rows stored before events had an identity carry the one their event's name gives.
    expect(new Set(Object.values(rows).map((r) => r.event_id))).toEqual(new Set([legacyEventId('Gnip')]));
    expect(await store.storedEvents()).toEqual([{ name: 'Gnip', eventId: legacyEventId('Gnip') }]);
    // The copies keep the row's write time (a later live write still wins over a backfilled row), and the text is gone.
    const times = await c.execute(
      `SELECT writetime(raw) AS r, writetime(um_id_list) AS l FROM ${keyspace}.tweet WHERE event_name = 'Gnip' AND bucket = ? AND t_id = '2'`,
      [bucket],
      {
        prepare: true,
      },
    );
    expect(String(times.first().get('l'))).toBe(String(times.first().get('r')));
    const cols = await c.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [keyspace, 'tweet']);
    const names = cols.rows.map((r) => r.get('column_name') as string);
    for (const col of RETYPED_LIST_COLUMNS) {
      expect(names).not.toContain(col);
      expect(names).toContain(`${col}_list`);
    }
    await store.close();
    // Opened again: nothing to migrate, every row as it was.
    const again = await CassandraPostStore.open({ contactPoints: CONTACT, keyspace });
    expect((await eventRows(again, 'Gnip')).find((r) => r.t_id === tId)?.um_name).toEqual(['👸🏼🙄 Fiona', 'Gnip, Inc.', 'Twitter']);
    await again.close();
    await c.execute(`DROP KEYSPACE ${keyspace}`);
    await c.shutdown();
  }, 120_000);
});

describe('Cassandra store: rows written by the classifier worker threads', () => {
  it('a worker writes the rows it classified over its own connection, and lists a partition again once the store deleted it', async () => {
    const keyspace = `vigil_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    // The pool and the store as a running Vigil has them, from the build (`npm test` builds first): the worker thread
    // imports the row writer the store names, next to the store's own module.
    const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
    const { ClassifierPool } = (await import(dist('roles/classifier/pool.js'))) as typeof import('../../src/roles/classifier/pool.js');
    const { CassandraPostStore: BuiltStore } = (await import(dist('adapters/cassandra/store.js'))) as typeof import('../../src/adapters/cassandra/store.js');
    const store = await BuiltStore.open({ contactPoints: CONTACT, keyspace });
    const pool = new ClassifierPool(1, store.workerRowWriting);
    try {
      const event = {
        id: randomUUID(),
        name: 'Sandy',
        keywords: ['sandy', 'flooding'],
        active: true,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
      pool.setEvents([event]);
      const lines = [...generateStream(300, { seed: 7 })];
      const expected = classifyBatch(
        lines,
        lines.map((_, i) => `test:${i + 1}`),
        new Matcher([event]),
        '2026-01-01T00:00:00.000Z',
      ).counts.rows;
      expect(expected).toBeGreaterThan(20);
      const classify = () =>
        pool.classify(
          packLines(lines.map((value, i) => ({ topic: 'vigil.raw', partition: 0, offset: i, timestamp: 0, key: null, value }))),
          lines.map((_, i) => `test:${i + 1}`),
          lines.map(() => null),
          '2026-01-01T00:00:00.000Z',
          [],
        );
      // Stored by the worker: nothing is left for the main thread to write.
      const first = await classify();
      expect(first.counts.rows).toBe(expected);
      expect(first.rows.count).toBe(0);
      expect((await store.eventStats('Sandy')).count).toBe(expected);
      expect((await store.storedEvents()).map((e) => e.name)).toEqual(['Sandy']);
      // The event's rows, partitions and identity deleted: the worker must not take them for listed still.
      await store.purgeEvent('Sandy');
      expect((await store.eventStats('Sandy')).count).toBe(0);
      await classify();
      expect((await store.eventStats('Sandy')).count).toBe(expected);
      expect((await store.storedEvents()).map((e) => e.name)).toEqual(['Sandy']);
    } finally {
      await pool.close();
      await store.close();
      await dropKeyspace(keyspace);
    }
  });
});
