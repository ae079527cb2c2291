import { describe, expect, it } from 'vitest';
import { lineId, rawPostKey } from '../../src/core/classify.js';
import { isBlankLine, rawPostKeyOfBytes } from '../../src/core/line-bytes.js';
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

  it('identifies a line without a post id by the same hash from its bytes as from its text (a live message keyed either way)', () => {
    for (const line of LINES) expect(lineId(Buffer.from(line, 'utf8'))).toBe(lineId(line));
  });
});
