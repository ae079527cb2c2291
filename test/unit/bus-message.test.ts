// A bus message made from the bytes a bus holds: the text is decoded when first read, once, and a tombstone stays null.

import { describe, expect, it } from 'vitest';
import { messageOfBytes } from '../../src/util/bus-message.js';

const fields = { topic: 'vigil.raw', partition: 0, offset: 7, key: null, timestamp: 1 };

describe('a bus message made from bytes', () => {
  it('decodes its text only when read, and only once', () => {
    const bytes = Buffer.from('{"text":"Überschwemmung 洪水 🌊"}', 'utf8');
    let decodes = 0;
    const decode = bytes.toString.bind(bytes);
    bytes.toString = ((...args: Parameters<Buffer['toString']>) => {
      decodes++;
      return decode(...args);
    }) as Buffer['toString'];
    const m = messageOfBytes(fields, bytes);
    expect(decodes).toBe(0);
    expect(m.bytes).toBe(bytes);
    expect(m.value).toBe('{"text":"Überschwemmung 洪水 🌊"}');
    expect(m.value).toBe('{"text":"Überschwemmung 洪水 🌊"}');
    expect(decodes).toBe(1);
    expect({ ...m, bytes: undefined }).toEqual({ ...fields, bytes: undefined, value: '{"text":"Überschwemmung 洪水 🌊"}' });
  });

  it('keeps where the record came from and where it sits when the bus gives them, and leaves them out when it does not', () => {
    const kept = messageOfBytes({ ...fields, origin: 'sandy.jsonl:12', position: 4096 }, Buffer.from('{}'));
    expect([kept.origin, kept.position]).toEqual(['sandy.jsonl:12', 4096]);
    const plain = messageOfBytes(fields, Buffer.from('{}'));
    expect(Object.keys(plain).sort()).toEqual(['bytes', 'key', 'offset', 'partition', 'timestamp', 'topic', 'value']);
  });

  it('a tombstone has no bytes and a null value', () => {
    const m = messageOfBytes(fields, null);
    expect(m.bytes).toBeNull();
    expect(m.value).toBeNull();
  });
});
