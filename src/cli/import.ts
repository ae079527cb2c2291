// `vigil import FILE...`: archives collected earlier (by Vigil, twarc, twarc2 or any other tool writing Twitter v1.1,
// X v2, Jetstream or Mastodon JSON lines, gzip or not) fed through the same pipeline as live posts: the tracker
// publishes each line to the raw topic and the classifier stores what matches the active events.
// With a Vigil running (--url, or one answering on VIGIL_URL / 127.0.0.1:8080), it is asked to replay each file;
// otherwise the data directory (--data) is opened here. A file already imported is not sent again.

import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type Config, loadConfig } from '../config/index.js';
import { errorMessage } from '../core/errors.js';
import type { DeliveryFailure, PostStore } from '../core/ports.js';
import { fileChunks } from '../util/file-chunks.js';
import { isGzipFile } from '../util/lines.js';
import { createLogger } from '../util/log.js';
import { callVigil, vigilUrl } from './remote.js';

export interface ImportOptions {
  files: string[];
  url: string | null;
  dataDir: string | null;
  rate: number;
  write: (s: string) => void;
  tty: boolean;
}

interface Progress {
  linesRead: number;
  state: string;
  lag: number;
  detail?: string;
  /** The classifier's batches failing to be stored (the store out of memory, a full disk), tried again until stored. */
  failing?: DeliveryFailure | null;
}

/**
 * Counts the lines of a file (gzip too), for the progress bar. A gzip archive cut short is counted up to the cut: its
 * lines are imported up to there, and the import then fails with the reason.
 */
