// The embedded log in segments: it rolls into a new file when one is full, packs the sealed files every consumer has
// read past, and every record still reads back the same, by offset (the bus) and by position (the raw archive),
// after a reopen with or without its index, and after a crash at any step of a pack. A segment removed or damaged by
// hand is reported, never skipped.

import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileLogBus } from '../../src/adapters/filelog/file-log-bus.js';
import { LogArchive } from '../../src/adapters/filelog/log-archive.js';
import { segmentPath } from '../../src/adapters/filelog/log-files.js';
import { indexPath } from '../../src/adapters/filelog/log-index.js';
import { TopicLog } from '../../src/adapters/filelog/topic-log.js';
import { type BusMessage, TOPICS } from '../../src/core/ports.js';

const SEGMENT = 64 << 10;
const N = 1500;
/** About 500 bytes each, different from one another (so packing has something to do, but not everything). */
const lineOf = (i: number) =>
  JSON.stringify({ id: String(1e17 + i), text: `post ${i} about the flooding — é 🌀 ${'evacuate '.repeat(i % 40)}`, n: (i * 7919) % 1000 });

async function until(what: string, cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The raw topic's segment files, in the order of their positions. */
const logFiles = async (dir: string) => {
  const base = (n: string) => Number(/\.(\d{16})\./u.exec(n)?.[1] ?? 0);
  return (await readdir(dir)).filter((n) => /^vigil\.raw\.(?:\d{16}\.)?logz?$/u.test(n)).sort((a, b) => base(a) - base(b));
};

async function publishAll(bus: FileLogBus): Promise<void> {
  for (let i = 0; i < N; i += 50)
    await bus.publish(
      TOPICS.raw,
      Array.from({ length: 50 }, (_, k) => ({ key: String(i + k), value: lineOf(i + k) })),
    );
}

/** Reads the whole topic as one group and commits it, as the classifier does; returns what it read. */
async function consumeAll(bus: FileLogBus): Promise<BusMessage[]> {
  const got: BusMessage[] = [];
  const sub = await bus.subscribe(TOPICS.raw, 'readers', async (batch) => void got.push(...batch), { maxBatch: 200 });
  await until('the group read every record', async () => (await bus.lag(TOPICS.raw, 'readers')) === 0);
  await sub.stop();
  return got;
}

async function scanAll(bus: FileLogBus): Promise<string[]> {
  const values: string[] = [];
  await bus.scan(TOPICS.raw, 0, async (batch) => void values.push(...batch.map((m) => m.value as string)));
  return values;
}

async function packedLog() {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-log-segments-'));
  const bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
  await publishAll(bus);
  const sealed = (await logFiles(dir)).length - 1;
  const read = await consumeAll(bus);
  await until('every sealed segment is packed', async () => (await logFiles(dir)).filter((n) => n.endsWith('.logz')).length === sealed);
  await bus.close();
  return { dir, sealed, read };
}

const expected = Array.from({ length: N }, (_, i) => lineOf(i));

describe('the embedded log in segments', () => {
  it('rolls into segment files, packs those the consumers read past into a fraction of their size, and reads every record back the same', async () => {
    const { dir, sealed, read } = await packedLog();
    expect(sealed).toBeGreaterThanOrEqual(5);
    expect(read.map((m) => m.value)).toEqual(expected);
    const files = await logFiles(dir);
    expect(files[0]).toBe('vigil.raw.logz'); // the first segment keeps the name a log had before segments
    expect(files[files.length - 1]).toMatch(/^vigil\.raw\.\d{16}\.log$/u);
    const sizes = await Promise.all(files.slice(0, -1).map(async (f) => (await stat(join(dir, f))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan((sealed * SEGMENT) / 3);
    for (const f of files) expect((await stat(join(dir, f))).mode & 0o077, f).toBe(0);

    const archive = new LogArchive(join(dir, `${TOPICS.raw}.log`));
    for (const m of read) expect(archive.read(m.position as number)).toBe(m.value);
    archive.close();

    let bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
    expect(await scanAll(bus)).toEqual(expected);
    await bus.close();
    await rm(indexPath(join(dir, `${TOPICS.raw}.log`)));
    bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
    expect(await scanAll(bus)).toEqual(expected); // every segment read through to rebuild the index
    await bus.publish(TOPICS.raw, [{ key: 'more', value: 'one more line' }]);
    expect((await scanAll(bus)).slice(-2)).toEqual([lineOf(N - 1), 'one more line']);
    await bus.close();
  });

  it('keeps the segments plain while a consumer has not read past them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-log-segments-'));
    const bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
    await publishAll(bus);
    await new Promise((r) => setTimeout(r, 300));
    expect((await logFiles(dir)).filter((n) => n.endsWith('.logz'))).toEqual([]);
    await bus.close();
  });

  it('a reader beside the writer follows new segments and packs as they happen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-log-segments-'));
    const bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
    const archive = new LogArchive(join(dir, `${TOPICS.raw}.log`));
    await bus.publish(TOPICS.raw, [{ key: '0', value: lineOf(0) }]);
    expect(archive.read(0)).toBe(lineOf(0));
    await publishAll(bus);
    const read = await consumeAll(bus);
    await until('a segment is packed', async () => (await logFiles(dir)).some((n) => n.endsWith('.logz')));
    for (const m of read) expect(archive.read(m.position as number)).toBe(m.value);
    archive.close();
    await bus.close();
  });

  it('packs in frames: segments longer than one read (4 MiB) read back record by record across frame ends', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'vigil-log-segments-')), 'vigil.raw.log');
    const log = await TopicLog.open(path, () => undefined, { segmentBytes: 4.5 * 2 ** 20, frameBytes: 64 << 10 });
    const many = 40_000; // about 11 MB
    for (let i = 0; i < many; i += 500)
      await log.append(
        Array.from({ length: 500 }, (_, k) => ({ key: String(i + k), value: lineOf(i + k) })),
        0,
      );
    log.readPast(log.end);
    await until('two segments are packed', async () => (await logFiles(join(path, '..'))).filter((n) => n.endsWith('.logz')).length === 2);
    const entries = await log.read(0, many);
    expect(entries.map((e) => e.valueBytes?.toString('utf8'))).toEqual(Array.from({ length: many }, (_, i) => lineOf(i)));
    await log.close();
    const archive = new LogArchive(path);
    for (const e of entries.filter((_, i) => i % 7 === 0)) expect(archive.read(e.position)).toBe(e.valueBytes?.toString('utf8'));
    archive.close();
  });

  it('after a crash at any step of a pack, reopening keeps one copy of every segment and reads the same records', async () => {
    const { dir } = await packedLog();
    const raw = join(dir, `${TOPICS.raw}.log`);
    // Cut short while writing the packed file: its .tmp is left. Packed and renamed, but the plain file not yet
    // removed: both are left (the plain file's content does not matter then: the packed one was synced first).
    const second = (await logFiles(dir))[1];
    await writeFile(join(dir, `${second}.tmp`), 'half a packed file');
    const bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
    expect(await scanAll(bus)).toEqual(expected);
    await bus.close();
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // Both the plain and the packed file of the first segment: the plain one goes, the packed one is read.
    await copyFile(join(dir, 'vigil.raw.logz'), join(dir, 'keep.logz'));
    await writeFile(raw, 'a plain file whose packed copy was renamed before the crash');
    const again = await FileLogBus.open({ dir, segmentBytes: SEGMENT });
    expect(await scanAll(again)).toEqual(expected);
    await again.close();
    expect((await readdir(dir)).includes('vigil.raw.log')).toBe(false);
    expect(await readFile(join(dir, 'vigil.raw.logz'))).toEqual(await readFile(join(dir, 'keep.logz')));
  });

  it('a pack that fails is reported once, leaves the segment plain and readable, and is not retried on every append', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-log-segments-'));
    const warnings: string[] = [];
    const bus = await FileLogBus.open({ dir, segmentBytes: SEGMENT, warn: (m) => warnings.push(m) });
    await bus.end(TOPICS.raw); // the log is open
    await mkdir(join(dir, 'vigil.raw.logz.tmp')); // where the first pack writes: it cannot
    await publishAll(bus);
    await consumeAll(bus);
    await until('the failure is reported', async () => warnings.length > 0);
    await publishAll(bus); // more appends and commits: no new attempt within the minute
    await consumeAll(bus);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/vigil\.raw\.log: could not pack it .*tried again in a minute/u);
    expect((await logFiles(dir)).filter((n) => n.endsWith('.logz'))).toEqual([]);
    expect(await scanAll(bus)).toEqual([...expected, ...expected]);
    await bus.close();
  });

  it('reports a segment removed or damaged by hand instead of skipping it', async () => {
    const { dir } = await packedLog();
    const files = await logFiles(dir);
    const damaged = join(dir, files[2]);
    const bytes = await readFile(damaged);
    await writeFile(damaged, bytes.subarray(0, bytes.length - 5));
    await expect(FileLogBus.open({ dir }).then((b) => b.end(TOPICS.raw))).rejects.toThrow(/not a packed log segment/);
    await rm(damaged);
    await expect(FileLogBus.open({ dir }).then((b) => b.end(TOPICS.raw))).rejects.toThrow(/does not follow the one before/);
    expect(segmentPath(join(dir, 'vigil.raw.log'), 0)).toBe(join(dir, 'vigil.raw.log'));
  });
});
