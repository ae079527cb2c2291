// A file new to the data directory is replayed at once and hashed as it is read: reading a large archive whole to
// hash it before its first line was published took minutes. Its lines then count under its SHA-256, as before, so
// the same content under another name, or a replay carried on after a restart, is still known.

import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { type EmbeddedRuntime, startEmbedded } from '../../src/runtime/embedded.js';
import { need } from '../../src/runtime/services.js';
import { silentLogger } from '../../src/util/log.js';
import { replayStored } from '../helpers/embedded-runtime.js';
import { line, tweet } from '../helpers/tweets.js';

// The files hashed by a read of their own (before their replay), counted; the hash itself is the real one.
const hashedBefore = vi.hoisted(() => [] as string[]);
vi.mock('../../src/util/file-hash.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/file-hash.js')>();
  return {
    ...real,
    sha256OfFile: (path: string) => {
      hashedBefore.push(path);
      return real.sha256OfFile(path);
    },
  };
});

interface Progress {
  files: Record<string, number>;
  known: Record<string, { id: string }>;
  ended?: Record<string, number>;
}

/** The rows stored, and the distinct posts among them. */
async function rowsAndPosts(rt: EmbeddedRuntime): Promise<[number, number]> {
  const r = await need(rt.services, 'engine').query('SELECT count(*) AS n, count(DISTINCT t_id) AS d FROM tweet', { maxRows: 1, timeoutMs: 10_000 });
  return [Number(r.rows[0].n), Number(r.rows[0].d)];
}

async function setUp(lines: number, gzip = false) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-hash-as-read-'));
  const dataDir = join(dir, 'data');
  const config = loadConfig({ port: '0', dataDir, classifierWorkers: '0' });
  const file = join(dir, gzip ? 'posts.jsonl.gz' : 'posts.jsonl');
  const text = `${Array.from({ length: lines }, (_, i) => line(tweet({ id: String(1000 + i), text: `sandy ${i}` }))).join('\n')}\n`;
  // A gzip archive is known by its bytes on disk, as sha256OfFile hashes them.
  const bytes = gzip ? gzipSync(text) : Buffer.from(text);
  await writeFile(file, bytes);
  const sha = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const progress = async () => JSON.parse(await readFile(join(dataDir, 'replay-progress.json'), 'utf8')) as Progress;
  return { dir, config, file, sha, progress };
}

describe('a replay of a file new to the data directory', () => {
  it.each([
    ['plain', false],
    ['gzip', true],
  ])('(%s) is not read beforehand to hash it, and its lines count under its SHA-256 once read', async (_, gzip) => {
    const { dir, config, file, sha, progress } = await setUp(3, gzip);
    const rt = await startEmbedded(config, silentLogger);
    try {
      await rt.events.create({ name: 'Sandy', keywords: ['sandy'] });
      await rt.tracker.replay(file);
      await replayStored(rt);
      expect(rt.tracker.status().published).toBe(3);
      expect(hashedBefore).not.toContain(file);
      const p = await progress();
      expect(p.files).toEqual({ [sha]: 3 });
      expect(p.known[file].id).toBe(sha);
      expect(p.ended).toEqual({ [sha]: 3 });

      // The same bytes under another name: a known size, so hashed first, and known as published.
      const copy = join(dir, gzip ? 'copy.jsonl.gz' : 'copy.jsonl');
      await copyFile(file, copy);
      expect(await rt.tracker.replay(copy)).toMatchObject({ state: 'finished', alreadyPublished: 3 });
      expect(hashedBefore).toContain(copy);
      expect(rt.tracker.status().published).toBe(3);
      expect((await rt.classifier.status()).counts.posts).toBe(3);
    } finally {
      await rt.close();
    }
  });

  it('stopped midway, carries on after a restart where it was, then counts all its lines under its SHA-256', async () => {
    const { config, file, sha, progress } = await setUp(200);
    const first = await startEmbedded(config, silentLogger);
    let before: number;
    try {
      await first.events.create({ name: 'Sandy', keywords: ['sandy'] });
      await first.tracker.replay(file, 200);
      while (first.tracker.status().published < 40) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await first.close();
    }
    {
      const p = await progress();
      const [id, ...others] = Object.keys(p.files);
      expect(others).toEqual([]);
      expect(id).toMatch(/^reading:/u);
      expect(p.known[file].id).toBe(id);
      before = p.files[id];
      expect(before).toBeGreaterThanOrEqual(40);
      expect(before).toBeLessThan(200);
    }

    const again = await startEmbedded(config, silentLogger);
    try {
      expect(again.tracker.status().source).toMatchObject({ alreadyPublished: before });
      await replayStored(again);
      expect(again.tracker.status().published).toBe(200 - before);
      // every post stored once: those published before the stop (classified before or after it) and the rest
      expect(await rowsAndPosts(again)).toEqual([200, 200]);
      const p = await progress();
      expect(p.files).toEqual({ [sha]: 200 });
      expect(p.known[file].id).toBe(sha);
      expect(p.ended).toEqual({ [sha]: 200 });
    } finally {
      await again.close();
    }
    expect(hashedBefore).not.toContain(file);
  });

  it('stopped midway, then the same content under another name resumes after what the first published', async () => {
    const { dir, config, file, sha, progress } = await setUp(200);
    const rt = await startEmbedded(config, silentLogger);
    try {
      await rt.events.create({ name: 'Sandy', keywords: ['sandy'] });
      await rt.tracker.replay(file, 200);
      while (rt.tracker.status().published < 40) await new Promise((r) => setTimeout(r, 20));
      await rt.tracker.stop();
      const before = rt.tracker.status().published;
      expect(Object.keys((await progress()).files)[0]).toMatch(/^reading:/u);

      const copy = join(dir, 'copy.jsonl');
      await copyFile(file, copy);
      expect(await rt.tracker.replay(copy)).toMatchObject({ alreadyPublished: before });
      await replayStored(rt);
      expect(rt.tracker.status().published).toBe(200);
      expect(await rowsAndPosts(rt)).toEqual([200, 200]);
      const p = await progress();
      expect(p.files).toEqual({ [sha]: 200 });
      expect([p.known[file].id, p.known[copy].id]).toEqual([sha, sha]);
    } finally {
      await rt.close();
    }
  });

  it('in a data directory written before sizes were recorded: a content is known by the size its path was seen with', async () => {
    const { dir, config, file } = await setUp(3);
    await mkdir(join(dir, 'data'), { recursive: true });
    const write = (progress: object) => writeFile(join(dir, 'data', 'replay-progress.json'), JSON.stringify({ version: 2, ...progress }));
    // a content of 1 byte, seen at a path: a file of another size cannot be it, and is not hashed first
    await write({ files: { 'sha256:aa': 1 }, known: { [join(dir, 'one-byte.jsonl')]: { size: 1, mtimeMs: 0, id: 'sha256:aa' } } });
    let rt = await startEmbedded(config, silentLogger);
    try {
      await rt.tracker.replay(file);
      await rt.tracker.idle();
      expect(hashedBefore).not.toContain(file);
    } finally {
      await rt.close();
    }
    // a content no path was seen with: its size is not known, so any file may be it, and is hashed first
    const other = join(dir, 'other.jsonl');
    await copyFile(file, other);
    await write({ files: { 'sha256:bb': 1 }, known: {} });
    rt = await startEmbedded(config, silentLogger);
    try {
      await rt.tracker.idle(); // the last replay, carried on at start
      await rt.tracker.replay(other);
      await rt.tracker.idle();
      expect(hashedBefore).toContain(other);
    } finally {
      await rt.close();
    }
  });
});
