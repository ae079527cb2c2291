// One input line in, its outcome out: rows (one per matching event), a recognised notice, or a reject with a reason.

import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { type DeletionRecord, deletionOf } from './deletions.js';
import { errorMessage } from './errors.js';
import { uuidFromText } from './event-id.js';
import { recognizeLine } from './formats.js';
import { MAX_LINE_BYTES, NOT_UTF8, ONE_OBJECT_PER_LINE } from './line-limits.js';
import type { Matcher } from './matcher.js';
import type { TweetRow } from './row.js';
import { type PostFields, type RowBatch, RowBatchBuilder, type RowOwnFields } from './row-batch.js';

export type LineOutcome =
  | { kind: 'post'; postId: string /** Posts in the line (a twarc2 page holds many). */; posts: number; rows: TweetRow[] }
  | { kind: 'other'; type: string; detail?: Record<string, unknown> }
  | { kind: 'reject'; reason: string }
  | { kind: 'blank' };

export interface RejectRecord {
  /** SHA-1 of the line and its bus key: the same line delivered twice (a replay after a crash) is kept once. */
  id: string;
  line: string;
  reason: string;
  source: string;
  at: string;
}

/**
 * UUID (version 5 layout) from the row's identity, so the same (event, post) always gets the same id, also after the
 * event is renamed (`eventId` is the event's identity, not its name).
 */
export function rowId(eventId: string, platform: string, tId: string): string {
  return uuidFromText(`${platform}\u0000${eventId}\u0000${tId}`);
}

/** SHA-1 of a line, its text or its bytes (the same for a text and its UTF-8 bytes). */
export function lineId(line: string | Uint8Array): string {
  return createHash('sha1').update(line).digest('hex');
}

const MAX_REASON_SAMPLE = 60;

/** What more to say of a line that is not JSON: cut at the longest line read, or the start of a JSON array. */
function invalidJsonHint(line: string): string {
  // A cut that split a character decodes to a replacement character: a few bytes either way.
  const cut = line.length >= MAX_LINE_BYTES / 3 && Buffer.byteLength(line, 'utf8') >= MAX_LINE_BYTES - 3;
  const parts = cut ? [`the line was longer than ${MAX_LINE_BYTES >> 20} MiB and was cut there`] : [];
  if (line.trimStart().startsWith('[')) parts.push(ONE_OBJECT_PER_LINE);
  return parts.length === 0 ? '' : `; ${parts.join('; ')}`;
}

/** A post and the rows it gets: one per event it matched, each the event's side of the row. */
export interface MatchedPost {
  post: PostFields;
  rows: RowOwnFields[];
}

type MatchOutcome = Exclude<LineOutcome, { kind: 'post' }> | { kind: 'post'; postId: string; posts: number; matched: MatchedPost[] };

/** Parses, recognizes and matches one raw line, leaving each post's fields apart from its rows' own (see RowBatchBuilder). */
function matchLine(line: string, matcher: Matcher, collectedAt: string): MatchOutcome {
  if (line.trim() === '') return { kind: 'blank' };
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (err) {
    const sample = line.length > MAX_REASON_SAMPLE ? `${line.slice(0, MAX_REASON_SAMPLE)}…` : line;
    return { kind: 'reject', reason: `invalid JSON (${errorMessage(err)}) in line starting ${JSON.stringify(sample)}${invalidJsonHint(line)}` };
  }
  const r = recognizeLine(msg, line);
  if (r.kind !== 'posts') return r;
  const matched = r.posts.map(({ features, row }) => ({
    post: row,
    rows: matcher.match(features).map((m) => ({
      id: rowId(m.eventId, row.platform, row.t_id),
      event_kw: [...m.keywords],
      event_name: m.event,
      event_id: m.eventId,
      collected_at: collectedAt,
      match_targets: m.targets,
      match_fields: m.fields,
      backfilled: false,
    })),
  }));
  return { kind: 'post', postId: r.posts[0].row.t_id, posts: r.posts.length, matched };
}

/** classifyLine of a line read as bytes, with its text: bytes that are not UTF-8 are rejected (their characters would be lost). */
export function classifyLineBytes(bytes: Uint8Array, matcher: Matcher, collectedAt: string): { text: string; outcome: LineOutcome } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return { text, outcome: isUtf8(bytes) ? classifyLine(text, matcher, collectedAt) : { kind: 'reject', reason: NOT_UTF8 } };
}

