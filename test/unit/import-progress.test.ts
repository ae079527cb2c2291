// The import's progress line: its bar, lines, speed and time left. A file imported before passes its first lines over
// at once; they are not this run's speed (it read 1,541,490 posts/s for a second file read in 13 ms).

import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/import.js';

describe('the import progress line', () => {
  it('gives the bar, the lines, the speed and the time left', () => {
    expect(progressLine('a.jsonl', 500, 2000, 2)).toBe('a.jsonl [######..................]  25% 500/2,000 lines 250 posts/s ETA 0:06');
  });

  it('leaves the lines an earlier import sent out of the speed and the time left', () => {
    // 20,000 lines skipped at once, then 1,000 read in 2 s: 500 posts/s, 29,000 left at that pace.
    expect(progressLine('a.jsonl', 21_000, 50_000, 2, 20_000)).toBe('a.jsonl [##########..............]  42% 21,000/50,000 lines 500 posts/s ETA 0:58');
    expect(progressLine('a.jsonl', 20_000, 20_000, 0.01, 20_000)).toMatch(/100% 20,000\/20,000 lines 0 posts\/s/u);
  });
});
