// The embedded tweet store: the `tweet` table in DuckDB, one row per (event, platform, post id).
// A batch is appended to a per-connection staging table, then moved with INSERT OR IGNORE: replays add nothing.

import { DuckDBUUIDValue, LIST, listValue, VARCHAR, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { RejectRecord } from '../../core/classify.js';
import type { EventStats, TweetStore } from '../../core/ports.js';
import { TWEET_COLUMNS, type ColumnType, type TweetRow } from '../../core/row.js';
import type { DuckDb } from './database.js';
import { timestampValue } from './values.js';

const SQL_TYPES: Record<ColumnType, string> = {
  uuid: 'UUID',
  text: 'VARCHAR',
  int: 'BIGINT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  'list<text>': 'VARCHAR[]',
};

const columnsDdl = TWEET_COLUMNS.map((c) => `${c.name} ${SQL_TYPES[c.type]}`).join(',\n  ');

export const TWEET_TABLE_DDL = `CREATE TABLE IF NOT EXISTS tweet (
  ${columnsDdl},
  PRIMARY KEY (event_name, platform, t_id)
)`;

/** `source` says where the line was read (topic@offset, file:line), so a re-delivered line is kept once. */
const REJECT_TABLE_DDL = `CREATE TABLE IF NOT EXISTS reject (
  source VARCHAR PRIMARY KEY,
  rejected_at TIMESTAMP NOT NULL,
  reason VARCHAR NOT NULL,
  line VARCHAR NOT NULL
)`;

const TEXT_LIST = LIST(VARCHAR);

function appendCell(a: DuckDBAppender, type: ColumnType, v: unknown): void {
  if (v === null || v === undefined) {
    a.appendNull();
    return;
  }
  switch (type) {
    case 'uuid':
      a.appendUUID(DuckDBUUIDValue.fromUint128(BigInt(`0x${(v as string).replace(/-/gu, '')}`)));
      return;
    case 'text':
      a.appendVarchar(v as string);
      return;
    case 'int':
      a.appendBigInt(BigInt(v as number));
      return;
    case 'boolean':
      a.appendBoolean(v as boolean);
      return;
    case 'timestamp': {
      const ts = timestampValue(v as string);
      if (ts) a.appendTimestamp(ts);
      else a.appendNull();
      return;
    }
    case 'list<text>':
      a.appendList(listValue(v as string[]), TEXT_LIST);
      return;
  }
}

export class DuckDbTweetStore implements TweetStore {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(db: DuckDb): Promise<DuckDbTweetStore> {
    const conn = await db.connect();
    await conn.run(TWEET_TABLE_DDL);
    await conn.run(REJECT_TABLE_DDL);
    await conn.run(`CREATE TEMP TABLE tweet_stage AS SELECT * FROM tweet LIMIT 0`);
    return new DuckDbTweetStore(conn);
  }

  /** Writes run one at a time on this store's own connection. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  writeRows(rows: TweetRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.serial(async () => {
      const appender = await this.conn.createAppender('tweet_stage', null, 'temp');
      try {
        for (const row of rows) {
          for (const c of TWEET_COLUMNS) appendCell(appender, c.type, row[c.name]);
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      try {
        await this.conn.run('BEGIN TRANSACTION');
        await this.conn.run(`INSERT OR IGNORE INTO tweet SELECT DISTINCT ON (event_name, platform, t_id) * FROM temp.tweet_stage`);
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        await this.conn.run('DELETE FROM temp.tweet_stage');
      }
    });
  }

  writeRejects(rejects: RejectRecord[]): Promise<void> {
    if (rejects.length === 0) return Promise.resolve();
    return this.serial(async () => {
      const insert = await this.conn.prepare('INSERT OR IGNORE INTO reject VALUES ($1, $2::TIMESTAMP, $3, $4)');
      for (const r of rejects) {
        insert.bind([r.source, r.at, r.reason, r.line]);
        await insert.run();
      }
    });
  }

  async eventStats(eventName: string): Promise<EventStats> {
    const r = await this.serial(() =>
      this.conn.runAndReadAll('SELECT count(*) AS n, min(t_created_at) AS first, max(t_created_at) AS last FROM tweet WHERE event_name = $1', [eventName]),
    );
    const [n, first, last] = r.getRows()[0];
    const iso = (v: unknown): string | null => (v === null ? null : new Date(Number((v as { micros: bigint }).micros / 1000n)).toISOString());
    return { count: Number(n), first: iso(first), last: iso(last) };
  }

  async rejectCount(): Promise<number> {
    const r = await this.serial(() => this.conn.runAndReadAll('SELECT count(*) FROM reject'));
    return Number(r.getRows()[0][0]);
  }

  async close(): Promise<void> {
    await this.chain;
  }
}
