// Tracker role: holds one source at a time and publishes every raw line, unchanged, to the raw topic.
// For a replay it records how far the file was published, so a restart resumes there instead of starting over.

import { resolve } from 'node:path';
import { lineId, rawPostKey } from '../core/classify.js';
import { TOPICS, type Bus, type Source, type SourceStatus } from '../core/ports.js';
import { ReplaySource } from '../adapters/replay/replay-source.js';
import { readJsonOr, writeJsonAtomic } from '../util/atomic-file.js';
import type { Logger } from '../util/log.js';

export class SourceBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceBusyError';
  }
}

export interface TrackerOptions {
  /** Where the replay in progress is recorded, so a restarted tracker (crash, new pod) carries it on. */
  activeFile?: string;
  /** Called after each published batch (metrics). */
  onPublish?: (source: string, lines: number) => void;
}

export class Tracker {
  private source: Source | null = null;
  private published = 0;
  private progress: Record<string, number> | null = null;

  constructor(private readonly bus: Bus, private readonly progressFile: string, private readonly log: Logger, private readonly options: TrackerOptions = {}) {}

  /** Carries on the last replay of an earlier run (one that had finished shows as finished); false when there was none. */
  async resume(): Promise<boolean> {
    if (!this.options.activeFile) return false;
    const active = await readJsonOr<{ file?: string; rate?: number }>(this.options.activeFile, {});
    if (typeof active.file !== 'string') return false;
    await this.replay(active.file, active.rate ?? 0);
    return true;
  }

  /** Ready when it can publish and its source (if any) is receiving or has finished. */
  ready(): { ready: boolean; reason: string } {
    const s = this.source?.status();
    if (!s) return { ready: true, reason: 'no source configured: nothing to receive' };
    if (s.state === 'running') return { ready: true, reason: `receiving from ${s.source}` };
    if (s.state === 'finished') return { ready: true, reason: `${s.source} finished` };
    return { ready: false, reason: `${s.source} is ${s.state}${s.detail ? `: ${s.detail}` : ''}` };
  }

  /** Starts replaying `file`, resuming after the lines an earlier run already published. */
  async replay(file: string, rate = 0): Promise<SourceStatus> {
    if (this.source && ['starting', 'running'].includes(this.source.status().state))
      throw new SourceBusyError(`a source is already running (${this.source.name}); wait for it to finish or stop it first`);
    const path = resolve(file);
    this.progress ??= await readJsonOr<Record<string, number>>(this.progressFile, {});
    const startLine = this.progress[path] ?? 0;
    const source = new ReplaySource({ file: path, rate, startLine });
    await source.start((lines) => this.publish(path, lines));
    this.source = source;
    if (this.options.activeFile) await writeJsonAtomic(this.options.activeFile, { file: path, rate });
    this.log.info(startLine > 0 ? 'replay resumed' : 'replay started', { file: path, rate: rate || 'max', ...(startLine > 0 ? { afterLine: startLine } : {}) });
    void source.done().then(() => {
      const s = source.status();
      if (s.state === 'failed') this.log.error('replay failed', { file: path, reason: s.detail });
      else this.log.info(`replay ${s.state}`, { file: path, lines: s.linesRead });
    });
    return source.status();
  }

  /**
   * Follows a live source until stopped. Lines are keyed by post id, else by their content hash, so a line delivered
   * twice (a reconnect rewinds a little) is recognised as the same line.
   */
  async follow(source: Source): Promise<SourceStatus> {
    if (this.source && ['starting', 'running'].includes(this.source.status().state))
      throw new SourceBusyError(`a source is already running (${this.source.name}); stop it first`);
    this.source = source;
    await source.start(async (lines) => {
      const records = lines.filter((l) => l.trim() !== '').map((value) => ({ key: rawPostKey(value) ?? lineId(value), value }));
      await this.bus.publish(TOPICS.raw, records);
      this.published += records.length;
      this.options.onPublish?.(source.name, records.length);
    });
    this.log.info('following a live source', { source: source.name });
    return source.status();
  }

  /**
   * Each line is keyed by its post id, or, when it has none (a line that will be rejected), by where it was read
   * (`file:line`), so a line published again after a crash is recognised as the same line.
   */
  private async publish(path: string, lines: string[]): Promise<void> {
    const progress = (this.progress ??= {});
    const before = progress[path] ?? 0;
    const records = lines
      .map((value, i) => ({ value, at: `${path}:${before + i + 1}` }))
      .filter((r) => r.value.trim() !== '')
      .map((r) => ({ key: rawPostKey(r.value) ?? r.at, value: r.value }));
    await this.bus.publish(TOPICS.raw, records);
    this.published += records.length;
    this.options.onPublish?.('replay', records.length);
    progress[path] = (progress[path] ?? 0) + lines.length;
    await writeJsonAtomic(this.progressFile, progress);
  }

  status(): { source: SourceStatus | null; published: number } {
    return { source: this.source?.status() ?? null, published: this.published };
  }

  /** Resolves when the current source has finished (for tests and one-shot runs). */
  async idle(): Promise<void> {
    await this.source?.done();
  }

  async stop(): Promise<void> {
    await this.source?.stop();
  }
}
