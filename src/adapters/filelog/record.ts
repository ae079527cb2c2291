// On-disk framing of one log record: [u32 payload length][u32 crc32(payload)][payload].
// Payload: [f64 timestamp ms][i32 key length, -1 for none][u8 flags: 1 = no value (a tombstone), 2 = an origin follows]
// ([i32 origin length][origin utf-8] when flag 2)[key utf-8][value utf-8]. Records written before origins have no flag 2.

import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;

export interface DecodedRecord {
  key: string | null;
  /** The value's UTF-8 bytes as stored (a view of the buffer read, not a copy); decoded where it is parsed. */
  valueBytes: Buffer | null;
  /** Where the record was read (FILE:LINE of an archive), when the publisher said. */
  origin?: string;
  timestamp: number;
  /** Bytes the record takes on disk, header included. */
  size: number;
}

const FIXED = 13;

/** Frames a record; a value given as bytes (a line as read from a file) is stored as it is, never decoded. */
export function encodeRecord(key: string | null, value: string | Uint8Array | null, timestamp: number, origin?: string): Buffer {
  const keyBuf = key === null ? null : Buffer.from(key, 'utf8');
  const originBuf = origin === undefined ? null : Buffer.from(origin, 'utf8');
  const originBytes = originBuf ? 4 + originBuf.length : 0;
  const valueLen = value === null ? 0 : typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
  const payloadLen = FIXED + originBytes + (keyBuf?.length ?? 0) + valueLen;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payloadLen);
  buf.writeUInt32LE(payloadLen, 0);
  buf.writeDoubleLE(timestamp, 8);
  buf.writeInt32LE(keyBuf ? keyBuf.length : -1, 16);
  buf.writeUInt8((value === null ? 1 : 0) | (originBuf ? 2 : 0), 20);
  let pos = HEADER_BYTES + FIXED;
  if (originBuf) {
    buf.writeInt32LE(originBuf.length, pos);
    pos += 4;
    pos += originBuf.copy(buf, pos);
  }
  if (keyBuf) pos += keyBuf.copy(buf, pos);
  if (typeof value === 'string') buf.write(value, pos, 'utf8');
  else if (value !== null) buf.set(value, pos);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 4);
  return buf;
}

/**
 * The bytes the record at `pos` of `buf` takes (header included), from its header alone: 'short' when the header is
 * not all there, 'corrupt' when its length cannot be a record's.
 */
export function recordSize(buf: Buffer, pos: number): number | 'short' | 'corrupt' {
  if (buf.length - pos < HEADER_BYTES) return 'short';
  const payloadLen = buf.readUInt32LE(pos);
  return payloadLen < FIXED ? 'corrupt' : HEADER_BYTES + payloadLen;
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
  const flags = payload.readUInt8(12);
  let at = FIXED;
  let origin: string | undefined;
  if ((flags & 2) === 2) {
    if (payloadLen < FIXED + 4) return 'corrupt';
    const originLen = payload.readInt32LE(at);
    if (originLen < 0 || originLen > payloadLen - FIXED - 4) return 'corrupt';
    origin = payload.toString('utf8', at + 4, at + 4 + originLen);
    at += 4 + originLen;
  }
  if (keyLen > payloadLen - at) return 'corrupt';
  const tombstone = (flags & 1) === 1;
  const key = keyLen < 0 ? null : payload.toString('utf8', at, at + keyLen);
  const valueBytes = tombstone ? null : payload.subarray(at + Math.max(keyLen, 0));
  return { key, valueBytes, ...(origin === undefined ? {} : { origin }), timestamp, size: HEADER_BYTES + payloadLen };
}
