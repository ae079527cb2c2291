// A sealed log segment compressed for good: its records, unchanged, in frames of whole records (about FRAME_BYTES
// before compression) each compressed on its own with Brotli, so the record at a position is read by decompressing
// one frame (a third of a millisecond). The benchmark's generated posts shrink 8.3 times, real payloads 2.5–7.6;
// Brotli at quality 1 packs about 550 MB/s and unpacks about 700 MB/s on one core.
//
// File: the frames back to back, then the frame table: per frame [u32 bytes unpacked][u32 bytes packed], then
// [u32 frames][u32 crc32 of the table][magic VLZ1]. The records keep their own checksums, checked when decoded.

import { closeSync, fstatSync, openSync, read, readSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompressSync, constants, crc32 } from 'node:zlib';
import { HEADER_BYTES } from './record.js';

export const FRAME_BYTES = 256 << 10;
/** Frames kept unpacked: reads go mostly forward, with a few streams at once (an export beside the tail). */
const CACHED_FRAMES = 4;
const MAGIC = Buffer.from('VLZ1');
const TAIL_BYTES = 12;
const READ_CHUNK = 4 << 20;

const compress = promisify(brotliCompress);
const readAt = promisify(read);
const brotliOptions = (size: number) => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 1,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

export class PackedSegment {
  /** The frames unpacked last, the most recent last. */
  private readonly cached = new Map<number, Buffer>();

  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** Unpacked start of each frame, relative to the segment, and one more entry: the segment's size. */
    private readonly starts: number[],
    /** File position of each frame, and one more entry: where the table starts. */
    private readonly at: number[],
  ) {}

  /** Opens a packed segment; throws when its table is not whole (a file changed by something other than Vigil). */
  static openSync(path: string): PackedSegment {
    const fd = openSync(path, 'r');
    try {
      const { size } = fstatSync(fd);
      const damaged = (why: string) => new Error(`${path}: not a packed log segment (${why}); it was changed by something other than Vigil`);
      if (size < TAIL_BYTES) throw damaged('too short');
      const tail = Buffer.alloc(TAIL_BYTES);
      readSync(fd, tail, 0, TAIL_BYTES, size - TAIL_BYTES);
      if (!tail.subarray(8).equals(MAGIC)) throw damaged('no end marker');
      const frames = tail.readUInt32LE(0);
      const tableAt = size - TAIL_BYTES - frames * 8;
      if (tableAt < 0) throw damaged('its frame table is cut');
      const table = Buffer.alloc(frames * 8);
      readSync(fd, table, 0, table.length, tableAt);
      if (crc32(table) !== tail.readUInt32LE(4)) throw damaged('its frame table does not match its checksum');
      const starts = [0];
      const at = [0];
      for (let i = 0; i < frames; i++) {
        starts.push(starts[i] + table.readUInt32LE(i * 8));
        at.push(at[i] + table.readUInt32LE(i * 8 + 4));
      }
      if (at[frames] !== tableAt) throw damaged('its frames do not add up to its size');
      return new PackedSegment(path, fd, starts, at);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Bytes of the records before packing. */
  get size(): number {
    return this.starts[this.starts.length - 1];
  }

  /** The unpacked bytes from `rel` (relative to the segment) to the end of its frame; empty at or past the end. */
  bytesFrom(rel: number): Buffer {
    if (rel < 0 || rel >= this.size) return Buffer.alloc(0);
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= rel) lo = mid;
      else hi = mid - 1;
    }
    let bytes = this.cached.get(lo);
    if (bytes) this.cached.delete(lo);
    else {
      const packed = Buffer.allocUnsafe(this.at[lo + 1] - this.at[lo]);
      readSync(this.fd, packed, 0, packed.length, this.at[lo]);
      bytes = brotliDecompressSync(packed);
      if (bytes.length !== this.starts[lo + 1] - this.starts[lo])
        throw new Error(`${this.path}: frame ${lo} does not unpack to its size; the file was changed`);
      if (this.cached.size >= CACHED_FRAMES) this.cached.delete(this.cached.keys().next().value as number);
    }
    this.cached.set(lo, bytes);
    return bytes.subarray(rel - this.starts[lo]);
  }

  close(): void {
    this.cached.clear();
    closeSync(this.fd);
  }
}

/**
 * Packs the first `size` bytes of the plain segment open as `fd` into `to` (written as `to`.tmp, synced, then
 * renamed: a crash leaves no half file under the final name). Frames end between records and are compressed straight
 * from the chunk read (no copy per record); reads and compression run on the libuv pool, so the event loop stays free.
 */
export async function packSegment(fd: number, size: number, to: string, frameBytes = FRAME_BYTES): Promise<void> {
  const tmp = `${to}.tmp`;
  const out = await open(tmp, 'w', 0o600);
  try {
    const table: number[] = [];
    let written = 0;
    const flush = async (frame: Buffer) => {
      const packed = await compress(frame, brotliOptions(frame.length));
      await out.write(packed, 0, packed.length, written);
      written += packed.length;
      table.push(frame.length, packed.length);
    };
    let chunkBytes = Math.max(READ_CHUNK, 4 * frameBytes);
    for (let pos = 0; pos < size; ) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, size - pos));
      const { bytesRead } = await readAt(fd, chunk, 0, chunk.length, pos);
      if (bytesRead < chunk.length) throw new Error(`${to}: the segment is shorter than ${size} bytes; it was not packed`);
      const last = pos + chunk.length === size;
      // Whole records from the chunk's start, cut into frames of at least frameBytes.
      let start = 0;
      let at = 0;
      while (at + HEADER_BYTES <= chunk.length && at + HEADER_BYTES + chunk.readUInt32LE(at) <= chunk.length) {
        at += HEADER_BYTES + chunk.readUInt32LE(at);
        if (at - start >= frameBytes) {
          await flush(chunk.subarray(start, at));
          start = at;
        }
      }
      if (last) {
        if (at !== chunk.length) throw new Error(`${to}: the segment ends inside a record at byte ${pos + at}; it was not packed`);
        if (at > start) await flush(chunk.subarray(start, at));
        break;
      }
      // The next read starts at the first record not packed yet; a frame longer than the chunk needs a bigger one.
      if (start === 0) chunkBytes *= 2;
      pos += start;
    }
    const tableBuf = Buffer.alloc(table.length * 4);
    for (const [i, n] of table.entries()) tableBuf.writeUInt32LE(n, i * 4);
    const tail = Buffer.alloc(TAIL_BYTES);
    tail.writeUInt32LE(table.length / 2, 0);
    tail.writeUInt32LE(crc32(tableBuf), 4);
    MAGIC.copy(tail, 8);
    const end = Buffer.concat([tableBuf, tail]);
    await out.write(end, 0, end.length, written);
    await out.datasync();
  } finally {
    await out.close();
  }
  await rename(tmp, to);
}
