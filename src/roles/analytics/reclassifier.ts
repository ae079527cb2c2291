// Retroactive re-classification: applies an event as it is defined now to the raw posts already collected since a
// chosen time, read again from the raw log (the bus keeps it for its retention). Rows written this way are marked
// `backfilled` and take the time their post was collected, so running it twice writes the same rows again and a
// row stored live is never replaced (see the stores).

import { classifyLine, classifyLineBytes } from '../../core/classify.js';
import { ConflictError, errorMessage, NotFoundError } from '../../core/errors.js';
import type { VigilEvent } from '../../core/event.js';
import { Matcher } from '../../core/matcher.js';
import { type Bus, type PostStore, TOPICS } from '../../core/ports.js';
import type { TweetRow } from '../../core/row.js';
import { rowBatch } from '../../core/row-batch.js';
import type { Logger } from '../../util/log.js';
import { keepEventRows } from '../events/event-rows.js';

export interface ReclassifyJob {
  event: string;
  since: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  /** Raw lines read, of those in the log since `since` when the job began. */
  scanned: number;
  total: number;
  /** Rows for the event written (a post already stored is written again unchanged, or left as stored live). */
  rows: number;
  /**
   * Rows the event holds now that it did not hold when the job began (set when the job ends): the posts this run
   * added. While the event is also collecting live, what collection stored meanwhile counts too.
   */
  added: number | null;
  error: string | null;
}

export class Reclassifier {
  private readonly jobs = new Map<string, { job: ReclassifyJob; abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly bus: Bus,
    private readonly store: PostStore,
    private readonly events: { list(): Promise<VigilEvent[]> },
    private readonly log: Logger,
    /** Raw lines read per batch (the event is looked up again before each). */
    private readonly batchSize = 2000,
  ) {}

  async start(name: string, since: string): Promise<ReclassifyJob> {
    const event = (await this.events.list()).find((e) => e.name === name);
    if (!event) throw new NotFoundError(`no event named "${name}"; create it first, then apply it to collected posts`);
    if (this.jobs.get(name)?.job.state === 'running') throw new ConflictError(`a re-classification of "${name}" is running; wait for it or cancel it (DELETE)`);
    const job: ReclassifyJob = {
      event: name,
      since,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      scanned: 0,
      total: 0,
      rows: 0,
      added: null,
      error: null,
    };
    const abort = new AbortController();
    const done = this.run(job, { ...event, active: true }, abort.signal);
    this.jobs.set(name, { job, abort, done });
    return { ...job };
  }

  /**
   * The event as defined now, found by its identity: a rename while the job runs is followed (the job is then known
   * by the new name); a deleted event keeps the definition the job started with.
   */
  private async follow(job: ReclassifyJob, event: VigilEvent): Promise<VigilEvent> {
    const now = (await this.events.list()).find((e) => e.id === event.id);
    if (!now || now.name === event.name) return event;
    const entry = this.jobs.get(job.event);
    if (entry?.job === job) {
      this.jobs.delete(job.event);
      this.jobs.set(now.name, entry);
    }
    this.log.info('re-classification follows its event to its new name', { from: job.event, to: now.name });
    job.event = now.name;
    return { ...now, active: true };
  }

  private async run(job: ReclassifyJob, started: VigilEvent, signal: AbortSignal): Promise<void> {
    let event = started;
    let matcher = new Matcher([event]);
    this.log.info('re-classification started', { event: job.event, since: job.since });
    try {
      const before = (await this.store.eventStats(job.event)).count;
      await this.bus.scan(
        TOPICS.raw,
        Date.parse(job.since),
        async (batch, progress) => {
          const now = await this.follow(job, event);
          if (now !== event) {
            event = now;
            matcher = new Matcher([event]);
          }
          const rows: TweetRow[] = [];
          // Rows refer to their raw post in the embedded log when the store reads it from there (as the classifier's).
          const positions: (number | null)[] = [];
          for (const m of batch) {
            if (m.value === null) continue;
            // From the bytes when the bus has them: a line that is not UTF-8 stays a reject, as the classifier made it.
            const at = new Date(m.timestamp).toISOString();
            const o = m.bytes ? classifyLineBytes(m.bytes, matcher, at).outcome : classifyLine(m.value, matcher, at);
            if (o.kind !== 'post') continue;
            for (const r of o.rows) {
              rows.push({ ...r, backfilled: true });
              positions.push(this.store.readsRawFromLog ? (m.position ?? null) : null);
            }
          }
          await this.store.writeRows(rowBatch(rows, positions));
          job.rows += rows.length;
          job.scanned = progress.done;
          job.total = progress.total;
        },
        { maxBatch: this.batchSize, signal },
      );
      // Rows written under the old name while the rename was being noticed go to the new one.
      if (event.name !== started.name) await keepEventRows(this.store, await this.events.list(), this.log);
      // Counted before the job says it is over: whoever sees it done (the API, the UI) also sees what it added.
      job.added = (await this.store.eventStats(job.event)).count - before;
      job.state = signal.aborted ? 'cancelled' : 'done';
    } catch (err) {
      job.state = 'failed';
      job.error = errorMessage(err);
      this.log.error('re-classification failed', { event: job.event, reason: job.error });
    }
    job.finishedAt = new Date().toISOString();
    this.log.info(`re-classification ${job.state}`, { event: job.event, scanned: job.scanned, rows: job.rows, added: job.added });
  }

  get(name: string): ReclassifyJob | null {
    const j = this.jobs.get(name)?.job;
    return j ? { ...j } : null;
  }

  /** Stops a running job between batches; what it wrote stays (it is correct, and running again completes it). */
  async cancel(name: string): Promise<ReclassifyJob> {
    const j = this.jobs.get(name);
    if (!j) throw new NotFoundError(`no re-classification of "${name}" was started`);
    j.abort.abort();
    await j.done;
    return { ...j.job };
  }

  async close(): Promise<void> {
    for (const j of this.jobs.values()) j.abort.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
