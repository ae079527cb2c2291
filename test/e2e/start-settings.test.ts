// How `vigil start` takes its settings and its data directory: a --config file's settings are used, a bad one is
// named by its key and the file it is in (not by the environment variable it became), and a data directory that
// cannot be one is refused with what to do, by every command that opens one, instead of an error code and a path.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startVigil } from '../helpers/vigil-process.js';

const exec = promisify(execFile);

async function vigil(args: string[]): Promise<{ code: number; stderr: string }> {
  return exec(process.execPath, [BIN, ...args], { timeout: 30_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-settings-'));
  await writeFile(join(dir, 'a-file'), 'not a folder');
});

describe('vigil start --config FILE', () => {
  let started: Awaited<ReturnType<typeof startVigil>> | null = null;
  afterAll(async () => {
    await started?.stop();
  });

  it("uses the file's settings, by flag name or environment name", async () => {
    const config = join(dir, 'vigil.json');
    await writeFile(config, JSON.stringify({ 'classifier-workers': 2, VIGIL_QUERY_MAX_ROWS: '2' }));
    started = await startVigil(['--data', join(dir, 'data'), '--config', config]);
    const status = await started.api<{ classifier: { workers: number } }>('GET', '/api/status');
    expect(status.body.classifier.workers).toBe(2);
    const q = await started.api<{ rowCount: number; truncated: boolean }>('POST', '/api/query', { sql: 'SELECT 1 AS a UNION ALL SELECT 2 UNION ALL SELECT 3' });
    expect(q.body).toMatchObject({ rowCount: 2, truncated: true });
  }, 120_000);

  it('names a bad value by its key and the file it is in', async () => {
    for (const [text, named] of [
      ['{"classifier-workers": "many"}', 'classifier-workers in --config'],
      ['VIGIL_PORT=eighty\n', 'port in --config'],
    ]) {
      const config = join(dir, 'bad.conf');
      await writeFile(config, text);
      const r = await vigil(['start', '--data', join(dir, 'unused'), '--config', config]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`invalid configuration: ${named} ${config} =`);
    }
  });
});

describe('a data directory that cannot be one', () => {
  it('is refused with what to do by start, import and restore', async () => {
    for (const data of [join(dir, 'a-file'), join(dir, 'a-file', 'below')]) {
      for (const args of [
        ['start', '--port', '0', '--data', data],
        ['import', join(dir, 'a-file'), '--data', data],
      ]) {
        const r = await vigil(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(`cannot use ${data} as the data directory (a file is in the way`);
        expect(r.stderr).toContain('give --data (or VIGIL_DATA) a folder you can write');
      }
      const r = await vigil(['restore', join(dir, 'a-file'), '--data', data]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`cannot restore into ${data}: a file is in the way`);
    }
  });
});
