// Normalizer for Mastodon statuses into the tweet row: a status as the REST API returns it, or a streaming event
// ({"event": "update" | "status.update" | "delete", "payload": "..."}, as the WebSocket sends and archives keep).
// The HTML content becomes text; a content warning is part of the text; a boost is a retweet of the original.

import { htmlToText } from './html-text.js';
import { arr, int, isObj, isoTime, type Json, joined, str, unique } from './json.js';
import type { PostFeatures } from './tokens.js';
import type { NormalizedPost, PostRow } from './twitter-v1.js';

export function isMastodon(msg: Json): boolean {
  if (typeof msg.event === 'string' && 'payload' in msg) return true;
  return str(msg.id) !== null && typeof msg.content === 'string' && isObj(msg.account);
}

export type MastodonRecognized = { kind: 'post'; post: NormalizedPost } | { kind: 'other'; type: string; detail?: Json } | { kind: 'reject'; reason: string };

export function recognizeMastodon(msg: Json, raw: string): MastodonRecognized {
  let status: unknown = msg;
  if (typeof msg.event === 'string') {
    if (msg.event === 'delete') return { kind: 'other', type: 'delete', detail: { platform: 'mastodon', id: str(msg.payload) } };
    if (msg.event !== 'update' && msg.event !== 'status.update') return { kind: 'other', type: `mastodon ${msg.event}` };
    try {
      status = typeof msg.payload === 'string' ? JSON.parse(msg.payload) : msg.payload;
    } catch (err) {
      return { kind: 'reject', reason: `Mastodon ${msg.event} with a payload that is not JSON (${(err as Error).message})` };
    }
  }
  if (!isObj(status) || str(status.id) === null || typeof status.content !== 'string' || !isObj(status.account))
    return { kind: 'reject', reason: 'not a recognisable Mastodon status: missing id, content or account' };
  const account = status.account;
  const boost = isObj(status.reblog) ? status.reblog : null;
  const shown = boost ?? status;
  const shownAccount = isObj(shown.account) ? shown.account : account;
  const warning = str(shown.spoiler_text) ?? '';
  const body = htmlToText(str(shown.content) ?? '');
  const shownText = warning ? `${warning}\n${body}` : body;
  const text = boost ? `RT @${str(shownAccount.acct) ?? '?'}: ${shownText}` : shownText;
  const tags = arr(shown.tags)
    .filter(isObj)
    .map((t) => str(t.name) ?? '')
    .filter((t) => t !== '');
  const mentions = arr(shown.mentions)
    .filter(isObj)
    .map((m) => ({ id: str(m.id) ?? '', acct: str(m.acct) ?? '', username: str(m.username) ?? '' }))
    .filter((m) => m.acct !== '');
  const links = [...(str(shown.content) ?? '').matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>/giu)]
    .filter((m) => !/class="[^"]*(mention|hashtag)/iu.test(m[0]))
    .map((m) => m[1].replace(/&amp;/gu, '&'));
  const card = isObj(shown.card) ? str(shown.card.url) : null;
  if (card) links.push(card);
  const features: PostFeatures = {
    texts: [text],
    hashtags: unique(tags),
    mentions: unique([...mentions.flatMap((m) => [m.acct, m.username]), ...(boost ? [str(shownAccount.acct) ?? ''] : [])].filter((m) => m !== '')),
    urls: unique(links),
    authors: [str(account.url), str(account.id), str(account.acct)].filter((a): a is string => a !== null),
    mentionIds: unique(mentions.map((m) => m.id).filter((m) => m !== '')),
    lang: str(shown.language),
  };
  const replyAccount = str(status.in_reply_to_account_id);
  const replyTo = replyAccount ? (mentions.find((m) => m.id === replyAccount)?.acct ?? (replyAccount === str(account.id) ? str(account.acct) : null)) : null;
  const media = arr(shown.media_attachments)
    .filter(isObj)
    .map((m) => str(m.url) ?? '')
    .filter((u) => u !== '');
  const row: PostRow = {
    t_id: str(status.uri) ?? str(status.url) ?? String(status.id),
    hashtags: unique(tags),
    media_url: joined(unique(media)),
    t_coordinates: null,
    t_created_at: isoTime(status.created_at),
    t_favorite_count: int(shown.favourites_count),
    t_favorited: null,
    t_geo: null,
    t_is_a_retweet: boost !== null,
    t_lang: str(shown.language),
    t_retweet_count: int(shown.reblogs_count),
    t_retweeted: null,
    t_text: text,
    u_created_at: isoTime(account.created_at),
    u_description: typeof account.note === 'string' ? htmlToText(account.note) : null,
    u_favourites_count: null,
    u_followers_count: int(account.followers_count),
    u_friends_count: int(account.following_count),
    u_geo_enabled: null,
    u_id: str(account.url) ?? str(account.id),
    u_lang: null,
    u_listed_count: null,
    u_location: null,
    u_name: str(account.display_name),
    u_screen_name: str(account.acct),
    u_statuses_count: int(account.statuses_count),
    u_time_zone: null,
    u_url: str(account.url),
    u_utc_offset: null,
    um_id: joined(mentions.map((m) => m.id)),
    um_name: joined(mentions.map((m) => m.username)),
    um_screen_name: joined(mentions.map((m) => m.acct)),
    urls: unique(links),
    platform: 'mastodon',
    raw,
    t_in_reply_to_status_id: str(status.in_reply_to_id),
    t_in_reply_to_screen_name: replyTo,
  };
  return { kind: 'post', post: { features, row } };
}
