// What a line of input may be, and what to tell someone whose file is not JSON lines.

/**
 * The longest line Vigil reads, from a file or a stream (a twarc2 page of 100 posts with its includes is about 1 MB):
 * a longer one is cut to its first MAX_LINE_BYTES and the rest of it dropped (so a file with no line ends, or a whole
 * JSON array on one line, cannot take the memory), and the cut line is rejected with its reason.
 */
export const MAX_LINE_BYTES = 8 << 20;

/** Why a line whose bytes are not UTF-8 is rejected, and what to do (decoded, its other characters would be replaced). */
export const NOT_UTF8 =
  'not UTF-8 text (a Latin-1 or Windows-1252 file?): its characters would be lost; convert the file first (iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.jsonl)';

/** What to do with a JSON array where a line should hold one object. */
export const ONE_OBJECT_PER_LINE = "Vigil reads one JSON object per line: turn a JSON array into lines first (jq -c '.[]' FILE > FILE.jsonl)";
