// Ready analyses as SQL that both query engines run unchanged (DuckDB embedded; Spark at scale).

/** SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/gu, "''")}'`;
}

/**
 * The thesis's word count (Listing 6.1): every word of every stored post's text, split on single spaces and
 * lower-cased, counted, most frequent first.
 */
export const WORD_COUNT_SQL = `SELECT word, count(*) AS n
FROM (SELECT lower(unnest(string_split(t_text, ' '))) AS word FROM tweet)
GROUP BY word
ORDER BY n DESC, word`;

export function eventCountSql(event: string): string {
  return `SELECT count(*) AS n FROM tweet WHERE event_name = ${sqlString(event)}`;
}

export function volumeSql(event: string, bucket: 'minute' | 'hour' | 'day'): string {
  return `SELECT date_trunc('${bucket}', t_created_at) AS bucket, count(*) AS n FROM tweet WHERE event_name = ${sqlString(event)} GROUP BY 1 ORDER BY 1`;
}

export function topHashtagsSql(event: string, limit = 20): string {
  return `SELECT lower(h) AS hashtag, count(*) AS n FROM (SELECT unnest(hashtags) AS h FROM tweet WHERE event_name = ${sqlString(event)}) GROUP BY 1 ORDER BY n DESC, hashtag LIMIT ${limit}`;
}

export function topUsersSql(event: string, limit = 20): string {
  return `SELECT u_screen_name AS user, count(*) AS n FROM tweet WHERE event_name = ${sqlString(event)} GROUP BY 1 ORDER BY n DESC, user LIMIT ${limit}`;
}