/** Classifies one raw line against all active events at once. Blank lines are stream keep-alives. */
export function classifyLine(line: string, matcher: Matcher, collectedAt: string): LineOutcome {
  const o = matchLine(line, matcher, collectedAt);
  if (o.kind !== 'post') return o;
  const rows: TweetRow[] = [];
  for (const { post, rows: own } of o.matched) {
    const { t_id, ...rest } = post;
    for (const r of own)
      rows.push({
        id: r.id,
        t_id,
        event_kw: r.event_kw,
        event_name: r.event_name,
        event_id: r.event_id,
        ...rest,
        collected_at: r.collected_at,
        match_targets: r.match_targets,
        match_fields: r.match_fields,
        backfilled: r.backfilled,
      });
  }
  return { kind: 'post', postId: o.postId, posts: o.posts, rows };
}

/** Running totals of what a stream of lines held; `lines` counts non-blank lines. */
export interface ClassifyCounts {
  lines: number;
  posts: number;
  rows: number;
  rejected: number;
  other: number;
  /**
   * Posts the platform said it withheld. A v1.1 `limit` notice carries the running total since the connection opened,
   * so a drop in that total marks a new connection and the previous total is carried over.
   */
  limited: number;
  lastLimitTotal: number;
}

export function emptyCounts(): ClassifyCounts {
  return { lines: 0, posts: 0, rows: 0, rejected: 0, other: 0, limited: 0, lastLimitTotal: 0 };
}

export function countOutcome(c: ClassifyCounts, o: LineOutcome | MatchOutcome): void {
  if (o.kind === 'blank') return;
  c.lines++;
  if (o.kind === 'post') {
    c.posts += o.posts;
    c.rows += 'rows' in o ? o.rows.length : o.matched.reduce((n, m) => n + m.rows.length, 0);
  } else if (o.kind === 'reject') c.rejected++;
  else {
    c.other++;
    const total = o.type === 'limit' ? o.detail?.track : undefined;
    if (typeof total === 'number' && total >= 0) {
      c.limited += total >= c.lastLimitTotal ? total - c.lastLimitTotal : total;
      c.lastLimitTotal = total;
    }
  }
}

export interface BatchOutcome {
  rows: RowBatch;
  rejects: RejectRecord[];
  counts: ClassifyCounts;
  /** Rows per event name in this batch (for metrics). */
  matches: Record<string, number>;
  /** Posts the batch's deletion notices remove. */
  deletions: DeletionRecord[];
}

/**
 * A batch's lines, read one at a time: an array, or lines decoded only when asked for (a worker's batch is 3 MB of
 * text; decoded one line at a time, only the line being parsed is alive, not the whole batch, and peak RSS is about
 * 50 MB lower in the 200,000-post benchmark).
 */
export interface Lines {
  readonly length: number;
  at(index: number): string | undefined;
  /** True when line i's bytes are not UTF-8 (lines read as bytes know; text is text). */
  notText?(index: number): boolean;
}

/**
 * Classifies a batch of raw lines; `sources[i]` says where line i was read (kept with a reject) and `keys[i]` is its
 * bus key (the post id, or where the tracker read it), which with the line identifies a reject across re-deliveries.
 * `positions[i]`, when given, is where line i sits in the embedded log: its rows refer to it there (see rowBatch).
 */
export function classifyBatch(
  lines: Lines,
  sources: readonly string[],
  matcher: Matcher,
  now: string,
  keys: readonly (string | null)[] = [],
  positions: readonly (number | null)[] = [],
): BatchOutcome {
  const rows = new RowBatchBuilder();
  const rejects: RejectRecord[] = [];
  const counts = emptyCounts();
  const matches: Record<string, number> = {};
  const deletions: DeletionRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const value = lines.at(i) ?? '';
    const outcome: MatchOutcome = lines.notText?.(i) ? { kind: 'reject', reason: NOT_UTF8 } : matchLine(value, matcher, now);
    countOutcome(counts, outcome);
    if (outcome.kind === 'post') {
      for (const { post, rows: own } of outcome.matched) {
        rows.addPost(post, own, positions[i] ?? null);
        for (const r of own) matches[r.event_name] = (matches[r.event_name] ?? 0) + 1;
      }
    } else if (outcome.kind === 'other') {
      const d = deletionOf(outcome.type, outcome.detail, now);
      if (d) deletions.push(d);
    } else if (outcome.kind === 'reject')
      rejects.push({ id: lineId(`${keys[i] ?? ''}\n${value}`), line: value, reason: outcome.reason, source: sources[i], at: now });
  }
  return { rows: rows.build(), rejects, counts, matches, deletions };
}

const POST_ID = /"id_str"\s*:\s*"([^"]{1,64})"/u;

/**
 * The post id of a raw line, found without parsing it (a Twitter v1.1 post's own `id_str` comes before those of its
 * user and retweeted post): the key raw posts are published under. Null when there is none.
 */
export function rawPostKey(line: string): string | null {
  return POST_ID.exec(line)?.[1] ?? null;
}
