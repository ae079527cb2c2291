// What every live source keeps for its status: state and since when, lines read, reconnects, the last detail, and a
// promise that resolves once it has stopped. Each source (HTTP stream, Jetstream, Mastodon) adds its connection.

import type { Source, SourceStatus } from '../core/ports.js';

/** Doubling delays from `min` up to `max` for the n-th failure in a row (1-based). */
export function doublingDelay(n: number, [min, max]: [number, number]): number {
  return Math.min(max, min * 2 ** (n - 1));
}

export abstract class LiveSource implements Source {
  abstract readonly name: string;
  protected state: SourceStatus['state'] = 'starting';
  protected since = new Date().toISOString();
  protected linesRead = 0;
  protected reconnects = 0;
  protected detail: string | undefined;
  private resolveDone!: () => void;
  private readonly doneP = new Promise<void>((r) => (this.resolveDone = r));

  abstract start(emit: (lines: string[]) => Promise<void>): Promise<void>;
  abstract stop(): Promise<void>;

  protected setState(s: SourceStatus['state']): void {
    if (this.state === s) return;
    this.state = s;
    this.since = new Date().toISOString();
  }

  /** Counts a reconnect and schedules it after the doubling delay for the n-th failure in a row. */
  protected retryLater(failures: number, backoff: [number, number], onReconnect: (() => void) | undefined, reconnect: () => void): NodeJS.Timeout {
    this.reconnects++;
    onReconnect?.();
    const delay = doublingDelay(failures, backoff);
    this.setState('starting');
    this.detail = `${this.detail ?? 'disconnected'}; reconnecting in ${delay} ms`;
    return setTimeout(reconnect, delay);
  }

  /** Marks the source stopped for good. */
  protected stopped_(): void {
    this.setState('stopped');
    this.resolveDone();
  }

  done(): Promise<void> {
    return this.doneP;
  }

  status(): SourceStatus {
    return { source: this.name, state: this.state, since: this.since, linesRead: this.linesRead, detail: `${this.detail ?? ''}${this.reconnects > 0 ? ` · ${this.reconnects} reconnects` : ''}`.trim() };
  }

  reconnectCount(): number {
    return this.reconnects;
  }
}
