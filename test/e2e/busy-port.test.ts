// A port another program holds is found before anything is created: `vigil start` says which port and what to do,
// exits non-zero, and leaves no data directory behind.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/vigil-process.js';

const exec = promisify(execFile);

describe('vigil start on a busy port', () => {
  it('names the port and what to do, and creates nothing', async () => {
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const port = (other.address() as AddressInfo).port;
    const data = join(await mkdtemp(join(tmpdir(), 'vigil-port-')), 'data');
    try {
      const r = await exec(process.execPath, [BIN, 'start', '--port', String(port), '--data', data], { timeout: 30_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is in use by another program`);
      expect(r.stderr).toContain(`--port ${port + 1}`);
      expect(existsSync(data), 'no data directory is created').toBe(false);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
