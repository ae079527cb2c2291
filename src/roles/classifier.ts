// Classifier role: consumes raw lines, matches each against every active event at once, stores one row per
// (event, post) and every reject with its reason. Offsets are committed after the store write, and the store is
// idempotent, so a crash or replay neither loses nor duplicates rows.

import { classifyLine, countOutcome, emptyCounts, type ClassifyCounts, type RejectRecord } from '../core/classify.js';
import { decodeEventState } from '../core/event-state.js';
import { Matcher } from '../core/matcher.js';
import { TOPICS, type Bus, type BusMessage, type Subscription, type TweetStore } from '../core/ports.js';
import type { TweetRow } from '../core/row.js';
import type { Logger } from '../util/log.js';

export const CLASSIFIER_GROUP = 'vigil-classifier';

export interface ClassifierStatus {
  counts: Omit<ClassifyCounts, 'lastLimitTotal'>;
  activeEvents: number;
  lastBatchAt: string | null;
}

export class Classifier {
  private matcher = new Matcher([]);
  private stateOffset = -1;
  private sub: Subscription | null = null;
  private readonly counts = emptyCounts();
  private lastBatchAt: string | null = null;

  constructor(private readonly bus: Bus, private readonly store: TweetStore, private readonly log: Logger) {}

  async start(): Promise<void> {
    await this.refreshEvents();
    this.sub = await this.bus.subscribe(TOPICS.raw, CLASSIFIER_GROUP, (batch) => this.handle(batch));
  }

  /** Picks up the newest event state before each batch, so a post is matched against the events as they are now. */
  private async refreshEvents(): Promise<void> {
    const latest = await this.bus.latest(TOPICS.events);
    if (!latest || latest.offset === this.stateOffset) return;
    try {
      const state = decodeEventState(latest.value);
      this.matcher = new Matcher(state.events);
      this.log.info('classifier: event state loaded', { active: this.matcher.events.length, phrases: this.matcher.phraseCount });
    } catch (err) {
      this.log.error('classifier: ignoring an unreadable event state message', { offset: latest.offset, reason: (err as Error).message });
    }
    this.stateOffset = latest.offset;
  }

  private async handle(batch: BusMessage[]): Promise<void> {
    await this.refreshEvents();
    const now = new Date().toISOString();
    const rows: TweetRow[] = [];
    const rejects: RejectRecord[] = [];
    const counts = emptyCounts();
    for (const m of batch) {
      const outcome = classifyLine(m.value, this.matcher, now);
      countOutcome(counts, outcome);
      if (outcome.kind === 'post') rows.push(...outcome.rows);
      else if (outcome.kind === 'reject') rejects.push({ line: m.value, reason: outcome.reason, source: `${m.topic}@${m.offset}`, at: now });
    }
    await this.store.writeRejects(rejects);
    await this.store.writeRows(rows);
    for (const k of ['lines', 'posts', 'rows', 'rejected', 'other', 'limited'] as const) this.counts[k] += counts[k];
    this.lastBatchAt = now;
  }

  status(): ClassifierStatus {
    const { lastLimitTotal: _ignored, ...counts } = this.counts;
    return { counts, activeEvents: this.matcher.events.length, lastBatchAt: this.lastBatchAt };
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
    this.sub = null;
  }
}
