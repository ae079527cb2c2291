// The store contract against a real Cassandra 5.0 node (started by scripts/engines/cassandra.sh; `npm test` does
// it). Each test gets a keyspace of its own.

import { randomUUID } from 'node:crypto';
import { Client } from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { CassandraPostStore } from '../../src/adapters/cassandra/store.js';
import { storeContract } from './suites/store-contract.js';

const CONTACT = (process.env.VIGIL_CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',');

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
      ['um_screen_name', 'text'],
    ])
      expect(kinds[name]).toBe(`regular:${type}`);
    const indexes = await c.execute('SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ?', [keyspace]);
    expect(indexes.rowLength).toBe(0);
    await c.execute(`DROP KEYSPACE ${keyspace}`);
    await c.shutdown();
    await store.close();
  });

  it('says what to do when Cassandra cannot be reached', async () => {
    await expect(CassandraPostStore.open({ contactPoints: ['127.0.0.1:1'], keyspace: 'x' })).rejects.toThrow(
      /cannot reach Cassandra at 127\.0\.0\.1:1.*cassandra\.sh up/,
    );
  });
});
