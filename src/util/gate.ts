// A counting gate: at most `permits` holders at once, the others wait their turn in arrival order. A waiter whose
// signal aborts leaves the line without ever holding a permit.

export class Gate {
  private held = 0;
  private readonly waiting: { grant: () => void; onAbort: () => void }[] = [];

  constructor(readonly permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new Error(`a gate needs at least one permit (got ${permits})`);
  }

  /** Holders now, and callers waiting for a permit. */
  get load(): { held: number; waiting: number } {
    return { held: this.held, waiting: this.waiting.length };
  }

  /** Runs `fn` once a permit is free and gives the permit back when it settles; rejects with the signal's reason if it aborts first. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.held < this.permits) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          signal?.removeEventListener('abort', entry.onAbort);
          resolve();
        },
        onAbort: () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', entry.onAbort, { once: true });
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
