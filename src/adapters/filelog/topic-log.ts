// One topic's append-only log, in segment files (log-files.ts). Appends are group-committed: every record written
// while a flush is in flight goes into the next write + fdatasync, and a publish resolves only after its fdatasync.
// Its index is saved beside it (log-index.ts) every SAVE_INDEX_BYTES appended and on close, so opening reads only the
// records appended since.

import { errorMessage } from '../../core/errors.js';
import { LogFiles, type LogFilesOptions } from './log-files.js';
import { loadLogIndex, saveLogIndex } from './log-index.js';
import { type DecodedRecord, decodeRecord, encodeRecords, type RecordInput, recordSize } from './record.js';

const INDEX_EVERY = 256;
const READ_CHUNK = 1 << 20;
const SAVE_INDEX_BYTES = 64 << 20;

interface Pending {
  /** The records framed back to back (record.ts), and the bytes each takes. */
  data: Buffer;
  sizes: number[];
  resolve: (firstOffset: number) => void;
  reject: (err: Error) => void;
}

export interface LogEntry extends DecodedRecord {
  offset: number;
  /** Byte position of the record in the log (where a LogArchive reads it again). */
  position: number;
}

export class TopicLog {
  /** File position of every INDEX_EVERY-th record. */
  private readonly sparse: number[] = [];
  private count = 0;
  private size = 0;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  /** The log's size when its index was last saved, and the save under way. */
  private indexedSize = 0;
  private savingIndex: Promise<void> = Promise.resolve();
  /**
   * Where the last read stopped: the next read from there (a subscription reading on) starts at it instead of at its
   * index slot, so the records between are neither read again nor checked again. A record's position never changes.
   */
  private lastRead = { offset: -1, position: 0 };

  private constructor(
    private readonly files: LogFiles,
    readonly path: string,
    private readonly warn: (msg: string) => void,
  ) {}

  /** Opens (creating) the log and recovers it: a torn or corrupt tail from a crash is cut off. */
  static async open(path: string, warn: (msg: string) => void, options: Omit<LogFilesOptions, 'warn'> = {}): Promise<TopicLog> {
    const log = new TopicLog(LogFiles.openWriter(path, { ...options, warn }), path, warn);
    try {
      await log.recover();
    } catch (err) {
      await log.files.close();
      throw err;
    }
    return log;
  }

  /** From the saved index when it fits the log, then record by record to the end. */
  private async recover(): Promise<void> {
    const fileSize = this.files.end;
    let pos = 0;
    const index = await loadLogIndex(this.path, INDEX_EVERY);
    if (typeof index === 'object' && (await this.fits(index, fileSize))) {
      this.sparse.push(...index.sparse);
      this.count = index.count;
      pos = index.size;
      this.indexedSize = index.size;
    } else if (index !== 'none')
      this.warn(
        `${this.path}: its saved index is ${index === 'damaged' ? 'damaged' : 'not of this log'} (changed by something other than Vigil?); reading the whole log instead`,
      );
    pos = await this.scan(pos, fileSize, (at) => {
      if (this.count % INDEX_EVERY === 0) this.sparse.push(at);
      this.count++;
    });
    if (pos < fileSize) {
      this.warn(`${this.path}: cut ${fileSize - pos} bytes of an incomplete last write (a crash mid-write; nothing acknowledged is lost)`);
      await this.files.truncate(pos);
    }
    this.size = pos;
  }

  /** The index's last indexed record and those after it end exactly where the index says the log did. */
  private async fits(index: { size: number; count: number; sparse: number[] }, fileSize: number): Promise<boolean> {
    if (index.size > fileSize) return false;
    if (index.count === 0) return index.size === 0;
    const last = index.sparse.length - 1;
    let records = 0;
    const end = await this.scan(index.sparse[last], index.size, () => void records++);
    return end === index.size && records === index.count - last * INDEX_EVERY;
  }

  /** Decodes records from `from` while whole and sound, up to `until`; returns where the last one ended. */
  private async scan(from: number, until: number, onRecord: (position: number) => void): Promise<number> {
    let pos = from;
    let buf: Buffer = Buffer.alloc(0);
    let bufStart = pos;
    for (;;) {
      const rel = pos - bufStart;
      const r = decodeRecord(buf, rel);
      if (r === 'short') {
        if (bufStart + buf.length >= until) break;
        const want = Math.max(READ_CHUNK, buf.length - rel + READ_CHUNK);
        buf = await this.files.read(pos, Math.min(want, until - pos));
        bufStart = pos;
        if (buf.length === 0) break;
        continue;
      }
      if (r === 'corrupt') break;
      onRecord(pos);
      pos += r.size;
    }
    return pos;
  }

