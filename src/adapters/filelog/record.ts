// On-disk framing of one log record: [u32 payload length][u32 crc32(payload)][payload].
// Payload: [f64 timestamp ms][i32 key length, -1 for none][u8 flags, 1 = no value (a tombstone)][key utf-8][value utf-8].

import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;

export interface DecodedRecord {
  key: string | null;
  value: string | null;
  timestamp: number;
  /** Bytes the record takes on disk, header included. */
  size: number;
}

const FIXED = 13;

export function encodeRecord(key: string | null, value: string | null, timestamp: number): Buffer {
  const keyBuf = key === null ? null : Buffer.from(key, 'utf8');
  const valueLen = value === null ? 0 : Buffer.byteLength(value, 'utf8');
  const payloadLen = FIXED + (keyBuf?.length ?? 0) + valueLen;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payloadLen);
  buf.writeUInt32LE(payloadLen, 0);
  buf.writeDoubleLE(timestamp, 8);
  buf.writeInt32LE(keyBuf ? keyBuf.length : -1, 16);
  buf.writeUInt8(value === null ? 1 : 0, 20);
  let pos = HEADER_BYTES + FIXED;
  if (keyBuf) pos += keyBuf.copy(buf, pos);
  if (value !== null) buf.write(value, pos, 'utf8');
  buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 4);
  return buf;
}

/**
 * Decodes the record at `pos` of `buf`. Returns 'short' when the buffer ends inside it (read more, or a torn
 * tail at the end of the file) and 'corrupt' when its checksum or lengths are wrong.
 */
export function decodeRecord(buf: Buffer, pos: number): DecodedRecord | 'short' | 'corrupt' {
  if (buf.length - pos < HEADER_BYTES) return 'short';
  const payloadLen = buf.readUInt32LE(pos);
  if (payloadLen < FIXED) return 'corrupt';
  const end = pos + HEADER_BYTES + payloadLen;
  if (end > buf.length) return 'short';
  const payload = buf.subarray(pos + HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32LE(pos + 4)) return 'corrupt';
  const timestamp = payload.readDoubleLE(0);
  const keyLen = payload.readInt32LE(8);
  if (keyLen > payloadLen - FIXED) return 'corrupt';
  const tombstone = (payload.readUInt8(12) & 1) === 1;
  const key = keyLen < 0 ? null : payload.toString('utf8', FIXED, FIXED + keyLen);
  const value = tombstone ? null : payload.toString('utf8', FIXED + Math.max(keyLen, 0));
  return { key, value, timestamp, size: HEADER_BYTES + payloadLen };
}
