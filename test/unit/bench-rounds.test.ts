// The bench's ingest figures are medians of alternated runs, and runs that stored different rows are an error.

import { describe, expect, it } from 'vitest';
import type { IngestResult } from '../../src/bench/ingest-child.js';
import { median, summarizeRuns } from '../../src/bench/rounds.js';

const run = (postsPerSecond: number, cpuMicrosPerPost: number, peakRssMb: number, rows = 120): IngestResult => ({
  posts: 100,
  seconds: 100 / postsPerSecond,
  postsPerSecond,
  peakRssMb,
  rows,
  cpuMicrosPerPost,
  workers: 1,
});

describe('bench rounds', () => {
  it('takes the middle run of an odd count and the mean of the middle two of an even one, in any order', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow('at least one');
  });

  it('gives each figure its own median and range, so one slow run does not move the reported figure', () => {
    const s = summarizeRuns([run(9000, 200, 650), run(6000, 300, 700), run(8800, 210, 640)]);
    expect(s).toMatchObject({ runs: 3, posts: 100, rows: 120 });
    expect(s.postsPerSecond).toEqual({ median: 8800, min: 6000, max: 9000 });
    expect(s.cpuMicrosPerPost).toEqual({ median: 210, min: 200, max: 300 });
    expect(s.peakRssMb).toEqual({ median: 650, min: 640, max: 700 });
    expect(s.termCountSeconds).toBeNull(); // not timed
  });

  it('gives the term counting after the runs its median and range only when every run timed it', () => {
    const timed = (seconds: number) => ({ ...run(9000, 200, 650), termCountSeconds: seconds });
    expect(summarizeRuns([timed(9), timed(12), timed(8)]).termCountSeconds).toEqual({ median: 9, min: 8, max: 12 });
    expect(summarizeRuns([timed(9), run(9000, 200, 650)]).termCountSeconds).toBeNull();
  });

  it('refuses runs of one setting that stored different rows: the same posts must give the same rows', () => {
    expect(() => summarizeRuns([run(9000, 200, 650), run(9000, 200, 650, 119)])).toThrow('120 rows, then 100 posts gave 119');
  });
});
