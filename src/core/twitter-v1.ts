// Normalizer for Twitter API v1.1 JSON (statuses/filter stream, REST, and archives of them) into the tweet row.

import { unescapeTweetText } from './html-text.js';
import { arr, bool, boxOf, int, isObj, type Json, jsonOrNull, objectsOf, pointOf, str, unique } from './json.js';
import { ONE_OBJECT_PER_LINE } from './line-limits.js';
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

/** The days of each month of a common year (February gets its 29th in a leap year). */
const MONTH_DAYS: Readonly<Record<string, number>> = {
  Jan: 31,
  Feb: 28,
  Mar: 31,
  Apr: 30,
  May: 31,
  Jun: 30,
  Jul: 31,
  Aug: 31,
  Sep: 30,
  Oct: 31,
  Nov: 30,
  Dec: 31,
};

function daysIn(month: string, year: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 'Feb' && leap ? 29 : MONTH_DAYS[month];
}

/**
 * Twitter writes UTC: a known month, a day that month has and a time within the day are the instant as written
 * (Date is needed only for other offsets and to roll over as it does, e.g. Feb 31 or 24:00). Until 2026-12-03 only
 * days 01–28 were taken as written, and the end of a month (Hurricane Sandy's Oct 29–31) went through Date.
 */
function isPlainUtc(m: RegExpExecArray): boolean {
  const [, month, day, time, offsetHours, offsetMinutes, year] = m;
  return (
    offsetHours === '+00' &&
    offsetMinutes === '00' &&
    MONTH_DAYS[month] !== undefined &&
    day >= '01' &&
    Number(day) <= daysIn(month, Number(year)) &&
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

// Plain loops, not chains of map/filter over spreads: the optimizing compiler took 150–400 ms for each version of
// this code and recompiled it about ten times per thread as posts of new shapes came (a fixed cost that weighed
// on every import's first hundred thousand posts).
function entitiesOf(t: Json): Entities {
  const { entities, extended } = complete(t);
  const out: Entities = { hashtags: [], mentions: [], urls: [], media: [], mediaLinks: [] };
  for (const h of objectsOf(entities.hashtags)) {
    const text = str(h.text);
    if (text !== null) out.hashtags.push(text);
  }
  for (const m of objectsOf(entities.user_mentions)) {
    const screen = str(m.screen_name) ?? '';
    if (screen !== '') out.mentions.push({ id: str(m.id_str) ?? str(m.id) ?? '', name: str(m.name) ?? '', screen });
  }
  for (const u of objectsOf(entities.urls)) {
    const expanded = str(u.expanded_url) ?? str(u.url) ?? '';
    if (expanded !== '') out.urls.push({ expanded, display: str(u.display_url) });
  }
  for (const m of objectsOf(arr(extended.media).length > 0 ? extended.media : entities.media)) {
    const url = str(m.media_url_https) ?? str(m.media_url) ?? '';
    if (url !== '') out.media.push(url);
    for (const link of [str(m.expanded_url), str(m.display_url)]) if (link !== null) out.mediaLinks.push(link);
  }
  return out;
}

/** Tells a post from a stream notice from junk, and normalizes a post. */
export function recognizeTwitterV1(msg: unknown, raw: string): Recognized {
  if (!isObj(msg))
    return {
      kind: 'reject',
      reason: Array.isArray(msg)
        ? `not a post: expected a JSON object, got an array; ${ONE_OBJECT_PER_LINE}`
        : `not a post: expected a JSON object, got ${msg === null ? 'null' : typeof msg}`,
    };
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
  const mentions: Entities['mentions'] = [];
  const seen = new Set<string>();
  for (const list of retweeted ? [entitiesOf(msg).mentions, ents.mentions] : [ents.mentions])
    for (const m of list) {
      const key = m.screen.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        mentions.push(m);
      }
    }
  const quotedEnts = quoted ? entitiesOf(quoted) : null;
  const texts = [text];
  if (quoted) texts.push(complete(quoted).text ?? '');
  const urls = new Set<string>();
  for (const list of quotedEnts ? [ents.urls, quotedEnts.urls] : [ents.urls])
    for (const u of list) {
      urls.add(u.expanded);
      if (u.display) urls.add(u.display);
    }
  for (const list of quotedEnts ? [ents.mediaLinks, quotedEnts.mediaLinks] : [ents.mediaLinks]) for (const link of list) urls.add(link);
  const mentioned = new Set(mentions.map((m) => m.screen));
  if (quotedEnts) for (const m of quotedEnts.mentions) mentioned.add(m.screen);
  if (retweetedUser) mentioned.add(retweetedUser);
  const mentionIds = new Set<string>();
  for (const m of mentions) if (m.id !== '') mentionIds.add(m.id);
  for (const id of [str(msg.in_reply_to_user_id_str), retweeted && isObj(retweeted.user) ? str(retweeted.user.id_str) : null])
    if (id !== null && id !== '') mentionIds.add(id);
  const authors: string[] = [];
  for (const a of [str(user.id_str) ?? str(user.id), str(user.screen_name)]) if (a !== null) authors.push(a);
  const features: PostFeatures = {
    texts,
    hashtags: quotedEnts ? unique(ents.hashtags.concat(quotedEnts.hashtags)) : unique(ents.hashtags),
    mentions: [...mentioned],
    urls: [...urls],
    authors,
    mentionIds: [...mentionIds],
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
