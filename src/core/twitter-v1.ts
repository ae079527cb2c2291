// Normalizer for Twitter API v1.1 JSON (statuses/filter stream, REST, and archives of them) into the tweet row.

import { unescapeTweetText } from './html-text.js';
import { arr, bool, boxOf, int, isObj, type Json, jsonOrNull, pointOf, str, unique } from './json.js';
import type { TweetRow } from './row.js';
import type { PostFeatures } from './tokens.js';

/** The row without what classification adds (event, matched keywords, id, time collected). */
export type PostRow = Omit<TweetRow, 'id' | 'event_name' | 'event_id' | 'event_kw' | 'collected_at' | 'match_targets' | 'match_fields' | 'backfilled'>;

export interface NormalizedPost {
  features: PostFeatures;
  row: PostRow;
}

export type Recognized = { kind: 'post'; post: NormalizedPost } | { kind: 'other'; type: string; detail?: Json } | { kind: 'reject'; reason: string };

/** Stream messages that are not posts: recognised and counted, never errors. */
export const TWITTER_V1_NOTICES = [
  'delete',
  'scrub_geo',
  'limit',
  'status_withheld',
  'user_withheld',
  'disconnect',
  'warning',
  'friends',
  'friends_str',
  'event',
  'for_user',
  'control',
  'direct_message',
] as const;

const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

const TWITTER_DATE = /^\w{3} (\w{3}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2}) (\d{4})$/u;

/**
 * Twitter writes UTC: a known month, a day every month has and a time within the day are the instant as written
 * (Date is needed only for other offsets and to roll over as it does, e.g. Feb 31 or 24:00).
 */
function isPlainUtc(m: RegExpExecArray): boolean {
  const [, month, day, time, offsetHours, offsetMinutes] = m;
  return (
    offsetHours === '+00' &&
    offsetMinutes === '00' &&
    MONTHS[month] !== undefined &&
    day >= '01' &&
    day <= '28' &&
    time.slice(0, 2) <= '23' &&
    time.slice(3, 5) <= '59' &&
    time.slice(6) <= '59'
  );
}

/** `Wed Oct 10 20:19:24 +0000 2018` → `2018-10-10T20:19:24.000Z`; ISO strings pass through; else null. */
export function twitterDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = TWITTER_DATE.exec(v);
  if (m && isPlainUtc(m)) return `${m[6]}-${MONTHS[m[1]]}-${m[2]}T${m[3]}.000Z`;
  const iso = m && MONTHS[m[1]] ? `${m[6]}-${MONTHS[m[1]]}-${m[2]}T${m[3]}${m[4]}:${m[5]}` : v;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** The complete version of a tweet: `extended_tweet` holds the 280-character text and its entities. */
function complete(t: Json): { text: string | null; entities: Json; extended: Json } {
  const ext = isObj(t.extended_tweet) ? t.extended_tweet : null;
  const escaped = str(ext?.full_text) ?? str(t.full_text) ?? str(t.text);
  const text = escaped === null ? null : unescapeTweetText(escaped);
  const entities = isObj(ext?.entities) ? ext.entities : isObj(t.entities) ? t.entities : {};
  const extended = isObj(ext?.extended_entities) ? ext.extended_entities : isObj(t.extended_entities) ? t.extended_entities : {};
  return { text, entities, extended };
}

interface Entities {
  hashtags: string[];
  mentions: { id: string; name: string; screen: string }[];
  urls: { expanded: string; display: string | null }[];
  media: string[];
  /** The media's links (`pic.twitter.com/…` and its expanded form): Twitter matches them as it matches URLs. */
  mediaLinks: string[];
}

function entitiesOf(t: Json): Entities {
  const { entities, extended } = complete(t);
  const hashtags = arr(entities.hashtags)
    .map((h) => (isObj(h) ? str(h.text) : null))
    .filter((h): h is string => h !== null);
  const mentions = arr(entities.user_mentions)
    .filter(isObj)
    .map((m) => ({ id: str(m.id_str) ?? str(m.id) ?? '', name: str(m.name) ?? '', screen: str(m.screen_name) ?? '' }))
    .filter((m) => m.screen !== '');
  const urls = arr(entities.urls)
    .filter(isObj)
    .map((u) => ({ expanded: str(u.expanded_url) ?? str(u.url) ?? '', display: str(u.display_url) }))
    .filter((u) => u.expanded !== '');
  const mediaSource = arr(extended.media).length > 0 ? arr(extended.media) : arr(entities.media);
  const media = mediaSource
    .filter(isObj)
    .map((m) => str(m.media_url_https) ?? str(m.media_url) ?? '')
    .filter((m) => m !== '');
  const mediaLinks = mediaSource.filter(isObj).flatMap((m) => [str(m.expanded_url), str(m.display_url)].filter((u): u is string => u !== null));
  return { hashtags, mentions, urls, media, mediaLinks };
}

