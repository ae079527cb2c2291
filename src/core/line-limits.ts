// What a line of input may be, and what to tell someone whose file is not JSON lines.

/**
 * The longest line Vigil reads, from a file or a stream (a twarc2 page of 100 posts with its includes is about 1 MB):
 * a longer one is cut to its first MAX_LINE_BYTES and the rest of it dropped (so a file with no line ends, or a whole
 * JSON array on one line, cannot take the memory), and the cut line is rejected with its reason.
 */
export const MAX_LINE_BYTES = 8 << 20;

/** What to do with a JSON array where a line should hold one object. */
export const ONE_OBJECT_PER_LINE = "Vigil reads one JSON object per line: turn a JSON array into lines first (jq -c '.[]' FILE > FILE.jsonl)";
