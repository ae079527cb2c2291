// Lines of a file or stream, gzip read transparently (by its magic bytes, whatever the file is called).

import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { errorMessage, NotFoundError } from '../core/errors.js';
import { MAX_LINE_BYTES } from '../core/line-limits.js';
import { fileChunks } from './file-chunks.js';

export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** The lines of a file, with how far into the file (its bytes on disk, compressed or not) reading has come. */
export interface FileLines<Line = string> extends AsyncIterable<Line> {
  readonly bytesTotal: number;
  bytesRead(): number;
}

export interface OpenLinesOptions {
  /**
   * Called with each chunk of the file's bytes as read from disk (compressed, for a gzip file), in order, before its
   * lines are handed out: what a replay hashes as it reads, instead of reading the whole file once more beforehand.
   */
  onFileChunk?: (chunk: Buffer) => void;
}

/** Opens a file for line reading; throws a clear error when it cannot be read. */
export function openLines(path: string): Promise<FileLines> {
  return openFileLines(path, lineText);
}

/**
 * The lines of a file as UTF-8 bytes, never decoded (a replay hands them to the log as they are). Each is a view
 * of the chunk read, not a copy (holding a line holds its chunk).
 */
export function openLineBytes(path: string, options: OpenLinesOptions = {}): Promise<FileLines<Buffer>> {
  return openFileLines(path, lineBytes, options);
}

async function openFileLines<Line>(path: string, make: (bytes: Buffer) => Line, options: OpenLinesOptions = {}): Promise<FileLines<Line>> {
  let gz: boolean;
  try {
    gz = await isGzipFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : errorMessage(err);
    throw new NotFoundError(`cannot read ${path}: ${why}`);
  }
  const bytesTotal = (await stat(path)).size;
  const file = fileChunks(path);
  const { onFileChunk } = options;
  const read = onFileChunk ? Readable.from(tapped(file, onFileChunk), { objectMode: false }) : file;
  const lines = splitLines(gz ? read.pipe(createGunzip()) : read, path, file, make);
  return { [Symbol.asyncIterator]: () => lines[Symbol.asyncIterator](), bytesTotal, bytesRead: () => file.bytesRead };
}

/** The chunks of `source`, each shown to `see` before it is passed on. */
async function* tapped(source: AsyncIterable<Buffer>, see: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    see(chunk);
    yield chunk;
  }
}

/**
 * `\n` and `\r\n` both end a line (the Twitter stream uses `\r\n`). Lines are cut from the bytes as read and each
 * decoded once (readline's string handling cost several times more per line); a character whose bytes straddle two
 * reads is decoded whole, since only complete lines are decoded. A UTF-8 byte order mark before the first line (what
 * some Windows editors write) is not part of it; a UTF-16 one stops the reading with what to do. A line longer than
 * MAX_LINE_BYTES is cut to it, the rest dropped as it is read: memory stays bounded whatever the file.
 */
export function linesOf(stream: Readable, label: string, source: Readable = stream, maxLineBytes = MAX_LINE_BYTES): AsyncIterable<string> {
  return splitLines(stream, label, source, lineText, maxLineBytes);
}

/** linesOf, each line its bytes, undecoded (whether they are UTF-8 is the reader's to check). */
export function lineBytesOf(stream: Readable, label: string, source: Readable = stream): AsyncIterable<Buffer> {
  return splitLines(stream, label, source, lineBytes);
}

function splitLines<Line>(
  stream: Readable,
  label: string,
  source: Readable,
  make: (bytes: Buffer) => Line,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncIterable<Line> {
  source.on('error', (err) => stream.destroy(err));
  return {
    async *[Symbol.asyncIterator]() {
      // The line being read: its parts so far, at most maxLineBytes of them; past that, the rest is dropped (cut).
      let carry: Buffer[] = [];
      let carryBytes = 0;
      let cut = false;
      const keep = (part: Buffer): void => {
        if (cut || part.length === 0) return;
        const room = maxLineBytes - carryBytes;
        cut = part.length > room;
        const kept = cut ? part.subarray(0, room) : part;
        carry.push(kept);
        carryBytes += kept.length;
      };
      const take = (): Buffer => {
        const bytes = carry.length === 1 ? carry[0] : Buffer.concat(carry, carryBytes);
        carry = [];
        carryBytes = 0;
        cut = false;
        return bytes;
      };
      let first = true;
      const line = (bytes: Buffer): Line => {
        if (!first) return make(bytes);
        first = false;
        return make(withoutByteOrderMark(bytes, label));
      };
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          let start = 0;
          for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
            keep(chunk.subarray(start, nl));
            yield line(take());
            start = nl + 1;
          }
          if (start < chunk.length) keep(chunk.subarray(start));
        }
      } catch (err) {
        throw new Error(`reading ${label} failed: ${errorMessage(err)}`);
      }
      if (carry.length > 0) yield line(take());
    },
  };
}

/** The first line's bytes without a UTF-8 byte order mark; a UTF-16 mark is refused (its lines would all be rejected). */
function withoutByteOrderMark(bytes: Buffer, label: string): Buffer {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    throw new Error(`${label} is UTF-16 text; Vigil reads JSON lines in UTF-8: convert it first (iconv -f UTF-16 -t UTF-8 FILE > FILE.jsonl)`);
  return bytes;
}

/** A line's bytes without the `\r` of a `\r\n` ending. */
function lineBytes(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.subarray(0, bytes.length - 1) : bytes;
}

function lineText(bytes: Buffer): string {
  return lineBytes(bytes).toString('utf8');
}
