// A topic log's index, saved beside it (`<log>.idx`), so opening a big log reads only what was appended since: the
// log's durable size and record count then, and the file position of every INDEX_EVERY-th record. The log is
// append-only, so an index stays true for the part it covers; one that is damaged, or does not fit the log (a file
// replaced or cut by hand), is ignored and the log is read from its start, as without one.

import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

export interface LogIndex {
  /** Bytes of the log covered (all durable when the index was saved). */
  size: number;
  count: number;
  /** File position of record i × every, for i = 0 … ceil(count / every) − 1. */
  sparse: number[];
}

const VERSION = 1;

export const indexPath = (logPath: string): string => `${logPath}.idx`;

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The saved index; 'none' when there is none, 'damaged' when it is not whole or was made with another spacing. */
export async function loadLogIndex(logPath: string, every: number): Promise<LogIndex | 'none' | 'damaged'> {
  let text: string;
  try {
    text = await readFile(indexPath(logPath), 'utf8');
  } catch {
    return 'none';
  }
  const cut = text.lastIndexOf('\n');
  if (cut < 0 || digest(text.slice(0, cut)) !== text.slice(cut + 1)) return 'damaged';
  try {
    const o = JSON.parse(text.slice(0, cut)) as { version?: unknown; every?: unknown } & Partial<LogIndex>;
    const { size, count, sparse } = o;
    if (o.version !== VERSION || o.every !== every || !Number.isSafeInteger(size) || !Number.isSafeInteger(count) || !Array.isArray(sparse)) return 'damaged';
    if ((size as number) < 0 || (count as number) < 0 || sparse.length !== Math.ceil((count as number) / every)) return 'damaged';
    return { size: size as number, count: count as number, sparse: sparse as number[] };
  } catch {
    return 'damaged';
  }
}

/** Saves the index (a new file renamed over the old one: a crash leaves one or the other whole). */
export async function saveLogIndex(logPath: string, every: number, index: LogIndex): Promise<void> {
  const body = JSON.stringify({ version: VERSION, every, size: index.size, count: index.count, sparse: index.sparse });
  const tmp = `${indexPath(logPath)}.tmp`;
  await writeFile(tmp, `${body}\n${digest(body)}`, { mode: 0o600 });
  await rename(tmp, indexPath(logPath));
}
