#!/usr/bin/env node
// Where an embedded ingest's CPU goes, stage by stage: the profile table of BENCHMARKS.md.
//
//   node scripts/profile-ingest.mjs [--events 10] [--posts 200000] [--work /tmp/vigil-profile]
//
// Needs a build (npm run build) and Linux `perf`. Runs the benchmark's ingest child twice on the same generated
// stream, each profiled from the moment its ingest begins (creating the events comes before and is left out): once
// under `perf record -g` (every thread's CPU, native frames named: V8's JSON parser and garbage collector, DuckDB,
// zlib, the kernel), once under `node --cpu-prof` (which JavaScript functions run on the main and worker threads:
// perf cannot name them). Each perf sample goes to the first stage whose frames it holds; what is left on a
// JavaScript thread is split by the cpu-prof self time of its source files. Prints a Markdown table.

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { events: { type: 'string', default: '10' }, posts: { type: 'string', default: '200000' }, work: { type: 'string', default: '/tmp/vigil-profile' } },
});
const events = Number(values.events);
const posts = Number(values.posts);
const work = values.work;
if (!existsSync(join(root, 'dist/bench/ingest-child.js'))) throw new Error('build first: npm run build');
mkdirSync(work, { recursive: true });

const { benchmarkEvents, generateStream, streamFileName } = await import(join(root, 'dist/bench/generate.js'));
// The benchmark's stream (vigil bench names it the same: --work can be shared).
const stream = join(work, streamFileName(posts));
if (!existsSync(stream)) {
  const out = createWriteStream(`${stream}.tmp`);
  for (const line of generateStream(posts)) if (!out.write(`${line}\n`)) await once(out, 'drain');
  await new Promise((done, fail) => out.end((err) => (err ? fail(err) : done())));
  renameSync(`${stream}.tmp`, stream);
}
const child = join(root, 'dist/bench/ingest-child.js');
// The bench's ingest settings: those of `vigil import --data` (DuckDB on one thread), with the default classifier
// workers (a core but one: one on 2 cores).
const { EMBEDDED_IMPORT_DEFAULTS } = await import(join(root, 'dist/cli/import.js'));
const { DEFAULT_CLASSIFIER_WORKERS } = await import(join(root, 'dist/config/components.js'));
const options = (dataDir) =>
  JSON.stringify({ file: stream, dataDir, events: benchmarkEvents(events), workers: DEFAULT_CLASSIFIER_WORKERS, config: EMBEDDED_IMPORT_DEFAULTS });

