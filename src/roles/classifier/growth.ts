// When the classifier's pool starts one more worker: every worker was busy for most of the last second while the
// machine left a core partly idle. A bulk import shows why: while the tracker is still reading the file, it, the log,
// the store and one worker keep 2 cores busy; once the file is read, the worker alone is the limit and the other core
// idles (about 0.4–0.5 of it on 2 cores). A second worker from the start costs its compiling and collecting for the
// whole run on cores that had no room for it; started then, it uses the core that idles.

import { cpus } from 'node:os';

/** How long a window of measurement lasts, the share of it every worker must be busy, and the idle CPU it must leave. */
export const GROWTH_WINDOW_MS = 1000;
export const GROWTH_BUSY_SHARE = 0.8;
export const GROWTH_IDLE_CORES = 0.3;

/** Milliseconds every core of the machine has spent idle since it started (what `os.cpus()` reports). */
export function machineIdleMs(): number {
  let idle = 0;
  for (const c of cpus()) idle += c.times.idle;
  return idle;
}

/** Whether a pool of `size` workers (at most `max`) should start one more, given one window's measurements. */
export function shouldGrow(size: number, max: number, busyShares: readonly number[], idleCores: number): boolean {
  return size < max && busyShares.length > 0 && busyShares.every((b) => b >= GROWTH_BUSY_SHARE) && idleCores >= GROWTH_IDLE_CORES;
}

/**
 * Measures, window by window, the share of time each worker had a batch to work on, and the machine's idle cores; says
 * when one more worker would help (see shouldGrow). Time and idle CPU are read through the functions given (tests
 * give their own).
 */
export class GrowthMeter {
  private readonly pending: number[] = [];
  private readonly busySince: number[] = [];
  private readonly busyMs: number[] = [];
  private windowStart: number;
  private idleAtStart: number;

  constructor(
    readonly max: number,
    private readonly idleMs: () => number = machineIdleMs,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.windowStart = clock();
    this.idleAtStart = idleMs();
  }

  /** A new worker: it counts from the next window on (a window it began midway would show it idle before it began). */
  added(): void {
    this.pending.push(0);
    this.busySince.push(0);
    this.busyMs.push(0);
    this.restart(this.clock());
  }

  /** A batch was handed to worker `i`. */
  sent(i: number): void {
    if (this.pending[i]++ === 0) this.busySince[i] = this.clock();
  }

  /** Worker `i` answered a batch. */
  answered(i: number): void {
    if (--this.pending[i] === 0) this.busyMs[i] += this.clock() - this.busySince[i];
  }

  /** The worker with the fewest batches waiting (the first of those tied). */
  leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.pending.length; i++) if (this.pending[i] < this.pending[best]) best = i;
    return best;
  }

  /** At the end of a window: whether to start one more worker; a new window begins. Before then: false. */
  wantsAnother(): boolean {
    const now = this.clock();
    const span = now - this.windowStart;
    if (span < GROWTH_WINDOW_MS || this.pending.length >= this.max) return false;
    const shares = this.busyMs.map((ms, i) => (ms + (this.pending[i] > 0 ? now - this.busySince[i] : 0)) / span);
    const idleCores = (this.idleMs() - this.idleAtStart) / span;
    this.restart(now);
    return shouldGrow(this.pending.length, this.max, shares, idleCores);
  }

  private restart(now: number): void {
    for (let i = 0; i < this.busyMs.length; i++) {
      this.busyMs[i] = 0;
      if (this.pending[i] > 0) this.busySince[i] = now;
    }
    this.windowStart = now;
    this.idleAtStart = this.idleMs();
  }
}
