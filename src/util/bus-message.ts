// A bus message built from the bytes a bus holds: its text is decoded the first time someone reads `value`, and
// never if no one does (the classifier hands the bytes to its workers, which decode each line where they parse it).

import type { BusMessage } from '../core/ports.js';

export function messageOfBytes(fields: Omit<BusMessage, 'value' | 'bytes'>, bytes: Buffer | null): BusMessage {
  let text: string | null | undefined;
  return {
    ...fields,
    bytes,
    get value(): string | null {
      if (text === undefined) text = bytes === null ? null : bytes.toString('utf8');
      return text;
    },
  };
}
