// Reading lines from bytes: line ends (\n, \r\n), characters cut between two reads, long lines over many reads,
// empty lines and a last line without its end, and gzip read by its magic bytes.

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { linesOf, openLines } from '../../src/util/lines.js';

async function all(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

/** The bytes of `text` delivered `size` bytes at a time. */
const inPieces = (text: string, size: number): Readable => {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces);
};

describe('lines of a byte stream', () => {
  const text = `{"text":"地震 🌊 Fiona"}\r\n\n{"a":1}\n{"long":"${'é'.repeat(5000)}"}\r\nlast without end`;
  const want = ['{"text":"地震 🌊 Fiona"}', '', '{"a":1}', `{"long":"${'é'.repeat(5000)}"}`, 'last without end'];

  for (const size of [1, 2, 3, 7, 64, 1 << 16])
    it(`gives the same lines whatever the size of each read (${size} bytes), multi-byte characters whole`, async () => {
      expect(await all(linesOf(inPieces(text, size), 'test'))).toEqual(want);
    });

  it('keeps a carriage return that does not end a line, and gives nothing for an empty stream', async () => {
    expect(await all(linesOf(inPieces('a\rb\n', 2), 'test'))).toEqual(['a\rb']);
    expect(await all(linesOf(Readable.from([]), 'test'))).toEqual([]);
  });

  it('reads a gzipped file the same as the plain one, and counts its bytes on disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-lines-'));
    writeFileSync(join(dir, 'plain.jsonl'), text);
    writeFileSync(join(dir, 'packed.data'), gzipSync(text));
    expect(await all(await openLines(join(dir, 'plain.jsonl')))).toEqual(want);
    const packed = await openLines(join(dir, 'packed.data'));
    expect(await all(packed)).toEqual(want);
    expect(packed.bytesRead()).toBe(packed.bytesTotal);
  });

  it('names the file when it cannot be read', async () => {
    await expect(openLines('/no/such/file.jsonl')).rejects.toThrow(/cannot read \/no\/such\/file.jsonl: no such file/u);
  });
});
