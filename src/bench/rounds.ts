// Ingest figures from several runs of one setting, alternated with the other settings' runs. A shared host's load
// moves from minute to minute, so one run's figure can be a quarter off; the median of the runs is reported, with
// their range beside it.

import type { IngestResult } from './ingest-child.js';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('the median of no runs: run at least one');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

export interface RunsSummary {
  runs: number;
  posts: number;
  rows: number;
  postsPerSecond: Spread;
  cpuMicrosPerPost: Spread;
  peakRssMb: Spread;
  /** Counting the rows' terms after each run, when every run timed it. */
  termCountSeconds: Spread | null;
}

/** The runs' figures, each its own median (the runs must have stored the same rows from the same posts). */
export function summarizeRuns(results: readonly IngestResult[]): RunsSummary {
  if (results.length === 0) throw new Error('no ingest runs to summarize');
  const [first] = results;
  for (const r of results)
    if (r.posts !== first.posts || r.rows !== first.rows)
      throw new Error(`runs of one setting disagree: ${first.posts} posts gave ${first.rows} rows, then ${r.posts} posts gave ${r.rows}`);
  return {
    runs: results.length,
    posts: first.posts,
    rows: first.rows,
    postsPerSecond: spread(results.map((r) => r.postsPerSecond)),
    cpuMicrosPerPost: spread(results.map((r) => r.cpuMicrosPerPost)),
    peakRssMb: spread(results.map((r) => r.peakRssMb)),
    termCountSeconds: results.every((r) => r.termCountSeconds !== undefined) ? spread(results.map((r) => r.termCountSeconds ?? 0)) : null,
  };
}
