// Coverage accounting: what a collection saw and what it missed, so a paper can state it. The tracker records what
// happens to each source connection (connected, disconnected, reconnects, gaps without data, posts the platform
// withheld in `limit` notices, and a heartbeat while it runs); the report turns those records, with the rejects, into
// uptime, gaps and counts per source over a window, and a timeline.

import { createHash } from 'node:crypto';
import { utcText } from './time-text.js';
import { fold } from './tokens.js';

export type CoverageKind = 'connected' | 'disconnected' | 'reconnect' | 'gap' | 'limit' | 'alive';

export interface CoverageRecord {
  /** Derived from the content: a record delivered twice is stored once. */
  id: string;
  /** twitter-v1, x-v2, jetstream, mastodon. */
  source: string;
  /** The tracker connection slot (tracker-0 …). */
  connection: string;
  kind: CoverageKind;
  at: string;
  /** End of a gap. */
  until: string | null;
  /** Reconnects, or posts withheld (limit). */
  count: number | null;
  detail: string | null;
}

export function coverageRecord(
  r: Omit<CoverageRecord, 'id' | 'until' | 'count' | 'detail'> & Partial<Pick<CoverageRecord, 'until' | 'count' | 'detail'>>,
  instance = '',
): CoverageRecord {
  const full = { source: r.source, connection: r.connection, kind: r.kind, at: r.at, until: r.until ?? null, count: r.count ?? null, detail: r.detail ?? null };
  return {
    id: createHash('sha1')
      .update(JSON.stringify([instance, full]))
      .digest('hex'),
    ...full,
  };
}

export interface Interval {
  from: string;
  to: string;
}

export interface SourceCoverage {
  source: string;
  /** Time connected within the window, and its share of the window. */
  uptimeMs: number;
  uptimeShare: number;
  /** Periods connected, for the timeline. */
  up: Interval[];
  reconnects: number;
  /** Stretches longer than the threshold without a single line from the source. */
  gaps: (Interval & { ms: number })[];
  /** Posts the platform said it withheld (`limit` notices), and when. */
  withheld: number;
  limits: { at: string; count: number }[];
  disconnects: { at: string; detail: string | null }[];
}

export interface CoverageReport {
  window: Interval;
  gapThresholdMs: number;
  sources: SourceCoverage[];
  /** Lines that could not be read as posts in the window (kept in the reject table), from any source. */
  rejects: number;
  /**
   * Of those, the lines whose text holds every word of one of the event's keywords: the rejects likely to be the
   * event's posts (an unreadable line names no event, so this is read from its text). Null when not known.
   */
  eventRejects: number | null;
  rejectsByHour: { hour: string; count: number }[];
  /** The event's stored posts and the span of their own times (post time, not collection time); null when not known. */
  posts: PostSpan | null;
  /** What a methods section can quote. */
  summary: string;
}

export interface PostSpan {
  count: number;
  first: string | null;
  last: string | null;
}

export interface CoverageOptions {
  window: Interval;
  gapThresholdMs: number;
  /** How often a running tracker says it is alive: a connection with no record for longer is taken as down. */
  heartbeatMs: number;
  /** The event's stored posts, to describe archive work (replays and imports have no live connection to report). */
  posts?: PostSpan;
  /** Rejects in the window whose text holds one of the event's keywords (see rejectMentions); null when not known. */
  eventRejects?: number | null;
}

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();

/** Merges overlapping intervals (two connections of one source during a handover count once). */
function union(intervals: [number, number][]): [number, number][] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Up intervals of one connection: from `connected` to `disconnected`, or to the last sign of life plus a heartbeat. */
function upIntervals(records: readonly CoverageRecord[], heartbeatMs: number, windowEnd: number): [number, number][] {
  const out: [number, number][] = [];
  let upSince: number | null = null;
  let lastSeen = 0;
  const close = (end: number): void => {
    if (upSince !== null) out.push([upSince, Math.min(end, windowEnd)]);
    upSince = null;
  };
  for (const r of records) {
    const t = ms(r.at);
    if (r.kind === 'connected') {
      // Connected again with no disconnect in between: the tracker stopped without saying so (a crash).
      if (upSince !== null) close(Math.min(lastSeen + heartbeatMs, t));
      upSince = t;
    } else if (r.kind === 'disconnected') close(t);
    else if (r.kind === 'alive' && upSince !== null && t - lastSeen > 2 * heartbeatMs && lastSeen > upSince) {
      // Silent for two heartbeats: down from the last sign of life until this one.
      close(lastSeen + heartbeatMs);
      upSince = t;
    }
    lastSeen = Math.max(lastSeen, t);
  }
  if (upSince !== null) close(Math.min(windowEnd, lastSeen + heartbeatMs));
  return out;
}

