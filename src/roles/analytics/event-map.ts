// The event map's posts: the newest `limit` posts with a position (own coordinates, or a place's centre). Which posts
// have a place is known only from their raw JSON, so the candidates are read newest first, in slices of post time
// where the engine reads a slice's rows only: a big event's map reads the posts it shows and those between them, not
// every post of the event, and stops looking further back after MAP_READ_MS.

import { geoCandidatesSql, type PostTimes, postTimesSql, type Sql } from '../../core/analyses.js';
import { type GeoPost, geoOf } from '../../core/geo.js';

/**
 * Rows the first slice holds (estimated from the event's span and rows): ten per post asked for, within these bounds;
 * each next slice twice as long, up to LONGEST_SLICE_ROWS (about 5 s of reading raw posts on 2 cores).
 */
const FIRST_SLICE_ROWS = { perPost: 10, least: 2_000, most: 100_000 };
const LONGEST_SLICE_ROWS = 400_000;

/** After this long the map starts no older slice: it shows what it found and says from when it read. */
export const MAP_READ_MS = 10_000;

export interface EventMap {
  posts: GeoPost[];
  /** Posts read that might have a position (the newest first). */
  scanned: number;
  limit: number;
  /** The oldest post time read when the map stopped looking before the event's first post (MAP_READ_MS), else null. */
  readFrom: string | null;
}

type Rows = <T>(sql: string) => Promise<T[]>;
type Candidate = Record<string, unknown>;

/** How the candidates are read: the clock MAP_READ_MS is counted on, and the first slice's rows (tests change them). */
export interface MapReading {
  clock: () => number;
  firstSliceRows?: number;
}

/** The map of an event: the newest `limit` posts with a position, each placed, and how far back they were looked for. */
export async function readEventMap(rows: Rows, q: Sql, event: string, limit: number, reading: Partial<MapReading> = {}): Promise<EventMap> {
  const how = { clock: Date.now, ...reading };
  const read = q.slicesByTime
    ? await newestBySlices(rows, q, event, limit, how)
    : { candidates: await rows<Candidate>(geoCandidatesSql(q, event, limit)), readFrom: null };
  const posts: GeoPost[] = [];
  for (const r of read.candidates) {
    const at = geoOf(String(r.raw ?? ''));
    if (!at) continue;
    posts.push({
      platform: String(r.platform),
      t_id: String(r.t_id),
      ...at,
      text: String(r.t_text ?? ''),
      user: r.u_screen_name === null || r.u_screen_name === undefined ? null : String(r.u_screen_name),
      createdAt: r.t_created_at === null || r.t_created_at === undefined ? null : String(r.t_created_at),
    });
  }
  return { posts, scanned: read.candidates.length, limit, readFrom: read.readFrom };
}

/** The candidates newest first, slice by slice back from the event's last post, then those without a post time. */
async function newestBySlices(
  rows: Rows,
  q: Sql,
  event: string,
  limit: number,
  how: MapReading,
): Promise<{ candidates: Candidate[]; readFrom: string | null }> {
  const started = how.clock();
  const candidates: Candidate[] = [];
  const more = async (times: PostTimes) => {
    candidates.push(...(await rows<Candidate>(geoCandidatesSql(q, event, limit - candidates.length, times))));
  };
  const [span] = await rows<{ first: string | null; last: string | null; n: number }>(postTimesSql(q, event));
  if (span?.first && span.last && Number(span.n) > 0) {
    const first = Date.parse(span.first);
    let before = Date.parse(span.last) + 1;
    const msPerRow = (before - first) / Number(span.n);
    const firstRows = how.firstSliceRows ?? Math.min(FIRST_SLICE_ROWS.most, Math.max(FIRST_SLICE_ROWS.least, limit * FIRST_SLICE_ROWS.perPost));
    let step = Math.max(1000, Math.ceil(msPerRow * firstRows));
    const longest = Math.max(step, Math.ceil(msPerRow * LONGEST_SLICE_ROWS));
    while (candidates.length < limit && before > first) {
      if (how.clock() - started > MAP_READ_MS) return { candidates, readFrom: new Date(before).toISOString() };
      const from = Math.max(first, before - step);
      await more({ from: new Date(from).toISOString(), before: new Date(before).toISOString() });
      before = from;
      step = Math.min(step * 2, longest);
    }
  }
  if (candidates.length < limit) await more('undated');
  return { candidates, readFrom: null };
}
