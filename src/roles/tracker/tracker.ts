// Tracker role: holds one source at a time and publishes every raw line, unchanged, to the raw topic.
// For a replay it records how far the file was published, so a restart resumes there instead of starting over.

import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ReplaySource } from '../../adapters/replay/replay-source.js';
import { lineId, rawPostKey } from '../../core/classify.js';
import { errorMessage, NotFoundError, SourceBusyError } from '../../core/errors.js';
import { isBlankLine, rawPostKeyOfBytes } from '../../core/line-bytes.js';
import type { TrackerConnection } from '../../core/plan.js';
import { type Bus, type BusRecord, type LiveLines, type SourceStatus, TOPICS } from '../../core/ports.js';
import { readJsonOr, writeJsonAtomic } from '../../util/atomic-file.js';
import { sha256OfFile } from '../../util/file-hash.js';
import type { Logger } from '../../util/log.js';
import type { CoverageRecorder } from './coverage-recorder.js';

/**
 * <data>/replay-progress.json: lines published per file content ("sha256:…", or "reading:…" for a file whose first
 * reading has not reached its end yet), and the content id of each path seen (by size and modification time, so an
 * archive is hashed once). Before version 2 it was lines per path.
 */
interface ReplayProgress {
  version: 2;
  files: Record<string, number>;
  known: Record<string, { size: number; mtimeMs: number; id: string }>;
  /** The size of each content id's file (since 2026-12-05; absent from older files): see mayHoldKnownContent. */
  sizes?: Record<string, number>;
  /** Counts of the first format, by path, until the file is replayed again. */
  legacy?: Record<string, number>;
  /**
   * Content ids of files a replay read to the end, with their lines: replayed again (a restart carrying on the last
   * replay, the same archive imported again) they finish at once instead of reading every line to skip it (minutes
   * for a large gzipped archive).
   */
  ended?: Record<string, number>;
}

function readProgress(raw: unknown): ReplayProgress {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (o.version === 2) return o as unknown as ReplayProgress;
  const legacy = Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  return { version: 2, files: {}, known: {}, legacy };
}

/** The prefix of a provisional content id: the file is hashed as its replay reads it, then known by its hash. */
const READING = 'reading:';

/**
 * The file's content id, and whether it is only provisional. Known once per (path, size, modification time). A file
 * of a size no content published before had cannot be one of them: instead of reading it whole once to hash it
 * before its replay begins (for a large archive, minutes before its first post is stored), the replay begins at
 * once under a provisional id and hashes the file as it reads it (settleContentId). A replay stopped before the end
 * keeps the provisional id, under which it resumes.
 */
async function contentId(path: string, progress: ReplayProgress): Promise<{ id: string; provisional: boolean }> {
  const s = await stat(path).catch((err: Error) => {
    throw new NotFoundError(`cannot read ${path}: ${err.message}`);
  });
  const known = progress.known[path];
  if (known && known.size === s.size && known.mtimeMs === s.mtimeMs) return { id: known.id, provisional: known.id.startsWith(READING) };
  if (!mayHoldKnownContent(progress, path, s.size)) {
    const id = `${READING}${path}:${s.size}:${s.mtimeMs}`;
    progress.known[path] = { size: s.size, mtimeMs: s.mtimeMs, id };
    return { id, provisional: true };
  }
  await settleProvisionalIds(progress, s.size);
  const id = `sha256:${await sha256OfFile(path)}`;
  progress.known[path] = { size: s.size, mtimeMs: s.mtimeMs, id };
  progress.sizes = { ...progress.sizes, [id]: s.size };
  // A data directory of the first format counted lines per path: that count now belongs to the content.
  if (progress.legacy?.[path] !== undefined) {
    progress.files[id] = Math.max(progress.files[id] ?? 0, progress.legacy[path]);
    delete progress.legacy[path];
  }
  return { id, provisional: false };
}

/**
 * Whether a file of `size` bytes may hold a content published before: one of that size (a file read in part under a
 * provisional id included), or one whose size is not known (a data directory written before sizes were recorded, for
 * a content no path was seen with), or the path's count of the first format.
 */
