// Normalizer for X API v2 tweets into the tweet row: a filtered-stream message ({data, includes, matching_rules}),
// a twarc2 page ({data: [...], includes, __twarc}) or a flattened tweet (author inline, as twarc2 csv/flatten writes).
// Users, media and places come from `includes` (the expansions); a retweet shows its original's full text.

import { unescapeTweetText } from './html-text.js';
import { arr, int, isObj, isoTime, type Json, jsonOrNull, merged, pointOf, str, unique } from './json.js';
import type { PostFeatures } from './tokens.js';
import type { NormalizedPost, PostRow } from './twitter-v1.js';

interface Includes {
  users: Map<string, Json>;
  /** Users by lower-cased username: a 2021 mention entity has no id. */
  usernames: Map<string, Json>;
  tweets: Map<string, Json>;
  media: Map<string, Json>;
  places: Map<string, Json>;
}

function index(list: unknown, key: string): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const x of arr(list)) {
    const k = isObj(x) ? str(x[key]) : null;
    if (isObj(x) && k) m.set(k, x);
  }
  return m;
}

function includesOf(msg: Json): Includes {
  const inc = isObj(msg.includes) ? msg.includes : {};
  const users = index(inc.users, 'id');
  const usernames = new Map([...users.values()].map((u) => [(str(u.username) ?? '').toLowerCase(), u] as const));
  return { users, usernames, tweets: index(inc.tweets, 'id'), media: index(inc.media, 'media_key'), places: index(inc.places, 'id') };
}

/** The long text and its entities: `note_tweet` holds them for posts over 280 characters. */
function full(t: Json): { text: string | null; entities: Json } {
  const note = isObj(t.note_tweet) ? t.note_tweet : null;
  const text = str(note?.text) ?? str(t.text);
  // v2 text is HTML-escaped as v1.1's is.
  return { text: text === null ? null : unescapeTweetText(text), entities: isObj(note?.entities) ? note.entities : isObj(t.entities) ? t.entities : {} };
}

interface Mention {
  id: string;
  username: string;
  name: string | null;
}

function entities(t: Json, inc: Includes): { hashtags: string[]; mentions: Mention[]; urls: string[] } {
  const e = full(t).entities;
  return {
    hashtags: arr(e.hashtags)
      .filter(isObj)
      .map((h) => str(h.tag) ?? '')
      .filter((h) => h !== ''),
    mentions: arr(e.mentions)
      .filter(isObj)
      .map((m) => {
        const username = str(m.username) ?? '';
        // twarc2's flattened form expands the user into the entity; else includes.users, by id or by username.
        const user = (str(m.id) ? inc.users.get(str(m.id) ?? '') : undefined) ?? inc.usernames.get(username.toLowerCase());
        return { id: str(m.id) ?? str(user?.id) ?? '', username, name: str(m.name) ?? str(user?.name) };
      })
      .filter((m) => m.username !== ''),
    urls: arr(e.urls)
      .filter(isObj)
      .map((u) => str(u.unwound_url) ?? str(u.expanded_url) ?? str(u.url) ?? '')
      .filter((u) => u !== ''),
  };
}

/** Whether a JSON object looks like X v2 output (and not a v1.1 status, which has `user`). */
/** X's problem types (RFC 7807 documents at api.x.com, formerly api.twitter.com, /2/problems/…). */
const PROBLEM_TYPE = /^https:\/\/api\.(?:x|twitter)\.com\/2\/problems\//u;
const isProblem = (o: Json): boolean => typeof o.title === 'string' && PROBLEM_TYPE.test(str(o.type) ?? '');

/**
 * An X v2 message that holds no post by design, as a notice: a stream's problem (`{"errors": [{"title":
 * "operational-disconnect", …}]}` before the stream closes, or a problem document such as ConnectionException), or a
 * page of no results (`meta.result_count` 0, without data or with an empty list). Null for anything else.
 */
export function xv2Notice(msg: Json): { type: string; detail: Json } | null {
  if ('user' in msg || (Array.isArray(msg.data) ? msg.data.length > 0 : msg.data !== undefined)) return null;
  const problem = arr(msg.errors).filter(isObj).find(isProblem) ?? (isProblem(msg) ? msg : undefined);
  if (problem) return { type: `x ${str(problem.title)}`, detail: problem };
  if (isObj(msg.meta) && msg.meta.result_count === 0) return { type: 'x page without results', detail: msg.meta };
  return null;
}

export function isXv2(msg: Json): boolean {
  if ('user' in msg) return false;
  if (xv2Notice(msg)) return true;
  if (Array.isArray(msg.data) || (isObj(msg.data) && ('includes' in msg || 'matching_rules' in msg || str(msg.data.id) !== null))) return true;
  return str(msg.id) !== null && typeof msg.text === 'string' && ('author_id' in msg || 'edit_history_tweet_ids' in msg);
}

