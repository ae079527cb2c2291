// Distributed ingest with every role in its own process: `vigil run --roles all` over Kafka and Cassandra with a
// fixed number of classifier processes, fed one replay; measured from the replay request until every post is
// stored (consumer lag 0 after the tracker finished).

import { spawn } from 'node:child_process';
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

/** A measurement on loopback that signs nobody in (accounts are on by default since issue #16). */
const NO_ACCOUNTS = ['--auth', 'off'];

/** A fixed number of classifier processes of one thread each. */
function classifiers(count: number): string[] {
  return ['--classifiers-min', String(count), '--classifiers-max', String(count), '--classifier-workers', '1'];
}

export interface RolesIngestOptions {
  file: string;
  dataDir: string;
  events: { name: string; keywords: string[] }[];
  classifiers: number;
  /** Settings as environment variables (VIGIL_BUS, VIGIL_KAFKA_BROKERS, …). */
  env: Record<string, string>;
}

export interface RolesIngestResult {
  posts: number;
  rows: number;
  seconds: number;
  postsPerSecond: number;
}

async function api<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function ingestRolesAsProcesses(o: RolesIngestOptions): Promise<RolesIngestResult> {
  await rm(o.dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [BIN, 'run', '--roles', 'all', '--port', '0', '--data', o.dataDir, ...NO_ACCOUNTS, ...classifiers(o.classifiers)], {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        log = (log + d.toString()).slice(-20_000);
        const m = /vigil is running url=(\S+)/u.exec(log);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`vigil run exited with ${code}:\n${log}`)));
    });
    for (const e of o.events) await api(url, 'POST', '/api/events', e);
    await new Promise((r) => setTimeout(r, 3000)); // the controller replaces the tracker for the new keywords
    // Replays read only from the import folder (issue #16): the stream goes there first (linked, else copied).
    const imports = join(o.dataDir, 'imports');
    await mkdir(imports, { recursive: true });
    const file = join(imports, basename(o.file));
    await link(o.file, file).catch(() => copyFile(o.file, file));
    const t0 = performance.now();
    await api(url, 'POST', '/api/replay', { file });
    type S = { tracker: { source: { state: string } | null }; classifier: { lag: number | null } };
    for (;;) {
      const s = await api<S>(url, 'GET', '/api/status');
      if (s.tracker.source?.state === 'finished' && s.classifier.lag === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t0) / 1000;
    let rows = 0;
    for (const e of o.events) rows += (await api<{ count: number }>(url, 'GET', `/api/events/${encodeURIComponent(e.name)}/stats`)).count;
    const published = await api<{ tracker: { source: { linesRead: number } | null } }>(url, 'GET', '/api/status');
    const posts = published.tracker.source?.linesRead ?? 0;
    return { posts, rows, seconds, postsPerSecond: posts / seconds };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
