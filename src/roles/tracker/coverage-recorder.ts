// Watches the tracker's live connections and publishes what happens to them as coverage records: connected and
// disconnected (with the reason), reconnects, gaps without data longer than the threshold, posts withheld in `limit`
// notices, and a heartbeat, so a crashed tracker's silence shows as downtime.

import { type CoverageRecord, coverageRecord, limitTotal } from '../../core/coverage.js';
import { type Bus, type LiveLines, TOPICS } from '../../core/ports.js';
import type { Logger } from '../../util/log.js';

export interface CoverageRecorderOptions {
  gapMs: number;
  heartbeatMs: number;
  /** How often connection states are looked at (default 200 ms). */
  pollMs?: number;
}

interface Watched {
  source: LiveLines & { reconnectCount?: () => number; lastDrop?: () => { at: string; detail: string } | undefined };
  connection: string;
  instance: string;
  up: boolean;
  reconnects: number;
  lastLimitTotal: number;
}

export class CoverageRecorder {
  private readonly watched = new Set<Watched>();
  /** Last line per source name (data from any of its connections closes a gap). */
  private readonly lastData = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private chain: Promise<void> = Promise.resolve();
  private instances = 0;
  private readonly started = Date.now();

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly options: CoverageRecorderOptions,
  ) {
    this.timers.push(setInterval(() => this.poll(), options.pollMs ?? 200));
    this.timers.push(setInterval(() => this.heartbeat(), options.heartbeatMs));
  }

  watch(source: LiveLines, connection: string): void {
    this.watched.add({ source, connection, instance: `${process.pid}-${this.started}-${++this.instances}`, up: false, reconnects: 0, lastLimitTotal: 0 });
    this.poll();
  }

  /** The connection was closed on purpose (stopped, or replaced by a newer one). */
  unwatch(source: LiveLines, reason: string): void {
    for (const w of this.watched) {
      if (w.source !== source) continue;
      this.poll();
      if (w.up) this.emit(w, { kind: 'disconnected', detail: reason });
      this.watched.delete(w);
    }
  }

  /** Lines a connection published: closes a gap when the source had been silent too long; counts `limit` notices. */
  lines(source: LiveLines, lines: readonly (string | Uint8Array)[]): void {
    this.poll(); // a connection is recorded as up before the data it brings
    const w = [...this.watched].find((x) => x.source === source);
    const now = Date.now();
    const last = this.lastData.get(source.name) ?? (w ? now : this.started);
    if (lines.length > 0 && now - last > this.options.gapMs && w)
      this.emit(w, { kind: 'gap', at: new Date(last).toISOString(), until: new Date(now).toISOString() });
    if (lines.length > 0) this.lastData.set(source.name, now);
    if (!w) return;
    for (const line of lines) {
      const total = limitTotal(line);
      if (total === null) continue;
      // The total counts from the connection's start: a smaller one means a new connection.
      const delta = total >= w.lastLimitTotal ? total - w.lastLimitTotal : total;
      w.lastLimitTotal = total;
      if (delta > 0) this.emit(w, { kind: 'limit', count: delta });
    }
  }

  private poll(): void {
    for (const w of this.watched) {
      const s = w.source.status();
      const reconnects = w.source.reconnectCount?.() ?? 0;
      if (reconnects > w.reconnects) {
        this.emit(w, { kind: 'reconnect', count: reconnects - w.reconnects, detail: s.detail ?? null });
        w.reconnects = reconnects;
        if (w.up) {
          // When the connection dropped, not when this poll saw it: a reconnect quicker than the poll is still two spans.
          const drop = w.source.lastDrop?.();
          this.emit(w, { kind: 'disconnected', detail: drop?.detail ?? s.detail ?? 'connection lost', at: drop?.at });
          w.up = false;
        }
      }
      const up = s.state === 'running';
      if (up && !w.up) {
        if (!this.lastData.has(w.source.name)) this.lastData.set(w.source.name, Date.now());
        this.emit(w, { kind: 'connected' });
      } else if (!up && w.up) this.emit(w, { kind: 'disconnected', detail: s.detail ?? s.state });
      w.up = up;
    }
  }

  private heartbeat(): void {
    for (const w of this.watched) if (w.up) this.emit(w, { kind: 'alive' });
  }

  private emit(w: Watched, r: Partial<Omit<CoverageRecord, 'id' | 'source' | 'connection'>> & Pick<CoverageRecord, 'kind'>): void {
    const rec = coverageRecord({ source: w.source.name, connection: w.connection, ...r, at: r.at ?? new Date().toISOString() }, w.instance);
    this.chain = this.chain
      .then(() => this.bus.publish(TOPICS.coverage, [{ key: rec.connection, value: JSON.stringify(rec) }]))
      .catch((err: Error) => this.log.error('coverage record could not be published', { kind: rec.kind, reason: err.message }));
  }

  /** Stops watching; what was recorded is published before it resolves. */
  async close(): Promise<void> {
    for (const w of [...this.watched]) this.unwatch(w.source, 'tracker stopped');
    for (const t of this.timers) clearInterval(t);
    await this.chain;
  }
}