function mayHoldKnownContent(progress: ReplayProgress, path: string, size: number): boolean {
  if (progress.legacy?.[path] !== undefined) return true;
  const known = Object.values(progress.known);
  if (known.some((k) => k.id.startsWith(READING) && k.size === size)) return true;
  // A content's size is its file's: one a path was seen with counts as recorded (data directories of before sizes).
  const sizeOf = (id: string): number | undefined => progress.sizes?.[id] ?? known.find((k) => k.id === id)?.size;
  return Object.keys(progress.files).some((id) => !id.startsWith(READING) && (sizeOf(id) ?? size) === size);
}

/**
 * Files of `size` bytes read in part under a provisional id, still as they were then, are hashed now: what they
 * published then counts under their content, so the same content under another name resumes after it (a replay
 * started through the API, carried on from the command line). A file changed or gone since keeps its provisional id.
 */
async function settleProvisionalIds(progress: ReplayProgress, size: number): Promise<void> {
  for (const [path, k] of Object.entries(progress.known)) {
    if (!k.id.startsWith(READING) || k.size !== size) continue;
    const now = await stat(path).catch(() => null);
    if (now?.size !== k.size || now.mtimeMs !== k.mtimeMs) continue;
    settleContentId(progress, path, k.id, `sha256:${await sha256OfFile(path)}`, k.size);
  }
}

/** The file `path` of `size` bytes, replayed under `provisional`, was read whole: its lines now count under its hash. */
function settleContentId(progress: ReplayProgress, path: string, provisional: string, id: string, size: number): void {
  progress.files[id] = Math.max(progress.files[id] ?? 0, progress.files[provisional] ?? 0);
  delete progress.files[provisional];
  progress.sizes = { ...progress.sizes, [id]: size };
  const known = progress.known[path];
  if (known?.id === provisional) known.id = id;
}

export interface TrackerOptions {
  /** Where the replay in progress is recorded, so a restarted tracker (crash, new pod) carries it on. */
  activeFile?: string;
  /** Called after each published batch (metrics). */
  onPublish?: (source: string, lines: number) => void;
  /**
   * How long a replaced connection keeps running beside its successor (default 2 s): what the old one had in flight
   * when the new one connected still arrives; the overlap is stored once.
   */
  handoverOverlapMs?: number;
  /** Records what happens to live connections (uptime, gaps, reconnects, withheld posts). */
  coverage?: CoverageRecorder;
}

/** A live source that can say when it is connected (so a replacement can wait for it before the old one stops). */
export type ConnectableSource = LiveLines & { connected?: (timeoutMs?: number) => Promise<void> };

