// Ready analyses as SQL that both query engines run unchanged (DuckDB embedded; Spark at scale).

import { stopWordPairs } from './stopwords.js';

/** SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/gu, "''")}'`;
}

/** SQL timestamp literal (UTC) from an ISO-8601 time. */
export function sqlTimestamp(iso: string): string {
  return `TIMESTAMP '${new Date(iso).toISOString().replace('T', ' ').replace('Z', '')}'`;
}

export type Bucket = 'minute' | 'hour' | 'day';
export const BUCKETS: readonly Bucket[] = ['minute', 'hour', 'day'];

/**
 * The thesis's word count (Listing 6.1): every word of every stored post's text, split on single spaces and
 * lower-cased, counted, most frequent first.
 */
export const WORD_COUNT_SQL = `SELECT word, count(*) AS n
FROM (SELECT lower(unnest(string_split(t_text, ' '))) AS word FROM tweet)
GROUP BY word
ORDER BY n DESC, word`;

const ofEvent = (event: string): string => `event_name = ${sqlString(event)}`;

export function eventCountSql(event: string): string {
  return `SELECT count(*) AS n FROM tweet WHERE ${ofEvent(event)}`;
}

export function volumeSql(event: string, bucket: Bucket): string {
  return `SELECT date_trunc('${bucket}', t_created_at) AS bucket, count(*) AS n FROM tweet WHERE ${ofEvent(event)} AND t_created_at IS NOT NULL GROUP BY 1 ORDER BY 1`;
}

export function topHashtagsSql(event: string, limit = 20): string {
  return `SELECT lower(h) AS hashtag, count(*) AS n FROM (SELECT unnest(hashtags) AS h FROM tweet WHERE ${ofEvent(event)}) GROUP BY 1 ORDER BY n DESC, hashtag LIMIT ${limit}`;
}

export function topUsersSql(event: string, limit = 20): string {
  return `SELECT u_screen_name AS user, count(*) AS n FROM tweet WHERE ${ofEvent(event)} AND u_screen_name IS NOT NULL GROUP BY 1 ORDER BY n DESC, user LIMIT ${limit}`;
}

export function topMentionsSql(event: string, limit = 20): string {
  return `SELECT lower(m) AS user, count(*) AS n FROM (SELECT unnest(string_split(um_screen_name, ',')) AS m FROM tweet WHERE ${ofEvent(event)} AND um_screen_name IS NOT NULL) WHERE m <> '' GROUP BY 1 ORDER BY n DESC, user LIMIT ${limit}`;
}

export function topUrlsSql(event: string, limit = 20): string {
  return `SELECT u AS url, count(*) AS n FROM (SELECT unnest(urls) AS u FROM tweet WHERE ${ofEvent(event)}) GROUP BY 1 ORDER BY n DESC, url LIMIT ${limit}`;
}

export function topDomainsSql(event: string, limit = 20): string {
  return `SELECT d AS domain, count(*) AS n FROM (SELECT lower(regexp_extract(unnest(urls), '^[a-zA-Z]+://(www[0-9]*\\.)?([^/:?#]+)', 2)) AS d FROM tweet WHERE ${ofEvent(event)}) WHERE d <> '' GROUP BY 1 ORDER BY n DESC, domain LIMIT ${limit}`;
}

export function languagesSql(event: string): string {
  return `SELECT coalesce(t_lang, 'unknown') AS lang, count(*) AS n FROM tweet WHERE ${ofEvent(event)} GROUP BY 1 ORDER BY n DESC, lang`;
}

export function retweetShareSql(event: string): string {
  return `SELECT count(*) AS posts, sum(CASE WHEN t_is_a_retweet THEN 1 ELSE 0 END) AS retweets FROM tweet WHERE ${ofEvent(event)}`;
}

