// Ready analyses as SQL for both query engines (DuckDB embedded; Spark at scale). Each analysis has one definition;
// where the dialects differ (exploding an array, splitting a string, global regex replace) it asks the dialect.

import type { SqlDialect } from './ports.js';
import { PERIOD_MINUTES, risingPieces } from './rising-pieces.js';
import { stopWordPairs } from './stopwords.js';

/** The few constructs the two dialects spell differently. */
export interface Sql {
  dialect: SqlDialect;
  /** What a person writing SQL in this dialect should know (shown with the schema). */
  describe: string;
  /** One row per element of an array (only as the sole expression of a SELECT item). */
  explode(array: string): string;
  /** Splits a string on a literal separator, keeping empty pieces (EPIC Analyze's split on spaces). */
  split(text: string, separator: string): string;
  /** Splits a string on a regular expression. */
  splitRegex(text: string, regex: string): string;
  /** Replaces every match of a regular expression. */
  replaceAll(text: string, regex: string, replacement: string): string;
  /** True where a regular expression matches somewhere in a string. */
  matches(text: string, regex: string): string;
  /** The start of the period of `minutes` (a divisor of a day) holding a timestamp, periods counted from midnight UTC. */
  periodStart(timestamp: string, minutes: number): string;
  /** A string literal (Spark reads backslash escapes in literals; DuckDB does not). */
  str(s: string): string;
  /** A table of term counts kept at ingest (event_name, kind, lang, term, n; partial counts to sum), if any. */
  termCounts?: string;
  /** A table of the RISING_KINDS' counts per period of TERM_BUCKET_MINUTES kept at ingest (event_name, kind, bucket, term, n), if any. */
  termBuckets?: string;
  /** The same counts per hour (event_name, kind, bucket, term, n), if any: each hour's the sum of its periods'. */
  termHours?: string;
  /** The analysis tables a query reads on this engine. */
  tables: readonly string[];
  /**
   * Whether a query over a range of post times reads that range's rows only (DuckDB skips row groups by their times),
   * so that reading the newest posts slice by slice costs less than one read of all; Spark reads every row each time.
   */
  slicesByTime: boolean;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

export const DIALECTS: Record<SqlDialect, Sql> = {
  duckdb: {
    dialect: 'duckdb',
    describe: 'DuckDB SQL (over the embedded store): unnest(), string_split()',
    explode: (a) => `unnest(${a})`,
    split: (t, sep) => `string_split(${t}, ${sqlString(sep)})`,
    splitRegex: (t, re) => `regexp_split_to_array(${t}, ${sqlString(re)})`,
    replaceAll: (t, re, r) => `regexp_replace(${t}, ${sqlString(re)}, ${sqlString(r)}, 'g')`,
    matches: (t, re) => `regexp_matches(${t}, ${sqlString(re)})`,
    periodStart: (t, m) => `time_bucket(INTERVAL ${m} MINUTE, ${t})`,
    str: sqlString,
    termCounts: 'term_count',
    termBuckets: 'term_bucket_count',
    termHours: 'term_hour_count',
    tables: ['tweet', 'reject', 'deletion', 'coverage', 'vigil_event', 'term_count', 'term_bucket_count', 'term_hour_count', 'hashtag_count'],
    slicesByTime: true,
  },
  spark: {
    dialect: 'spark',
    describe: 'Spark SQL (Spark 3.5, over the rows in Cassandra): explode(), split(), backslash escapes in strings',
    explode: (a) => `explode(${a})`,
    split: (t, sep) => `split(${t}, ${sparkString(escapeRegex(sep))}, -1)`,
    splitRegex: (t, re) => `split(${t}, ${sparkString(re)}, -1)`,
    replaceAll: (t, re, r) => `regexp_replace(${t}, ${sparkString(re)}, ${sparkString(r)})`,
    matches: (t, re) => `(${t} RLIKE ${sparkString(re)})`,
    periodStart: (t, m) => `timestamp_seconds(floor(unix_timestamp(${t}) / ${m * 60}) * ${m * 60})`,
    str: sparkString,
    tables: ['tweet', 'reject', 'deletion', 'coverage'],
    slicesByTime: false,
  },
};

/** SQL string literal (standard SQL, as DuckDB reads it). */
export function sqlString(s: string): string {
  return `'${s.replace(/'/gu, "''")}'`;
}

/** Spark SQL string literal: backslashes and quotes escaped with a backslash. */
export function sparkString(s: string): string {
  return `'${s.replace(/\\/gu, '\\\\').replace(/'/gu, "\\'")}'`;
}

/** SQL timestamp literal (UTC) from an ISO-8601 time. */
export function sqlTimestamp(iso: string): string {
  return `TIMESTAMP '${new Date(iso).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

export type Bucket = 'minute' | 'hour' | 'day';
export const BUCKETS: readonly Bucket[] = ['minute', 'hour', 'day'];

/** The words of Project EPIC's word count in a row: its text split on single spaces (counted lower-cased). */
const thesisWords = (q: Sql): string => q.explode(q.split('t_text', ' '));

/**
 * EPIC Analyze's word count (Listing 6.1 of the thesis Big Data Analytics on Container Orchestrated Systems): every
 * word of every stored post's text, split on single spaces and lower-cased, counted, most frequent first. `from` is
 * the rows counted: every row of `tweet` (the thesis's query), or a subquery such as one event's posts.
 */
export function wordCountSql(q: Sql, from = 'tweet'): string {
  return `${countLowerCased(`SELECT ${thesisWords(q)} AS v FROM ${from}`, 'word')}
ORDER BY n DESC, word`;
}

/**
 * The same word count of every row, or of one event's rows (`event`: an SQL expression for its name, such as a
 * quoted name or a subquery), summed from the term counts where the engine keeps them (10 M posts: under a second
 * instead of about 6 s), else counted from the rows as wordCountSql does.
 */
export function keptWordCountSql(q: Sql, event?: string, limit?: number): string {
  const top = limit === undefined ? '' : ` LIMIT ${limit}`;
  if (!q.termCounts) return `${wordCountSql(q, event === undefined ? 'tweet' : `(SELECT t_text FROM tweet WHERE event_name = ${event}) AS posts`)}${top}`;
  const where = event === undefined ? '' : ` AND event_name = ${event}`;
  return `SELECT term AS word, CAST(sum(n) AS BIGINT) AS n FROM ${q.termCounts} WHERE kind = 'thesis-word'${where} GROUP BY term ORDER BY n DESC, word${top}`;
}

/**
 * The values of `values` (a query giving a column `v`) lower-cased and counted, as `name` and `n`. Counted as written
 * first, then lower-cased: lower() runs once per distinct value instead of once per occurrence (at 10 M posts the
 * word count took 4.9 s instead of 7.1, top hashtags 250 ms instead of 350).
 */
function countLowerCased(values: string, name: string): string {
  return `SELECT lower(v) AS ${name}, CAST(sum(c) AS BIGINT) AS n FROM (SELECT v, count(*) AS c FROM (${values}) AS vs GROUP BY v) AS counted GROUP BY lower(v)`;
}

const ofEvent = (q: Sql, event: string): string => `event_name = ${q.str(event)}`;

export function eventCountSql(q: Sql, event: string): string {
  return `SELECT count(*) AS n FROM tweet WHERE ${ofEvent(q, event)}`;
}

/** An event's posts per bucket of their time; from the minutes counted in the term counts where the engine has them. */
export function volumeSql(q: Sql, event: string, bucket: Bucket): string {
  if (q.termCounts)
    return `SELECT date_trunc('${bucket}', CAST(term AS TIMESTAMP)) AS bucket, CAST(sum(n) AS BIGINT) AS n FROM ${q.termCounts} WHERE kind = 'minute' AND ${ofEvent(q, event)} GROUP BY 1 ORDER BY 1`;
  return `SELECT date_trunc('${bucket}', t_created_at) AS bucket, count(*) AS n FROM tweet WHERE ${ofEvent(q, event)} AND t_created_at IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

const BUCKET_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The most buckets the volume's axis is filled to (drawn in the browser): 10,000 minutes are about 7 days, hours 14 months. */
export const VOLUME_MAX_BUCKETS = 10_000;

/** The volume's buckets as times (ms), or null when one is not a time. */
function bucketTimes(rows: readonly { bucket: string }[]): number[] | null {
  const times = rows.map((r) => Date.parse(r.bucket.includes('T') || r.bucket.endsWith('Z') ? r.bucket : `${r.bucket.replace(' ', 'T')}Z`));
  return times.some((t) => Number.isNaN(t)) ? null : times;
}

/** The first and last of some times (a loop: a spread of a query's 100,000 rows is near V8's limit of arguments). */
function firstAndLast(times: readonly number[]): [number, number] {
  let first = times[0];
  let last = times[0];
  for (const t of times) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return [first, last];
}

/** The buckets from the first with posts to the last, both included (0 for none): the filled axis's length. */
export function volumeSpan(rows: readonly { bucket: string }[], bucket: Bucket): number {
  const times = bucketTimes(rows);
  if (!times || times.length === 0) return 0;
  const [first, last] = firstAndLast(times);
  return Math.round((last - first) / BUCKET_MS[bucket]) + 1;
}

/**
 * The volume with every empty bucket between the first and the last as a zero (silence is a finding, not a gap in
 * the axis), buckets as ISO instants. More than `maxBuckets` in all (a minute axis over months) is left as it came.
 */
export function zeroFilledVolume(
  rows: readonly { bucket: string; n: number }[],
  bucket: Bucket,
  maxBuckets = VOLUME_MAX_BUCKETS,
): { bucket: string; n: number }[] {
  const times = bucketTimes(rows);
  const span = volumeSpan(rows, bucket);
  if (!times || span === 0 || span > maxBuckets) return [...rows];
  const byTime = new Map(times.map((t, i) => [t, rows[i].n]));
  const [first] = firstAndLast(times);
  const out: { bucket: string; n: number }[] = [];
  for (let i = 0; i < span; i++) {
    const t = first + i * BUCKET_MS[bucket];
    out.push({ bucket: new Date(t).toISOString(), n: byTime.get(t) ?? 0 });
  }
  return out;
}

/** Why the volume's axis is not filled, when its span is too long (null when it is). */
export function volumeNote(rows: readonly { bucket: string }[], bucket: Bucket, maxBuckets = VOLUME_MAX_BUCKETS): string | null {
  const span = volumeSpan(rows, bucket);
  if (span <= maxBuckets) return null;
  const n = (x: number) => x.toLocaleString('en-US');
  return `per ${bucket}, the posts span ${n(span)} ${bucket}s, more than the ${n(maxBuckets)} the chart fills: only the ${bucket}s with posts are drawn, side by side, and silent ones do not show; choose a longer bucket`;
}

/**
 * The terms an event page ranks, and the thesis word count's words. How each kind is counted in rows is defined once
 * (termCountsSql); the top lists and the word count count them from the rows, or sum the counts the store keeps of
 * the same terms (the dialect's `termCounts`): the same figures, in milliseconds instead of a pass over every row
 * (10 M posts: top words 36 s, domains 1.5 s).
 */
export const TERM_KINDS = ['hashtag', 'word', 'mention', 'url', 'domain', 'user', 'minute', 'thesis-word', 'keyword-hour'] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** The columns of `tweet` the term occurrences read. */
export const TERM_COLUMNS = [
  'event_name',
  't_lang',
  't_text',
  'hashtags',
  'um_screen_name',
  'urls',
  'u_screen_name',
  'u_id',
  't_created_at',
  'event_kw',
] as const;

/** Counted lower-cased (as written otherwise; words and domains are lower-cased as they are cut out). */
const LOWER_CASED: Record<TermKind, boolean> = {
  hashtag: true,
  word: false,
  mention: true,
  url: false,
  domain: false,
  user: false,
  minute: false,
  'thesis-word': true,
  'keyword-hour': false,
};

/**
 * The occurrences of a term of `kind` in the rows of `from` (a table, or a subquery with an alias): one row each, with
 * `by` (a column of `from` the counts are kept per) and v, the term as written; words with the post's language
 * (lang), their stop words left out after counting (termCountsSql).
 */
function termOccurrencesSql(q: Sql, kind: TermKind, from: string, by: string): string {
  const exploded = (what: string, as = 'v') => `SELECT ${by}, ${what} AS ${as} FROM ${from}`;
  const present = (occurrences: string, extra = '') => `SELECT ${by}, v FROM (${occurrences}) AS o WHERE v IS NOT NULL${extra}`;
  switch (kind) {
    case 'hashtag':
      return present(exploded(q.explode('hashtags')));
    case 'word':
      return `SELECT ${by}, lang, v FROM (SELECT ${by}, coalesce(t_lang, 'und') AS lang, ${textWords(q)} AS v FROM ${from}) AS o WHERE length(v) > 1 AND v <> 'rt'`;
    case 'mention':
      return present(exploded(q.explode('um_screen_name')), " AND v <> ''");
    case 'url':
      return present(exploded(q.explode('urls')));
    case 'domain':
      return present(
        `SELECT ${by}, lower(regexp_extract(u, '(?i)^[a-z]+://(www[0-9]*\\.)?([^/:?#]+)', 2)) AS v FROM (${exploded(q.explode('urls'), 'u')}) AS us`,
        " AND v <> ''",
      );
    case 'user':
      // The handle, else the account id (a Bluesky commit names its author by DID only).
      return present(exploded('coalesce(u_screen_name, u_id)'));
    case 'minute':
      // The minute a post was made, as text (the volume's buckets are cut from it).
      return present(exploded(`CAST(date_trunc('minute', t_created_at) AS ${q.dialect === 'spark' ? 'STRING' : 'VARCHAR'})`));
    case 'thesis-word':
      // Project EPIC's word count's words (wordCountSql), empty ones too: the thesis's query counts them.
      return present(exploded(thesisWords(q)));
    case 'keyword-hour':
      // Each keyword a row matched with the hour its post was made: the hour as text (empty without a time), a tab,
      // the keyword (keywordHoursSql reads them apart).
      return present(
        `SELECT ${by}, coalesce(CAST(date_trunc('hour', t_created_at) AS ${q.dialect === 'spark' ? 'STRING' : 'VARCHAR'}), '') || chr(9) || kw AS v FROM (SELECT ${by}, t_created_at, ${q.explode('event_kw')} AS kw FROM ${from}) AS k`,
      );
  }
}

/**
 * The terms of `kind` in the rows of `from` (a table, or a subquery with an alias, holding TERM_COLUMNS and `by`),
 * counted per `by`: (by, term, n). The one definition of what the event page, the term counts and the rising terms
 * count. Words are those the event page ranks: letters and digits, lower-cased, without links, hashtags or mentions,
 * longer than one character, neither RT nor a stop word of the post's language. Terms are counted as written, then
 * lower-cased where they are (lower() runs once per distinct value), and stop words are left out of the distinct
 * words, not of every occurrence (10 M posts: counting every kind 86 → 41 s, rising terms 65 → 29 s).
 */
export function termCountsSql(q: Sql, kind: TermKind, from: string, by = 'event_name'): string {
  const occurrences = termOccurrencesSql(q, kind, from, by);
  if (kind === 'word') {
    const distinct = `SELECT ${by}, lang, v, count(*) AS c FROM (${occurrences}) AS x GROUP BY ${by}, lang, v`;
    return `SELECT ${by}, v AS term, CAST(sum(c) AS BIGINT) AS n FROM (${distinct}) AS d WHERE NOT EXISTS (SELECT 1 FROM (${stopWordsTable(q)}) AS s WHERE s.lang = d.lang AND s.word = d.v) GROUP BY ${by}, v`;
  }
  if (!LOWER_CASED[kind]) return `SELECT ${by}, v AS term, count(*) AS n FROM (${occurrences}) AS x GROUP BY ${by}, v`;
  return `SELECT ${by}, lower(v) AS term, CAST(sum(c) AS BIGINT) AS n FROM (SELECT ${by}, v, count(*) AS c FROM (${occurrences}) AS x GROUP BY ${by}, v) AS counted GROUP BY ${by}, lower(v)`;
}

/** An event's counts of one kind of term, as (term, n) rows to sum: from the counts kept at ingest, or counted from the rows. */
function eventTermCounts(q: Sql, kind: TermKind, event: string): string {
  if (q.termCounts) return `SELECT term, n FROM ${q.termCounts} WHERE kind = '${kind}' AND ${ofEvent(q, event)}`;
  return `SELECT term, n FROM (${termCountsSql(q, kind, `(SELECT ${TERM_COLUMNS.join(', ')} FROM tweet WHERE ${ofEvent(q, event)}) AS r`)}) AS c`;
}

/** The `limit` most frequent terms of one kind in an event's rows as (`name`, n), ties in term order. */
function topTermsSql(q: Sql, kind: TermKind, event: string, name: string, limit: number): string {
  return `SELECT c.term AS ${name}, CAST(sum(c.n) AS BIGINT) AS n FROM (${eventTermCounts(q, kind, event)}) AS c GROUP BY c.term ORDER BY n DESC, ${name} LIMIT ${limit}`;
}

/** An event's top hashtags, lower-cased, without #. */
export function topHashtagsSql(q: Sql, event: string, limit = 20): string {
  return topTermsSql(q, 'hashtag', event, 'hashtag', limit);
}

/** An event's top posting accounts. */
export function topUsersSql(q: Sql, event: string, limit = 20): string {
  return topTermsSql(q, 'user', event, 'user', limit);
}

/** An event's most mentioned accounts, lower-cased. */
export function topMentionsSql(q: Sql, event: string, limit = 20): string {
  return topTermsSql(q, 'mention', event, 'user', limit);
}

export function topUrlsSql(q: Sql, event: string, limit = 20): string {
  return topTermsSql(q, 'url', event, 'url', limit);
}

/** The host names of an event's links, lower-cased, without www. */
export function topDomainsSql(q: Sql, event: string, limit = 20): string {
  return topTermsSql(q, 'domain', event, 'domain', limit);
}

export function languagesSql(q: Sql, event: string): string {
  return `SELECT coalesce(t_lang, 'unknown') AS lang, count(*) AS n FROM tweet WHERE ${ofEvent(q, event)} GROUP BY 1 ORDER BY n DESC, lang`;
}

/** An event's posts, retweets and distinct posting accounts (those from the counts kept at ingest where there are). */
export function retweetShareSql(q: Sql, event: string): string {
  const users = q.termCounts
    ? `(SELECT count(DISTINCT term) FROM ${q.termCounts} WHERE kind = 'user' AND ${ofEvent(q, event)})`
    : 'count(DISTINCT coalesce(u_screen_name, u_id))';
  return `SELECT count(*) AS posts, sum(CASE WHEN t_is_a_retweet THEN 1 ELSE 0 END) AS retweets, ${users} AS users FROM tweet WHERE ${ofEvent(q, event)}`;
}

/** The stop words as a table (lang, word). */
function stopWordsTable(q: Sql): string {
  return `SELECT * FROM (VALUES ${stopWordPairs()
    .map(([l, w]) => `(${q.str(l)}, ${q.str(w)})`)
    .join(', ')}) AS sw(lang, word)`;
}

/** The words of a post's text: lower-cased letters and digits, links, hashtags and mentions left out. */
function textWords(q: Sql): string {
  return q.explode(q.splitRegex(`lower(${q.replaceAll('t_text', '(https?://\\S+|[#@]\\S+)', ' ')})`, '[^\\p{L}\\p{N}]+'));
}

/** Top words of an event's posts: letters and digits, lower-cased, no hashtags, mentions or links, stop words of the post's language left out. */
export function topWordsSql(q: Sql, event: string, limit = 20): string {
  return topTermsSql(q, 'word', event, 'word', limit);
}

export function tailSql(q: Sql, event: string, limit = 20): string {
  return `SELECT t_id, t_created_at, u_screen_name, u_name, t_text, t_is_a_retweet, t_lang, platform, match_targets, match_fields, backfilled FROM tweet WHERE ${ofEvent(q, event)} ORDER BY t_created_at DESC NULLS LAST, t_id DESC LIMIT ${limit}`;
}

/**
 * A place object in a post's JSON: v1.1 `"place": {…}` (X v2's `geo.place` too) or X v2's `"places": [{…}]`. Not the
 * key alone: every v1.1 tweet has one, `"place": null` where it has no place.
 */
export const PLACE_IN_RAW = String.raw`"place"\s*:\s*\{|"places"\s*:\s*\[\s*\{`;

/** Post times of an event's rows from `from` (inclusive) to `before` (exclusive), or the rows without a time. */
export type PostTimes = { from: string; before: string } | 'undated';

/** The newest posts of an event that may be on a map (with coordinates, or whose raw JSON holds a place), of some post times if given. */
export function geoCandidatesSql(q: Sql, event: string, limit: number, times?: PostTimes): string {
  const when =
    times === undefined
      ? ''
      : times === 'undated'
        ? ' AND t_created_at IS NULL'
        : ` AND t_created_at >= ${sqlTimestamp(times.from)} AND t_created_at < ${sqlTimestamp(times.before)}`;
  return `SELECT platform, t_id, t_text, u_screen_name, t_created_at, raw FROM tweet WHERE ${ofEvent(q, event)}${when} AND (t_coordinates IS NOT NULL OR ${q.matches('raw', PLACE_IN_RAW)}) ORDER BY t_created_at DESC NULLS LAST, t_id DESC LIMIT ${limit}`;
}

/** An event's first and last post times and the rows that have one. */
export function postTimesSql(q: Sql, event: string): string {
  return `SELECT min(t_created_at) AS first, max(t_created_at) AS last, count(t_created_at) AS n FROM tweet WHERE ${ofEvent(q, event)}`;
}

/** Rows, latest post time and latest collection time per event. */
export function overviewSql(_q: Sql): string {
  return `SELECT event_name, count(*) AS n, max(t_created_at) AS last_post, max(collected_at) AS last_collected FROM tweet GROUP BY 1`;
}

/** Rows stored per event and minute of collection since `sinceIso` (the cards' sparklines). */
export function collectedPerMinuteSql(_q: Sql, sinceIso: string): string {
  return `SELECT event_name, date_trunc('minute', collected_at) AS minute, count(*) AS n FROM tweet WHERE collected_at >= ${sqlTimestamp(sinceIso)} GROUP BY 1, 2 ORDER BY 1, 2`;
}

/**
 * Per matched keyword of an event: posts, and posts per hour (from `event_kw`, the keywords each row matched), or
 * summed from the term counts (kind keyword-hour: the hour as text, a tab, the keyword) where the engine has them.
 */
export function keywordHoursSql(q: Sql, event: string): string {
  if (q.termCounts) {
    const tab = 'strpos(term, chr(9))';
    return `SELECT keyword, hour, CAST(sum(n) AS BIGINT) AS n
FROM (SELECT substr(term, ${tab} + 1) AS keyword, CAST(nullif(left(term, ${tab} - 1), '') AS TIMESTAMP) AS hour, n
  FROM ${q.termCounts} WHERE kind = 'keyword-hour' AND ${ofEvent(q, event)}) AS c
GROUP BY 1, 2 ORDER BY keyword, hour`;
  }
  return `SELECT kw AS keyword, date_trunc('hour', t_created_at) AS hour, count(*) AS n
FROM (SELECT ${q.explode('event_kw')} AS kw, t_created_at FROM tweet WHERE ${ofEvent(q, event)}) AS x
GROUP BY 1, 2 ORDER BY keyword, hour`;
}

/** The kinds of term the rising terms compare, which the embedded store also counts per period (termBuckets). */
export const RISING_KINDS = ['hashtag', 'word'] as const satisfies readonly TermKind[];

/** The length of the periods the embedded store counts rising terms' kinds in (`term_bucket_count`). */
export const TERM_BUCKET_MINUTES = PERIOD_MINUTES;

/**
 * The rising terms' windows: the last hour of an event's posts against the six before it. Both end with the period of
 * TERM_BUCKET_MINUTES holding the event's newest post, so that each window is a whole number of periods.
 */
export const RISING_HOURS = { recent: 1, baseline: 6 } as const;

/** The hours before the end of an event's newest period whose periods the embedded store counts (the rising terms' windows). */
export const RISING_SPAN_HOURS = RISING_HOURS.recent + RISING_HOURS.baseline;

/** The start of the period of `TERM_BUCKET_MINUTES` holding a timestamp (DuckDB). */
export const termBucketSql = (timestamp: string): string => DIALECTS.duckdb.periodStart(timestamp, TERM_BUCKET_MINUTES);

/**
 * Hashtags and words rising in an event's posts: counts in the last `recentHours` against the `baselineHours` before,
 * scaled to the same length, most risen first (at least `minRecent` recent posts). The windows end where the period
 * of TERM_BUCKET_MINUTES holding the event's newest post ends (a post at 14:47 ends them at 14:50: the last hour is
 * 13:50 to 14:50), so that each is made of whole periods. The words and hashtags are the event page's
 * (termCountsSql), longer than two characters, and not "amp".
 *
 * Counted from the rows of those hours, or, where the store keeps counts per period (the dialect's `termBuckets`),
 * summed from the periods' counts (the bench's 10 M posts: about 0.15 s, the rows 29–47 s); where it also keeps them
 * per hour (`termHours`) and the windows' end is given, from whole hours and the edges' periods (about 0.06 s). The
 * same figures each way.
 */
export function risingTermsSql(
  q: Sql,
  event: string,
  recentHours: number = RISING_HOURS.recent,
  baselineHours: number = RISING_HOURS.baseline,
  minRecent = 3,
  limit = 30,
  upto?: string,
): string {
  // The periods are counted for the last RISING_SPAN_HOURS only; longer windows count the rows.
  const whole = (hours: number): boolean => Number.isInteger((hours * 60) / TERM_BUCKET_MINUTES);
  const counted = recentHours + baselineHours <= RISING_SPAN_HOURS && whole(recentHours) && whole(baselineHours);
  const buckets = counted ? q.termBuckets : undefined;
  // The windows' end: given (risingWindowSql, read first: the end of a period), a constant the engine filters the scan
  // with; or found here.
  const { bounds, end, withBounds } =
    upto === undefined
      ? { bounds: `bounds AS (${risingWindowSql(q, event)}),\n`, end: 'b.upto', withBounds: ', bounds b' }
      : { bounds: '', end: sqlTimestamp(upto), withBounds: '' };
  // [end - hours, end): posts after the end (arrived since it was read) wait for the next read.
  const from = (time: string): string => `${time} >= ${end} - INTERVAL ${recentHours + baselineHours} HOUR AND ${time} < ${end}`;
  const isRecent = (time: string): string => `${time} >= ${end} - INTERVAL ${recentHours} HOUR`;
  // (kind, v, r, n): each term's posts in the recent window (r) and in both (n).
  let counts: string;
  if (buckets && q.termHours && upto !== undefined) {
    // Whole hours from the counts per hour, the windows' edges from the periods' (core/rising-pieces.ts). A term of
    // an hour only outside the windows sums to 0 there.
    const pieces = risingPieces(Date.parse(upto), recentHours, baselineHours);
    const piecesOf = (hour: boolean, table: string): string[] => {
      const mine = pieces.filter((p) => p.hour === hour);
      if (mine.length === 0) return [];
      const at = (p: { start: number }): string => sqlTimestamp(new Date(p.start).toISOString());
      const weight = (w: 'recent' | 'all'): string => `CASE c.bucket ${mine.map((p) => `WHEN ${at(p)} THEN ${p[w]}`).join(' ')} ELSE 0 END`;
      return [
        `SELECT c.kind, c.term AS v, c.n * ${weight('recent')} AS r, c.n * ${weight('all')} AS n
  FROM ${table} c WHERE c.event_name = ${q.str(event)} AND c.bucket IN (${mine.map(at).join(', ')})`,
      ];
    };
    counts = `SELECT kind, v, sum(r) AS r, sum(n) AS n FROM (
  ${[...piecesOf(true, q.termHours), ...piecesOf(false, buckets)].join('\n  UNION ALL ')}
) AS p GROUP BY kind, v HAVING sum(n) > 0`;
  } else if (buckets) {
    counts = `SELECT c.kind, c.term AS v, sum(CASE WHEN ${isRecent('c.bucket')} THEN c.n ELSE 0 END) AS r, sum(c.n) AS n
  FROM ${buckets} c${withBounds} WHERE c.event_name = ${q.str(event)} AND ${from('c.bucket')} GROUP BY c.kind, c.term`;
  } else {
    const rows = `(SELECT ${TERM_COLUMNS.map((c) => `t.${c}`).join(', ')}, CASE WHEN ${isRecent('t.t_created_at')} THEN 1 ELSE 0 END AS recent
  FROM tweet t${withBounds} WHERE t.event_name = ${q.str(event)} AND ${from('t.t_created_at')}) AS r`;
    counts = `SELECT kind, term AS v, sum(recent * n) AS r, sum(n) AS n FROM (
  SELECT 'hashtag' AS kind, term, recent, n FROM (${termCountsSql(q, 'hashtag', rows, 'recent')}) AS h
  UNION ALL
  SELECT 'word' AS kind, term, recent, n FROM (${termCountsSql(q, 'word', rows, 'recent')}) AS w
) AS t GROUP BY kind, term`;
  }
  // Longer than two characters with the # of a hashtag, and not "amp" (tested on v: no string made per term).
  const shown = `CASE WHEN kind = 'hashtag' THEN length(v) > 1 ELSE length(v) > 2 AND v <> 'amp' END`;
  return `WITH ${bounds}counts AS (${counts})
SELECT kind, CASE WHEN kind = 'hashtag' THEN '#' || v ELSE v END AS term, CAST(r AS INT) AS recent, CAST(n - r AS INT) AS before,
  round(CAST(r AS DOUBLE) / (CAST(n - r AS DOUBLE) * ${recentHours / baselineHours} + 1), 2) AS score
FROM counts
WHERE r >= ${minRecent} AND ${shown}
ORDER BY score DESC, recent DESC, term LIMIT ${limit}`;
}

/**
 * The end of the rising terms' windows for an event (`upto`, NULL without posts): where the period of
 * TERM_BUCKET_MINUTES holding its newest post ends. From the minutes the term counts keep, where the engine keeps
 * them (a few milliseconds instead of a pass over the event's rows).
 */
export function risingWindowSql(q: Sql, event: string): string {
  const newest = q.termCounts
    ? `(SELECT CAST(max(term) AS TIMESTAMP) AS t FROM ${q.termCounts} WHERE kind = 'minute' AND ${ofEvent(q, event)})`
    : `(SELECT max(t_created_at) AS t FROM tweet WHERE ${ofEvent(q, event)})`;
  return `SELECT ${q.periodStart('t', TERM_BUCKET_MINUTES)} + INTERVAL ${TERM_BUCKET_MINUTES} MINUTE AS upto FROM ${newest} AS m`;
}
