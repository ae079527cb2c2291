// Reading back the multi-valued columns of rows stored before they were lists (`event_kw`, `media_url`, `um_*` were
// text joined with commas). Ids, handles, URLs and keywords split back on the comma; a display name may hold a comma
// itself, so mentioned names are split only when that gives one per mentioned id, and otherwise taken again from the
// row's own raw post.

import { recognizeLine } from './formats.js';
import { LEGACY_SEPARATOR } from './row.js';

/** A comma-joined value as its list: null and '' are the empty list. */
export function legacyList(text: string | null): string[] {
  return text === null || text === '' ? [] : text.split(LEGACY_SEPARATOR);
}

export interface LegacyMentionRow {
  t_id: string;
  um_id: string | null;
  um_name: string | null;
  raw: string;
}

/** True when splitting `um_name` on commas cannot be trusted: it does not give one name per mentioned id. */
export function mentionNamesAmbiguous(row: Pick<LegacyMentionRow, 'um_id' | 'um_name'>): boolean {
  return row.um_name !== null && legacyList(row.um_name).length !== legacyList(row.um_id).length;
}

/**
 * The names of a legacy row's mentions, one per id ('' stood for a name the payload did not give, and a null column
 * for a platform that gives none: null now, one per id).
 */
export function legacyMentionNames(row: LegacyMentionRow): (string | null)[] {
  if (row.um_name === null) return legacyList(row.um_id).map(() => null);
  const split = legacyList(row.um_name).map((n) => (n === '' ? null : n));
  if (!mentionNamesAmbiguous(row)) return split;
  const again = fromRaw(row);
  return again ?? split;
}

/** The handles of a legacy row's mentions, one per id (null where the platform gave none: Bluesky). */
export function legacyMentionHandles(row: Pick<LegacyMentionRow, 'um_id'> & { um_screen_name: string | null }): (string | null)[] {
  return row.um_screen_name === null ? legacyList(row.um_id).map(() => null) : legacyList(row.um_screen_name);
}

function fromRaw(row: LegacyMentionRow): (string | null)[] | null {
  let msg: unknown;
  try {
    msg = JSON.parse(row.raw);
  } catch {
    return null;
  }
  const r = recognizeLine(msg, row.raw);
  if (r.kind !== 'posts') return null;
  return r.posts.find((p) => p.row.t_id === row.t_id)?.row.um_name ?? null;
}
