// A topic log's bytes in segment files, one after the other: positions run on across them, so a record's position
// never changes (rows keep it to read their raw post again). Appends go to the last segment; when it holds
// `segmentBytes` a new one starts. A sealed segment that every consumer has read past is packed (packed-segment.ts)
// and its plain file removed: the log stays the archive of record at a fraction of the disk.
//
// Files, for the log `<dir>/<topic>.log`: `<topic>.log` starts at position 0 (the one file of logs written before
// segments existed); `<topic>.<base, 16 digits>.log` starts at its base; a packed segment adds `z` to its name.

import { closeSync, fdatasync, fstatSync, fsyncSync, ftruncate, openSync, read, readdirSync, readSync, unlinkSync, write } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage } from '../../core/errors.js';
import { FRAME_BYTES, PackedSegment, packSegment } from './packed-segment.js';

export const SEGMENT_BYTES = 256 << 20;
const PACK_RETRY_MS = 60_000;

const readAt = promisify(read);
const writeAt = promisify(write);
const datasync = promisify(fdatasync);
const truncateTo = promisify(ftruncate);

interface Segment {
  base: number;
  /** The plain file, while there is one. */
  plain: { path: string; fd: number } | null;
  packed: PackedSegment | null;
  /** Bytes (unpacked); the last segment's grows with appends. */
  size: number;
  /** Async reads of the plain file under way: its descriptor is closed after the last. */
  reads: number;
}

export interface LogFilesOptions {
  segmentBytes?: number;
  frameBytes?: number;
  warn?: (msg: string) => void;
}

/** Packs done in this process, per log: a reader's view of the files is renewed when the number changes. */
const packings = new Map<string, number>();

const pad = (n: number) => String(n).padStart(16, '0');

