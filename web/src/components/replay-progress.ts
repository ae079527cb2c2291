// A replay's progress in words, for the status strip of the events page.

import { fmtBytes, fmtNumber, fmtTime } from '../format.js';

/** What the status API says of the tracker's source (the fields used here). */
interface SourceView {
  state: string;
  since: string;
  linesRead?: number;
  bytesRead?: number;
  bytesTotal?: number;
  /** Why it failed, when it did (a file cut short, UTF-16 text …). */
  detail?: string;
}

/**
 * A replay's progress in words: how far through the file, the time left, and whether what was read is stored yet;
 * for a replay that failed, why, and what of the file is stored.
 */
export function replayProgress(src: SourceView, lag: number, bytesPerSecond: number): string {
  if (src.state === 'finished')
    return lag > 0 ? `file read in full; ${fmtNumber(lag)} lines still to classify and store` : 'finished: every line read is stored';
  if (src.state === 'failed') {
    const read = `${fmtNumber(src.linesRead ?? 0)} lines read before it`;
    const stored = lag > 0 ? `${read}, ${fmtNumber(lag)} of them still to classify and store` : `${read}, all stored`;
    return `stopped: ${src.detail ?? 'see the Vigil log'} (${stored})`;
  }
  if (src.bytesTotal === undefined || src.bytesRead === undefined || src.bytesTotal === 0) return `since ${fmtTime(src.since)}`;
  const pct = Math.min(100, Math.floor((src.bytesRead / src.bytesTotal) * 100));
  const left = bytesPerSecond > 0 ? (src.bytesTotal - src.bytesRead) / bytesPerSecond : null;
  const eta = left === null ? '' : left < 60 ? ` · about ${Math.max(1, Math.round(left))} s left` : ` · about ${Math.round(left / 60)} min left`;
  return `${pct} % of ${fmtBytes(src.bytesTotal)} read${eta}`;
}
