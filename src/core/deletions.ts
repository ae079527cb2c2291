// Deletion notices of every platform, as records that mark stored posts deleted: Twitter v1.1 `delete`, Jetstream
// delete commits of posts, Mastodon `delete` events. Exports leave deleted posts out by default (the platforms' terms).

export interface DeletionRecord {
  platform: string;
  /** The post id as stored in t_id (for Mastodon: the status id, matched against the end of the stored URI). */
  t_id: string;
  deleted_at: string;
}

import { isObj, str } from './json.js';

type Detail = Record<string, unknown> | undefined;

/** A stored post as a deletion notice names it. */
export interface PostKey {
  platform: string;
  t_id: string;
}

/**
 * The key a deletion notice names a stored post by: its t_id, but for Mastodon the instance-local status id of the
 * payload it came in (a `delete` event carries only that; the URI of a boost or of a post from another server does
 * not end in it). Without the payload, the last segment of the URI.
 */
export function deletionKey(platform: string, tId: string, raw?: string | null): PostKey {
  if (platform !== 'mastodon') return { platform, t_id: tId };
  return { platform, t_id: (raw ? mastodonLocalId(raw) : null) ?? tId.slice(tId.lastIndexOf('/') + 1) };
}

/** The `id` of the status in a Mastodon line: a status, or a streaming event whose payload is one (as JSON text). */
function mastodonLocalId(raw: string): string | null {
  try {
    let msg: unknown = JSON.parse(raw);
    if (isObj(msg) && typeof msg.event === 'string') msg = typeof msg.payload === 'string' ? JSON.parse(msg.payload) : msg.payload;
    return isObj(msg) ? str(msg.id) : null;
  } catch {
    return null;
  }
}

/** The deletion a notice announces, or null when it is not a post deletion. */
export function deletionOf(type: string, detail: Detail, now: string): DeletionRecord | null {
  if (type !== 'delete' || !detail) return null;
  if (detail.platform === 'bluesky') {
    if (detail.collection !== 'app.bsky.feed.post' || typeof detail.did !== 'string' || typeof detail.rkey !== 'string') return null;
    return { platform: 'bluesky', t_id: `at://${detail.did}/app.bsky.feed.post/${detail.rkey}`, deleted_at: now };
  }
  if (detail.platform === 'mastodon') return typeof detail.id === 'string' ? { platform: 'mastodon', t_id: detail.id, deleted_at: now } : null;
  const status = detail.status as Record<string, unknown> | undefined;
  const id = typeof status?.id_str === 'string' ? status.id_str : typeof status?.id === 'number' ? String(status.id) : null;
  if (id === null) return null;
  const ms = Number(detail.timestamp_ms);
  return { platform: 'twitter', t_id: id, deleted_at: Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : now };
}
