// Files named on the command line, checked before anything starts: a wrong path is said plainly, with what to do,
// instead of an errno after a pipeline has been opened.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, UsageError } from '../core/errors.js';

async function problemOf(file: string): Promise<string | null> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) return `${file} is a folder: name the archive files in it (e.g. ${file}/*.jsonl.gz)`;
    if (!s.isFile()) return `${file} is not a regular file`;
    await access(file, constants.R_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${file}: no such file (looked for ${resolve(file)}; check the path)`;
    if (code === 'EACCES' || code === 'EPERM') return `${file} cannot be read by this user (check its permissions)`;
    return `${file} cannot be read: ${errorMessage(err)}`;
  }
}

/** Throws a UsageError naming every file that cannot be read, and why. */
export async function checkReadableFiles(files: readonly string[]): Promise<void> {
  const problems = (await Promise.all(files.map(problemOf))).filter((p): p is string => p !== null);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
}
