// Reading a topic log: a reader going on from where its last read stopped starts there (not at its index slot), and
// the records stepped over on the way to an offset are not checked, so a damaged one fails only the reads that ask for it.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from '../../src/adapters/filelog/record.js';
import { TopicLog } from '../../src/adapters/filelog/topic-log.js';

const lineOf = (i: number) => `{"id":${i},"text":"post ${i} — é 🌀 ${'x'.repeat(i % 300)}"}`;

async function logWith(n: number): Promise<{ path: string; log: TopicLog }> {
  const path = join(await mkdtemp(join(tmpdir(), 'vigil-log-read-')), 'vigil.raw.log');
  const log = await TopicLog.open(path, () => undefined);
  for (let i = 0; i < n; i += 100)
    await log.append(
      Array.from({ length: Math.min(100, n - i) }, (_, k) => ({ key: String(i + k), value: lineOf(i + k) })),
      0,
    );
  return { path, log };
}

const valuesOf = async (log: TopicLog, from: number, max: number) => (await log.read(from, max)).map((e) => e.valueBytes?.toString('utf8'));

describe('reading a topic log', () => {
  it('a reader going on batch after batch (sizes unaligned to the index) gets every record once, in order, with their positions, while other reads come between', async () => {
    const { log } = await logWith(1000);
    const all = await log.read(0, 1000);
    const got: { offset: number; position: number; value: string | undefined }[] = [];
    for (let next = 5; next < 1000; ) {
      const batch = await log.read(next, 37);
      got.push(...batch.map((e) => ({ offset: e.offset, position: e.position, value: e.valueBytes?.toString('utf8') })));
      next += batch.length;
      // Another reader (a scan, the raw archive) reading elsewhere in between.
      const elsewhere = (next * 7) % 998;
      if (next % 3 === 0) expect(await valuesOf(log, elsewhere, 2)).toEqual([lineOf(elsewhere), lineOf(elsewhere + 1)]);
    }
    expect(got.map((g) => g.offset)).toEqual(Array.from({ length: 995 }, (_, i) => i + 5));
    expect(got.map((g) => g.value)).toEqual(Array.from({ length: 995 }, (_, i) => lineOf(i + 5)));
    expect(got.map((g) => g.position)).toEqual(all.slice(5).map((e) => e.position));
    await log.close();
  });

  it('a reader at the end goes on with what is appended after', async () => {
    const { log } = await logWith(300);
    expect(await valuesOf(log, 250, 100)).toHaveLength(50);
    await log.append([{ key: 'a', value: lineOf(300) }], 0);
    await log.append([{ key: 'b', value: lineOf(301) }], 0);
    expect(await valuesOf(log, 300, 100)).toEqual([lineOf(300), lineOf(301)]);
    await log.close();
  });

  it('a damaged record fails only the reads that ask for it, not those of records after it in its index slot', async () => {
    const { path, log } = await logWith(600);
    const positions = (await log.read(0, 600)).map((e) => e.position);
    await log.close();
    const bytes = await readFile(path);
    bytes[positions[10] + HEADER_BYTES + 20] ^= 0xff;
    await writeFile(path, bytes);
    const reopened = await TopicLog.open(path, () => undefined);
    expect(await valuesOf(reopened, 20, 3)).toEqual([lineOf(20), lineOf(21), lineOf(22)]);
    expect(await valuesOf(reopened, 0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => lineOf(i)));
    // Going on from record 10 (where the last read stopped) reaches the damage, and says so.
    await expect(reopened.read(10, 5)).rejects.toThrow(/record 10 is corrupt/);
    await expect(reopened.read(8, 5)).rejects.toThrow(/record 10 is corrupt/);
    expect(await valuesOf(reopened, 11, 2)).toEqual([lineOf(11), lineOf(12)]);
    await reopened.close();
  });
});
