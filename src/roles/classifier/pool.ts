// A pool of classifier worker threads. Each batch goes to the worker with the fewest waiting; an event-state change
// reaches every worker before any batch sent after it (messages to one worker are handled in order, and a worker
// started later is given the state first). Given a store's WorkerRowWriting, each worker writes the rows it
// classified (see worker.ts). The pool starts one more worker, up to its most, when all of them are kept busy while
// a core idles (growth.ts); it never stops one before it closes.

import { Worker } from 'node:worker_threads';
import type { BatchOutcome } from '../../core/classify.js';
import type { VigilEvent } from '../../core/event.js';
import type { WorkerRowWriting } from '../../core/ports.js';
import { GrowthMeter } from './growth.js';
import type { PackedLines } from './packed-lines.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

/**
 * A worker's young generation, where a batch's parsed posts live and die (V8 gives a worker 48 MB). Six alternated
 * pairs of 200,000-post runs at 10 events (2026-12-04, one worker): medians 83 against 91 CPU-µs/post and 19,100
 * against 17,300 posts/s, the first three pairs clearly apart, the last three within the host's noise; 20–35 MB
 * more peak RSS (about 560 MB in all). Not taken earlier, when peak RSS was near 1 GB; it is about half of that now.
 */
const WORKER_YOUNG_GENERATION_MB = 64;

export interface PoolOptions {
  /** The most workers the pool may run (at least its first size); a meter given brings its own. */
  max?: number;
  /** Told each time the pool starts one more worker, with the new size. */
  onGrow?: (size: number) => void;
  /** Measures the workers' and the machine's load (tests give one with their own clock). */
  meter?: GrowthMeter;
}

export class ClassifierPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (o: BatchOutcome) => void; reject: (e: Error) => void; worker: number }>();
  private readonly meter: GrowthMeter;
  private events: VigilEvent[] | null = null;
  private nextId = 0;

  /** `writing`: the workers write the rows themselves, each through its own writer; an outcome then has none left. */
  constructor(
    size: number,
    private readonly writing?: WorkerRowWriting,
    private readonly options: PoolOptions = {},
  ) {
    this.meter = options.meter ?? new GrowthMeter(Math.max(size, options.max ?? size));
    for (let i = 0; i < size; i++) this.addWorker();
  }

  private addWorker(): void {
    const w = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    w.on('message', (r: WorkerReply) => {
      const p = this.waiting.get(r.id);
      if (!p) return;
      this.waiting.delete(r.id);
      this.meter.answered(p.worker);
      if (r.outcome) p.resolve(r.outcome);
      else p.reject(new Error(`classifier worker failed: ${r.error}`));
    });
    w.on('error', (err) => {
      for (const p of this.waiting.values()) p.reject(err);
      this.waiting.clear();
    });
    if (this.writing) w.postMessage({ type: 'writer', module: this.writing.module, options: this.writing.options } satisfies WorkerRequest);
    if (this.events) w.postMessage({ type: 'events', events: this.events } satisfies WorkerRequest);
    this.workers.push(w);
    this.meter.added();
  }

  get size(): number {
    return this.workers.length;
  }

  /** The most workers the pool may grow to. */
  get maxSize(): number {
    return Math.max(this.workers.length, this.meter.max);
  }

  setEvents(events: VigilEvent[]): void {
    this.events = events;
    const msg: WorkerRequest = { type: 'events', events };
    for (const w of this.workers) w.postMessage(msg);
  }

  /** The lines go over as one transferred block of bytes (packed-lines.ts), decoded by the worker. */
  classify(lines: PackedLines, sources: string[], keys: (string | null)[], now: string, positions: (number | null)[]): Promise<BatchOutcome> {
    if (this.meter.wantsAnother()) {
      this.addWorker();
      this.options.onGrow?.(this.workers.length);
    }
    const id = this.nextId++;
    const index = this.meter.leastBusy();
    this.meter.sent(index);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: index });
      const msg: WorkerRequest = { type: 'batch', id, lines, sources, keys, now, positions, epoch: this.writing?.epoch() };
      this.workers[index].postMessage(msg, [lines.data, lines.ends.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