export async function countLines(path: string): Promise<number> {
  const gz = await isGzipFile(path);
  const file = fileChunks(path);
  const stream = gz ? file.pipe(createGunzip()) : file;
  file.on('error', (err) => stream.destroy(err));
  let n = 0;
  let last = 10;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      last = chunk.length > 0 ? chunk[chunk.length - 1] : last;
    }
  } catch (err) {
    if (!gz || !String((err as NodeJS.ErrnoException).code).startsWith('Z_')) throw new Error(`cannot read ${path}: ${errorMessage(err)}`);
  }
  return last === 10 ? n : n + 1;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const clock = (s: number): string => (Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}` : '--:--');

/**
 * One progress line: bar, lines, posts per second and the time left. `skipped`: the first lines, sent by an earlier
 * import of the same file and passed over at once, which are not this run's speed.
 */
export function progressLine(name: string, done: number, total: number, seconds: number, skipped = 0): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const width = 24;
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
  const rate = seconds > 0 ? Math.max(0, done - skipped) / seconds : 0;
  const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
  return `${name} [${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${fmt(done)}/${fmt(total)} lines ${fmt(rate)} posts/s ETA ${clock(eta)}`;
}

/** How long the progress may be unknown (a status that fails) before the command stops following, the import going on. */
const UNKNOWN_PROGRESS_MS = 30_000;

async function follow(o: ImportOptions, name: string, total: number, skipped: number, poll: () => Promise<Progress>): Promise<Progress> {
  const t0 = performance.now();
  let lastPrinted = Number.NEGATIVE_INFINITY;
  let failingSeen = 0;
  let failingSince: number | null = null;
  for (;;) {
    let p: Progress;
    try {
      p = await poll();
      failingSince = null;
    } catch (e) {
      failingSince ??= performance.now();
      if (performance.now() - failingSince > UNKNOWN_PROGRESS_MS)
        throw new Error(
          `the progress of ${name} could not be read for ${UNKNOWN_PROGRESS_MS / 1000} s (${errorMessage(e)}); if Vigil still runs, what was sent is imported on: follow it on the events page or with 'vigil status'`,
        );
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    const seconds = (performance.now() - t0) / 1000;
    const finished = p.state !== 'starting' && p.state !== 'running';
    const line =
      progressLine(name, p.linesRead, total, seconds, skipped) +
      (finished && p.lag > 0 ? ` · storing (${fmt(p.lag)} left)` : '') +
      (p.failing ? ` · storing FAILING, tried again (${p.failing.attempts}×): ${p.failing.reason}` : '');
    // Not on a terminal (a log): a line every 2 s, the first at once, and another as soon as storing fails again.
    const failedAgain = (p.failing?.attempts ?? 0) > failingSeen;
    failingSeen = p.failing?.attempts ?? 0;
    if (o.tty) o.write(`\r${line}\u001b[K`);
    else if (performance.now() - lastPrinted > 2000 || (finished && p.lag === 0) || failedAgain) {
      o.write(`${line}\n`);
      lastPrinted = performance.now();
    }
    if (finished && p.lag === 0) {
      if (o.tty) o.write('\n');
      // The lines read before a failure are stored (the lag is 0): say how far it came, and why it stopped.
      if (p.state === 'failed') {
        const far = p.linesRead === 0 ? 'before its first line' : `after ${fmt(p.linesRead)} lines, which are stored`;
        throw new Error(`import of ${name} failed ${far}: ${p.detail ?? 'see the Vigil log'}`);
      }
      return p;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A file imported before (same content, any name) is not sent again up to where it was: say so, and what to do instead (returns the lines skipped). */
function sayIfMetBefore(o: ImportOptions, file: string, status: { alreadyPublished?: number }): number {
  const n = status.alreadyPublished ?? 0;
  if (n === 0) return 0;
  o.write(
    `${file} was imported before (the same content): its first ${fmt(n)} lines were sent then and are skipped now, so posts already collected are not matched again. To apply an event to them: its page's "Apply to posts already collected", or POST /api/events/NAME/reclassify\n`,
  );
  return n;
}

type StatusBody = {
  tracker: { source: { source: string; state: string; linesRead: number; detail?: string } | null };
  classifier: { lag: number | null; counts?: Record<string, number>; failing?: DeliveryFailure | null };
};

/** The name a file gets in the import folder: its own, with anything but letters, digits, . _ - made "_". */
export function uploadName(file: string): string {
  return (
    basename(file)
      .replace(/[^A-Za-z0-9._-]/gu, '_')
      .replace(/^[._-]+/u, '') || 'upload.jsonl'
  );
}

/** Streams the file to the import folder of the Vigil at `url`, with a progress line. */
async function upload(o: ImportOptions, url: string, file: string, name: string): Promise<void> {
  const size = (await stat(file)).size;
  let sent = 0;
  const t0 = performance.now();
  let last = 0;
  const body = Readable.toWeb(
    fileChunks(file).on('data', (chunk) => {
      sent += chunk.length;
      if (o.tty && performance.now() - last > 200) {
        last = performance.now();
        o.write(`\ruploading ${name}: ${Math.round((100 * sent) / Math.max(1, size))}% of ${fmt(size / 2 ** 20)} MiB\u001b[K`);
      }
    }),
  ) as ReadableStream<Uint8Array>;
  const res = await callVigil(url, `/api/imports/${encodeURIComponent(name)}`, {
    dataDir: o.dataDir ?? undefined,
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body,
    duplex: 'half',
  } as RequestInit);
  if (o.tty) o.write('\n');
  if (!res.ok) throw new Error(`${url} refused the upload of ${file}: ${res.status} ${await res.text()}`);
  o.write(`uploaded ${file} as ${name} (${fmt(size)} bytes in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}

async function viaApi(o: ImportOptions, url: string): Promise<void> {
  o.write(`importing into the Vigil at ${url}\n`);
  for (const f of o.files) {
    const file = resolve(f);
    const total = await countLines(file);
    const name = uploadName(file);
    await upload(o, url, file, name);
    const res = await callVigil(url, '/api/replay', {
      dataDir: o.dataDir ?? undefined,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: name, rate: o.rate }),
    });
    if (!res.ok) throw new Error(`${url} refused the import of ${file}: ${res.status} ${await res.text()}`);
    const skipped = sayIfMetBefore(o, file, (await res.json()) as { alreadyPublished?: number });
    await follow(o, f, total, skipped, async () => {
      const res = await callVigil(url, '/api/status', { dataDir: o.dataDir ?? undefined });
      if (!res.ok) throw new Error(`${url}/api/status answered ${res.status} ${(await res.text()).slice(0, 300)}`);
      const s = (await res.json()) as StatusBody;
      const src = s.tracker.source;
      return {
        linesRead: src?.linesRead ?? 0,
        state: src?.state ?? 'starting',
        lag: s.classifier.lag ?? 0,
        detail: src?.detail,
        failing: s.classifier.failing,
      };
    });
  }
}

/**
 * Defaults of an import that opens the data directory itself (config keys; the environment still decides when set).
 * No query runs in that process: DuckDB's second thread would mostly wait for work while the cores parse (about 10%
 * less CPU per post with one on 2 cores, BENCHMARKS.md, whose ingest rows run with these settings). Nor does its store
 * count terms in the background: the import counts them when it ends, on every core. The store's own guess at a bulk
 * import (a write in the last idle period) missed one whose classifier fell more than that behind the file (a slow
 * or busy machine), and counted on one core, in chunks, mid-import.
 */
export const EMBEDDED_IMPORT_DEFAULTS: Readonly<Record<string, string>> = { duckdbThreads: '1', termCountIdleMs: '0' };

/**
 * Counts the terms of the rows just stored (term counts: what an event page's lists sum), with a progress line: an event
 * page's first load would otherwise wait for it (of the bench's long posts, on one core, about 35 s per million rows
 * at 10 events and a minute at 1,000). Stopped midway, the rest is counted when Vigil next runs.
 */
async function countTerms(o: ImportOptions, store: PostStore | undefined): Promise<void> {
  if (!store?.countTerms || !store.termCountBacklog) return;
  const total = await store.termCountBacklog();
  if (total === 0) return;
  const t0 = performance.now();
  const line = (counted: number) => {
    const seconds = (performance.now() - t0) / 1000;
    const share = Math.round((100 * counted) / Math.max(total, counted));
    return `counting terms for the event pages [${share}%] ${fmt(counted)}/${fmt(total)} rows, ${seconds.toFixed(0)} s (interrupt at will: the rest is counted when Vigil runs)`;
  };
  o.write(o.tty ? line(0) : `${line(0)}\n`);
  // Counted by this call or by the store in a quiet moment meanwhile: what is left says how far it is.
  await store.countTerms((p) => {
    const counted = total - p.left;
    o.write(o.tty ? `\r${line(counted)}\u001b[K` : `${line(counted)}\n`);
  });
  if (o.tty) o.write('\n');
  const counted = Math.max(0, total - (await store.termCountBacklog()));
  o.write(`terms counted: ${fmt(counted)} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function embedded(o: ImportOptions, dataDir: string): Promise<void> {
  const { startEmbedded } = await import('../runtime/embedded.js');
  // Warnings and errors only: a store that keeps failing (a full disk) says so while the import waits on it.
  const rt = await startEmbedded(loadConfig({ port: '0', dataDir }, process.env, EMBEDDED_IMPORT_DEFAULTS), createLogger({ level: 'warn' }));
  let counting = false;
  try {
    o.write(`importing into ${dataDir} (no Vigil answered; start one first to import into it while it runs)\n`);
    const active = (await rt.events.list()).filter((e) => e.active);
    if (active.length === 0)
      o.write(
        'warning: no active events, so no row will be stored (the posts are kept in the log); create events (vigil start, then the UI or POST /api/events) and apply them to these posts: "Also apply to posts already collected since …" with a time before this import, or POST /api/events/NAME/reclassify\n',
      );
    // A replay an earlier run of this data directory left unfinished (stopped midway) is carried on at start: these
    // files follow once it is done, instead of being refused as a source already running.
    const earlier = rt.tracker.status().source;
    if (earlier && (earlier.state === 'starting' || earlier.state === 'running')) {
      o.write(
        `first carrying on the replay an earlier run left: ${earlier.source.replace(/^replay:/u, '')}, after its first ${fmt(earlier.alreadyPublished ?? 0)} lines\n`,
      );
      await rt.tracker.idle();
    }
    const counts = (): void => {
      const c = rt.classifier.status().counts;
      o.write(`lines=${c.lines} posts=${c.posts} rows=${c.rows} rejected=${c.rejected} other=${c.other}\n`);
    };
    for (const f of o.files) {
      const total = await countLines(resolve(f));
      const skipped = sayIfMetBefore(o, f, await rt.tracker.replay(f, o.rate));
      await follow(o, f, total, skipped, async () => {
        const src = rt.tracker.status().source;
        return {
          linesRead: src?.linesRead ?? 0,
          state: src?.state ?? 'starting',
          lag: await rt.lag(),
          detail: src?.detail,
          failing: rt.classifier.status().failing,
        };
      }).catch((err: unknown) => {
        counts(); // what was stored before the failure
        throw err;
      });
    }
    counts();
    counting = rt.services.store?.countTerms !== undefined;
  } finally {
    await rt.close();
  }
  if (counting) await countTermsOnEveryCore(o, dataDir);
}

/** The settings the term count after an import opens the data directory with: a running Vigil's (every core for DuckDB). */
export function importCountConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig({ port: '0', dataDir }, env);
}

/**
 * Counts the terms once the import's roles have stopped, on the database opened again as a running Vigil opens it:
 * DuckDB on every core (unless VIGIL_DUCKDB_THREADS says otherwise), where the import gave it one so that the other
 * could parse. On 2 cores this takes about a third less time (BENCHMARKS.md). If the data directory cannot be opened
 * again (a Vigil started on it meanwhile), the rows are counted when Vigil runs.
 */
async function countTermsOnEveryCore(o: ImportOptions, dataDir: string): Promise<void> {
  const { withStoreAlone } = await import('../runtime/process.js');
  await withStoreAlone(importCountConfig(dataDir), createLogger({ level: 'warn' }), (store) => countTerms(o, store)).catch((err: unknown) => {
    o.write(`terms not counted (${errorMessage(err)}): Vigil counts the rows left when it runs, before an event page's lists\n`);
  });
}

export async function runImport(o: ImportOptions): Promise<number> {
  let url = o.url;
  if (!url && !o.dataDir) {
    const candidate = vigilUrl();
    const alive = await fetch(`${candidate}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (alive) url = candidate;
  }
  // With --url, --data only says where the local CLI's token is.
  if (url) await viaApi(o, url.replace(/\/$/u, ''));
  else await embedded(o, resolve(o.dataDir ?? process.env.VIGIL_DATA ?? './vigil-data'));
  return 0;
}
