// Normalizer for Mastodon statuses into the tweet row: a status as the REST API returns it, or a streaming event
// ({"event": "update" | "status.update" | "delete", "payload": "..."}, as the WebSocket sends and archives keep).
// The HTML content becomes text; a content warning is part of the text; a boost is a retweet of the original.

import { errorMessage } from './errors.js';
import { htmlToText } from './html-text.js';
import { arr, bool, int, isObj, isoTime, type Json, str, unique } from './json.js';
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
      return { kind: 'reject', reason: `Mastodon ${msg.event} with a payload that is not JSON (${errorMessage(err)})` };
    }
  }
  if (!isObj(status) || str(status.id) === null || typeof status.content !== 'string' || !isObj(status.account))
    return { kind: 'reject', reason: 'not a recognisable Mastodon status: missing id, content or account' };
  const account = status.account;
  const boost = isObj(status.reblog) ? status.reblog : null;
  const shown = boost ?? status;
  const shownAccount = isObj(shown.account) ? shown.account : account;
  const handle = fullHandle(account);
  const content = withoutQuoteFallback(str(shown.content) ?? '');
  const warning = str(shown.spoiler_text) ?? '';
  const body = htmlToText(content);
  const shownText = warning ? `${warning}\n\n${body}` : body;
  const text = boost ? `RT @${fullHandle(shownAccount) ?? '?'}: ${shownText}` : shownText;
  const tags = hashtagsOf(content, shown.tags);
  const mentions = arr(shown.mentions)
    .filter(isObj)
    .map((m) => ({ id: str(m.id) ?? '', url: str(m.url) ?? '', acct: str(m.acct) ?? '', handle: fullHandle(m) ?? '', username: str(m.username) ?? '' }))
    .filter((m) => m.acct !== '');
  const links = [...content.matchAll(/<a\s[^>]*href="([^"]+)"[^>]*>/giu)]
    .filter((m) => !/class="[^"]*(mention|hashtag)/iu.test(m[0]))
    .map((m) => m[1].replace(/&amp;/gu, '&'));
  const card = isObj(shown.card) ? str(shown.card.url) : null;
  if (card) links.push(card);
  // A quoted post counts for matching as a v1.1 quote does (Mastodon 4.4+: quote.quoted_status).
  const quoted = isObj(shown.quote) && isObj(shown.quote.quoted_status) ? shown.quote.quoted_status : null;
  const quotedContent = quoted ? withoutQuoteFallback(str(quoted.content) ?? '') : '';
  const features: PostFeatures = {
    texts: quoted ? [text, htmlToText(quotedContent)] : [text],
    hashtags: unique([...tags, ...(quoted ? hashtagsOf(quotedContent, quoted.tags) : [])]),
    mentions: unique(
      [...mentions.flatMap((m) => [m.handle, m.acct, m.username]), ...(boost ? [fullHandle(shownAccount) ?? '', str(shownAccount.acct) ?? ''] : [])].filter(
        (m) => m !== '',
      ),
    ),
    urls: unique(links),
    authors: [str(account.url), str(account.id), handle, str(account.acct)].filter((a): a is string => a !== null),
    mentionIds: unique(mentions.flatMap((m) => [m.id, m.url]).filter((m) => m !== '')),
    lang: str(shown.language),
  };
  const replyAccount = str(status.in_reply_to_account_id);
  const replyTo = replyAccount ? (mentions.find((m) => m.id === replyAccount)?.handle ?? (replyAccount === str(account.id) ? handle : null)) : null;
  const media = arr(shown.media_attachments)
    .filter(isObj)
    .map((m) => str(m.url) ?? '')
    .filter((u) => u !== '');
  const row: PostRow = {
    t_id: str(status.uri) ?? str(status.url) ?? String(status.id),
    hashtags: unique(tags),
    media_url: unique(media),
    t_coordinates: null,
    t_created_at: isoTime(status.created_at),
    // Counts, flags and language are the status's own (a boost's wrapper has its own); the flags need a user token.
    t_favorite_count: int(status.favourites_count),
    t_favorited: bool(status.favourited),
    t_geo: null,
    t_is_a_retweet: boost !== null,
    t_lang: str(status.language),
    t_retweet_count: int(status.reblogs_count),
    t_retweeted: bool(status.reblogged),
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
    u_screen_name: handle,
    u_statuses_count: int(account.statuses_count),
    u_time_zone: null,
    u_url: str(account.url),
    u_utc_offset: null,
    // A mention's account is known everywhere by its profile URL (its id is the instance's own); it has no display name.
    um_id: mentions.map((m) => m.url || m.id),
    um_name: mentions.map(() => null),
    um_screen_name: mentions.map((m) => m.handle),
    urls: unique(links),
    platform: 'mastodon',
    raw,
    t_in_reply_to_status_id: str(status.in_reply_to_id),
    t_in_reply_to_screen_name: replyTo,
  };
  return { kind: 'post', post: { features, row } };
}

/**
 * `user@domain` for every account: `acct` is the bare username for an account of the instance that served the post,
 * completed here with the host of the account's URL, so `name@mastodon.social` is one handle wherever it was fetched.
 */
function fullHandle(account: Json): string | null {
  const acct = str(account.acct);
  if (acct === null || acct.includes('@')) return acct;
  const url = str(account.url);
  const host = url ? /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/iu.exec(url)?.[1] : undefined;
  return host ? `${acct}@${host}` : acct;
}

/** The "RE: <link>" paragraph a server prepends to a quote post for older clients (class quote-inline): not the post's words. */
function withoutQuoteFallback(html: string): string {
  return html.replace(/<p\s[^>]*class="[^"]*\bquote-inline\b[^"]*"[^>]*>[\s\S]*?<\/p>/giu, '');
}

/** Hashtags as the author wrote them (the hashtag links of the content); `tags[].name` when the content has none. */
function hashtagsOf(content: string, tags: unknown): string[] {
  const written = [...content.matchAll(/<a\s[^>]*class="[^"]*\bhashtag\b[^"]*"[^>]*>([\s\S]*?)<\/a>/giu)]
    .map((m) => htmlToText(m[1]).replace(/^#/u, ''))
    .filter((t) => t !== '');
  if (written.length > 0) return unique(written);
  return unique(
    arr(tags)
      .filter(isObj)
      .map((t) => str(t.name) ?? '')
      .filter((t) => t !== ''),
  );
}