export function coverageReport(
  records: readonly CoverageRecord[],
  rejectsByHour: readonly { hour: string; count: number }[],
  o: CoverageOptions,
): CoverageReport {
  const from = ms(o.window.from);
  const to = ms(o.window.to);
  const span = Math.max(1, to - from);
  const inWindow = (t: number): boolean => t >= from && t <= to;
  const bySource = new Map<string, CoverageRecord[]>();
  for (const r of [...records].sort((a, b) => ms(a.at) - ms(b.at) || a.id.localeCompare(b.id))) {
    const list = bySource.get(r.source);
    if (list) list.push(r);
    else bySource.set(r.source, [r]);
  }
  const sources: SourceCoverage[] = [];
  for (const [source, list] of [...bySource.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const byConnection = new Map<string, CoverageRecord[]>();
    for (const r of list) byConnection.set(r.connection, [...(byConnection.get(r.connection) ?? []), r]);
    const up = union(
      [...byConnection.values()].flatMap((rs) => upIntervals(rs, o.heartbeatMs, to)).map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)]),
    );
    const uptimeMs = up.reduce((n, [a, b]) => n + (b - a), 0);
    const limits = list.filter((r) => r.kind === 'limit' && inWindow(ms(r.at))).map((r) => ({ at: r.at, count: r.count ?? 0 }));
    sources.push({
      source,
      uptimeMs,
      uptimeShare: Math.round((uptimeMs / span) * 10_000) / 10_000,
      up: up.map(([a, b]) => ({ from: iso(a), to: iso(b) })),
      reconnects: list.filter((r) => r.kind === 'reconnect' && inWindow(ms(r.at))).reduce((n, r) => n + (r.count ?? 1), 0),
      gaps: list
        .flatMap((r) => (r.kind === 'gap' && r.until !== null ? [{ from: r.at, to: r.until, ms: ms(r.until) - ms(r.at) }] : []))
        .filter((g) => ms(g.to) >= from && ms(g.from) <= to && g.ms >= o.gapThresholdMs),
      withheld: limits.reduce((n, l) => n + l.count, 0),
      limits,
      disconnects: list.filter((r) => r.kind === 'disconnected' && inWindow(ms(r.at))).map((r) => ({ at: r.at, detail: r.detail })),
    });
  }
  const hours = rejectsByHour.filter((h) => ms(h.hour) + 3_600_000 > from && ms(h.hour) <= to);
  const rejects = hours.reduce((n, h) => n + h.count, 0);
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const summary =
    sources.length === 0
      ? `No live source connection was recorded between ${utcText(o.window.from)} and ${utcText(o.window.to)} (collection time)${archiveWork(o.posts)}; ${rejects} lines were rejected in that time${ofEvent(o.eventRejects)}.`
      : `Between ${utcText(o.window.from)} and ${utcText(o.window.to)}: ${sources
          .map(
            (s) =>
              `${s.source} connected ${pct(s.uptimeShare)} of the time, ${s.reconnects} reconnects, ${s.gaps.length} gaps over ${Math.round(o.gapThresholdMs / 1000)} s without data, ${s.withheld} posts withheld by the platform`,
          )
          .join('; ')}; ${rejects} lines rejected as unreadable${ofEvent(o.eventRejects)}.`;
  return {
    window: o.window,
    gapThresholdMs: o.gapThresholdMs,
    sources,
    rejects,
    eventRejects: o.eventRejects ?? null,
    rejectsByHour: hours,
    posts: o.posts ?? null,
    summary,
  };
}

function ofEvent(eventRejects: number | null | undefined): string {
  return eventRejects === null || eventRejects === undefined
    ? ' (by any source: an unreadable line names no event)'
    : ` (by any source), ${eventRejects} of them holding one of this event's keywords`;
}

/**
 * Whether an unreadable line is likely one of the event's posts: its text holds every word of one of the keywords
 * (case and `#`/`@` aside), as the post would have matched.
 */
export function rejectMentions(line: string, keywords: readonly string[]): boolean {
  const text = fold(line);
  return keywords.some((k) => {
    const words = fold(k)
      .split(/\s+/u)
      .map((w) => w.replace(/^[#@]+/u, ''))
      .filter((w) => w !== '');
    return words.length > 0 && words.every((w) => text.includes(w));
  });
}

/** Where an event's posts came from when no live connection was recorded: archives, and the time the posts span. */
function archiveWork(posts: PostSpan | undefined): string {
  if (!posts || posts.count === 0) return '';
  const span = posts.first && posts.last ? `, posted between ${utcText(posts.first)} and ${utcText(posts.last)} (post time)` : '';
  return `: the event's ${posts.count} posts came from archives (replays, imports)${span}`;
}

const LIMIT_NOTICE = /^\s*\{\s*"limit"\s*:/u;

/** The bytes' text from their first non-space byte, at most `max` bytes of it (enough to tell a notice's start). */
function textStart(bytes: Buffer, max: number): string {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i] >= 0x09 && bytes[i] <= 0x0d))) i++;
  return bytes.toString('utf8', i, i + max);
}

/** The running total of a v1.1 `limit` notice (posts withheld since the connection opened), or null. */
export function limitTotal(line: string | Uint8Array): number | null {
  // A line's bytes are decoded whole only when they start as a limit notice does (few lines are).
  if (typeof line !== 'string') {
    const bytes = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
    return LIMIT_NOTICE.test(textStart(bytes, 64)) ? limitTotal(bytes.toString('utf8')) : null;
  }
  if (!LIMIT_NOTICE.test(line)) return null;
  try {
    const m = JSON.parse(line) as { limit?: { track?: unknown } };
    return typeof m.limit?.track === 'number' ? m.limit.track : null;
  } catch {
    return null;
  }
}
