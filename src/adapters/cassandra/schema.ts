// The Cassandra schema: Project EPIC's twitter_analytics.tweet with its columns and types, and the keys its
// "future work" asked for.
//
// tweet:          PRIMARY KEY ((event_name, bucket), t_id)
//   - partition by event: the queries are per event, and one event's rows live together;
//   - and by a time bucket (a day by default) of the post's time: no partition grows without bound during a long
//     crisis, and a time range of an event reads a known set of partitions;
//   - clustered by the post id: writing the same (event, post) again overwrites the one row (replays never
//     duplicate, unlike EPIC's random uuid key); `id` stays, derived from (event, platform, post id).
// event_buckets:  PRIMARY KEY ((event_name), bucket) — which buckets an event has, so its rows can be read back
//   without scanning the table or a secondary index on a high-cardinality column.
// stored_event:   PRIMARY KEY ((event_name), event_id) — which event identities hold rows under a name (a renamed
//   event's rows are found, and moved, by it).
// post:           PRIMARY KEY ((platform, t_id)) — each post's raw JSON, once: the rows of its events refer to it
//   by key instead of each holding a copy (rows written before keep theirs). Spark's `tweet` view joins it back.
// reject:         PRIMARY KEY (id), the line's SHA-1 — a line delivered again (after a crash) is kept once.
//
// The columns that became lists (`event_kw`, `media_url`, `um_*`, comma-joined text before) are stored as
// `<name>_list`: CQL can neither change a column's type nor add a dropped column again with another type. Spark's
// `tweet` view and the store give them their own names back. A list cannot hold null in CQL: an unknown mentioned
// name or handle is stored as ''.

import { type Column, type ColumnType, RETYPED_LIST_COLUMNS, type RetypedListColumn, TWEET_COLUMNS } from '../../core/row.js';

export const CQL_TYPES: Record<ColumnType, string> = {
  uuid: 'uuid',
  text: 'text',
  int: 'int',
  boolean: 'boolean',
  timestamp: 'timestamp',
  'list<text>': 'list<text>',
};

export interface KeyspaceOptions {
  keyspace: string;
  /** CQL replication map, e.g. {'class': 'SimpleStrategy', 'replication_factor': 1}. */
  replication: string;
}

const RETYPED: ReadonlySet<string> = new Set(RETYPED_LIST_COLUMNS);

/** The CQL column that holds a tweet column. */
export function cqlColumn(name: Column['name']): string {
  return RETYPED.has(name) ? `${name}_list` : name;
}

/**
 * The CQL type of a tweet column. The retyped lists are frozen: one cell, last write wins as for every other column
 * (a backfilled row written with an older time never mixes its elements into the live row's list, and a write adds
 * no collection tombstone).
 */
export function cqlType(c: Column): string {
  return RETYPED.has(c.name) ? `frozen<${CQL_TYPES[c.type]}>` : CQL_TYPES[c.type];
}

/** List columns whose elements may be null (stored as '' in CQL). */
export const NULLABLE_ELEMENT_COLUMNS: ReadonlySet<string> = new Set(['um_name', 'um_screen_name']);

/** A Spark SQL expression reading a tweet column from the Cassandra table as the embedded store gives it. */
export function sparkColumnSql(name: Column['name']): string {
  const physical = cqlColumn(name);
  if (NULLABLE_ELEMENT_COLUMNS.has(name)) return `transform(${physical}, x -> nullif(x, '')) AS ${name}`;
  return physical === name ? name : `${physical} AS ${name}`;
}

export function schemaStatements(o: KeyspaceOptions): string[] {
  const ks = o.keyspace;
  const columns = TWEET_COLUMNS.map((c) => `  ${cqlColumn(c.name)} ${cqlType(c)}`).join(',\n');
  return [
    `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = ${o.replication}`,
    `CREATE TABLE IF NOT EXISTS ${ks}.tweet (\n${columns},\n  bucket timestamp,\n  PRIMARY KEY ((event_name, bucket), t_id)\n) WITH CLUSTERING ORDER BY (t_id ASC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.event_buckets (event_name text, bucket timestamp, PRIMARY KEY ((event_name), bucket))`,
    `CREATE TABLE IF NOT EXISTS ${ks}.stored_event (event_name text, event_id uuid, PRIMARY KEY ((event_name), event_id))`,
    `CREATE TABLE IF NOT EXISTS ${ks}.post (platform text, t_id text, raw text, PRIMARY KEY ((platform, t_id)))`,
    `CREATE TABLE IF NOT EXISTS ${ks}.reject (id text PRIMARY KEY, source text, rejected_at timestamp, reason text, line text)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.coverage (source text, happened_at timestamp, id text, connection text, kind text, ended_at timestamp, count bigint, detail text, PRIMARY KEY ((source), happened_at, id))`,
    `CREATE TABLE IF NOT EXISTS ${ks}.deletion (platform text, t_id text, deleted_at timestamp, PRIMARY KEY ((platform), t_id))`,
  ];
}

/** The start of the bucket a time falls in (buckets are aligned to the epoch). */
export function bucketOf(iso: string, bucketMs: number): Date {
  const t = Date.parse(iso);
  return new Date(Math.floor(t / bucketMs) * bucketMs);
}

/** Columns of the current row a keyspace made before them lacks, as ALTER statements (given the columns it has). */
export function addColumnStatements(keyspace: string, existing: ReadonlySet<string>): string[] {
  return TWEET_COLUMNS.filter((c) => !existing.has(cqlColumn(c.name))).map((c) => `ALTER TABLE ${keyspace}.tweet ADD ${cqlColumn(c.name)} ${cqlType(c)}`);
}

/** The comma-joined text columns of the first schema a keyspace still has (given the columns it has). */
export function legacyTextColumns(existing: ReadonlySet<string>): RetypedListColumn[] {
  return RETYPED_LIST_COLUMNS.filter((c) => existing.has(c));
}
