// Limits password guessing: at most `limit` attempts in flight or failed per minute for each client address and for
// each account. An attempt is counted before its password is checked (so parallel guesses count too); a successful
// one gives its place back without forgiving the failures before it.

import { TooManyRequestsError } from '../core/errors.js';

interface Window {
  count: number;
  since: number;
}

export class LoginLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private window(key: string): Window {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.since >= this.windowMs) {
      w = { count: 0, since: t };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.prune(t);
    }
    return w;
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t - w.since >= this.windowMs) this.windows.delete(k);
  }

  /** Counts an attempt for every key, or throws 429 (counting nothing) when one of them is spent. */
  begin(keys: readonly string[]): void {
    const ws = keys.map((k) => this.window(k));
    if (ws.some((w) => w.count >= this.limit)) {
      const wait = Math.max(...ws.map((w) => Math.ceil((w.since + this.windowMs - this.now()) / 1000)));
      throw new TooManyRequestsError(`too many sign-in attempts for this account or from this address; wait ${wait} s`);
    }
    for (const w of ws) w.count++;
  }

  /** The attempt succeeded: its place is given back. */
  succeeded(keys: readonly string[]): void {
    for (const k of keys) {
      const w = this.windows.get(k);
      if (w && w.count > 0) w.count--;
    }
  }
}
