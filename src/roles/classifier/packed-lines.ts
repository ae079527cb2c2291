// A batch of lines as one block of UTF-8 bytes and where each ends: it goes to a worker thread by transfer (no copy,
// no clone of a thousand strings), and the worker decodes each line once, where it parses it.

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

/** The lines, each decoded when read (see Lines): reading line i twice decodes it twice. */
export function unpackLines({ data, ends }: PackedLines): Lines {
  const bytes = Buffer.from(data);
  return { length: ends.length, at: (i) => (i >= 0 && i < ends.length ? bytes.toString('utf8', i === 0 ? 0 : ends[i - 1], ends[i]) : undefined) };
}
