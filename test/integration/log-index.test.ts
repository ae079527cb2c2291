// A topic log's saved index: opening a log reads only what was appended after the index was saved, and gives the
// same records as reading it all; an index that is damaged or does not fit the log is ignored (the whole log is read).

import { appendFile, mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexPath } from '../../src/adapters/filelog/log-index.js';
import { HEADER_BYTES } from '../../src/adapters/filelog/record.js';
import { TopicLog } from '../../src/adapters/filelog/topic-log.js';

const N = 700; // more than two index slots (a slot every 256 records)
const lineOf = (i: number) => `{"id":${i},"text":"post ${i} — é 🌀"}`;

async function logWith(n: number) {
  const path = join(await mkdtemp(join(tmpdir(), 'vigil-log-index-')), 'vigil.raw.log');
  const log = await TopicLog.open(path, () => undefined);
  for (let i = 0; i < n; i += 100)
    await log.append(
      Array.from({ length: Math.min(100, n - i) }, (_, k) => ({ key: String(i + k), value: lineOf(i + k) })),
      0,
    );
  await log.close();
  return path;
}

async function reopen(path: string) {
  const warnings: string[] = [];
  const log = await TopicLog.open(path, (m) => warnings.push(m));
  const values = async (from: number, max: number) => (await log.read(from, max)).map((e) => e.valueBytes?.toString('utf8'));
  return { log, warnings, values };
}

describe('a topic log saves its index beside it', () => {
  it('opens from the index, reading none of the records it covers, and appends after them', async () => {
    const path = await logWith(N);
    expect((await stat(indexPath(path))).size).toBeGreaterThan(0);
    // A byte changed inside the first record: a whole read would stop there and cut the log; from the index it is
    // never read on open (reading that record later says it is corrupt).
    const bytes = await readFile(path);
    bytes[HEADER_BYTES + 20] ^= 0xff;
    await writeFile(path, bytes);
    const { log, warnings, values } = await reopen(path);
    expect(warnings).toEqual([]);
    expect(log.end).toBe(N);
    expect(await values(N - 3, 3)).toEqual([lineOf(N - 3), lineOf(N - 2), lineOf(N - 1)]);
    expect(await values(300, 1)).toEqual([lineOf(300)]);
    await expect(log.read(0, 1)).rejects.toThrow(/corrupt/);
    await log.append([{ key: 'x', value: lineOf(N) }], 0);
    expect(await values(N, 1)).toEqual([lineOf(N)]);
    await log.close();
  });

  it('reads what was appended after the index was saved, and cuts a torn last write there', async () => {
    const path = await logWith(N);
    const saved = await readFile(indexPath(path));
    const more = await (async () => {
      const { log } = await reopen(path);
      await log.append(
        [
          { key: 'a', value: lineOf(N) },
          { key: 'b', value: lineOf(N + 1) },
        ],
        0,
      );
      await log.close();
      return (await stat(path)).size;
    })();
    await writeFile(indexPath(path), saved); // the index as it was before those two records
    await appendFile(path, Buffer.from([1, 2, 3])); // a crash mid-write
    const { log, warnings, values } = await reopen(path);
    expect(log.end).toBe(N + 2);
    expect(await values(N, 5)).toEqual([lineOf(N), lineOf(N + 1)]);
    expect(warnings.join()).toMatch(/cut 3 bytes of an incomplete last write/);
    expect((await stat(path)).size).toBe(more);
    await log.close();
  });

  it('ignores an index that is damaged or does not fit the log, says so, and reads the whole log instead', async () => {
    const cases: { spoil: (path: string) => Promise<void>; end: (n: number) => boolean; says: RegExp }[] = [
      {
        // Its count changed by hand: the checksum no longer holds.
        spoil: async (path) => writeFile(indexPath(path), (await readFile(indexPath(path), 'utf8')).replace(`"count":${N}`, `"count":${N - 1}`)),
        end: (n) => n === N,
        says: /saved index is damaged/,
      },
      {
        // The log cut by hand below what the index covers: read from the start, the torn record cut.
        spoil: async (path) => truncate(path, (await stat(path)).size - 1_000),
        end: (n) => n > 0 && n < N,
        says: /saved index is not of this log[\s\S]*incomplete last write/,
      },
      {
        // The index of another log, one record longer.
        spoil: async (path) => writeFile(indexPath(path), await readFile(indexPath(await logWith(N + 1)))),
        end: (n) => n === N,
        says: /saved index is not of this log/,
      },
      {
        // The index of another log of as many records, shorter ones: its positions fall inside this log's records.
        spoil: async (path) => {
          const other = join(await mkdtemp(join(tmpdir(), 'vigil-log-index-')), 'vigil.raw.log');
          const log = await TopicLog.open(other, () => undefined);
          await log.append(
            Array.from({ length: N }, (_, i) => ({ key: String(i), value: String(i) })),
            0,
          );
          await log.close();
          await writeFile(indexPath(path), await readFile(indexPath(other)));
        },
        end: (n) => n === N,
        says: /saved index is not of this log/,
      },
    ];
    for (const c of cases) {
      const path = await logWith(N);
      await c.spoil(path);
      const { log, warnings, values } = await reopen(path);
      expect(c.end(log.end), `end ${log.end}`).toBe(true);
      expect(warnings.join('\n')).toMatch(c.says);
      expect(await values(0, 2)).toEqual([lineOf(0), lineOf(1)]);
      expect(await values(log.end - 1, 1)).toEqual([lineOf(log.end - 1)]);
      await log.close();
      // Closing saved an index of this log: the next open takes it without a word.
      const again = await reopen(path);
      expect(again.warnings).toEqual([]);
      expect(again.log.end).toBe(log.end);
      await again.log.close();
    }
  });
});
