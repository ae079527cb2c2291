// The coverage report of one event: its window (from its creation, or the window asked for, to now or its deletion)
// and what the sources and the classifier recorded in it.

import { type CoverageReport, coverageReport, type Interval, rejectMentions } from '../../core/coverage.js';
import type { VigilEvent } from '../../core/event.js';
import type { EventHistoryEntry, PostStore } from '../../core/ports.js';

export interface EventCoverage extends CoverageReport {
  event: string;
}

/** The window an event was defined in: created (first history entry) to deleted, or now. */
export function eventWindow(event: VigilEvent | null, history: readonly EventHistoryEntry[] | null, now: string): Partial<Interval> {
  const first = history?.[0]?.at ?? event?.createdAt;
  const deleted = event ? undefined : [...(history ?? [])].reverse().find((h) => h.action === 'deleted')?.at;
  return { from: first, to: deleted ?? now };
}

/** Rejects read to tell which hold the event's keywords (rejects are few; a flood of them is counted up to this). */
const REJECT_LINES_READ = 100_000;

/** A deleted event's keywords: the last its history gave. */
function lastKeywords(history: readonly EventHistoryEntry[] | null): string[] | null {
  return [...(history ?? [])].reverse().find((h) => h.keywords)?.keywords ?? null;
}

export async function eventCoverage(
  store: Pick<PostStore, 'coverageRecords' | 'rejectsByHour' | 'rejectLines' | 'eventStats'>,
  name: string,
  about: { event: VigilEvent | null; history: EventHistoryEntry[] | null },
  asked: Partial<Interval>,
  o: { gapThresholdMs: number; heartbeatMs: number },
  now = new Date().toISOString(),
): Promise<EventCoverage> {
  const known = eventWindow(about.event, about.history, now);
  const to = asked.to ?? known.to ?? now;
  const records = await store.coverageRecords(to);
  const from = asked.from ?? known.from ?? records[0]?.at ?? to;
  const rejects = await store.rejectsByHour(from, to);
  const posts = await store.eventStats(name);
  const keywords = about.event?.keywords ?? lastKeywords(about.history);
  const eventRejects = keywords ? (await store.rejectLines(from, to, REJECT_LINES_READ)).filter((l) => rejectMentions(l, keywords)).length : null;
  return {
    event: name,
    ...coverageReport(records, rejects, { window: { from, to }, gapThresholdMs: o.gapThresholdMs, heartbeatMs: o.heartbeatMs, posts, eventRejects }),
  };
}
