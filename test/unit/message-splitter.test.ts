import { describe, expect, it } from 'vitest';
import { MessageSplitter } from '../../src/adapters/http-stream/delimited-stream-source.js';

/** Feeds `bytes` in chunks cut at `cuts` and returns every message as text, the end-of-stream rest last. */
function split(bytes: Buffer, cuts: number[], max = 1 << 20): { messages: Buffer[]; text: string[] } {
  const s = new MessageSplitter(max);
  const messages: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    messages.push(...s.push(bytes.subarray(at, cut)));
    at = cut;
  }
  const last = s.end();
  if (last) messages.push(last);
  return { messages, text: messages.map((m) => m.toString('utf8')) };
}

describe('splitting a delimited stream into messages, as bytes', () => {
  const stream = Buffer.from('{"id_str":"1","text":"Sandy …"}\r\n\r\n  \r\n{"id_str":"2","text":"Überflutung 🌊"}\r\n\r\n{"limit":{"track":3}}\r\n', 'utf8');
  const expected = ['{"id_str":"1","text":"Sandy …"}', '{"id_str":"2","text":"Überflutung 🌊"}', '{"limit":{"track":3}}'];

  it('gives the same messages, byte for byte, wherever the chunks are cut (inside a delimiter, inside a character)', () => {
    for (let a = 0; a <= stream.length; a++) {
      expect(split(stream, [a]).text, `cut at ${a}`).toEqual(expected);
      for (let b = a; b <= stream.length; b += 7) expect(split(stream, [a, b]).text, `cuts at ${a}, ${b}`).toEqual(expected);
    }
    expect(
      split(
        stream,
        Array.from({ length: stream.length }, (_, i) => i),
      ).text,
    ).toEqual(expected);
  });

  it('hands each message on as a copy of its own, not a view of the chunk it came in (which would keep it alive)', () => {
    const chunk = Buffer.from(stream);
    const { messages } = split(chunk, []);
    chunk.fill(0);
    expect(messages.every((m) => Buffer.isBuffer(m))).toBe(true);
    expect(messages.map((m) => m.toString('utf8'))).toEqual(expected);
  });

  it('passes on a message cut off by the end of the stream, but not a blank rest', () => {
    expect(split(Buffer.from('{"a":1}\r\n{"id_str":"9","te'), [3, 12]).text).toEqual(['{"a":1}', '{"id_str":"9","te']);
    expect(split(Buffer.from('{"a":1}\r\n  '), [8]).text).toEqual(['{"a":1}']);
    expect(split(Buffer.from('{"a":1}\r\n\r'), [9]).text).toEqual(['{"a":1}']);
  });

  it('cuts a message longer than the limit to its first bytes and drops the rest of it, however many chunks it spans', () => {
    const huge = `{"id_str":"998","text":"${'x'.repeat(250)}"}`;
    const bytes = Buffer.from(`${huge}\r\n{"id_str":"2"}\r\n`);
    for (const cuts of [[], [10], [10, 100, 150, 200, 263, 264], Array.from({ length: 30 }, (_, i) => i * 9)]) {
      const { text } = split(bytes, cuts, 64);
      expect(text, `cuts ${cuts.join(',')}`).toEqual([huge.slice(0, 64), '{"id_str":"2"}']);
    }
  });

  it('keeps a carriage return that is not followed by a line feed as part of the message', () => {
    expect(split(Buffer.from('{"a":"x\ry"}\r\n'), [8]).text).toEqual(['{"a":"x\ry"}']);
  });
});
