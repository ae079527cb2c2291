#!/usr/bin/env node
// What the profile's "DuckDB parses" design (issue #18, design 7) would cost per post, measured in its two halves on
// the benchmark's stream, before anyone builds it:
//
//   node scripts/probe-duckdb-parses.mjs [--events 10] [--posts 200000] [--chunk 5000] [--work /tmp/vigil-probe]
//
// - JavaScript half (one thread): JSON.parse, recognize and match each line (what the workers would still do: the
//   matcher needs the text), against today's classifyBatch, which also builds the row JSON (the first 50,000 lines).
// - DuckDB half (the store's settings: one thread, memory_limit 128MB, checkpoint_threshold 256MB): read_ndjson of
//   the raw lines in transactions of --chunk posts, every tweet column computed in SQL, one row per (event, post)
//   from the matches of the JavaScript half, inserted; the final checkpoint included.
// The SQL covers the Twitter v1.1 columns the way the normalizer does in the common case (extended text, retweet
// prefix, entities, dates): it prices the work, it is not a second normalizer. Needs a build (npm run build).
// Built on 2026-12-05 (the branch probe/duckdb-normalizes, with a parity test): slower end to end, because the
// rows' own fields and handing raw to DuckDB, which this probe leaves out, cost more than it saves (BENCHMARKS.md).

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10' },
    posts: { type: 'string', default: '200000' },
    chunk: { type: 'string', default: '5000' },
    work: { type: 'string', default: '/tmp/vigil-probe' },
  },
});
const [events, posts, chunk, work] = [Number(values.events), Number(values.posts), Number(values.chunk), values.work];
mkdirSync(work, { recursive: true });

const { benchmarkEvents, generateStream } = await import(join(root, 'dist/bench/generate.js'));
const { Matcher } = await import(join(root, 'dist/core/matcher.js'));
const { recognizeLine } = await import(join(root, 'dist/core/formats.js'));
const { classifyBatch } = await import(join(root, 'dist/core/classify.js'));
const { DuckDBInstance } = await import('@duckdb/node-api');

const cpuMicros = (from) => {
  const c = process.cpuUsage(from);
  return c.user + c.system;
};

// The stream, in files of --chunk lines (the log's segments in that design), and each post's matching events.
let lines = [...generateStream(posts)];
const matcher = new Matcher(benchmarkEvents(events));
const chunks = join(work, 'chunks');
rmSync(chunks, { recursive: true, force: true });
mkdirSync(chunks);
for (let i = 0; i < lines.length; i += chunk) {
  writeFileSync(join(chunks, `${String(i / chunk).padStart(6, '0')}.jsonl`), `${lines.slice(i, i + chunk).join('\n')}\n`);
}

/** Parses, recognizes and matches each line: what the workers would still do. `onMatch(lineNumber, eventId)`. */
function parseMatch(some, onMatch = () => {}) {
  const t = process.cpuUsage();
  for (const [i, line] of some.entries()) {
    const r = recognizeLine(JSON.parse(line), line);
    if (r.kind === 'posts') for (const p of r.posts) for (const m of matcher.match(p.features)) onMatch(i + 1, m.eventId);
  }
  return cpuMicros(t) / some.length;
}
// Every post's matching events, for the DuckDB half (not timed; it also warms V8 up).
const matches = [];
parseMatch(lines, (n, eventId) => matches.push([n, eventId]));
// The JavaScript half on the first 50,000 lines, the others let go: in a heap holding every line the collector's
// work, not the parsing, would be the figure.
const sample = lines.slice(0, 50_000);
lines = null;
function today() {
  const now = new Date().toISOString();
  const t = process.cpuUsage();
  for (let i = 0; i < sample.length; i += 1000) {
    const batch = sample.slice(i, i + 1000);
    classifyBatch(
      batch,
      batch.map(() => 'probe'),
      matcher,
      now,
      [],
      batch.map((_, j) => i + j),
    );
  }
  return cpuMicros(t) / sample.length;
}
today(); // warm-up: V8 compiles the row JSON's code
const jsParseMatch = parseMatch(sample);
const jsToday = today();
writeFileSync(join(work, 'matches.csv'), `n,event_id\n${matches.map((m) => m.join(',')).join('\n')}\n`);

const USER = `STRUCT(id_str VARCHAR, screen_name VARCHAR, name VARCHAR, description VARCHAR, location VARCHAR, url VARCHAR,
  created_at VARCHAR, followers_count BIGINT, friends_count BIGINT, listed_count BIGINT, favourites_count BIGINT,
  statuses_count BIGINT, geo_enabled BOOLEAN, lang VARCHAR, time_zone VARCHAR, utc_offset BIGINT)`;
const ENTITIES = `STRUCT(hashtags STRUCT("text" VARCHAR)[], user_mentions STRUCT(id_str VARCHAR, name VARCHAR, screen_name VARCHAR)[],
  urls STRUCT(expanded_url VARCHAR)[], media STRUCT(media_url_https VARCHAR)[])`;
