import { describe, expect, it } from 'vitest';
import { classifyBatch, classifyLine, classifyLineBytes, lineId, rawPostKey } from '../../src/core/classify.js';
import { isBlankLine, rawPostKeyOfBytes } from '../../src/core/line-bytes.js';
import { NOT_UTF8 } from '../../src/core/line-limits.js';
import { Matcher } from '../../src/core/matcher.js';
import { packLines, unpackLines } from '../../src/roles/classifier/packed-lines.js';

const LINES = [
  '{"created_at":"Mon Oct 29 12:00:00 +0000 2012","id":262,"id_str":"262","user":{"id_str":"9"}}',
  '{"user":{"id_str":"9"},"id_str":"262"}',
  '{"id_str":262,"x":{"id_str":"7"}}',
  '{"id_str" :  "262"}',
  `{"id_str":${' '.repeat(400)}"262"}`,
  `{"id_str":${' '.repeat(400)}262, "id_str": "8"}`,
  '{"text":"Sandy — évacuation 🌀 \\"id_str\\": \\"1\\"","id_str":"263"}',
  `{"id_str":"${'9'.repeat(65)}","more":{"id_str":"5"}}`,
  `{"id_str":"${'9'.repeat(64)}"}`,
  '{"id":1}',
  '',
  'not json at all "id_str":"x"',
  '{"text":"ünïcödé before","id_str":"é1"}',
];

describe('a line read as bytes', () => {
  it('is keyed exactly as its text would be, wherever and however its id_str stands', () => {
    for (const line of LINES) expect(rawPostKeyOfBytes(Buffer.from(line, 'utf8')), line.slice(0, 60)).toBe(rawPostKey(line));
  });

  it('is blank exactly when its text trims to nothing (Unicode spaces and a byte-order mark included)', () => {
    for (const line of ['', ' ', '\t\r', '  \u00a0 ', '\ufeff', '\u3000', ' x', '\u00a0x', 'é', '{}'])
      expect(isBlankLine(Buffer.from(line, 'utf8')), JSON.stringify(line)).toBe(line.trim() === '');
  });

  it('crosses to a worker packed in one block and comes back line by line, unchanged', () => {
    const messages = [...LINES, null].map((value, i) => ({
      topic: 't',
      partition: 0,
      offset: i,
      timestamp: 0,
      key: null,
      value,
      // Half as bytes (the embedded log), half as text only (Kafka).
      ...(i % 2 === 0 && value !== null ? { bytes: Buffer.from(value, 'utf8') } : {}),
    }));
    const packed = packLines(messages);
    const lines = unpackLines(packed);
    expect(lines.length).toBe(LINES.length + 1);
    expect(Array.from({ length: lines.length }, (_, i) => lines.at(i))).toEqual([...LINES, '']);
    // Read out of order and again: each read decodes its own line; none past the ends.
    expect(lines.at(6)).toBe(LINES[6]);
    expect(lines.at(0)).toBe(LINES[0]);
    expect(lines.at(-1)).toBeUndefined();
    expect(lines.at(lines.length)).toBeUndefined();
  });

  const bytesMessage = (bytes: Buffer, i: number) => ({ topic: 't', partition: 0, offset: i, timestamp: 0, key: null, value: null, bytes });

  it('knows a line whose bytes are not UTF-8 (a Latin-1 file), and only that one, wherever it stands in the batch', () => {
    const good = ['{"a":"café 🌀"}', '{"b":1}', ''].map((l) => Buffer.from(l, 'utf8'));
    const latin1 = Buffer.from('{"a":"café"}', 'latin1');
    for (const at of [0, 1, 3]) {
      const batch = [...good];
      batch.splice(at, 0, latin1);
      const lines = unpackLines(packLines(batch.map(bytesMessage)));
      expect(Array.from({ length: lines.length }, (_, i) => lines.notText?.(i))).toEqual(batch.map((b) => b === latin1));
    }
    const allGood = unpackLines(packLines(good.map(bytesMessage)));
    expect(Array.from({ length: allGood.length }, (_, i) => allGood.notText?.(i))).toEqual([false, false, false]);
  });

  it('knows two lines that split one character between them, though their bytes joined are UTF-8', () => {
    const e = Buffer.from('é', 'utf8'); // C3 A9
    const batch = [Buffer.concat([Buffer.from('{"a":"caf'), e.subarray(0, 1)]), Buffer.concat([e.subarray(1), Buffer.from('"}')]), Buffer.from('{}')];
    const lines = unpackLines(packLines(batch.map(bytesMessage)));
    expect([0, 1, 2].map((i) => lines.notText?.(i))).toEqual([true, true, false]);
  });

  it('rejects a line that is not UTF-8 with what to do, and classifies the others', () => {
    const matcher = new Matcher([{ name: 'Sandy', keywords: ['sandy'], active: true }]);
    const post = '{"created_at":"Mon Oct 29 12:00:00 +0000 2012","id_str":"262","text":"sandy","user":{"id_str":"9","screen_name":"a"}}';
    const batch = [Buffer.from(post, 'utf8'), Buffer.from('{"text":"sandy à Paris"}', 'latin1')];
    const out = classifyBatch(unpackLines(packLines(batch.map(bytesMessage))), ['f:1', 'f:2'], matcher, '2026-01-01T00:00:00.000Z');
    expect(out.counts).toMatchObject({ lines: 2, posts: 1, rejected: 1 });
    expect(out.rejects).toEqual([expect.objectContaining({ source: 'f:2', reason: NOT_UTF8 })]);
    expect(NOT_UTF8).toMatch(/^not UTF-8 text .*iconv -f WINDOWS-1252 -t UTF-8/u);
  });

  it('classifies a line read as bytes as its text, unless the bytes are not UTF-8 (vigil classify, re-classification)', () => {
    const matcher = new Matcher([{ name: 'Sandy', keywords: ['sandy'], active: true }]);
    const post = '{"created_at":"Mon Oct 29 12:00:00 +0000 2012","id_str":"262","text":"sandy à Paris","user":{"id_str":"9","screen_name":"a"}}';
    const utf8 = classifyLineBytes(Buffer.from(post, 'utf8'), matcher, '2026-01-01T00:00:00.000Z');
    expect(utf8.text).toBe(post);
    expect(utf8.outcome).toEqual(classifyLine(post, matcher, '2026-01-01T00:00:00.000Z'));
    const latin1 = classifyLineBytes(Buffer.from(post, 'latin1'), matcher, '2026-01-01T00:00:00.000Z');
    expect(latin1.outcome).toEqual({ kind: 'reject', reason: NOT_UTF8 });
  });

  it('identifies a line without a post id by the same hash from its bytes as from its text (a live message keyed either way)', () => {
    for (const line of LINES) expect(lineId(Buffer.from(line, 'utf8'))).toBe(lineId(line));
  });
});
