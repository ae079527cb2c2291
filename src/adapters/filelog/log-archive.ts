// The embedded log as the archive of record of raw posts: it keeps every record for good (sealed segments packed),
// so a row can give its raw post as the record's byte position (BusMessage.position) and the line is read back from
// here when asked. Reads are synchronous: a database function calls them (DuckDB runs its functions' callbacks on the
// JavaScript thread).

import { join } from 'node:path';
import { type RawArchive, TOPICS } from '../../core/ports.js';
import { LogFiles } from './log-files.js';
import { decodeRecord, HEADER_BYTES } from './record.js';

/** Where the embedded bus keeps its topic logs, under a data directory. */
export function embeddedLogDir(dataDir: string): string {
  return join(dataDir, 'bus');
}

/** The raw topic's log of a data directory, read by position. */
export function rawLogArchive(dataDir: string): LogArchive {
  return new LogArchive(join(embeddedLogDir(dataDir), `${TOPICS.raw}.log`));
}

const FIRST_READ = 16 * 1024;

export class LogArchive implements RawArchive {
  private files: LogFiles | null = null;

  constructor(readonly path: string) {}

  read(position: number): string {
    if (!Number.isSafeInteger(position) || position < 0) throw new Error(`${this.path}: ${position} is not a position in the log`);
    this.files ??= LogFiles.openReader(this.path);
    let buf = this.files.readSync(position, FIRST_READ);
    const want = buf.length >= HEADER_BYTES ? HEADER_BYTES + buf.readUInt32LE(0) : 0;
    if (want > buf.length) {
      // A length read where no record starts can be anything: never allocate past the end of the log.
      if (position + want > this.files.end) throw this.nothingAt(position);
      buf = this.files.readSync(position, want);
    }
    const r = decodeRecord(buf, 0);
    if (typeof r === 'string' || r.valueBytes === null) throw this.nothingAt(position);
    return r.valueBytes.toString('utf8');
  }

  private nothingAt(position: number): Error {
    return new Error(`${this.path}: no raw post is recorded at byte ${position} (the log was changed or replaced since the row was stored)`);
  }

  close(): void {
    void this.files?.close();
    this.files = null;
  }
}
