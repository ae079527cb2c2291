// Worker thread of the classifier: parses, matches and normalizes batches off the main thread, and, for a store that
// offers it (PostStore.workerRowWriting), writes the batch's rows itself over a connection of its own.

import { parentPort } from 'node:worker_threads';
import { type BatchOutcome, classifyBatch } from '../../core/classify.js';
import type { VigilEvent } from '../../core/event.js';
import { Matcher } from '../../core/matcher.js';
import type { RowWriter } from '../../core/ports.js';
import { emptyRowBatch } from '../../core/row-batch.js';
import { type PackedLines, unpackLines } from './packed-lines.js';

export type WorkerRequest =
  | { type: 'events'; events: VigilEvent[] }
  | { type: 'writer'; module: string; options: unknown }
  | {
      type: 'batch';
      id: number;
      lines: PackedLines;
      sources: string[];
      keys: (string | null)[];
      now: string;
      positions: (number | null)[];
      /** Set when this worker writes the rows (the store's WorkerRowWriting.epoch at sending). */
      epoch?: number;
    };

/** A reply: the outcome (its rows already stored when the batch asked this worker to write them), or the error. */
export type WorkerReply = { id: number; outcome?: BatchOutcome; error?: string };

let matcher = new Matcher([]);
/** How to open the row writer (a 'writer' request), and the writer opened, or being opened. */
let writing: { module: string; options: unknown } | null = null;
let writer: Promise<RowWriter> | null = null;
let writerEpoch = 0;

/** The writer, opened on first use; one that could not connect is opened again for the next batch. */
function rowWriter(): Promise<RowWriter> {
  if (!writing) return Promise.reject(new Error('the classifier asked a worker to write rows before telling it how'));
  if (!writer) {
    const { module, options } = writing;
    const opening = import(module).then((m: { openRowWriter: (o: unknown) => Promise<RowWriter> }) => m.openRowWriter(options));
    opening.catch(() => {
      if (writer === opening) writer = null;
    });
    writer = opening;
  }
  return writer;
}

function reply(r: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(r, transfer);
}

/** Writes the rows here, then hands back the outcome with none left to write. */
async function writeRows(outcome: BatchOutcome, epoch: number): Promise<BatchOutcome> {
  const w = await rowWriter();
  if (epoch !== writerEpoch) {
    w.forget();
    writerEpoch = epoch;
  }
  await w.writeRows(outcome.rows);
  outcome.rows = emptyRowBatch();
  return outcome;
}

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'events') {
    matcher = new Matcher(msg.events);
    return;
  }
  if (msg.type === 'writer') {
    // Connected now, so that the first batch does not wait for it; a failure fails the batches given meanwhile (each
    // is delivered again), not the thread.
    writing = { module: msg.module, options: msg.options };
    rowWriter().catch(() => undefined);
    return;
  }
  let outcome: BatchOutcome;
  try {
    outcome = classifyBatch(unpackLines(msg.lines), msg.sources, matcher, msg.now, msg.keys, msg.positions);
  } catch (err) {
    reply({ id: msg.id, error: (err as Error).stack ?? String(err) });
    return;
  }
  if (msg.epoch === undefined) {
    // The rows' bytes are handed over, not copied (RowBatchBuilder gives them a buffer of their own).
    reply({ id: msg.id, outcome }, [outcome.rows.json.buffer as ArrayBuffer]);
    return;
  }
  // The next batch is classified while this one's rows are being written.
  writeRows(outcome, msg.epoch).then(
    (written) => reply({ id: msg.id, outcome: written }),
    (err: unknown) => reply({ id: msg.id, error: `writing the rows: ${(err as Error).message ?? String(err)}` }),
  );
});