/** Top words of an event's posts: letters and digits, lower-cased, no hashtags, mentions or links, stop words of the post's language left out. */
export function topWordsSql(event: string, limit = 20): string {
  const stop = stopWordPairs().map(([l, w]) => `(${sqlString(l)}, ${sqlString(w)})`).join(', ');
  return `WITH words AS (
  SELECT coalesce(t_lang, 'und') AS lang, unnest(regexp_split_to_array(lower(regexp_replace(t_text, '(https?://\\S+|[#@]\\S+)', ' ', 'g')), '[^\\p{L}\\p{N}]+')) AS word
  FROM tweet WHERE ${ofEvent(event)}
), stop(lang, word) AS (VALUES ${stop})
SELECT w.word, count(*) AS n FROM words w ANTI JOIN stop s ON s.lang = w.lang AND s.word = w.word
WHERE length(w.word) > 1 AND w.word NOT IN ('rt')
GROUP BY w.word ORDER BY n DESC, w.word LIMIT ${limit}`;
}

export function tailSql(event: string, limit = 20): string {
  return `SELECT t_id, t_created_at, u_screen_name, u_name, t_text, t_is_a_retweet, t_lang, platform FROM tweet WHERE ${ofEvent(event)} ORDER BY t_created_at DESC NULLS LAST, t_id DESC LIMIT ${limit}`;
}

/** Rows, latest post time and latest collection time per event. */
export const OVERVIEW_SQL = `SELECT event_name, count(*) AS n, max(t_created_at) AS last_post, max(collected_at) AS last_collected FROM tweet GROUP BY 1`;

/** Rows stored per event and minute of collection since `sinceIso` (the cards' sparklines). */
export function collectedPerMinuteSql(sinceIso: string): string {
  return `SELECT event_name, date_trunc('minute', collected_at) AS minute, count(*) AS n FROM tweet WHERE collected_at >= ${sqlTimestamp(sinceIso)} GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Per matched keyword of an event: posts, and posts per hour (from `event_kw`, the keywords each row matched). */
export function keywordHoursSql(event: string): string {
  return `SELECT kw AS keyword, date_trunc('hour', t_created_at) AS hour, count(*) AS n
FROM (SELECT unnest(string_split(event_kw, ',')) AS kw, t_created_at FROM tweet WHERE ${ofEvent(event)})
GROUP BY ALL ORDER BY keyword, hour`;
}

/**
 * Hashtags and words rising in an event's posts: counts in the last `recentHours` before its newest post against the
 * `baselineHours` before that, scaled to the same length, most risen first (at least `minRecent` recent posts).
 */
export function risingTermsSql(event: string, recentHours = 1, baselineHours = 6, minRecent = 3, limit = 30): string {
  const stop = stopWordPairs().map(([l, w]) => `(${sqlString(l)}, ${sqlString(w)})`).join(', ');
  return `WITH bounds AS (SELECT max(t_created_at) AS last FROM tweet WHERE ${ofEvent(event)}),
posts AS (
  SELECT t.*, CASE WHEN t.t_created_at > b.last - INTERVAL ${recentHours} HOUR THEN 1 ELSE 0 END AS recent
  FROM tweet t, bounds b WHERE t.event_name = ${sqlString(event)} AND t.t_created_at > b.last - INTERVAL ${recentHours + baselineHours} HOUR
),
terms AS (
  SELECT 'hashtag' AS kind, '#' || lower(unnest(hashtags)) AS term, 'und' AS lang, recent FROM posts
  UNION ALL
  SELECT 'word', unnest(regexp_split_to_array(lower(regexp_replace(t_text, '(https?://\\S+|[#@]\\S+)', ' ', 'g')), '[^\\p{L}\\p{N}]+')), coalesce(t_lang, 'und'), recent FROM posts
), stop(lang, word) AS (VALUES ${stop})
SELECT kind, term, sum(recent)::INT AS recent, (count(*) - sum(recent))::INT AS before,
  round(sum(recent) / ((count(*) - sum(recent)) * ${recentHours / baselineHours} + 1), 2) AS score
FROM terms t ANTI JOIN stop s ON s.lang = t.lang AND s.word = t.term
WHERE length(term) > 2 AND term NOT IN ('rt', 'amp')
GROUP BY kind, term HAVING sum(recent) >= ${minRecent}
ORDER BY score DESC, recent DESC, term LIMIT ${limit}`;
}
