// A file's SHA-256 read in chunks equals the SHA-256 of its whole bytes, whatever the size against the chunk.

import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256OfFile } from '../../src/util/file-hash.js';

describe('sha256OfFile', () => {
  it('gives the SHA-256 of the whole file for empty, small, chunk-sized and multi-chunk files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-hash-'));
    try {
      for (const size of [0, 1, 65_537, 1 << 20, (3 << 20) + 7]) {
        const bytes = randomBytes(size);
        const file = join(dir, `f-${size}`);
        writeFileSync(file, bytes);
        expect(await sha256OfFile(file)).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with the file system error for a file that is not there', async () => {
    await expect(sha256OfFile(join(tmpdir(), 'vigil-no-such-file'))).rejects.toThrow(/ENOENT/);
  });
});
