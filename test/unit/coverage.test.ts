import { describe, expect, it } from 'vitest';
import { type CoverageKind, coverageRecord, coverageReport, limitTotal, rejectMentions } from '../../src/core/coverage.js';

const T = (min: number): string => new Date(Date.UTC(2026, 0, 1, 0, min)).toISOString();
const rec = (kind: CoverageKind, min: number, extra: { connection?: string; until?: number; count?: number; detail?: string; source?: string } = {}) =>
  coverageRecord({
    source: extra.source ?? 'twitter-v1',
    connection: extra.connection ?? 'tracker-0',
    kind,
    at: T(min),
    until: extra.until === undefined ? null : T(extra.until),
    count: extra.count,
    detail: extra.detail,
  });
const window = { from: T(0), to: T(100) };
const o = { window, gapThresholdMs: 60_000, heartbeatMs: 60_000 };

describe('coverage report', () => {
  it('uptime runs from connected to disconnected; reconnects, gaps and withheld posts are counted in the window', () => {
    const r = coverageReport(
      [
        rec('connected', 10),
        rec('limit', 20, { count: 5 }),
        rec('limit', 30, { count: 7 }),
        rec('reconnect', 40, { count: 1 }),
        rec('disconnected', 40, { detail: 'no data for 90000 ms (stall)' }),
        rec('gap', 38, { until: 45 }),
        rec('connected', 45),
        rec('disconnected', 90),
      ],
      [{ hour: T(0), count: 3 }],
      o,
    );
    const [s] = r.sources;
    expect(s.uptimeMs).toBe((30 + 45) * 60_000);
    expect(s.uptimeShare).toBe(0.75);
    expect(s.up).toEqual([
      { from: T(10), to: T(40) },
      { from: T(45), to: T(90) },
    ]);
    expect(s.reconnects).toBe(1);
    expect(s.withheld).toBe(12);
    expect(s.gaps).toEqual([{ from: T(38), to: T(45), ms: 7 * 60_000 }]);
    expect(s.disconnects).toEqual([
      { at: T(40), detail: 'no data for 90000 ms (stall)' },
      { at: T(90), detail: null },
    ]);
    expect(r.rejects).toBe(3);
    expect(r.summary).toContain('twitter-v1 connected 75.0% of the time, 1 reconnects, 1 gaps');
  });

  it('archive work (no live connection): the summary says where the posts came from and the time they span, once', () => {
    const r = coverageReport([], [{ hour: T(0), count: 2 }], {
      ...o,
      posts: { count: 240, first: '2012-10-29T10:00:00.000Z', last: '2012-10-29T15:59:00.000Z' },
    });
    expect(r.sources).toEqual([]);
    expect(r.posts).toEqual({ count: 240, first: '2012-10-29T10:00:00.000Z', last: '2012-10-29T15:59:00.000Z' });
    expect(r.summary).toBe(
      `No live source connection was recorded between 2026-01-01 00:00:00 UTC and 2026-01-01 01:40:00 UTC (collection time): the event's 240 posts came from archives (replays, imports), posted between 2012-10-29 10:00:00 UTC and 2012-10-29 15:59:00 UTC (post time); 2 lines were rejected in that time (by any source: an unreadable line names no event).`,
    );
    expect(coverageReport([], [], o).summary).toBe(
      `No live source connection was recorded between 2026-01-01 00:00:00 UTC and 2026-01-01 01:40:00 UTC (collection time); 0 lines were rejected in that time (by any source: an unreadable line names no event).`,
    );
  });

  it('a tracker that died without a word is up until its last heartbeat plus one interval', () => {
    const r = coverageReport([rec('connected', 0), rec('alive', 1), rec('alive', 2), rec('connected', 50), rec('alive', 51)], [], o);
    expect(r.sources[0].up).toEqual([
      { from: T(0), to: T(3) },
      { from: T(50), to: T(52) },
    ]);
  });

  it('two connections of a source overlapping during a handover count once', () => {
    const r = coverageReport(
      [rec('connected', 0), rec('connected', 9, { connection: 'tracker-1' }), rec('disconnected', 10), rec('disconnected', 20, { connection: 'tracker-1' })],
      [],
      o,
    );
    expect(r.sources[0].uptimeMs).toBe(20 * 60_000);
  });

  it('is clipped to the window, and gaps shorter than the threshold are left out', () => {
    const r = coverageReport([rec('connected', -30), rec('gap', 5, { until: 5.5 }), rec('disconnected', 50), rec('limit', -10, { count: 99 })], [], o);
    expect(r.sources[0].up).toEqual([{ from: T(0), to: T(50) }]);
    expect(r.sources[0].gaps).toEqual([]);
    expect(r.sources[0].withheld).toBe(0);
  });

  it('records are identified by content, so one delivered twice is one', () => {
    expect(rec('connected', 1).id).toBe(rec('connected', 1).id);
    expect(rec('connected', 1).id).not.toBe(rec('connected', 2).id);
  });

  it('reads the running total of a limit notice', () => {
    expect(limitTotal('{"limit":{"track":42,"timestamp_ms":"1"}}')).toBe(42);
    expect(limitTotal('{ "limit" : {"track": 7}}')).toBe(7);
    expect(limitTotal('{"id_str":"1","text":"limit"}')).toBeNull();
  });

  it('reads a limit notice from its bytes as from its text, whatever spaces come before it', () => {
    for (const text of [
      '{"limit":{"track":42}}',
      `${' '.repeat(100)}\t{ "limit" : {"track": 7}}`,
      '{"id_str":"1","text":"limit"}',
      '{"limit":"x"}',
      '{"limit":{"track":3',
    ]) {
      expect(limitTotal(Buffer.from(text)), text).toBe(limitTotal(text));
      expect(limitTotal(new Uint8Array(Buffer.from(`xx${text}`)).subarray(2)), text).toBe(limitTotal(text));
    }
    expect(limitTotal(Buffer.from(`${' '.repeat(100)}{"limit":{"track":9}}`))).toBe(9);
  });

  it("tells an event's rejects by their text: every word of one of its keywords, case and #/@ aside", () => {
    const cut = '{"created_at":"Mon Oct 29 20:00:00 +0000 2012","text":"Flooding on the FDR Drive #Sandy, new Yo';
    expect(rejectMentions(cut, ['sandy'])).toBe(true);
    expect(rejectMentions(cut, ['#SANDY'])).toBe(true);
    expect(rejectMentions(cut, ['fdr flooding'])).toBe(true);
    expect(rejectMentions(cut, ['new york city'])).toBe(false);
    expect(rejectMentions(cut, ['earthquake', 'tsunami'])).toBe(false);
    expect(rejectMentions('this line is not JSON', ['sandy'])).toBe(false);
    expect(rejectMentions(cut, [])).toBe(false);
  });

  it("the summary gives the event's rejects beside those of every source when they are known", () => {
    const r = coverageReport([], [{ hour: T(0), count: 3 }], { ...o, eventRejects: 1 });
    expect(r.eventRejects).toBe(1);
    expect(r.summary).toContain("3 lines were rejected in that time (by any source), 1 of them holding one of this event's keywords.");
    expect(coverageReport([], [], o).eventRejects).toBeNull();
  });
});
