// A gzip archive cut short (a collection whose disk filled, a download stopped midway): every whole line before the
// cut is published, including those of the batch being gathered when reading failed, and the replay then fails
// with the file and the reason.

import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReplaySource } from '../../src/adapters/replay/replay-source.js';

describe('a replay of an archive cut short', () => {
  it('publishes every whole line before the cut, then fails naming the file and the cut', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-cut-'));
    const lines = Array.from({ length: 1200 }, (_, i) => JSON.stringify({ id: i, text: randomBytes(60).toString('hex') }));
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const cut = whole.subarray(0, Math.floor(whole.length * 0.7));
    const file = join(dir, 'posts.jsonl.gz');
    await writeFile(file, cut);
    // What can be read before the cut: the whole lines of the bytes gunzip gives back from it.
    const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const before = readable.slice(0, readable.lastIndexOf('\n')).split('\n');
    expect(before.length % 500).not.toBe(0); // some lines wait in a batch of 500 when the cut is met

    const published: string[] = [];
    const replay = new ReplaySource({ file, batchSize: 500 });
    await replay.start(async (batch) => {
      for (const b of batch) published.push(b.toString('utf8'));
    });
    await replay.done();

    expect(published).toEqual(before);
    expect(published).toEqual(lines.slice(0, before.length));
    const status = replay.status();
    expect(status.state).toBe('failed');
    expect(status.linesRead).toBe(before.length);
    expect(status.detail).toBe(`reading ${file} failed: unexpected end of file`);
  });
});
