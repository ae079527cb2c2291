// One Vigil process per data directory: <data>/vigil.lock holds the pid of the process using it. A second process
// (another `vigil start`, a backup, an import that opens the directory itself) is told, with a coded error, which
// process holds it; a lock left by a process that no longer runs is taken over.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VigilError } from '../core/errors.js';

export const LOCK_FILE = 'vigil.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the live process holding `dataDir`, or null. */
export async function holderOf(dataDir: string): Promise<number | null> {
  const pid = Number((await readFile(join(dataDir, LOCK_FILE), 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
}

/** Takes the directory for this process; throws VIGIL_IN_USE naming the process that has it. Resolves to the release. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return async () => {
        if ((await readFile(file, 'utf8').catch(() => '')).trim() === String(process.pid)) await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = await holderOf(dataDir);
      if (pid !== null)
        throw new VigilError(
          'VIGIL_IN_USE',
          `the data directory ${dataDir} is in use by Vigil process ${pid}; stop it, or talk to it instead (vigil import --url …), or choose another --data directory`,
        );
      await rm(file, { force: true }); // left by a process that is gone
    }
  }
  throw new VigilError('VIGIL_IN_USE', `could not take ${file}; remove it if no Vigil runs on ${dataDir}`);
}