/** Tells a post from a stream notice from junk, and normalizes a post. */
export function recognizeTwitterV1(msg: unknown, raw: string): Recognized {
  if (!isObj(msg))
    return { kind: 'reject', reason: `not a post: expected a JSON object, got ${Array.isArray(msg) ? 'an array' : msg === null ? 'null' : typeof msg}` };
  for (const notice of TWITTER_V1_NOTICES) {
    if (notice in msg && !('user' in msg)) return { kind: 'other', type: notice, detail: isObj(msg[notice]) ? msg[notice] : undefined };
  }
  const tId = str(msg.id_str) ?? (typeof msg.id === 'number' ? String(msg.id) : null);
  const user = msg.user;
  const own = complete(msg);
  const missing = [tId === null ? 'id_str' : null, !isObj(user) ? 'user' : null, own.text === null ? 'text' : null].filter(Boolean);
  if (missing.length > 0 || tId === null || !isObj(user) || own.text === null)
    return { kind: 'reject', reason: `not a recognisable Twitter v1.1 post: missing ${missing.join(', ')}` };

  const retweeted = isObj(msg.retweeted_status) ? msg.retweeted_status : null;
  const quoted = isObj(msg.quoted_status) ? msg.quoted_status : null;
  const shown = retweeted ?? msg;
  const shownText = retweeted ? (complete(retweeted).text ?? own.text) : own.text;
  const retweetedUser = retweeted && isObj(retweeted.user) ? str(retweeted.user.screen_name) : null;
  const text = retweeted && retweetedUser ? `RT @${retweetedUser}: ${shownText}` : shownText;

  const ents = entitiesOf(shown);
  // A retweet mentions the retweeted author (its own entities), then whom the original mentions.
  const seen = new Set<string>();
  const mentions = (retweeted ? [...entitiesOf(msg).mentions, ...ents.mentions] : ents.mentions).filter(
    (m) => !seen.has(m.screen.toLowerCase()) && seen.add(m.screen.toLowerCase()) !== undefined,
  );
  const quotedEnts = quoted ? entitiesOf(quoted) : null;
  const texts = [text];
  if (quoted) texts.push(complete(quoted).text ?? '');
  const features: PostFeatures = {
    texts,
    hashtags: unique([...ents.hashtags, ...(quotedEnts?.hashtags ?? [])]),
    mentions: unique([...mentions.map((m) => m.screen), ...(quotedEnts?.mentions.map((m) => m.screen) ?? []), ...(retweetedUser ? [retweetedUser] : [])]),
    urls: unique([
      ...[...ents.urls, ...(quotedEnts?.urls ?? [])].flatMap((u) => (u.display ? [u.expanded, u.display] : [u.expanded])),
      ...ents.mediaLinks,
      ...(quotedEnts?.mediaLinks ?? []),
    ]),
    authors: [str(user.id_str) ?? str(user.id), str(user.screen_name)].filter((a): a is string => a !== null),
    mentionIds: unique(
      [...mentions.map((m) => m.id), str(msg.in_reply_to_user_id_str), retweeted && isObj(retweeted.user) ? str(retweeted.user.id_str) : null].filter(
        (a): a is string => a !== null && a !== '',
      ),
    ),
    point: pointOf(msg.coordinates),
    placeBox: isObj(msg.place) ? boxOf(msg.place.bounding_box) : null,
    lang: str(msg.lang),
  };
  const replyTo = str(msg.in_reply_to_screen_name);
  if (replyTo && !features.mentions.includes(replyTo)) features.mentions.push(replyTo);

  const row: PostRow = {
    t_id: tId,
    hashtags: unique(ents.hashtags),
    media_url: unique(ents.media),
    t_coordinates: jsonOrNull(msg.coordinates),
    t_created_at: twitterDate(msg.created_at),
    t_favorite_count: int(msg.favorite_count),
    t_favorited: bool(msg.favorited),
    t_geo: jsonOrNull(msg.geo),
    t_is_a_retweet: retweeted !== null,
    t_lang: str(msg.lang),
    t_retweet_count: int(msg.retweet_count),
    t_retweeted: bool(msg.retweeted),
    t_text: text,
    u_created_at: twitterDate(user.created_at),
    u_description: str(user.description),
    u_favourites_count: int(user.favourites_count),
    u_followers_count: int(user.followers_count),
    u_friends_count: int(user.friends_count),
    u_geo_enabled: bool(user.geo_enabled),
    u_id: str(user.id_str) ?? str(user.id),
    u_lang: str(user.lang),
    u_listed_count: int(user.listed_count),
    u_location: str(user.location),
    u_name: str(user.name),
    u_screen_name: str(user.screen_name),
    u_statuses_count: int(user.statuses_count),
    u_time_zone: str(user.time_zone),
    u_url: str(user.url),
    u_utc_offset: int(user.utc_offset),
    um_id: mentions.map((m) => m.id),
    um_name: mentions.map((m) => m.name),
    um_screen_name: mentions.map((m) => m.screen),
    urls: unique(ents.urls.map((u) => u.expanded)),
    platform: 'twitter',
    raw,
    t_in_reply_to_status_id: str(msg.in_reply_to_status_id_str) ?? (typeof msg.in_reply_to_status_id === 'number' ? String(msg.in_reply_to_status_id) : null),
    t_in_reply_to_screen_name: replyTo,
  };
  return { kind: 'post', post: { features, row } };
}