/** The file of the segment that starts at `base`, plain or packed. */
export function segmentPath(logPath: string, base: number, packed = false): string {
  const plain = base === 0 ? logPath : join(dirname(logPath), `${basename(logPath, '.log')}.${pad(base)}.log`);
  return packed ? `${plain}z` : plain;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class LogFiles {
  private segments: Segment[] = [];
  private packing: Promise<void> | null = null;
  private seen = 0;
  /** What every consumer has read past, as far as told (packBefore). */
  private readUpTo = 0;
  /** After a pack failed (a full disk, say), none is tried before this time. */
  private retryAt = 0;
  private readonly segmentBytes: number;
  private readonly frameBytes: number;
  private readonly warn: (msg: string) => void;

  private constructor(
    readonly path: string,
    /** The writer appends, packs and tidies up after a crash; a reader only reads. */
    private readonly writer: boolean,
    options: LogFilesOptions,
  ) {
    this.segmentBytes = options.segmentBytes ?? SEGMENT_BYTES;
    this.frameBytes = options.frameBytes ?? FRAME_BYTES;
    this.warn = options.warn ?? (() => undefined);
  }

  /** Opens the log's files to append to (creating the first); one writer per log. */
  static openWriter(path: string, options: LogFilesOptions = {}): LogFiles {
    const files = new LogFiles(path, true, options);
    files.list();
    return files;
  }

  /** Opens the log's files to read only (an archive beside the writer, or a stopped data directory). */
  static openReader(path: string): LogFiles {
    const files = new LogFiles(path, false, {});
    files.list();
    return files;
  }

  /** Reads the directory: each segment once (packed if it was packed), in order, one after the other without gaps. */
  private list(): void {
    const dir = dirname(this.path);
    const stem = basename(this.path, '.log');
    const found = new Map<number, { plain?: string; packed?: string }>();
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(`${stem}.`)) continue;
      const rest = name.slice(stem.length);
      if (this.writer && /^(?:\.\d{16})?\.logz\.tmp$/u.test(rest)) {
        // A pack cut short by a crash: the plain segment is still there. One that cannot go does not stop the start.
        try {
          unlinkSync(join(dir, name));
        } catch (err) {
          this.warn(`${join(dir, name)}: could not remove this leftover of a pack (${errorMessage(err)})`);
        }
        continue;
      }
      const m = /^(?:\.(\d{16}))?\.log(z?)$/u.exec(rest);
      if (!m) continue;
      const base = m[1] === undefined ? 0 : Number(m[1]);
      const f = found.get(base) ?? {};
      if (m[2] === 'z') f.packed = join(dir, name);
      else f.plain = join(dir, name);
      found.set(base, f);
    }
    if (found.size === 0) {
      if (!this.writer) throw new Error(`${this.path}: no such log`);
      found.set(0, { plain: this.path });
    }
    const bases = [...found.keys()].sort((a, b) => a - b);
    const segments: Segment[] = [];
    try {
      for (const [i, base] of bases.entries()) {
        const f = found.get(base) as { plain?: string; packed?: string };
        const last = i === bases.length - 1;
        if (f.packed && f.plain && this.writer) {
          unlinkSync(f.plain); // packed and renamed before a crash, the plain file not yet removed
          f.plain = undefined;
        }
        let seg: Segment;
        if (f.packed) {
          const packed = PackedSegment.openSync(f.packed);
          seg = { base, plain: null, packed, size: packed.size, reads: 0 };
        } else {
          const path = f.plain as string;
          const fd = openSync(path, this.writer && last ? 'a+' : 'r');
          seg = { base, plain: { path, fd }, packed: null, size: fstatSync(fd).size, reads: 0 };
        }
        segments.push(seg);
        const prev = segments[segments.length - 2];
        const expected = prev ? prev.base + prev.size : 0;
        if (base !== expected)
          throw new Error(
            `${this.path}: its segment at byte ${base} does not follow the one before (which ends at ${expected}): a segment file was removed or changed by something other than Vigil; restore the data directory from a backup`,
          );
      }
      if (this.writer && segments[segments.length - 1].packed) segments.push(this.create(segments[segments.length - 1]));
    } catch (err) {
      for (const s of segments) this.closeSegment(s);
      throw err;
    }
    this.segments = segments;
    this.seen = packings.get(this.path) ?? 0;
  }

  private create(after: Segment): Segment {
    const base = after.base + after.size;
    const path = segmentPath(this.path, base);
    const fd = openSync(path, 'a+', 0o600);
    syncDir(dirname(this.path));
    return { base, plain: { path, fd }, packed: null, size: 0, reads: 0 };
  }

  private closeSegment(s: Segment): void {
    s.packed?.close();
    if (s.plain) closeSync(s.plain.fd);
  }

  /** Where the next append goes: the bytes of the whole log (a reader asks the file, which a writer may be growing). */
  get end(): number {
    const last = this.active;
    if (!this.writer && last.plain) last.size = fstatSync(last.plain.fd).size;
    return last.base + last.size;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /** The segment holding `position` (the last one for the end and beyond). */
  private at(position: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid].base <= position) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo];
  }

  /** Up to `length` bytes from `position`, never past the end of its segment or packed frame; empty at the end. */
  async read(position: number, length: number): Promise<Buffer> {
    const s = this.at(position);
    const rel = position - s.base;
    if (s.packed || !s.plain) return (s.packed as PackedSegment).bytesFrom(rel).subarray(0, length);
    const want = Math.max(0, Math.min(length, s === this.active ? length : s.size - rel));
    const buf = Buffer.allocUnsafe(want);
    const plain = s.plain;
    s.reads++;
    try {
      const { bytesRead } = await readAt(plain.fd, buf, 0, want, rel);
      return buf.subarray(0, bytesRead);
    } finally {
      s.reads--;
      if (s.reads === 0 && s.plain !== plain) closeSync(plain.fd);
    }
  }

  /** As `read`, synchronously (database functions read raw posts on the JavaScript thread). */
  readSync(position: number, length: number): Buffer {
    if (!this.writer && this.seen !== (packings.get(this.path) ?? 0)) this.renew();
    let got = this.readSyncOnce(position, length);
    if (got.length === 0 && !this.writer) {
      this.renew(); // a segment begun (or packed) since this reader listed the files
      got = this.readSyncOnce(position, length);
    }
    return got;
  }

  private readSyncOnce(position: number, length: number): Buffer {
    const s = this.at(position);
    const rel = position - s.base;
    if (s.packed) return s.packed.bytesFrom(rel).subarray(0, length);
    const buf = Buffer.allocUnsafe(length);
    const got = readSync((s.plain as { fd: number }).fd, buf, 0, length, rel);
    return buf.subarray(0, got);
  }

  private renew(): void {
    for (const s of this.segments) this.closeSegment(s);
    this.segments = [];
    this.list();
  }

  /** Appends to the last segment and syncs it. */
  async append(data: Buffer): Promise<void> {
    const s = this.active;
    const { fd } = s.plain as { fd: number };
    let done = 0;
    while (done < data.length) done += (await writeAt(fd, data, done, data.length - done, s.size + done)).bytesWritten;
    await datasync(fd);
    s.size += data.length;
  }

  /** Cuts a torn tail after a crash; only the last segment is ever written, so only it can be cut. */
  async truncate(position: number): Promise<void> {
    const s = this.active;
    if (position < s.base)
      throw new Error(
        `${this.path}: the record at byte ${position} is damaged, inside a sealed segment: the log was changed by something other than Vigil; restore the data directory from a backup`,
      );
    const { fd } = s.plain as { fd: number };
    await truncateTo(fd, position - s.base);
    await datasync(fd);
    s.size = position - s.base;
  }

  /** Starts a new segment when the last one is full (called between appends). */
  rollIfFull(): void {
    if (this.active.size >= this.segmentBytes) this.segments.push(this.create(this.active));
  }

  /**
   * Packs, one at a time in the background, the sealed segments that end at or before what every consumer has read:
   * `readUpTo` when told more, else the last position told.
   */
  packBefore(readUpTo = 0): void {
    this.readUpTo = Math.max(this.readUpTo, readUpTo);
    if (!this.writer || this.packing || performance.now() < this.retryAt) return;
    const next = this.segments.find((s, i) => i < this.segments.length - 1 && s.plain && !s.packed && s.base + s.size <= this.readUpTo);
    if (!next) return;
    this.packing = this.pack(next)
      .then(
        () => true,
        (err: Error) => {
          this.warn(`${next.plain?.path}: could not pack it (${err.message}); it stays as it is, and packing is tried again in a minute`);
          this.retryAt = performance.now() + PACK_RETRY_MS;
          return false;
        },
      )
      .then((packed) => {
        this.packing = null;
        if (packed) this.packBefore();
      });
  }

  private async pack(s: Segment): Promise<void> {
    const plain = s.plain as { path: string; fd: number };
    const to = segmentPath(this.path, s.base, true);
    await packSegment(plain.fd, s.size, to, this.frameBytes);
    syncDir(dirname(this.path));
    const packed = PackedSegment.openSync(to);
    if (packed.size !== s.size) {
      packed.close();
      unlinkSync(to);
      throw new Error(`the packed file holds ${packed.size} bytes, not ${s.size}`);
    }
    s.packed = packed;
    s.plain = null;
    unlinkSync(plain.path);
    syncDir(dirname(this.path));
    if (s.reads === 0) closeSync(plain.fd);
    packings.set(this.path, (packings.get(this.path) ?? 0) + 1);
  }

  /** Waits for a pack under way, then closes every file. */
  async close(): Promise<void> {
    while (this.packing) await this.packing;
    for (const s of this.segments) this.closeSegment(s);
    this.segments = [];
  }
}
