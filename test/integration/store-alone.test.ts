// `vigil import --data` counts the terms of the rows it stored once its roles have stopped, on the store opened again
// alone with the threads a running Vigil gives DuckDB (every core), not the one thread the import's parsing left it.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_IMPORT_DEFAULTS, importCountConfig } from '../../src/cli/import.js';
import { loadConfig } from '../../src/config/index.js';
import { startEmbedded } from '../../src/runtime/embedded.js';
import { withStoreAlone } from '../../src/runtime/process.js';
import { LOCK_FILE } from '../../src/util/data-lock.js';
import { silentLogger } from '../../src/util/log.js';
import { replayStored } from '../helpers/embedded-runtime.js';
import { line, tweet } from '../helpers/tweets.js';

const holderOfFile = (dataDir: string) =>
  readFile(join(dataDir, LOCK_FILE), 'utf8').then(
    (s) => s.trim(),
    () => '',
  );

describe('the term count after an import', () => {
  it('opens DuckDB with every core where the import gave it one, unless VIGIL_DUCKDB_THREADS says otherwise', () => {
    expect(availableParallelism()).toBeGreaterThan(1); // else both are 1 and this proves nothing
    expect(loadConfig({ port: '0', dataDir: '/d' }, {}, EMBEDDED_IMPORT_DEFAULTS).duckdbThreads).toBe(1);
    // nor does the import count in the background: it counts once it has stored every row
    expect(loadConfig({ port: '0', dataDir: '/d' }, {}, EMBEDDED_IMPORT_DEFAULTS).termCountIdleMs).toBe(0);
    expect(importCountConfig('/d', {}).termCountIdleMs).toBeGreaterThan(0);
    expect(importCountConfig('/d', {}).duckdbThreads).toBe(availableParallelism());
    expect(importCountConfig('/d', { VIGIL_DUCKDB_THREADS: '3' }).duckdbThreads).toBe(3);
    expect(importCountConfig('/d', {}).dataDir).toBe('/d');
  });

  it('counts the rows a stopped import stored, on the store opened alone, the data directory its own while it runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-store-alone-'));
    const dataDir = join(dir, 'data');
    const file = join(dir, 'posts.jsonl');
    const posts = [1, 2, 3, 4].map((i) => line(tweet({ id: String(i), text: `sandy flooding #Sandy ${i}`, hashtags: ['Sandy'] })));
    await writeFile(file, `${posts.join('\n')}\n`);
    const rt = await startEmbedded(
      loadConfig({ port: '0', dataDir, termCountIdleMs: '0', classifierWorkers: '0' }, {}, EMBEDDED_IMPORT_DEFAULTS),
      silentLogger,
    );
    try {
      await rt.events.create({ name: 'Sandy', keywords: ['sandy'] });
      await rt.tracker.replay(file);
      await replayStored(rt);
    } finally {
      await rt.close();
    }

    const counted = await withStoreAlone(importCountConfig(dataDir, {}), silentLogger, async (store) => {
      // One process at a time on a data directory: it is this one's while the count runs (another is refused).
      expect(await holderOfFile(dataDir)).toBe(String(process.pid));
      const before = await store.termCountBacklog?.();
      await store.countTerms?.();
      return { before, after: await store.termCountBacklog?.() };
    });
    expect(counted).toEqual({ before: 4, after: 0 });
    expect(await holderOfFile(dataDir)).toBe('');

    // Closed again: the directory opens, its counts kept.
    const again = await startEmbedded(loadConfig({ port: '0', dataDir, termCountIdleMs: '0', classifierWorkers: '0' }, {}), silentLogger);
    try {
      expect(await again.services.store?.termCountBacklog?.()).toBe(0);
    } finally {
      await again.close();
    }
  });
});
