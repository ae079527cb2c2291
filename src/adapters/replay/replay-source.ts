// Replay source: streams an archived JSONL file (optionally gzipped) as if it were live, at a given rate or as fast
// as the pipeline takes it. It can start after a number of lines, to resume a replay interrupted by a restart.
// Lines are handed over as the file's bytes, never decoded here: they are decoded once, where they are parsed.

import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Source, SourceStatus } from '../../core/ports.js';
import { type FileLines, openLineBytes } from '../../util/lines.js';

export interface ReplayOptions {
  file: string;
  /** Lines per second; 0 or absent for as fast as possible. */
  rate?: number;
  /** Lines already delivered by an earlier run, skipped. */
  startLine?: number;
  /** An earlier run read the file to its end after `startLine` lines: nothing is left, and the file is not read again. */
  ended?: boolean;
  batchSize?: number;
  /** Sees each chunk of the file's bytes as read (openLineBytes): the tracker hashes the file as it reads it. */
  onFileChunk?: (chunk: Buffer) => void;
}

export class ReplaySource implements Source<Buffer> {
  readonly name: string;
  private state: SourceStatus['state'] = 'starting';
  private since = new Date().toISOString();
  private linesRead: number;
  private detail: string | undefined;
  private stopping = false;
  private finished: Promise<void> = Promise.resolve();
  private file: FileLines<Buffer> | null = null;
  /** The file's size, when it was not read (ended). */
  private size: number | null = null;

  constructor(private readonly opts: ReplayOptions) {
    this.name = `replay:${opts.file}`;
    this.linesRead = opts.startLine ?? 0;
  }

  async start(emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    if (this.opts.ended) {
      this.size = (await stat(this.opts.file)).size;
      this.setState('finished');
      return;
    }
    const lines = await openLineBytes(this.opts.file, { onFileChunk: this.opts.onFileChunk });
    this.file = lines;
    this.setState('running');
    this.finished = this.run(lines, emit).then(
      () => this.setState(this.stopping ? 'stopped' : 'finished'),
      (err: Error) => {
        this.detail = err.message;
        this.setState('failed');
      },
    );
  }

  private setState(s: SourceStatus['state']): void {
    this.state = s;
    this.since = new Date().toISOString();
  }

  private async run(lines: AsyncIterable<Buffer>, emit: (lines: Buffer[]) => Promise<void>): Promise<void> {
    const rate = this.opts.rate && this.opts.rate > 0 ? this.opts.rate : 0;
    const batchSize = this.opts.batchSize ?? (rate > 0 ? Math.max(1, Math.min(500, Math.floor(rate / 20))) : 500);
    const skip = this.opts.startLine ?? 0;
    const t0 = performance.now();
    let seen = 0;
    let sent = 0;
    let batch: Buffer[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const out = batch;
      batch = [];
      if (rate > 0) {
        const due = t0 + ((sent + out.length) / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await emit(out);
      sent += out.length;
      this.linesRead += out.length;
    };
    try {
      for await (const line of lines) {
        if (this.stopping) break;
        seen++;
        if (seen <= skip) continue;
        batch.push(line);
        if (batch.length >= batchSize) await flush();
      }
    } catch (err) {
      // A file that cannot be read on (a gzip archive cut short, a disk error): the whole lines read before it are
      // published, then the replay fails with the reason.
      if (!this.stopping) await flush();
      throw err;
    }
    if (!this.stopping) await flush();
  }

  done(): Promise<void> {
    return this.finished;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.finished;
  }

  status(): SourceStatus {
    const s: SourceStatus = { source: this.name, state: this.state, since: this.since, linesRead: this.linesRead };
    if (this.file) {
      s.bytesRead = this.state === 'finished' ? this.file.bytesTotal : this.file.bytesRead();
      s.bytesTotal = this.file.bytesTotal;
    } else if (this.size !== null) {
      s.bytesRead = this.size;
      s.bytesTotal = this.size;
    }
    if (this.opts.startLine) s.alreadyPublished = this.opts.startLine;
    if (this.detail) s.detail = this.detail;
    return s;
  }
}
