// What the tracker needs to know of a line read as bytes, found without decoding the whole line: its post id (the
// key it is published under, exactly as rawPostKey finds it in the text) and whether it is blank.

import { rawPostKey } from './classify.js';

const ID_STR = Buffer.from('"id_str"');
/** rawPostKey's pattern, anchored where an `"id_str"` starts. */
const KEY_AT = /"id_str"\s*:\s*"([^"]{1,64})"/uy;
/** Enough bytes after `"id_str"` for the pattern (a colon, a 64-character id, its quotes) with room for spaces. */
const WINDOW = 256;

/** rawPostKey of the line's text: the first `"id_str"` that the pattern matches there, decoding only around it. */
export function rawPostKeyOfBytes(line: Buffer): string | null {
  for (let at = line.indexOf(ID_STR); at !== -1; at = line.indexOf(ID_STR, at + 1)) {
    const end = Math.min(line.length, at + WINDOW);
    KEY_AT.lastIndex = 0;
    const m = KEY_AT.exec(line.toString('utf8', at, end));
    if (m) return m[1];
    // Cut short by the window (a long run of spaces): the text from here decides, as rawPostKey would.
    if (end < line.length) return rawPostKey(line.toString('utf8', at));
  }
  return null;
}

const ASCII_SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** Whether the line's text is blank as String.prototype.trim sees it (other Unicode spaces included). */
export function isBlankLine(line: Buffer): boolean {
  for (const b of line) {
    if (ASCII_SPACE.has(b)) continue;
    // Beyond ASCII (a no-break space, a byte-order mark): the text decides.
    if (b >= 0x80) return line.toString('utf8').trim() === '';
    return false;
  }
  return true;
}
