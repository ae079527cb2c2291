// Small JSON state files that survive a crash: write a temporary file, fsync it, rename it over the old one.

import { open, readFile, rename } from 'node:fs/promises';

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

/** The parsed file, or `fallback` when it does not exist yet. */
export async function readJsonOr<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
}
