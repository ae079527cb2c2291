// What Vigil keeps on disk is for its owner only: the data directory is 0700, its files 0600, and everything a Vigil
// process creates afterwards is made that way (umask 077).

import { chmod, lstat, mkdir, open, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, UsageError } from '../core/errors.js';

/** Files and directories Vigil creates from now on are readable by their owner only. */
export function ownerOnlyFromNowOn(): void {
  process.umask(0o077);
}

/** Creates the data directory if needed, owner-only; a path that cannot be one is an error that says what to do. */
export async function makeDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'a file is in the way: it or a folder above it is a file'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'permission denied'
          : errorMessage(err);
    throw new UsageError(`cannot use ${dir} as the data directory (${why}); give --data (or VIGIL_DATA) a folder you can write`);
  }
}

/** Creates the data directory if needed and makes it and everything under it owner-only (0700 / 0600). */
export async function secureDataDir(dir: string): Promise<void> {
  await makeDataDir(dir);
  await tighten(dir);
}

async function tighten(path: string): Promise<void> {
  const s = await lstat(path);
  if (s.isSymbolicLink()) return;
  if (s.isDirectory()) {
    if ((s.mode & 0o077) !== 0) await chmod(path, 0o700);
    for (const e of await readdir(path)) await tighten(join(path, e));
  } else if ((s.mode & 0o077) !== 0) await chmod(path, 0o600);
}

/** Writes a file only its owner can read, atomically (a temporary file renamed over it). */
export async function writePrivateFile(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(content);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
