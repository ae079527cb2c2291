// The tweet row: Project EPIC's `twitter_analytics.tweet` columns (Listing 2.1 of the
// thesis Big Data Analytics on Container Orchestrated Systems) with their names and types, plus
// what Vigil adds (`platform`, `raw`, `collected_at`). One row per (event, post).

export type ColumnType = 'uuid' | 'text' | 'int' | 'boolean' | 'timestamp' | 'list<text>';

export interface Column {
  name: keyof TweetRow;
  type: ColumnType;
  doc: string;
}

export interface TweetRow {
  /** Deterministic from (event_id, platform, t_id): a replay writes the same id, never a new random one. */
  id: string;
  t_id: string;
  /** The event's keywords this post matched. */
  event_kw: string[];
  event_name: string;
  hashtags: string[];
  media_url: string[];
  t_coordinates: string | null;
  t_created_at: string | null;
  t_favorite_count: number | null;
  t_favorited: boolean | null;
  t_geo: string | null;
  t_is_a_retweet: boolean;
  t_lang: string | null;
  t_retweet_count: number | null;
  t_retweeted: boolean | null;
  t_text: string;
  u_created_at: string | null;
  u_description: string | null;
  u_favourites_count: number | null;
  u_followers_count: number | null;
  u_friends_count: number | null;
  u_geo_enabled: boolean | null;
  u_id: string | null;
  u_lang: string | null;
  u_listed_count: number | null;
  u_location: string | null;
  u_name: string | null;
  u_screen_name: string | null;
  u_statuses_count: number | null;
  u_time_zone: string | null;
  u_url: string | null;
  u_utc_offset: number | null;
  /** Mentioned users, one entry per mention in each of the three lists (a name the payload does not give is null). */
  um_id: string[];
  um_name: (string | null)[];
  um_screen_name: (string | null)[];
  urls: string[];
  platform: string;
  collected_at: string;
  raw: string;
  /** The post this one replies to (id and author handle), null when it is no reply. */
  t_in_reply_to_status_id: string | null;
  t_in_reply_to_screen_name: string | null;
  /** What made the post belong to the event, one entry per match: `keyword:sandy`, `account:nycgov`, `box:w,s,e,n`. */
  match_targets: string[];
  /** Where each target of `match_targets` matched (same order): text, hashtag, mention, url, author, coordinates, place. */
  match_fields: string[];
  /** True for a row written by re-classifying collected posts after the event changed, not at collection time. */
  backfilled: boolean;
  /** The event's identity (kept when it is renamed; `event_name` is its name now). */
  event_id: string;
}

/**
 * The separator of EPIC's text columns that held several values (`event_kw`, `um_*`, `media_url`) before they became
 * lists: only a migration of rows stored then still reads it.
 */
export const LEGACY_SEPARATOR = ',';