export class Tracker {
  private source: LiveLines | null = null;
  /** Keyword-filtered connections by slot (tracker-0, …), replaced make-before-break when their keywords change. */
  private readonly slots = new Map<string, { conn: TrackerConnection; source: ConnectableSource }>();
  private planTimer: NodeJS.Timeout | null = null;
  private planning: Promise<void> = Promise.resolve();
  handovers = 0;
  private published = 0;
  private progress: ReplayProgress | null = null;
  /** Writes of the progress file, one after another (each replaces the file with the whole progress). */
  private progressWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: Bus,
    private readonly progressFile: string,
    private readonly log: Logger,
    private readonly options: TrackerOptions = {},
  ) {}

  /** Carries on the last replay of an earlier run (one that had finished shows as finished); false when there was none. */
  async resume(): Promise<boolean> {
    if (!this.options.activeFile) return false;
    const active = await readJsonOr<{ file?: string; rate?: number }>(this.options.activeFile, {});
    if (typeof active.file !== 'string') return false;
    try {
      await this.replay(active.file, active.rate ?? 0);
    } catch (err) {
      // A restored backup, another machine, a deleted archive: say so, and start without it.
      this.log.warn(
        `the replay of ${active.file} was not carried on: ${errorMessage(err)}; upload the archive again to go on with it (a file already published in part resumes where it was)`,
      );
      await writeJsonAtomic(this.options.activeFile, {});
      return false;
    }
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

  /**
   * Starts replaying `file`, resuming after the lines an earlier run already published. A file is known by its
   * content (SHA-256), not its path: the same archive uploaded again, or named on the command line after an upload,
   * resumes where it was. A file new to the data directory is hashed as it is read, not before (contentId).
   */
  async replay(file: string, rate = 0): Promise<SourceStatus> {
    if (this.source && ['starting', 'running'].includes(this.source.status().state))
      throw new SourceBusyError(`a source is already running (${this.source.name}); wait for it to finish or stop it first`);
    const path = resolve(file);
    this.progress ??= readProgress(await readJsonOr<unknown>(this.progressFile, {}));
    const progress = this.progress;
    const known = await contentId(path, progress);
    let id = known.id;
    const startLine = progress.files[id] ?? 0;
    // A provisional id: the bytes are hashed as they are read, and the lines count under the hash once all are.
    const hash = known.provisional ? createHash('sha256') : null;
    const source = new ReplaySource({
      file: path,
      rate,
      startLine,
      ended: progress.ended?.[id] === startLine,
      onFileChunk: hash ? (chunk) => hash.update(chunk) : undefined,
    });
    await source.start((lines) => this.publish(path, id, lines));
    this.source = source;
    if (this.options.activeFile) await writeJsonAtomic(this.options.activeFile, { file: path, rate });
    this.log.info(startLine > 0 ? 'replay resumed' : 'replay started', { file: path, rate: rate || 'max', ...(startLine > 0 ? { afterLine: startLine } : {}) });
    void source.done().then(async () => {
      const s = source.status();
      if (s.state === 'failed') this.log.error('replay failed', { file: path, reason: s.detail });
      else this.log.info(`replay ${s.state}`, { file: path, lines: s.linesRead });
      if (s.state !== 'finished') return;
      if (hash) {
        // Every line is published (done() follows the last), so none counts under the provisional id any more.
        const hashed = `sha256:${hash.digest('hex')}`;
        settleContentId(progress, path, id, hashed, s.bytesTotal ?? 0);
        id = hashed;
      } else if (progress.ended?.[id] === progress.files[id]) return;
      progress.ended = { ...progress.ended, [id]: progress.files[id] ?? 0 };
      await this.saveProgress().catch((err: unknown) => this.log.warn('could not record that the replay ended', { file: path, reason: errorMessage(err) }));
    });
    return source.status();
  }

  /**
   * Keeps one live connection per planned slot: follows `plan()` (the union of the active keywords, split at the
   * source's limit) and, when a slot's keywords change, opens the new connection and waits until it is connected
   * before closing the old one (make-before-break: posts seen on both are the same lines, stored once).
   */
  async followPlan(plan: () => Promise<TrackerConnection[]>, make: (conn: TrackerConnection) => ConnectableSource, pollMs = 500): Promise<void> {
    const apply = async (): Promise<void> => {
      const wanted = await plan();
      for (const [id, slot] of this.slots) {
        if (!wanted.some((c) => c.id === id)) {
          await slot.source.stop();
          this.options.coverage?.unwatch(slot.source, 'no longer planned');
          this.slots.delete(id);
          this.log.info('tracker connection closed (no longer planned)', { id });
        }
      }
      for (const conn of wanted) {
        const old = this.slots.get(conn.id);
        if (old && old.conn.hash === conn.hash) continue;
        const next = make(conn);
        this.options.coverage?.watch(next, conn.id);
        await next.start((lines) => this.publishLive(next, lines));
        try {
          await next.connected?.(30_000);
        } catch (err) {
          await next.stop();
          this.options.coverage?.unwatch(next, 'did not come up');
          throw new Error(`the new ${conn.id} connection did not come up, the running one is kept: ${errorMessage(err)}`);
        }
        this.slots.set(conn.id, { conn, source: next });
        this.source = this.slots.get('tracker-0')?.source ?? next;
        if (old) {
          await new Promise((r) => setTimeout(r, this.options.handoverOverlapMs ?? 2000));
          await old.source.stop();
          this.options.coverage?.unwatch(old.source, 'replaced by a connection with the new targets');
          this.handovers++;
          this.log.info('tracker connection replaced make-before-break', { id: conn.id, keywords: conn.keywords.length });
        } else this.log.info('tracker connection opened', { id: conn.id, source: next.name, keywords: conn.keywords.length });
      }
    };
    const tick = (): Promise<void> =>
      (this.planning = this.planning.then(apply).catch((err: Error) => this.log.error('could not apply the keyword plan; retrying', { reason: err.message })));
    await tick();
    this.planTimer = setInterval(() => void tick(), pollMs);
  }

  private async publishLive(source: LiveLines, lines: readonly (string | Buffer)[]): Promise<void> {
    const records: BusRecord[] = [];
    for (const value of lines) {
      if (typeof value === 'string' ? value.trim() === '' : isBlankLine(value)) continue;
      const key = typeof value === 'string' ? rawPostKey(value) : rawPostKeyOfBytes(value);
      records.push({ key: key ?? lineId(value), value });
    }
    await this.bus.publish(TOPICS.raw, records);
    this.published += records.length;
    this.options.coverage?.lines(
      source,
      records.map((r) => r.value ?? ''),
    );
    this.options.onPublish?.(source.name, records.length);
  }

  /**
   * Follows a live source until stopped. Lines are keyed by post id, else by their content hash, so a line delivered
   * twice (a reconnect rewinds a little) is recognised as the same line.
   */
  async follow(source: LiveLines): Promise<SourceStatus> {
    if (this.source && ['starting', 'running'].includes(this.source.status().state))
      throw new SourceBusyError(`a source is already running (${this.source.name}); stop it first`);
    this.source = source;
    this.options.coverage?.watch(source, 'tracker-0');
    await source.start((lines) => this.publishLive(source, lines));
    this.log.info('following a live source', { source: source.name });
    return source.status();
  }

  /**
   * Each line is keyed by its post id, or, when it has none (a line that will be rejected), by where it was read
   * (`file:line`), so a line published again after a crash is recognised as the same line.
   */
  private async publish(path: string, id: string, lines: Buffer[]): Promise<void> {
    this.progress ??= { version: 2, files: {}, known: {} };
    const progress = this.progress;
    const before = progress.files[id] ?? 0;
    const name = basename(path);
    const records: BusRecord[] = [];
    // Lines go to the log as the file's bytes (decoded once, where they are parsed). The origin names the line in
    // the archive (its name, not the server's path) for a line kept aside.
    for (const [i, value] of lines.entries()) {
      if (isBlankLine(value)) continue;
      const n = before + i + 1;
      records.push({ key: rawPostKeyOfBytes(value) ?? `${path}:${n}`, value, origin: `${name}:${n}` });
    }
    await this.bus.publish(TOPICS.raw, records);
    this.published += records.length;
    this.options.onPublish?.('replay', records.length);
    progress.files[id] = before + lines.length;
    await this.saveProgress();
  }

  private saveProgress(): Promise<void> {
    const write = this.progressWrites.then(() => writeJsonAtomic(this.progressFile, this.progress));
    this.progressWrites = write.catch(() => undefined);
    return write;
  }

  status(): { source: SourceStatus | null; published: number; connections?: { id: string; keywords: number; status: SourceStatus }[]; handovers?: number } {
    const base = { source: this.source?.status() ?? null, published: this.published };
    if (this.slots.size === 0) return base;
    return {
      ...base,
      connections: [...this.slots.entries()].map(([id, s]) => ({ id, keywords: s.conn.keywords.length, status: s.source.status() })),
      handovers: this.handovers,
    };
  }

  /** Resolves when the current source has finished (for tests and one-shot runs). */
  async idle(): Promise<void> {
    await this.source?.done();
  }

  async stop(): Promise<void> {
    if (this.planTimer) clearInterval(this.planTimer);
    await this.planning;
    for (const slot of this.slots.values()) await slot.source.stop();
    await this.source?.stop();
  }
}