  /** Saves the index when enough was appended since the last save (or `always`); a failed save only costs time on the next open. */
  private saveIndex(always = false): Promise<void> {
    if (this.size === this.indexedSize || (!always && this.size - this.indexedSize < SAVE_INDEX_BYTES)) return this.savingIndex;
    const index = { size: this.size, count: this.count, sparse: [...this.sparse] };
    this.indexedSize = index.size;
    this.savingIndex = this.savingIndex
      .then(() => saveLogIndex(this.path, INDEX_EVERY, index))
      .catch((err: Error) => this.warn(`${this.path}: could not save its index (${err.message}); the next start reads more of the log`));
    return this.savingIndex;
  }

  /** Number of records; also the offset the next record gets. */
  get end(): number {
    return this.count;
  }

  /** Appends records; resolves with their first offset once they are on disk. */
  append(records: readonly RecordInput[], timestamp: number): Promise<number> {
    const { data, sizes } = encodeRecords(records, timestamp);
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ data, sizes, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const data = batch.length === 1 ? batch[0].data : Buffer.concat(batch.map((p) => p.data));
      try {
        await this.files.append(data);
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
        continue;
      }
      let pos = this.size;
      const firsts: number[] = [];
      for (const p of batch) {
        firsts.push(this.count);
        for (const size of p.sizes) {
          if (this.count % INDEX_EVERY === 0) this.sparse.push(pos);
          this.count++;
          pos += size;
        }
      }
      this.size = pos;
      for (const [i, p] of batch.entries()) p.resolve(firsts[i]);
      for (const l of this.listeners) l();
      void this.saveIndex();
      try {
        this.files.rollIfFull();
      } catch (err) {
        this.warn(`${this.path}: could not start a new segment (${errorMessage(err)}); appends go on in the last one`);
      }
      this.files.packBefore(); // a segment sealed earlier may be due now
    }
    this.flushing = null;
  }

  /** Every consumer has read the records before `offset`: the sealed segments before them can be packed. */
  readPast(offset: number): void {
    this.files.packBefore(offset >= this.count ? this.size : this.sparse[Math.floor(offset / INDEX_EVERY)]);
  }

  /** Calls `fn` after every durable append, until the returned function is called. */
  onAppend(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Reads up to `max` records starting at `offset` (fewer at the end of the log), and none that would take their
   * values past `maxBytes` (the first is read whatever its size).
   */
  async read(offset: number, max: number, maxBytes = Number.POSITIVE_INFINITY): Promise<LogEntry[]> {
    const end = Math.min(this.count, offset + max);
    if (offset >= end) return [];
    const resume = offset === this.lastRead.offset;
    const slot = Math.floor(offset / INDEX_EVERY);
    let at = resume ? offset : slot * INDEX_EVERY;
    let pos = resume ? this.lastRead.position : this.sparse[slot];
    const out: LogEntry[] = [];
    let buf: Buffer = Buffer.alloc(0);
    let bufStart = pos;
    let bytes = 0;
    while (at < end) {
      // A record before `offset` is only stepped over: its length is read, its checksum is not (it is not returned).
      const r = at < offset ? recordSize(buf, pos - bufStart) : decodeRecord(buf, pos - bufStart);
      if (r === 'short') {
        const want = Math.max(READ_CHUNK, buf.length - (pos - bufStart) + READ_CHUNK);
        buf = await this.files.read(pos, Math.min(want, Math.max(this.size - pos, 1)));
        if (buf.length === 0) throw new Error(`${this.path}: record ${at} is past the end of the log`);
        bufStart = pos;
        continue;
      }
      if (r === 'corrupt') throw new Error(`${this.path}: record ${at} is corrupt; the log was changed by something other than Vigil`);
      if (typeof r === 'number') {
        at++;
        pos += r;
        continue;
      }
      const valueBytes = r.valueBytes?.length ?? 0;
      if (out.length > 0 && bytes + valueBytes > maxBytes) break;
      bytes += valueBytes;
      out.push({ key: r.key, valueBytes: r.valueBytes, origin: r.origin, timestamp: r.timestamp, size: r.size, offset: at, position: pos });
      at++;
      pos += r.size;
    }
    this.lastRead = { offset: at, position: pos };
    return out;
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.saveIndex(true);
    await this.files.close();
  }
}
