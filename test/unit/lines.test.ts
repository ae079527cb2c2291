// Reading lines from bytes: line ends (\n, \r\n), characters cut between two reads, long lines over many reads,
// empty lines and a last line without its end, gzip read by its magic bytes, a byte order mark before the first line
// (UTF-8: left out; UTF-16: refused with what to do), and lines longer than the limit cut to it.

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { linesOf, openLineBytes, openLines } from '../../src/util/lines.js';

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

  const BOM = '\ufeff';
  for (const size of [1, 2, 4, 1 << 16])
    it(`leaves a UTF-8 byte order mark out of the first line only, whatever the reads (${size} bytes)`, async () => {
      expect(await all(linesOf(inPieces(`${BOM}{"a":1}\r\n${BOM}{"b":2}\n`, size), 'test'))).toEqual(['{"a":1}', `${BOM}{"b":2}`]);
      expect(await all(linesOf(inPieces(`${BOM}only`, size), 'test'))).toEqual(['only']);
      expect(await all(linesOf(inPieces(BOM, size), 'test'))).toEqual(['']);
    });

  it('leaves the mark out of the bytes a replay reads too, from a plain and a gzipped file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-lines-'));
    writeFileSync(join(dir, 'bom.jsonl'), `${BOM}{"a":1}\n{"b":2}\n`);
    writeFileSync(join(dir, 'bom.jsonl.gz'), gzipSync(`${BOM}{"a":1}\n{"b":2}\n`));
    for (const name of ['bom.jsonl', 'bom.jsonl.gz']) {
      const lines: string[] = [];
      for await (const l of await openLineBytes(join(dir, name))) lines.push(l.toString('utf8'));
      expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    }
  });

  it('refuses UTF-16 text (either byte order) with the file and how to convert it, instead of rejecting every line', async () => {
    for (const bytes of [Buffer.from(`\ufeff{"a":1}\n`, 'utf16le'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('\u7b00\u0a00', 'utf16le')])])
      await expect(all(linesOf(Readable.from([bytes]), 'posts.jsonl'))).rejects.toThrow(
        /reading posts\.jsonl failed: posts\.jsonl is UTF-16 text; Vigil reads JSON lines in UTF-8: convert it first \(iconv -f UTF-16/u,
      );
  });

  for (const size of [1, 5, 64])
    it(`cuts a line longer than the limit to it and drops the rest as it is read (reads of ${size} bytes)`, async () => {
      const text = `${'a'.repeat(30)}\n${'[{"x":1},'.repeat(9)}\r\nshort\n${'b'.repeat(25)}`;
      expect(await all(linesOf(inPieces(text, size), 'test', undefined, 20))).toEqual([
        'a'.repeat(20),
        '[{"x":1},'.repeat(9).slice(0, 20),
        'short',
        'b'.repeat(20),
      ]);
      expect(await all(linesOf(inPieces(`${'c'.repeat(20)}\n\n`, size), 'test', undefined, 20))).toEqual(['c'.repeat(20), '']);
    });

  it('names the file when it cannot be read', async () => {
    await expect(openLines('/no/such/file.jsonl')).rejects.toThrow(/cannot read \/no\/such\/file.jsonl: no such file/u);
  });
});