const MEDIA = 'STRUCT(media STRUCT(media_url_https VARCHAR)[])';
const EXTENDED = `STRUCT(full_text VARCHAR, entities ${ENTITIES}, extended_entities ${MEDIA})`;
const COLUMNS = `{id_str: 'VARCHAR', "text": 'VARCHAR', created_at: 'VARCHAR', "user": '${USER}', entities: '${ENTITIES}',
  extended_tweet: '${EXTENDED}', extended_entities: '${MEDIA}', coordinates: 'JSON', geo: 'JSON', lang: 'VARCHAR',
  retweeted_status: 'STRUCT(id_str VARCHAR, "text" VARCHAR, extended_tweet ${EXTENDED}, "user" STRUCT(screen_name VARCHAR))',
  favorite_count: 'BIGINT', retweet_count: 'BIGINT', favorited: 'BOOLEAN', retweeted: 'BOOLEAN',
  in_reply_to_status_id_str: 'VARCHAR', in_reply_to_screen_name: 'VARCHAR'}`;
const ENT = 'coalesce(p.extended_tweet.entities, p.entities)';
const DATE = "'%a %b %d %H:%M:%S %z %Y'";
const ROW = `md5(m.event_id || p.id_str) AS id, p.id_str AS t_id, m.event_id AS event_id, m.event_id AS event_name,
  list_transform(${ENT}.hashtags, h -> h."text") AS hashtags,
  list_transform(coalesce(p.extended_tweet.extended_entities.media, p.extended_entities.media), x -> x.media_url_https) AS media_url,
  p.coordinates::VARCHAR AS t_coordinates, strptime(p.created_at, ${DATE}) AS t_created_at, p.favorite_count AS t_favorite_count,
  p.favorited AS t_favorited, p.geo::VARCHAR AS t_geo, p.retweeted_status IS NOT NULL AS t_is_a_retweet, p.lang AS t_lang,
  p.retweet_count AS t_retweet_count, p.retweeted AS t_retweeted,
  replace(replace(replace(CASE WHEN p.retweeted_status IS NULL THEN coalesce(p.extended_tweet.full_text, p."text")
    ELSE 'RT @' || p.retweeted_status."user".screen_name || ': ' || coalesce(p.retweeted_status.extended_tweet.full_text, p.retweeted_status."text") END,
    '&lt;', '<'), '&gt;', '>'), '&amp;', '&') AS t_text,
  strptime(p."user".created_at, ${DATE}) AS u_created_at, p."user".description AS u_description,
  p."user".favourites_count AS u_favourites_count, p."user".followers_count AS u_followers_count,
  p."user".friends_count AS u_friends_count, p."user".geo_enabled AS u_geo_enabled, p."user".id_str AS u_id, p."user".lang AS u_lang,
  p."user".listed_count AS u_listed_count, p."user".location AS u_location, p."user".name AS u_name,
  p."user".screen_name AS u_screen_name, p."user".statuses_count AS u_statuses_count, p."user".time_zone AS u_time_zone,
  p."user".url AS u_url, p."user".utc_offset AS u_utc_offset,
  list_transform(${ENT}.user_mentions, x -> x.id_str) AS um_id, list_transform(${ENT}.user_mentions, x -> x.name) AS um_name,
  list_transform(${ENT}.user_mentions, x -> x.screen_name) AS um_screen_name, list_transform(${ENT}.urls, x -> x.expanded_url) AS urls,
  'twitter' AS platform, now()::TIMESTAMP AS collected_at, p.n AS raw_ref, p.in_reply_to_status_id_str AS t_in_reply_to_status_id,
  p.in_reply_to_screen_name AS t_in_reply_to_screen_name, false AS backfilled, TRY_CAST(p.id_str AS BIGINT) AS t_key`;

async function duckHalf() {
  const file = join(work, 'probe.duckdb');
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  const db = await DuckDBInstance.create(file, { threads: '1', memory_limit: '128MB', checkpoint_threshold: '256MB' });
  const c = await db.connect();
  await c.run(`CREATE TEMP TABLE matches AS FROM read_csv('${join(work, 'matches.csv')}', columns = {n: 'BIGINT', event_id: 'VARCHAR'})`);
  await c.run(
    `CREATE TABLE tweet_row AS SELECT ${ROW} FROM (SELECT *, 0::BIGINT AS n FROM read_ndjson('${join(chunks, '000000.jsonl')}', columns = ${COLUMNS})) p, matches m LIMIT 0`,
  );
  const t = process.cpuUsage();
  for (let i = 0; i < posts; i += chunk) {
    const segment = join(chunks, `${String(i / chunk).padStart(6, '0')}.jsonl`);
    await c.run(`INSERT INTO tweet_row SELECT ${ROW}
      FROM (SELECT *, ${i} + row_number() OVER () AS n FROM read_ndjson('${segment}', columns = ${COLUMNS})) p JOIN matches m USING (n)`);
  }
  await c.run('CHECKPOINT');
  const micros = cpuMicros(t) / posts;
  const rows = Number((await c.runAndReadAll('SELECT count(*) FROM tweet_row')).getRows()[0][0]);
  c.closeSync();
  db.closeSync();
  return { micros, rows };
}
const duck = await duckHalf();
if (duck.rows !== matches.length) throw new Error(`DuckDB stored ${duck.rows} rows, the matches were ${matches.length}`);

const f = (x) => x.toFixed(1);
console.log(`${events} events, ${posts.toLocaleString('en-US')} posts, ${duck.rows.toLocaleString('en-US')} rows, transactions of ${chunk} posts (CPU-µs/post)
| JavaScript: parse, recognize, match | ${f(jsParseMatch)} |
| JavaScript today: the same and the row JSON (classifyBatch) | ${f(jsToday)} |
| DuckDB: read_ndjson, every column in SQL, insert, checkpoint | ${f(duck.micros)} |`);
