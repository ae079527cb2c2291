// A pool of classifier worker threads. Batches go round-robin; an event-state change reaches every worker before
// any batch sent after it (messages to one worker are handled in order).

import { Worker } from 'node:worker_threads';
import type { BatchOutcome } from '../../core/classify.js';
import type { VigilEvent } from '../../core/event.js';
import type { PackedLines } from './packed-lines.js';
import type { WorkerRequest } from './worker.js';

type Reply = { id: number; outcome?: BatchOutcome; error?: string };

/**
 * Each worker's young generation, in MB (above V8's default). A worker parses a batch of a few thousand posts
 * into objects that live until its rows are built; a larger nursery lets more of them die young instead of being
 * copied and promoted. Measured on 200,000 posts, alternated runs: 7–10% fewer CPU-µs per post at 10 and 1,000
 * events (64, 96 and 192 alike), peak RSS within the runs' spread; 192 added about 100 MB.
 */
const WORKER_YOUNG_GENERATION_MB = 64;

export class ClassifierPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (o: BatchOutcome) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private turn = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      w.on('message', (r: Reply) => {
        const p = this.waiting.get(r.id);
        if (!p) return;
        this.waiting.delete(r.id);
        if (r.outcome) p.resolve(r.outcome);
        else p.reject(new Error(`classifier worker failed: ${r.error}`));
      });
      w.on('error', (err) => {
        for (const p of this.waiting.values()) p.reject(err);
        this.waiting.clear();
      });
      return w;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  setEvents(events: VigilEvent[]): void {
    const msg: WorkerRequest = { type: 'events', events };
    for (const w of this.workers) w.postMessage(msg);
  }

  /** The lines go over as one transferred block of bytes (packed-lines.ts), decoded by the worker. */
  classify(lines: PackedLines, sources: string[], keys: (string | null)[], now: string, positions: (number | null)[]): Promise<BatchOutcome> {
    const id = this.nextId++;
    const worker = this.workers[this.turn++ % this.workers.length];
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const msg: WorkerRequest = { type: 'batch', id, lines, sources, keys, now, positions };
      worker.postMessage(msg, [lines.data, lines.ends.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
