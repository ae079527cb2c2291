// The events page's words for a replay's progress: how far, the time left, "finished" only once stored, and why one
// stopped.

import { describe, expect, it } from 'vitest';
import { replayProgress } from '../../web/src/components/replay-progress.js';

const src = (o: Record<string, unknown>) => ({ source: 'replay:a.jsonl', state: 'running' as const, since: '2026-01-01T00:00:00.000Z', linesRead: 0, ...o });

describe('replay progress', () => {
  it('says the share of the file read and the time left at the current rate', () => {
    expect(replayProgress(src({ bytesRead: 250 * 2 ** 20, bytesTotal: 1000 * 2 ** 20 }), 0, 10 * 2 ** 20)).toBe('25 % of 1000.0 MB read · about 1 min left');
    expect(replayProgress(src({ bytesRead: 0, bytesTotal: 2 ** 30 }), 0, 2 ** 20)).toBe('0 % of 1.00 GB read · about 17 min left');
    expect(replayProgress(src({ bytesRead: 10, bytesTotal: 100 }), 0, 0)).toBe('10 % of 100 B read');
    expect(replayProgress(src({ bytesRead: 90, bytesTotal: 100 }), 0, 5)).toBe('90 % of 100 B read · about 2 s left');
  });

  it('is not finished while read lines still wait to be stored', () => {
    expect(replayProgress(src({ state: 'finished', bytesRead: 100, bytesTotal: 100 }), 41_936, 0)).toBe(
      'file read in full; 41,936 lines still to classify and store',
    );
    expect(replayProgress(src({ state: 'finished', bytesRead: 100, bytesTotal: 100 }), 0, 0)).toBe('finished: every line read is stored');
  });

  it('says why a replay stopped, and how much of the file is stored', () => {
    const failed = src({ state: 'failed', linesRead: 1840, bytesRead: 50, bytesTotal: 100, detail: 'reading cut.jsonl.gz failed: unexpected end of file' });
    expect(replayProgress(failed, 340, 0)).toBe(
      'stopped: reading cut.jsonl.gz failed: unexpected end of file (1,840 lines read before it, 340 of them still to classify and store)',
    );
    expect(replayProgress(failed, 0, 0)).toBe('stopped: reading cut.jsonl.gz failed: unexpected end of file (1,840 lines read before it, all stored)');
    expect(replayProgress(src({ state: 'failed' }), 0, 0)).toBe('stopped: see the Vigil log (0 lines read before it, all stored)');
  });
});