/** The tweets of an X v2 message, each normalized; a message without any is reported with the reason. */
export function recognizeXv2(msg: Json, raw: string): { posts: NormalizedPost[]; rejects: string[] } {
  const inc = includesOf(msg);
  const tweets = Array.isArray(msg.data) ? msg.data : isObj(msg.data) ? [msg.data] : [msg];
  const posts: NormalizedPost[] = [];
  const rejects: string[] = [];
  for (const t of tweets) {
    if (!isObj(t)) {
      rejects.push('not a recognisable X v2 tweet: an entry of data is not an object');
      continue;
    }
    // A page holds many posts: each row keeps its own post, with its expansions, as twarc2's flattened form has it.
    const p = normalize(t, inc, Array.isArray(msg.data) ? JSON.stringify(flattened(t, inc)) : raw);
    if (typeof p === 'string') rejects.push(p);
    else posts.push(p);
  }
  if (posts.length === 0 && rejects.length === 0) rejects.push('not a recognisable X v2 message: data holds no tweet');
  return { posts, rejects };
}

function normalize(t: Json, inc: Includes, raw: string): NormalizedPost | string {
  const id = str(t.id);
  const own = full(t);
  if (id === null || own.text === null)
    return `not a recognisable X v2 tweet: missing ${[id === null ? 'id' : null, own.text === null ? 'text' : null].filter(Boolean).join(', ')}`;
  const authorId = str(t.author_id);
  const user = (isObj(t.author) ? t.author : null) ?? (authorId ? inc.users.get(authorId) : undefined) ?? {};
  const refs = arr(t.referenced_tweets).filter(isObj);
  const rtId = str(refs.find((r) => r.type === 'retweeted')?.id);
  const qtId = str(refs.find((r) => r.type === 'quoted')?.id);
  // The referenced tweet from includes, or inline as twarc2's flattened form carries it (with its `author`).
  const referenced = (refId: string | null): Json | null =>
    refId ? (inc.tweets.get(refId) ?? refs.find((r) => str(r.id) === refId && typeof r.text === 'string') ?? null) : null;
  const original = referenced(rtId);
  const quoted = referenced(qtId);
  const originalAuthorId = original ? str(original.author_id) : null;
  const originalAuthor = original
    ? (str(isObj(original.author) ? original.author.username : null) ?? (originalAuthorId ? str(inc.users.get(originalAuthorId)?.username) : null))
    : null;
  const text = original && originalAuthor && full(original).text ? `RT @${originalAuthor}: ${full(original).text}` : own.text;

  const shown = original ?? t;
  const ents = entities(shown, inc);
  const quotedEnts = quoted ? entities(quoted, inc) : null;
  // A retweet mentions the retweeted author (its own entities), then whom the original mentions.
  const mentions = original ? uniqueBy([...entities(t, inc).mentions, ...ents.mentions], (m) => m.username.toLowerCase()) : ents.mentions;
  const placeId = isObj(t.geo) ? str(t.geo.place_id) : null;
  const place = (placeId ? inc.places.get(placeId) : undefined) ?? (isObj(t.geo) && isObj(t.geo.place) ? t.geo.place : undefined);
  const features: PostFeatures = {
    texts: quoted ? [text, full(quoted).text ?? ''] : [text],
    hashtags: unique([...ents.hashtags, ...(quotedEnts?.hashtags ?? [])]),
    mentions: unique([...mentions.map((m) => m.username), ...(quotedEnts?.mentions.map((m) => m.username) ?? []), ...(originalAuthor ? [originalAuthor] : [])]),
    urls: unique([...ents.urls, ...(quotedEnts?.urls ?? [])]),
    authors: [authorId ?? str(user.id), str(user.username)].filter((a): a is string => a !== null),
    mentionIds: unique(
      [...mentions.map((m) => m.id), str(t.in_reply_to_user_id), original ? str(original.author_id) : null].filter((a): a is string => a !== null && a !== ''),
    ),
    point: isObj(t.geo) ? pointOf(t.geo.coordinates) : null,
    // The place's box ([west, south, east, north] in GeoJSON), as a v1.1 place's bounding box counts.
    placeBox: isObj(place?.geo) ? boxFromBbox(place.geo.bbox) : null,
    lang: str(t.lang),
  };
  const replyId = str(refs.find((r) => r.type === 'replied_to')?.id);
  const replyUserId = str(t.in_reply_to_user_id);
  const replyUser = (isObj(t.in_reply_to_user) ? t.in_reply_to_user : null) ?? (replyUserId ? inc.users.get(replyUserId) : undefined);
  const replyTo = str(replyUser?.username);
  if (replyTo && !features.mentions.includes(replyTo)) features.mentions.push(replyTo);
  const metrics = isObj(t.public_metrics) ? t.public_metrics : {};
  const um = isObj(user.public_metrics) ? user.public_metrics : {};
  const geo = isObj(t.geo) ? t.geo : null;
  const mediaKeys = arr(isObj(shown.attachments) ? shown.attachments.media_keys : undefined)
    .map(str)
    .filter((k): k is string => k !== null);
  const inline = isObj(shown.attachments) ? arr(shown.attachments.media).filter(isObj) : [];
  const media = mediaKeys
    .map((k) => inc.media.get(k) ?? inline.find((m) => str(m.media_key) === k))
    .filter(isObj)
    .map((m) => str(m.url) ?? str(m.preview_image_url) ?? '')
    .filter((u) => u !== '');
  const row: PostRow = {
    t_id: id,
    hashtags: unique(ents.hashtags),
    media_url: unique(media),
    t_coordinates: jsonOrNull(geo?.coordinates),
    t_created_at: isoTime(t.created_at),
    t_favorite_count: int(metrics.like_count),
    t_favorited: null,
    // v1.1's legacy `geo` ([lat, long]) has no v2 counterpart; the place is matched by its box.
    t_geo: null,
    t_is_a_retweet: rtId !== null,
    t_lang: str(t.lang),
    t_retweet_count: int(metrics.retweet_count),
    t_retweeted: null,
    t_text: text,
    u_created_at: isoTime(user.created_at),
    u_description: str(user.description),
    u_favourites_count: int(um.like_count),
    u_followers_count: int(um.followers_count),
    u_friends_count: int(um.following_count),
    u_geo_enabled: null,
    u_id: authorId ?? str(user.id),
    u_lang: null,
    u_listed_count: int(um.listed_count),
    u_location: str(user.location),
    u_name: str(user.name),
    u_screen_name: str(user.username),
    u_statuses_count: int(um.tweet_count),
    u_time_zone: null,
    u_url: str(user.url),
    u_utc_offset: null,
    um_id: mentions.map((m) => m.id),
    um_name: mentions.map((m) => m.name ?? null),
    um_screen_name: mentions.map((m) => m.username),
    urls: unique(ents.urls),
    platform: 'x',
    raw,
    t_in_reply_to_status_id: replyId,
    t_in_reply_to_screen_name: replyTo,
  };
  return { features, row };
}

