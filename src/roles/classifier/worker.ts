// Worker thread of the classifier: parses, matches and normalizes batches off the main thread.

import { parentPort } from 'node:worker_threads';
import { classifyBatch } from '../../core/classify.js';
import type { VigilEvent } from '../../core/event.js';
import { Matcher } from '../../core/matcher.js';
import { type PackedLines, unpackLines } from './packed-lines.js';

export type WorkerRequest =
  | { type: 'events'; events: VigilEvent[] }
  | { type: 'batch'; id: number; lines: PackedLines; sources: string[]; keys: (string | null)[]; now: string; positions: (number | null)[] };

let matcher = new Matcher([]);

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'events') {
    matcher = new Matcher(msg.events);
    return;
  }
  try {
    const outcome = classifyBatch(unpackLines(msg.lines), msg.sources, matcher, msg.now, msg.keys, msg.positions);
    // The rows' bytes are handed over, not copied (RowBatchBuilder gives them a buffer of their own).
    parentPort?.postMessage({ id: msg.id, outcome }, [outcome.rows.json.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: (err as Error).stack ?? String(err) });
  }
});
