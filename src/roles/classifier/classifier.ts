// Classifier role: consumes raw lines, matches each against every active event at once, stores one row per
// (event, post) and every reject with its reason. Offsets are committed after the store write, and the store is
// idempotent, so a crash or replay neither loses nor duplicates rows. With worker threads, batches are parsed and
// matched in parallel while earlier ones are being stored.

import { type BatchOutcome, type ClassifyCounts, classifyBatch, emptyCounts } from '../../core/classify.js';
import type { CoverageRecord } from '../../core/coverage.js';
import { errorMessage } from '../../core/errors.js';
import type { VigilEvent } from '../../core/event.js';
import { Matcher } from '../../core/matcher.js';
import { type Bus, type BusMessage, type DeliveryFailure, type PostStore, type Subscription, TOPICS } from '../../core/ports.js';
import type { Logger } from '../../util/log.js';
import { identitySignature, keepEventRows } from '../events/event-rows.js';
import { EventStateReader } from '../events/state-reader.js';
import { type PackedLines, packLines, unpackLines } from './packed-lines.js';
import { ClassifierPool } from './pool.js';

export const CLASSIFIER_GROUP = 'vigil-classifier';
export const COVERAGE_GROUP = 'vigil-coverage';

export interface ClassifierOptions {
  /** Worker threads that parse and match; 0 does it on the calling thread. */
  workers: number;
  /** The most worker threads: the pool starts more, up to this, while they are all busy and a core idles. */
  maxWorkers?: number;
  batchSize?: number;
  /** Called after each stored batch, with the seconds from its first write to its commit (metrics). */
  onBatch?: (outcome: Pick<BatchOutcome, 'counts' | 'matches'>, storeSeconds: number) => void;
  /** How often the event state is looked at while no posts come (a rename moves rows without waiting for posts). */
  eventPollMs?: number;
}

export interface ClassifierStatus {
  counts: Omit<ClassifyCounts, 'lastLimitTotal'>;
  activeEvents: number;
  workers: number;
  lastBatchAt: string | null;
  /** Batches failing to be classified or stored, delivered again and again (the store down, out of memory), or null. */
  failing: DeliveryFailure | null;
}

/** A batch as classifying needs it: its lines (packed for the workers, or text), and each line's source, key, position. */
interface BatchWork {
  lines: PackedLines;
  sources: string[];
  keys: (string | null)[];
  positions: (number | null)[];
}

/** Batches the bus may hand out while a store that groups commits holds them (about 250,000 rows at 10 events). */
const HELD_BATCHES = 256;

export class Classifier {
  private matcher = new Matcher([]);
  private events: readonly VigilEvent[] = [];
  private readonly eventState: EventStateReader;
  private sub: Subscription | null = null;
  private coverageSub: Subscription | null = null;
  private readonly counts = emptyCounts();
  private lastBatchAt: string | null = null;
  private readonly pool: ClassifierPool | null;
  private refreshing: Promise<void> | null = null;
  /** The events' identities and names the stored rows were last made to follow (see event-rows.ts). */
  private rowsFollow: string | null = null;
  private rowsFollowRetryAt = 0;
  /** The identity signature of `events` (event-rows.ts), computed when they change rather than before every batch. */
  private signature = identitySignature([]);
  /** Batches classified and not yet stored, and who waits for none to be. */
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  /** Batches handed out by the bus and not yet settled; of those, the ones being classified or written. */
  private handedOut = 0;
  private working = 0;
  private workSlot: (() => void) | null = null;
  /** Batches the bus may hand out before the oldest settles, and of those, how many are classified at once. */
  private inFlight = 2;
  /** Set while stopping or waiting for every batch to be stored: writes are then committed at once. */
  private draining = false;
  /** Whether more messages were waiting when the bus last handed out a batch. */
  private lastMoreWaiting = false;