function uniqueBy<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && seen.add(key(x)) !== undefined);
}

/** A GeoJSON bbox [west, south, east, north], or null when it is not four numbers. */
function boxFromBbox(b: unknown): [number, number, number, number] | null {
  const n = arr(b);
  return n.length === 4 && n.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (n as [number, number, number, number]) : null;
}

/**
 * A tweet with its expansions inline, as twarc2's `flatten` writes it: `author`, `in_reply_to_user`, the referenced
 * tweets (each with its author), the media of its attachments and its place.
 */
export function flattened(t: Json, inc: Includes): Json {
  const userOf = (id: unknown) => (typeof id === 'string' ? inc.users.get(id) : undefined);
  const out: Json = { ...t };
  const author = userOf(t.author_id);
  if (author && !isObj(t.author)) out.author = author;
  const replyUser = userOf(t.in_reply_to_user_id);
  if (replyUser && !isObj(t.in_reply_to_user)) out.in_reply_to_user = replyUser;
  if (Array.isArray(t.referenced_tweets))
    out.referenced_tweets = t.referenced_tweets.map((r) => {
      const ref = isObj(r) ? inc.tweets.get(str(r.id) ?? '') : undefined;
      if (!isObj(r) || !ref) return r;
      const refAuthor = userOf(ref.author_id);
      return refAuthor ? merged(r, ref, { author: refAuthor }) : merged(r, ref);
    });
  const ents = isObj(t.entities) ? t.entities : null;
  if (ents && Array.isArray(ents.mentions))
    out.entities = {
      ...ents,
      mentions: ents.mentions.map((m) => {
        const user = isObj(m) ? (userOf(m.id) ?? inc.usernames.get((str(m.username) ?? '').toLowerCase())) : undefined;
        return isObj(m) && user ? merged(user, m) : m;
      }),
    };
  if (isObj(t.attachments) && Array.isArray(t.attachments.media_keys)) {
    const media = t.attachments.media_keys.map((k) => (typeof k === 'string' ? inc.media.get(k) : undefined)).filter(isObj);
    if (media.length > 0) out.attachments = { ...t.attachments, media };
  }
  if (isObj(t.geo) && typeof t.geo.place_id === 'string') {
    const place = inc.places.get(t.geo.place_id);
    if (place) out.geo = { ...t.geo, place };
  }
  return out;
}
