// Deletion notices of every platform, as records that mark stored posts deleted: Twitter v1.1 `delete`, Jetstream
// delete commits of posts, Mastodon `delete` events. Exports leave deleted posts out by default (the platforms' terms).

export interface DeletionRecord {
  platform: string;
  /** The post id as stored in t_id (for Mastodon: the status id, matched against the end of the stored URI). */
  t_id: string;
  deleted_at: string;
}

type Detail = Record<string, unknown> | undefined;

/** A stored post as a deletion notice names it: its t_id, but for Mastodon the status id that ends its URI. */
export interface PostKey {
  platform: string;
  t_id: string;
}

export function deletionKey(platform: string, tId: string): PostKey {
  return { platform, t_id: platform === 'mastodon' ? tId.slice(tId.lastIndexOf('/') + 1) : tId };
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
