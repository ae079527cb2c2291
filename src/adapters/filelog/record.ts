// On-disk framing of one log record: [u32 payload length][u32 crc32(payload)][payload].
// Payload: [f64 timestamp ms][i32 key length, -1 for none][key utf-8][value utf-8].

import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;

export interface DecodedRecord {
  key: string | null;
  value: string;
  timestamp: number;
  /** Bytes the record takes on disk, header included. */
  size: number;
}

export function encodeRecord(key: string | null, value: string, timestamp: number): Buffer {
  const keyBuf = key === null ? null : Buffer.from(key, 'utf8');
  const valueLen = Buffer.byteLength(value, 'utf8');
  const payloadLen = 12 + (keyBuf?.length ?? 0) + valueLen;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payloadLen);
  buf.writeUInt32LE(payloadLen, 0);
  buf.writeDoubleLE(timestamp, 8);
  buf.writeInt32LE(keyBuf ? keyBuf.length : -1, 16);
  let pos = 20;
  if (keyBuf) pos += keyBuf.copy(buf, pos);
  buf.write(value, pos, 'utf8');
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
  if (payloadLen < 12) return 'corrupt';
  const end = pos + HEADER_BYTES + payloadLen;
  if (end > buf.length) return 'short';
  const payload = buf.subarray(pos + HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32LE(pos + 4)) return 'corrupt';
  const timestamp = payload.readDoubleLE(0);
  const keyLen = payload.readInt32LE(8);
  if (keyLen > payloadLen - 12) return 'corrupt';
  const key = keyLen < 0 ? null : payload.toString('utf8', 12, 12 + keyLen);
  const value = payload.toString('utf8', 12 + Math.max(keyLen, 0));
  return { key, value, timestamp, size: HEADER_BYTES + payloadLen };
}
