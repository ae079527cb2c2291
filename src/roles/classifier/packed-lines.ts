// A batch of lines as one block of UTF-8 bytes and where each ends: it goes to a worker thread by transfer (no copy,
// no clone of a thousand strings), and the worker decodes each line once, where it parses it.

import { isUtf8 } from 'node:buffer';
import type { Lines } from '../../core/classify.js';
import type { BusMessage } from '../../core/ports.js';

export interface PackedLines {
  data: ArrayBuffer;
  /** Byte offset where line i ends (and line i + 1 starts). */
  ends: Uint32Array<ArrayBuffer>;
}

/** The messages' values (their bytes as the bus holds them, else their text encoded; none: an empty line). */
export function packLines(batch: readonly BusMessage[]): PackedLines {
  const parts = batch.map((m) => m.bytes ?? (m.value === null ? null : Buffer.from(m.value, 'utf8')));
  const data = new Uint8Array(parts.reduce((n, p) => n + (p?.length ?? 0), 0));
  const ends = new Uint32Array(parts.length);
  let at = 0;
  for (const [i, p] of parts.entries()) {
    if (p) data.set(p, at);
    at += p?.length ?? 0;
    ends[i] = at;
  }
  return { data: data.buffer, ends };
}

/**
 * The lines, each decoded when read (see Lines): reading line i twice decodes it twice. Whether a line is UTF-8 is
 * checked once for the whole batch: the bytes are UTF-8 and no line starts inside a character (a continuation byte)
 * only when every line is; else line by line.
 */
export function unpackLines({ data, ends }: PackedLines): Lines {
  const bytes = Buffer.from(data);
  const start = (i: number): number => (i === 0 ? 0 : ends[i - 1]);
  let allText: boolean | null = null;
  const wholeBatchIsText = (): boolean => {
    if (!isUtf8(bytes)) return false;
    for (let i = 0; i < ends.length; i++) if (start(i) < ends[i] && (bytes[start(i)] & 0xc0) === 0x80) return false;
    return true;
  };
  return {
    length: ends.length,
    at: (i) => (i >= 0 && i < ends.length ? bytes.toString('utf8', start(i), ends[i]) : undefined),
    notText: (i) => {
      allText ??= wholeBatchIsText();
      return !allText && i >= 0 && i < ends.length && !isUtf8(bytes.subarray(start(i), ends[i]));
    },
  };
}
