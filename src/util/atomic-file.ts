// Small JSON state files that survive a crash: write a temporary file, fsync it, rename it over the old one.

import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../core/errors.js';

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(value));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the temporary files of writes that a killed process left (`<file>.<pid>.tmp` of a process gone). */
async function removeLeftovers(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? name.slice(prefix.length, -4) : '';
    if (/^\d+$/u.test(pid) && Number(pid) !== process.pid && !alive(Number(pid))) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

/** The parsed file, or `fallback` when it does not exist yet. Leftovers of writes cut short by a kill are removed. */
export async function readJsonOr<T>(path: string, fallback: T): Promise<T> {
  await removeLeftovers(path);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new Error(`cannot read ${path}: ${errorMessage(err)}`);
  }
}
