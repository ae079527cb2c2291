// Small JSON state files (offsets, replay progress): a write killed half way leaves its temporary file; the next
// start removes those of processes that are gone, and never one of a process still writing.

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonOr, writeJsonAtomic } from '../../src/util/atomic-file.js';

/** The pid of a process that has exited. */
async function goneProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid as number;
}

describe('JSON state files written atomically', () => {
  it('removes the temporary files of killed writers on read, keeping a live writer’s and other files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-atomic-'));
    const file = join(dir, 'offsets.json');
    await writeJsonAtomic(file, { a: 1 });
    const gone = await goneProcess();
    await writeFile(join(dir, `offsets.json.${gone}.tmp`), '{"a":');
    await writeFile(join(dir, `offsets.json.${process.ppid}.tmp`), '{"a":'); // a live process (this one's parent)
    await writeFile(join(dir, 'other.json.1.tmp'), 'not this file’s');
    expect(await readJsonOr(file, {})).toEqual({ a: 1 });
    expect((await readdir(dir)).sort()).toEqual(['offsets.json', `offsets.json.${process.ppid}.tmp`, 'other.json.1.tmp'].sort());
  });
});
