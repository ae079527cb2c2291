// The embedded log's framing: records encoded back to back in one buffer decode one by one to what was given, in the
// same bytes as ever (a data directory of an earlier version is read the same way), and a changed byte is caught.

import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecords, type RecordInput } from '../../src/adapters/filelog/record.js';

const records: RecordInput[] = [
  { key: 'k1', value: '{"text":"Überschwemmung 洪水 🌊"}' },
  { key: null, value: Buffer.from('{"id":2}\u2028', 'utf8'), origin: 'sandy-ü.jsonl:2' },
  { key: 'gone', value: null },
  { key: '', value: '' },
  { key: 'lone \ud800 surrogate', value: 'x\udfff', origin: '' },
];

describe('log records', () => {
  it('decode one by one from a buffer of several, each taking the size it was given', () => {
    const { data, sizes } = encodeRecords(records, 1_700_000_000_123);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(data.length);
    let pos = 0;
    for (const [i, r] of records.entries()) {
      const d = decodeRecord(data, pos);
      if (typeof d === 'string') throw new Error(`record ${i}: ${d}`);
      expect(d.size).toBe(sizes[i]);
      expect(d.key).toBe(r.key === null ? null : Buffer.from(r.key, 'utf8').toString('utf8'));
      const value = r.value === null ? null : typeof r.value === 'string' ? Buffer.from(r.value, 'utf8') : Buffer.from(r.value);
      expect(d.valueBytes === null ? null : Buffer.from(d.valueBytes)).toEqual(value);
      expect(d.origin).toBe(r.origin);
      expect(d.timestamp).toBe(1_700_000_000_123);
      pos += d.size;
    }
  });

  it('keeps the layout of earlier versions: length, checksum, timestamp, key length, flags, origin, key, value', () => {
    const { data } = encodeRecords([{ key: 'k', value: 'v', origin: 'o' }], 2);
    expect(data.readUInt32LE(0)).toBe(13 + 4 + 1 + 1 + 1);
    expect(data.readDoubleLE(8)).toBe(2);
    expect(data.readInt32LE(16)).toBe(1);
    expect(data.readUInt8(20)).toBe(2);
    expect(data.readInt32LE(21)).toBe(1);
    expect(data.toString('utf8', 25)).toBe('okv');
  });

  it('reports a record whose bytes changed as corrupt', () => {
    const { data } = encodeRecords(records.slice(0, 1), 1);
    data[data.length - 2] ^= 1;
    expect(decodeRecord(data, 0)).toBe('corrupt');
  });
});
