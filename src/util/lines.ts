// Lines of a file or stream, gzip read transparently (by its magic bytes, whatever the file is called).

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { NotFoundError } from '../core/errors.js';

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
export interface FileLines extends AsyncIterable<string> {
  readonly bytesTotal: number;
  bytesRead(): number;
}

/** Opens a file for line reading; throws a clear error when it cannot be read. */
export async function openLines(path: string): Promise<FileLines> {
  let gz: boolean;
  try {
    gz = await isGzipFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new NotFoundError(`cannot read ${path}: ${why}`);
  }
  const bytesTotal = (await stat(path)).size;
  const file = createReadStream(path);
  const lines = linesOf(gz ? file.pipe(createGunzip()) : file, path, file);
  return { [Symbol.asyncIterator]: () => lines[Symbol.asyncIterator](), bytesTotal, bytesRead: () => file.bytesRead };
}

/** `\n` and `\r\n` both end a line (the Twitter stream uses `\r\n`). */
export function linesOf(stream: Readable, label: string, source: Readable = stream): AsyncIterable<string> {
  source.on('error', (err) => stream.destroy(err));
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for await (const line of rl) yield line;
      } catch (err) {
        throw new Error(`reading ${label} failed: ${(err as Error).message}`);
      }
    },
  };
}
