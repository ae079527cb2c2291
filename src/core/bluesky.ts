// Normalizer for Bluesky posts as Jetstream delivers them (a commit event of app.bsky.feed.post) into the tweet row.
// Hashtags, mentions and links come from the record's facets; Jetstream carries DIDs, not handles, so mentions and
// the author are DIDs. Deletions and other collections (likes, reposts, follows) are notices, not posts.

import { arr, isObj, isoTime, type Json, str, unique } from './json.js';
import type { PostFeatures } from './tokens.js';
import type { NormalizedPost, PostRow } from './twitter-v1.js';

export const BLUESKY_POST = 'app.bsky.feed.post';

export function isJetstream(msg: Json): boolean {
  return typeof msg.did === 'string' && typeof msg.kind === 'string' && 'time_us' in msg;
}

export type JetstreamRecognized = { kind: 'post'; post: NormalizedPost } | { kind: 'other'; type: string; detail?: Json } | { kind: 'reject'; reason: string };

export function recognizeJetstream(msg: Json, raw: string): JetstreamRecognized {
  const did = str(msg.did);
  if (did === null) return { kind: 'reject', reason: 'not a recognisable Jetstream message: missing did' };
  if (msg.kind !== 'commit') return { kind: 'other', type: `jetstream ${str(msg.kind) ?? '?'}` };
  const c = isObj(msg.commit) ? msg.commit : null;
  if (!c) return { kind: 'reject', reason: 'not a recognisable Jetstream commit: missing commit' };
  const collection = str(c.collection) ?? '?';
  const op = str(c.operation) ?? '?';
  if (op === 'delete') return { kind: 'other', type: 'delete', detail: { platform: 'bluesky', did, collection, rkey: str(c.rkey) } };
  if (collection !== BLUESKY_POST) return { kind: 'other', type: collection };
  const rec = isObj(c.record) ? c.record : null;
  const rkey = str(c.rkey);
  if (!rec || rkey === null || typeof rec.text !== 'string')
    return {
      kind: 'reject',
      reason: `not a recognisable Bluesky post: missing ${[!rec ? 'record' : null, rkey === null ? 'rkey' : null, rec && typeof rec.text !== 'string' ? 'record.text' : null].filter(Boolean).join(', ')}`,
    };
  const text = rec.text;
  const tags: string[] = [];
  const mentions: string[] = [];
  const links: string[] = [];
  for (const f of arr(rec.facets).filter(isObj)) {
    for (const feat of arr(f.features).filter(isObj)) {
      const type = str(feat.$type) ?? '';
      const [tag, mention, link] = [str(feat.tag), str(feat.did), str(feat.uri)];
      if (type.endsWith('#tag') && tag) tags.push(tag);
      else if (type.endsWith('#mention') && mention) mentions.push(mention);
      else if (type.endsWith('#link') && link) links.push(link);
    }
  }
  const embed = isObj(rec.embed) ? rec.embed : null;
  const external = embed && isObj(embed.external) ? str(embed.external.uri) : null;
  if (external) links.push(external);
  const langs = arr(rec.langs)
    .map(str)
    .filter((l): l is string => l !== null);
  const replyUri = isObj(rec.reply) && isObj(rec.reply.parent) ? str(rec.reply.parent.uri) : null;
  const replyDid = replyUri ? (/^at:\/\/([^/]+)\//u.exec(replyUri)?.[1] ?? null) : null;
  const features: PostFeatures = {
    texts: [text],
    hashtags: unique(tags),
    mentions: [],
    urls: unique(links),
    authors: [did],
    mentionIds: unique([...mentions, ...(replyDid ? [replyDid] : [])]),
    lang: langs[0] ?? null,
    langs,
  };
  const row: PostRow = {
    t_id: `at://${did}/${BLUESKY_POST}/${rkey}`,
    hashtags: unique(tags),
    media_url: imagesOf(did, embed),
    t_coordinates: null,
    t_created_at: isoTime(rec.createdAt) ?? (typeof msg.time_us === 'number' ? new Date(Math.floor(msg.time_us / 1000)).toISOString() : null),
    t_favorite_count: null,
    t_favorited: null,
    t_geo: null,
    t_is_a_retweet: false,
    t_lang: langs[0] ?? null,
    t_retweet_count: null,
    t_retweeted: null,
    t_text: text,
    u_created_at: null,
    u_description: null,
    u_favourites_count: null,
    u_followers_count: null,
    u_friends_count: null,
    u_geo_enabled: null,
    u_id: did,
    u_lang: null,
    u_listed_count: null,
    u_location: null,
    u_name: null,
    // A commit carries no handle (identity events do): null, as the reply's author below; the DID is u_id.
    u_screen_name: null,
    u_statuses_count: null,
    u_time_zone: null,
    u_url: null,
    u_utc_offset: null,
    // A mention facet carries the DID alone: no handle nor name (one null each, so the lists stay aligned).
    um_id: unique(mentions),
    um_name: unique(mentions).map(() => null),
    um_screen_name: unique(mentions).map(() => null),
    urls: unique(links),
    platform: 'bluesky',
    raw,
    t_in_reply_to_status_id: replyUri,
    t_in_reply_to_screen_name: null,
  };
  return { kind: 'post', post: { features, row } };
}

/**
 * Image URLs of an `app.bsky.embed.images` embed (also inside `recordWithMedia`), as Bluesky's app view serves them:
 * the author's DID and each image blob's CID.
 */
function imagesOf(did: string, embed: Json | null): string[] {
  const images = embed && isObj(embed.media) ? embed.media.images : embed?.images;
  return arr(images)
    .filter(isObj)
    .map((i) => (isObj(i.image) && isObj(i.image.ref) ? str(i.image.ref.$link) : null))
    .filter((cid): cid is string => cid !== null && /^[a-z0-9]+$/u.test(cid))
    .map((cid) => `https://cdn.bsky.app/img/feed_fullsize/plain/${did}/${cid}@jpeg`);
}
