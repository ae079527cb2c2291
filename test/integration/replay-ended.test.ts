// A replay that read its file to the end is not read again: a restart carrying it on, or the same archive imported
// again, finishes at once (skipping a large gzipped archive's lines one by one took minutes at every start).

import { mkdtemp, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startEmbedded } from '../../src/runtime/embedded.js';
import { silentLogger } from '../../src/util/log.js';
import { replayStored } from '../helpers/embedded-runtime.js';
import { line, tweet } from '../helpers/tweets.js';

describe('a replay read to its end', () => {
  it('finishes at once when carried on after a restart or replayed again, without reading the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-ended-'));
    const config = loadConfig({ port: '0', dataDir: join(dir, 'data'), classifierWorkers: '0' });
    const file = join(dir, 'posts.jsonl');
    const posts = [1, 2, 3].map((i) => line(tweet({ id: String(i), text: `sandy ${i}` })));
    await writeFile(file, `${posts.join('\n')}\n`);
    // A whole second, which utimes sets again exactly (the data directory knows a file by its size and mtime).
    const mtime = 1_700_000_000;
    await utimes(file, mtime, mtime);

    const first = await startEmbedded(config, silentLogger);
    try {
      await first.events.create({ name: 'Sandy', keywords: ['sandy'] });
      await first.tracker.replay(file);
      await replayStored(first);
      expect(first.tracker.status().published).toBe(3);
    } finally {
      await first.close();
    }

    // The file now holds more lines in as many bytes, with the same modification time: a reader would find lines 4
    // and 5 after the 3 published; a replay that knows it ended there does not read it.
    const { size } = await stat(file);
    const text = `${posts[0]}\n${posts[1]}\n{"x":3}\n{"x":4}\n{"x":5}`;
    await writeFile(file, `${text.padEnd(size - 1, ' ')}\n`);
    expect((await stat(file)).size).toBe(size);
    await utimes(file, mtime, mtime);

    const again = await startEmbedded(config, silentLogger);
    try {
      // carried on at start (the last replay of the data directory): finished, its lines counted as published before
      expect(again.tracker.status().source).toMatchObject({ state: 'finished', linesRead: 3, alreadyPublished: 3, bytesTotal: size });
      expect(await again.tracker.replay(file)).toMatchObject({ state: 'finished', alreadyPublished: 3 });
      await replayStored(again);
      expect(again.tracker.status().published).toBe(0);
      expect((await again.classifier.status()).counts.posts).toBe(0);
    } finally {
      await again.close();
    }
  });
});
