// One JSON line of any supported format, told apart by its shape and normalized: Twitter v1.1 (the reference),
// X API v2 (stream messages, twarc2 pages and flattened tweets), Bluesky Jetstream commits and Mastodon statuses.

import { isJetstream, recognizeJetstream } from './bluesky.js';
import { isObj } from './json.js';
import { isMastodon, recognizeMastodon } from './mastodon.js';
import { type NormalizedPost, recognizeTwitterV1 } from './twitter-v1.js';
import { isXv2, recognizeXv2, xv2Notice } from './x-v2.js';

export type PostFormat = 'twitter-v1' | 'x-v2' | 'jetstream' | 'mastodon';

export type RecognizedLine =
  | { kind: 'posts'; format: PostFormat; posts: NormalizedPost[] }
  | { kind: 'other'; type: string; detail?: Record<string, unknown> }
  | { kind: 'reject'; reason: string };

export function detectFormat(msg: unknown): PostFormat {
  if (!isObj(msg)) return 'twitter-v1';
  if (isJetstream(msg)) return 'jetstream';
  if (isMastodon(msg)) return 'mastodon';
  if (isXv2(msg)) return 'x-v2';
  return 'twitter-v1';
}

/**
 * A Bluesky post as its app view's API gives it (a postView, alone, in a feed item or in a page of them): not read,
 * but told apart from a broken line (looked for in lines rejected as Twitter v1.1 only), so that the reason says what
 * to do.
 */
function isBlueskyAppView(msg: Record<string, unknown>): boolean {
  const view = (v: unknown): boolean => isObj(v) && typeof v.uri === 'string' && v.uri.startsWith('at://') && isObj(v.record) && isObj(v.author);
  return (
    view(msg) ||
    view(msg.post) ||
    (Array.isArray(msg.posts) && msg.posts.some(view)) ||
    (Array.isArray(msg.feed) && msg.feed.some((f) => isObj(f) && view(f.post)))
  );
}

const APP_VIEW_REJECT =
  "a Bluesky post as its app view's API gives it (postView), which Vigil does not read: collect Bluesky through Jetstream (--source jetstream), or convert the posts to Jetstream commits";

export function recognizeLine(msg: unknown, raw: string): RecognizedLine {
  const format = detectFormat(msg);
  if (format === 'twitter-v1' || !isObj(msg)) {
    const r = recognizeTwitterV1(msg, raw);
    if (r.kind === 'reject' && isObj(msg) && isBlueskyAppView(msg)) return { kind: 'reject', reason: APP_VIEW_REJECT };
    return r.kind === 'post' ? { kind: 'posts', format: 'twitter-v1', posts: [r.post] } : r;
  }
  if (format === 'x-v2') {
    const notice = xv2Notice(msg);
    if (notice) return { kind: 'other', ...notice };
    const r = recognizeXv2(msg, raw);
    return r.posts.length > 0 ? { kind: 'posts', format, posts: r.posts } : { kind: 'reject', reason: r.rejects.join('; ') };
  }
  const r = format === 'jetstream' ? recognizeJetstream(msg, raw) : recognizeMastodon(msg, raw);
  return r.kind === 'post' ? { kind: 'posts', format, posts: [r.post] } : r;
}