export const TWEET_COLUMNS: readonly Column[] = [
  { name: 'id', type: 'uuid', doc: "row id, derived from the event's identity, platform and post id (stable across replays and renames)" },
  { name: 't_id', type: 'text', doc: 'post id on its platform' },
  { name: 'event_kw', type: 'list<text>', doc: 'the event keywords that matched this post' },
  { name: 'event_name', type: 'text', doc: 'the name of the event the row belongs to (its name now: rows follow a rename)' },
  { name: 'hashtags', type: 'list<text>', doc: 'hashtags, without #' },
  { name: 'media_url', type: 'list<text>', doc: 'media URLs (photos, video thumbnails, images)' },
  { name: 't_coordinates', type: 'text', doc: 'GeoJSON point of the post, as JSON text' },
  { name: 't_created_at', type: 'timestamp', doc: 'when the post was made (UTC)' },
  { name: 't_favorite_count', type: 'int', doc: 'likes when collected' },
  { name: 't_favorited', type: 'boolean', doc: 'liked by the collecting account' },
  { name: 't_geo', type: 'text', doc: 'legacy geo field, as JSON text' },
  { name: 't_is_a_retweet', type: 'boolean', doc: 'true for a retweet/repost' },
  { name: 't_lang', type: 'text', doc: 'language code the platform detected' },
  { name: 't_retweet_count', type: 'int', doc: 'retweets when collected' },
  { name: 't_retweeted', type: 'boolean', doc: 'retweeted by the collecting account' },
  { name: 't_text', type: 'text', doc: 'full text (280-character text of extended tweets; RT @user: + original for retweets)' },
  { name: 'u_created_at', type: 'timestamp', doc: 'when the author account was created' },
  { name: 'u_description', type: 'text', doc: 'author bio' },
  { name: 'u_favourites_count', type: 'int', doc: 'author likes count' },
  { name: 'u_followers_count', type: 'int', doc: 'author followers' },
  { name: 'u_friends_count', type: 'int', doc: 'accounts the author follows' },
  { name: 'u_geo_enabled', type: 'boolean', doc: 'author enabled geotagging' },
  { name: 'u_id', type: 'text', doc: 'author id' },
  { name: 'u_lang', type: 'text', doc: 'author interface language' },
  { name: 'u_listed_count', type: 'int', doc: 'lists the author is on' },
  { name: 'u_location', type: 'text', doc: 'author profile location (free text)' },
  { name: 'u_name', type: 'text', doc: 'author display name' },
  { name: 'u_screen_name', type: 'text', doc: 'author handle, without @' },
  { name: 'u_statuses_count', type: 'int', doc: 'author post count' },
  { name: 'u_time_zone', type: 'text', doc: 'author time zone' },
  { name: 'u_url', type: 'text', doc: 'author profile URL' },
  { name: 'u_utc_offset', type: 'int', doc: 'author UTC offset in seconds' },
  { name: 'um_id', type: 'list<text>', doc: 'ids of mentioned users, one per mention' },
  { name: 'um_name', type: 'list<text>', doc: 'display names of mentioned users, in the order of um_id (null where the payload gives none)' },
  { name: 'um_screen_name', type: 'list<text>', doc: 'handles of mentioned users, in the order of um_id (null where the payload gives none: Bluesky)' },
  { name: 'urls', type: 'list<text>', doc: 'expanded URLs linked from the post' },
  { name: 'platform', type: 'text', doc: 'source platform: twitter, x, bluesky, mastodon' },
  { name: 'collected_at', type: 'timestamp', doc: 'when Vigil classified the post' },
  { name: 'raw', type: 'text', doc: 'the original JSON line, unchanged' },
  { name: 't_in_reply_to_status_id', type: 'text', doc: 'id of the post this one replies to' },
  { name: 't_in_reply_to_screen_name', type: 'text', doc: 'handle of the author replied to' },
  { name: 'match_targets', type: 'list<text>', doc: 'what matched: keyword:<phrase>, account:<id or handle>, box:<w,s,e,n>' },
  { name: 'match_fields', type: 'list<text>', doc: 'where each target matched: text, hashtag, mention, url, author, coordinates, place' },
  { name: 'backfilled', type: 'boolean', doc: 'written by re-classifying already collected posts (not live)' },
  { name: 'event_id', type: 'uuid', doc: "the event's identity: kept when the event is renamed (event_name follows the new name)" },
];

/** Every column's name, raw included: what reads whole rows asks a store for (PostStore.eventRowSlices). */
export const TWEET_COLUMN_NAMES = TWEET_COLUMNS.map((c) => c.name as keyof TweetRow);

/** Columns added after the first schema; stores add them to an existing table. */
export const ADDED_COLUMNS: readonly Column['name'][] = [
  't_in_reply_to_status_id',
  't_in_reply_to_screen_name',
  'match_targets',
  'match_fields',
  'backfilled',
  'event_id',
];

/**
 * Columns that were text joined with LEGACY_SEPARATOR in the first schema and are lists now (a name holding a comma
 * split in two): stores retype them in a table made before, reading each value back as its list.
 */
export const RETYPED_LIST_COLUMNS = ['event_kw', 'media_url', 'um_id', 'um_name', 'um_screen_name'] as const satisfies readonly Column['name'][];
export type RetypedListColumn = (typeof RETYPED_LIST_COLUMNS)[number];
