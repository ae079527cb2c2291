// A bus message built from the bytes a bus holds: its text is decoded the first time someone reads `value`, and
// never if no one does (the classifier hands the bytes to its workers, which decode each line where they parse it).

import type { BusMessage } from '../core/ports.js';

/**
 * `value` is an own property (a copy of the message keeps it), read through a getter. The fields are listed, not
 * spread: a spread into a literal with a getter took about 2.7 µs a message against 0.8 (one thread, 200,000
 * messages), and a 200,000-post ingest builds 200,000 of them on the main thread. An absent `origin` or `position`
 * stays absent.
 */
export function messageOfBytes(fields: Omit<BusMessage, 'value' | 'bytes'>, bytes: Buffer | null): BusMessage {
  let text: string | null | undefined;
  const message: BusMessage = {
    topic: fields.topic,
    partition: fields.partition,
    offset: fields.offset,
    key: fields.key,
    timestamp: fields.timestamp,
    bytes,
    get value(): string | null {
      if (text === undefined) text = bytes === null ? null : bytes.toString('utf8');
      return text;
    },
  };
  if (fields.origin !== undefined) message.origin = fields.origin;
  if (fields.position !== undefined) message.position = fields.position;
  return message;
}
