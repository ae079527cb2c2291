// The same rows in the embedded store and in a Cassandra keyspace, for comparing the two query engines over them:
// posts from the benchmark generator (a Zipf vocabulary, hashtags, mentions, links, retweets, languages), stored
// for two events — one whose name needs escaping in SQL.

import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'cassandra-driver';
import { CassandraPostStore } from '../../src/adapters/cassandra/store.js';
import { type DuckDb, openDuckDb } from '../../src/adapters/duckdb/database.js';
import { DuckDbPostStore } from '../../src/adapters/duckdb/store.js';
import { generateStream } from '../../src/bench/generate.js';
import { rowId } from '../../src/core/classify.js';
import { legacyEventId } from '../../src/core/event-id.js';
import type { TweetRow } from '../../src/core/row.js';
import { rowBatch } from '../../src/core/row-batch.js';
import { recognizeTwitterV1 } from '../../src/core/twitter-v1.js';
import { MANHATTAN_PLACE } from './tweets.js';

export const CONTACT = (process.env.VIGIL_CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042').split(',');
export const SPARK_URL = process.env.VIGIL_SPARK_CONNECT ?? 'sc://127.0.0.1:15002';
export const ODD_EVENT = "Sandy's \\ storm";

export interface SameRows {
  db: DuckDb;
  keyspace: string;
  posts: number;
  cleanup(): Promise<void>;
}

/** Writes `posts` generated posts (every 10th to ODD_EVENT, the rest to "bench") into both stores. */
export async function sameRows(posts: number, seed = 7): Promise<SameRows> {
  const keyspace = `vigil_parity_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const dir = await mkdtemp(join(tmpdir(), 'vigil-parity-'));
  const db = await openDuckDb(join(dir, 'rows.duckdb'));
  const duck = await DuckDbPostStore.open(db);
  const cass = await CassandraPostStore.open({ contactPoints: CONTACT, keyspace, concurrency: 64 });
  let batch: TweetRow[] = [];
  const flush = async (): Promise<void> => {
    const b = rowBatch(batch);
    batch = [];
    await Promise.all([duck.writeRows(b), cass.writeRows(b)]);
  };
  let i = 0;
  for (const line of generateStream(posts, { seed })) {
    const msg = JSON.parse(line) as { coordinates: unknown; place: unknown };
    // raw only where the map reads it (own coordinates, or a place given to every 97th post without them): the other
    // posts' raw is left empty, to keep both stores small
    const placed = i % 97 === 0 && msg.coordinates === null;
    if (placed) msg.place = MANHATTAN_PLACE;
    const raw = placed ? JSON.stringify(msg) : msg.coordinates === null ? '' : line;
    const r = recognizeTwitterV1(msg, raw);
    if (r.kind !== 'post') continue;
    const { t_id, ...rest } = r.post.row;
    const event = i++ % 10 === 9 ? ODD_EVENT : 'bench';
    batch.push({
      id: rowId(legacyEventId(event), rest.platform, t_id),
      t_id,
      event_kw: ['flood', 'storm'],
      event_name: event,
      event_id: legacyEventId(event),
      ...rest,
      collected_at: new Date(Date.UTC(2026, 0, 1, 0, i % 120)).toISOString(),
      match_targets: ['keyword:flood'],
      match_fields: ['text'],
      backfilled: false,
    });
    if (batch.length === 5000) await flush();
  }
  await flush();
  await cass.close();
  return {
    db,
    keyspace,
    posts,
    cleanup: async () => {
      db.close();
      const c = new Client({ contactPoints: CONTACT, localDataCenter: 'datacenter1' });
      await c.connect();
      await c.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await c.shutdown();
    },
  };
}