  private eventPoll: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: Bus,
    private readonly store: PostStore,
    private readonly log: Logger,
    private readonly options: ClassifierOptions = { workers: 0 },
  ) {
    this.eventState = new EventStateReader(bus);
    // A store whose writes are independent requests lets each worker write the rows it classified: the main thread
    // then neither decodes nor encodes nor sends them (about half of its work with Cassandra).
    this.pool =
      options.workers > 0
        ? new ClassifierPool(options.workers, store.workerRowWriting, {
            max: options.maxWorkers,
            onGrow: (size) => this.log.info('started one more classifier worker: every worker was busy and a core sat idle', { workers: size }),
          })
        : null;
  }

  async start(): Promise<void> {
    this.draining = false;
    await this.refreshEvents();
    // Batches read ahead while one is stored (the work slots of the most workers the pool may grow to): they bound
    // what a slow store lets pile up. A store that groups commits holds a bulk import's batches until it commits
    // hundreds at once: the bus may hand out that many (if they cost it nothing: the embedded log reads a batch again
    // when it must), while the reading is paced by the classifying and writing (readWhen), not by the commits.
    this.inFlight = this.store.groupsCommits && this.bus.cheapInFlight ? HELD_BATCHES : this.workSlots(this.pool?.maxSize);
    this.sub = await this.bus.subscribe(TOPICS.raw, CLASSIFIER_GROUP, (batch, moreWaiting) => this.handle(batch, moreWaiting), {
      maxBatch: this.options.batchSize ?? 1000,
      inFlight: this.inFlight,
      readWhen: () => this.freeWorkSlot(),
    });
    this.eventPoll = setInterval(
      () => void this.refreshEvents().catch((err: unknown) => this.log.error('could not read the event state', { reason: errorMessage(err) })),
      this.options.eventPollMs ?? 1000,
    );
    // A timer of its own never keeps the process alive (the subscription does while it runs).
    this.eventPoll.unref();
    // The tracker's coverage records (uptime, gaps, withheld posts) are stored beside the rows.
    this.coverageSub = await this.bus.subscribe(TOPICS.coverage, COVERAGE_GROUP, async (batch) => {
      const records: CoverageRecord[] = [];
      for (const m of batch) {
        try {
          if (m.value !== null) records.push(JSON.parse(m.value) as CoverageRecord);
        } catch (err) {
          this.log.error('skipping an unreadable coverage record', { offset: m.offset, reason: errorMessage(err) });
        }
      }
      await this.store.writeCoverage(records);
    });
  }

  /** Picks up the newest event state before each batch, so a post is matched against the events as they are now. */
  private refreshEvents(): Promise<void> {
    this.refreshing ??= (async () => {
      const state = await this.eventState.changed();
      if (!state) return;
      if ('unreadable' in state) {
        this.log.error('ignoring an unreadable event state message', { offset: state.offset, reason: state.unreadable });
        return;
      }
      this.matcher = new Matcher(state.events);
      this.pool?.setEvents(state.events);
      this.log.info('event state loaded', { active: this.matcher.events.length, phrases: this.matcher.phraseCount });
      this.events = state.events;
      this.signature = identitySignature(state.events);
    })()
      .then(() => this.keepRowsWithTheirEvents())
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /**
   * Applies the newest event state now (a change just published) and resolves once the stored rows follow it. A
   * look already under way may have read the state before the change: a second look follows it.
   */
  async catchUp(): Promise<void> {
    await this.refreshEvents();
    await this.refreshEvents();
  }

  /**
   * After a rename (or a name defined again), moves the stored rows to the events' names, once the batches matched
   * against the old names are stored; no batch is matched meanwhile. A failure is logged and tried again later.
   */
  private async keepRowsWithTheirEvents(): Promise<void> {
    const signature = this.signature;
    if (signature === this.rowsFollow || performance.now() < this.rowsFollowRetryAt) return;
    await this.idle();
    try {
      await keepEventRows(this.store, this.events, this.log);
      this.rowsFollow = signature;
    } catch (err) {
      this.rowsFollowRetryAt = performance.now() + 30_000;
      this.log.error('could not move the rows of a renamed event yet; trying again in 30 s', { reason: errorMessage(err) });
    }
  }

  /** Resolves once no batch is being classified or stored: the writes a store holds for grouping are committed. */
  private async idle(): Promise<void> {
    if (this.active === 0) return;
    this.draining = true;
    try {
      await this.store.flush?.();
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    } finally {
      this.draining = false;
    }
  }

  /**
   * Batches classified or written at once: three more than the workers, so that each has the next batch waiting. With
   * 2 workers, 5 in flight took 139 CPU-µs/post against 151 with 3; peak RSS 871 MB against 818 at 10 events, 966
   * against 881 at 1,000. It follows the pool as it grows; with no pool (classifying on this thread), 2.
   */
  private workSlots(workers = this.pool?.size): number {
    return workers === undefined ? 2 : workers + 3;
  }

  /** Resolves when fewer batches than workSlots() are being classified or written (the bus then reads the next). */
  private freeWorkSlot(): Promise<void> {
    if (this.working < this.workSlots()) return Promise.resolve();
    return new Promise((resolve) => {
      this.workSlot = resolve;
    });
  }

  /**
   * The batch's messages are let go at once: what the classifying needs is taken from them here (the lines packed for
   * the workers), and no function that awaits holds them. Held until the batch was written (an async function keeps
   * its arguments), every batch outlived the young generation's collections, was copied into the old one and collected
   * there: about 0.6 MB a batch on the main thread. The commit (which a store grouping commits holds for seconds) is
   * awaited through promises that refer to nothing of the batch.
   */
  private handle(batch: BusMessage[], moreWaiting: boolean): Promise<void> {
    this.handedOut++;
    this.working++;
    this.lastMoreWaiting = moreWaiting;
    return this.classifyAndWrite(this.workOf(batch), moreWaiting)
      .then((w) => w.stored)
      .finally(() => {
        this.handedOut--;
      });
  }

  /** What classifying a batch needs of its messages. */
  private workOf(batch: readonly BusMessage[]): BatchWork {
    return {
      // One block of bytes: it goes over to a worker by transfer, or is read here when there are none.
      lines: packLines(batch),
      // A rejected line names where it was read (FILE:LINE of an archive), else its place on the bus.
      sources: batch.map((m) => m.origin ?? `${m.topic}/${m.partition}@${m.offset}`),
      keys: batch.map((m) => m.key),
      // Rows refer to their raw post in the embedded log (kept there once) when the store reads it from there.
      positions: this.store.readsRawFromLog ? batch.map((m) => m.position ?? null) : [],
    };
  }

  /** The batch's writes, once the store has applied them; `stored` settles when they are committed. */
  private async classifyAndWrite(work: BatchWork, moreWaiting: boolean): Promise<{ stored: Promise<void> }> {
    let stored: Promise<void>;
    try {
      await this.refreshEvents();
      this.active++;
      try {
        stored = (await this.classifyAndStore(work, moreWaiting)).stored;
        await this.store.applied?.();
      } catch (err) {
        stored = Promise.reject(err);
      }
    } finally {
      this.working--;
      this.workSlot?.();
      this.workSlot = null;
      // Workers finish batches out of order: the last one handed out (nothing behind it) may have been written before
      // this one, which was handed out with more behind it and held. Nothing else being classified or written and
      // nothing more to come, what the store holds is committed now, not when its hold runs out (30 s).
      if (this.working === 0 && !this.moreComing(this.lastMoreWaiting)) void this.store.flush?.().catch(() => undefined);
    }
    return { stored: this.settled(stored) };
  }

  /**
   * More batches follow at once when more were waiting to be read and the bus may hand out another before this one
   * settles: a store that groups commits may then hold a batch's writes to commit with them.
   */
  private moreComing(moreWaiting: boolean): boolean {
    return moreWaiting && this.handedOut < this.inFlight && !this.draining;
  }

  /** A batch counted as active (see idle) is no longer once its writes are committed or failed. */
  private async settled(stored: Promise<void>): Promise<void> {
    try {
      await stored;
    } finally {
      this.active--;
      if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async classifyAndStore(work: BatchWork, moreWaiting: boolean): Promise<{ stored: Promise<void> }> {
    const now = new Date().toISOString();
    const { lines, sources, keys, positions } = work;
    const outcome: BatchOutcome = this.pool
      ? await this.pool.classify(lines, sources, keys, now, positions)
      : classifyBatch(unpackLines(lines), sources, this.matcher, now, keys, positions);
    const t0 = performance.now();
    const moreComing = this.moreComing(moreWaiting);
    const written = Promise.all([
      this.store.writeRejects(outcome.rejects, { moreComing }),
      this.store.writeDeletions(outcome.deletions, { moreComing }),
      this.store.writeRows(outcome.rows, { moreComing }),
    ]);
    written.catch(() => undefined);
    if (outcome.rejects.length > 0)
      await this.bus.publish(
        TOPICS.rejects,
        outcome.rejects.map((r) => ({ key: r.source, value: JSON.stringify(r) })),
      );
    // Only the counts outlive the batch until its commit, not its rows.
    const { counts, matches } = outcome;
    const stored = written.then(() => {
      this.options.onBatch?.({ counts, matches }, (performance.now() - t0) / 1000);
      for (const k of ['lines', 'posts', 'rows', 'rejected', 'other', 'limited'] as const) this.counts[k] += counts[k];
      this.lastBatchAt = now;
    });
    // Awaited (settled) only once the store has applied the writes: a write that fails before then would otherwise be
    // an unhandled rejection, which ends the process instead of having the bus deliver the batch again.
    stored.catch(() => undefined);
    return { stored };
  }

  status(): ClassifierStatus {
    const { lastLimitTotal: _ignored, ...counts } = this.counts;
    return {
      counts,
      activeEvents: this.matcher.events.length,
      workers: this.pool?.size ?? 0,
      lastBatchAt: this.lastBatchAt,
      failing: this.sub?.failing() ?? null,
    };
  }

  async stop(): Promise<void> {
    if (this.eventPoll) clearInterval(this.eventPoll);
    this.eventPoll = null;
    // Writes held for grouping are committed now, and those still to come at once.
    this.draining = true;
    const flushed = this.store.flush?.();
    await this.sub?.stop();
    await flushed;
    await this.coverageSub?.stop();
    this.sub = null;
    this.coverageSub = null;
    await this.pool?.close();
  }
}
