// A counting gate: at most `permits` holders at once, the others wait their turn in arrival order. A waiter whose
// signal aborts, or whose deadline passes, leaves the line without ever holding a permit.

/** A wait at a gate that reached its deadline before a permit came free. */
export class GateTimeout extends Error {
  constructor() {
    super('no permit came free before the deadline');
    this.name = 'GateTimeout';
  }
}

export interface GateWait {
  /** Stops waiting when it aborts: the wait rejects with the signal's reason. */
  signal?: AbortSignal;
  /** When to stop waiting, on performance.now()'s clock: the wait rejects with a GateTimeout. */
  deadline?: number;
}

export class Gate {
  private held = 0;
  private readonly waiting: { grant: () => void; leave: (reason: unknown) => void }[] = [];

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new Error(`a gate needs at least one permit (got ${permits})`);
  }

  /** Holders now, and callers waiting for a permit. */
  get load(): { held: number; waiting: number } {
    return { held: this.held, waiting: this.waiting.length };
  }

  /** Runs `fn` once a permit is free and gives the permit back when it settles; the wait may end first (GateWait). */
  async run<T>(fn: () => Promise<T>, wait: GateWait = {}): Promise<T> {
    await this.acquire(wait);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire({ signal, deadline }: GateWait): Promise<void> {
    signal?.throwIfAborted();
    if (this.held < this.permits) {
      this.held++;
      return Promise.resolve();
    }
    if (deadline !== undefined && deadline <= performance.now()) return Promise.reject(new GateTimeout());
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => entry.leave(signal?.reason);
      const settled = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const entry = {
        grant: () => {
          settled();
          resolve();
        },
        leave: (reason: unknown) => {
          settled();
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined) timer = setTimeout(() => entry.leave(new GateTimeout()), Math.ceil(deadline - performance.now()));
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // The permit passes straight to the next in line: `held` stays as it is.
    if (next) next.grant();
    else this.held--;
  }
}