/** Stages by native frames, first match wins (a sample's whole stack is searched). */
const NATIVE_STAGES = [
  ['V8 garbage collection', /Scavenge|MarkCompact|ConcurrentMarking|Sweeper|MinorM|IncrementalMarking|MarkingVisitor|Evacuat|Heap::Collect|GCTracer/],
  ['V8 compiling JavaScript', /OptimizingCompileDispatcher|v8::internal::(compiler::|Compiler::|maglev::|baseline::|Parser::)/],
  ['JSON.parse (posts on the workers, state on the main thread)', /JsonParser/],
  ['JSON.stringify (the row JSON)', /JsonStringifier/],
  ['log packing (Brotli)', /Brotli/],
  ['log checksums (crc32)', /crc32/],
  ['hashes (the file content id, row ids)', /sha256|sha1_block|SHA1|SHA256|EVP_Digest/],
  ['DuckDB: parsing the row JSON', /yyjson|JSONTransform|JSONExecutors|JSONFunctions|JSONCommon/],
  ['DuckDB: checkpoints (compressing row groups)', /^duckdb::[^\n(]*(Checkpoint|Compress)|fsst/m],
  ['DuckDB: write-ahead log', /^duckdb::[^\n(]*(WriteAheadLog|WAL)/m],
  ['DuckDB: insert, keep-once check', /libduckdb|duckdb::/],
  ['UTF-8 encoding and decoding', /Utf8Decoder|Utf8Length|WriteUtf8|String::Write|StringBytes/],
  ['file reads and writes (syscalls)', /uv__fs_|fs::Read|fs::Write|ksys_read|ksys_write|ksys_pread|ksys_pwrite|fdatasync|vfs_/],
  ['thread wake-ups and switches (kernel)', /futex|finish_task_switch|schedule|epoll/],
];

/** What JavaScript a source file does, for the split of a thread's JavaScript time. */
const JS_GROUPS = [
  ['match (tokens, keyword look-up)', /core\/(tokens|matcher|targets|track)/],
  ['normalize (platform payload → row fields)', /core\/(twitter|x-v2|mastodon|bluesky|jetstream|formats|json|html-text|normal|entities|dates?)/],
  ['row JSON and row ids', /core\/row|core\/event-id/],
  ['classifier: batches to and from the workers', /classifier\//],
  ['log: records, reads, appends', /filelog\//],
  ['DuckDB binding (values into DuckDB)', /@duckdb|duckdb\//],
  ['replay: reading lines', /util\/lines|tracker\//],
];

/**
 * Starts the ingest child; resolves with it, the monotonic µs at which its ingest began and a promise of the µs at
 * which it ended (ingest-child.ts writes both; closing the store and any term count after it are not the ingest's).
 */
async function startChild(dataDir, nodeFlags = []) {
  rmSync(dataDir, { recursive: true, force: true });
  const proc = spawn(process.execPath, [...nodeFlags, child, options(dataDir)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  const exited = new Promise((done, fail) =>
    proc.on('exit', (code) => (code === 0 ? done(JSON.parse(out.trim().split('\n').pop())) : fail(new Error(`the ingest child failed: ${err}`)))),
  );
  const marker = (name) =>
    new Promise((done, fail) => {
      const look = () => {
        const m = new RegExp(`${name} (\\d+)`).exec(err);
        if (m) done(Number(m[1]));
      };
      proc.stderr.on('data', look);
      exited.then(() => fail(new Error(`the ingest child ended without writing ${name}`)), fail);
    });
  proc.stderr.on('data', (d) => (err += d));
  const ended = marker('vigil-ingest-ended-at-us');
  ended.catch(() => undefined); // awaited by the caller; an early failure shows through exited
  const startedUs = await marker('vigil-ingest-started-at-us');
  return { proc, startedUs, ended, exited };
}

async function perfRun() {
  const data = join(work, 'perf.data');
  rmSync(data, { force: true }); // an earlier run's file must not pass for this one's
  const { proc, ended, exited } = await startChild(join(work, 'data-perf'));
  // Attached once ingest begins and stopped once it ends: creating the events (a thousand, one by one) before, and
  // closing the store after, are left out.
  const perf = spawn('perf', ['record', '-q', '-g', '-F', '299', '-p', String(proc.pid), '-o', data], { stdio: ['ignore', 'ignore', 'pipe'] });
  let perfErr = '';
  perf.stderr.on('data', (d) => (perfErr += d));
  const perfDone = new Promise((done) => perf.on('exit', done));
  await ended;
  perf.kill('SIGINT');
  await perfDone;
  const result = await exited;
  if (!existsSync(data)) throw new Error(`perf record failed (is perf installed, and allowed: kernel.perf_event_paranoid?): ${perfErr}`);
  const script = execFileSync('perf', ['script', '-i', data, '-F', 'pid,tid,ip,sym,dso'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return { result, samples: parseSamples(script) };
}

function parseSamples(text) {
  const samples = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    const [pid, tid] = lines[0]
      .trim()
      .split(/[\s/]+/)
      .map(Number);
    samples.push({
      pid,
      tid,
      frames: lines
        .slice(1)
        .map((l) => l.trim().replace(/^[0-9a-f]+\s+/, ''))
        .join('\n'),
    });
  }
  return samples;
}

/** Each thread's kind, from what its samples show it running. */
function threadKinds(samples) {
  const seen = new Map();
  for (const s of samples) {
    const kinds = seen.get(s.tid) ?? new Set();
    if (s.tid === s.pid) kinds.add('main');
    if (/node::worker::Worker::Run|worker::MessagePort/.test(s.frames)) kinds.add('worker');
    if (/PlatformWorkerThread|DefaultJobWorker/.test(s.frames)) kinds.add('platform');
    if (/TaskScheduler::ExecuteForever/.test(s.frames)) kinds.add('duckdb');
    if (/uv__work|\bworker \(\/usr/.test(s.frames)) kinds.add('libuv');
    seen.set(s.tid, kinds);
  }
  const order = ['main', 'worker', 'platform', 'libuv', 'duckdb'];
  return new Map([...seen].map(([tid, kinds]) => [tid, order.find((k) => kinds.has(k)) ?? 'other']));
}

async function cpuProfRun() {
  const dir = join(work, 'cpuprof');
  rmSync(dir, { recursive: true, force: true });
  const { startedUs, ended, exited } = await startChild(join(work, 'data-prof'), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const endedUs = await ended;
  await exited;
  const files = readdirSync(dir).sort();
  // The main thread's profile is written first (its thread id is 0); the others are the workers'.
  return {
    main: jsShares(join(dir, files[0]), startedUs, endedUs),
    worker: mergeShares(files.slice(1).map((f) => jsShares(join(dir, f), startedUs, endedUs))),
  };
}

/** Self time of a profile's JavaScript by group (JS_GROUPS) from `fromUs` to `toUs`, as shares of its JavaScript time. */
function jsShares(path, fromUs, toUs) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const groups = new Map();
  let total = 0;
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) return;
    const { url, functionName } = byId.get(id).callFrame;
    if (url === '' && /^\((idle|garbage collector|program)\)$/.test(functionName)) return;
    // cpu-prof counts a builtin's time as its caller's self time: classify.js's is the JSON.parse of each post, which
    // perf already counted as a stage of its own.
    if (/core\/classify/.test(url)) return;
    const dt = p.timeDeltas[i] ?? 0;
    const group = JS_GROUPS.find(([, re]) => re.test(url))?.[0] ?? 'other JavaScript (bus, promises, Node internals)';
    groups.set(group, (groups.get(group) ?? 0) + dt);
    total += dt;
  });
  return new Map([...groups].map(([g, t]) => [g, t / total]));
}

function mergeShares(list) {
  const out = new Map();
  for (const m of list) for (const [g, s] of m) out.set(g, (out.get(g) ?? 0) + s / list.length);
  return out;
}

const { result, samples } = await perfRun();
const shares = await cpuProfRun();
const kinds = threadKinds(samples);
const THREAD_NAMES = {
  main: 'main thread',
  worker: 'classifier workers',
  duckdb: "DuckDB's thread",
  platform: 'V8 platform threads',
  libuv: 'libuv pool',
  other: 'other threads',
};
const stages = new Map();
const threads = new Map();
const add = (m, k, n) => m.set(k, (m.get(k) ?? 0) + n);
for (const s of samples) {
  const kind = kinds.get(s.tid) ?? 'other';
  add(threads, kind, 1);
  const stage = NATIVE_STAGES.find(([, re]) => re.test(s.frames))?.[0];
  if (stage) add(stages, stage, 1);
  else if (kind === 'main' || kind === 'worker') for (const [g, share] of shares[kind]) add(stages, `${THREAD_NAMES[kind]}: ${g}`, share);
  else add(stages, `${THREAD_NAMES[kind]}: other native work (memory copies, allocation)`, 1);
}
const total = samples.length;
const perPost = result.cpuMicrosPerPost;
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
const us = (n) => Math.round((perPost * n) / total);
console.log(
  `Embedded ingest, ${events} events, ${result.posts.toLocaleString('en-US')} posts: ${Math.round(result.postsPerSecond).toLocaleString('en-US')} posts/s, ${Math.round(perPost)} CPU-µs/post under perf.`,
);
console.log(
  `Threads: ${[...threads]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${THREAD_NAMES[k]} ${pct(n)}`)
    .join(', ')}.\n`,
);
console.log('| Stage | Share of process CPU | CPU-µs/post |');
console.log('| --- | ---: | ---: |');
for (const [stage, n] of [...stages].sort((a, b) => b[1] - a[1])) if (n / total >= 0.002) console.log(`| ${stage} | ${pct(n)} | ${us(n)} |`);
