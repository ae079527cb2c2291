// The `vigil` commands: each declares its usage, options and summary (the help is made from them) and runs by
// loading only what it needs.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, VigilError } from '../core/errors.js';
import { ownerOnlyFromNowOn } from '../util/private-files.js';
import { VIGIL_VERSION } from '../version.js';
import { type Command, REMOTE_OPTIONS } from './command.js';
import { configFromArgs, loggerFor, settingOptions, untilSignal } from './serve.js';

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const dataDirOf = (v: string | boolean | undefined): string => str(v) ?? process.env.VIGIL_DATA ?? './vigil-data';

const start: Command = {
  name: 'start',
  usage: '[--config FILE] [--port 8080] [--data ./vigil-data] [--replay FILE [--rate N]] [--source NAME] [settings]',
  summary:
    'Runs every role in one process (embedded mode): the events API and UI, the tracker, the classifier and the query API, keeping everything under the data directory. Prints a one-time sign-in link. Ctrl-C stops it; a restart resumes where it stopped. --source follows a live source (credentials from the environment: README, Live sources).',
  options: settingOptions(),
  settings: 'start',
  async run(args) {
    const { config } = configFromArgs(args);
    const log = loggerFor(config);
    const { startEmbedded } = await import('../runtime/embedded.js');
    return untilSignal(await startEmbedded(config, log), log);
  },
};

const run: Command = {
  name: 'run',
  usage: '--roles ROLES [--config FILE] [settings]',
  summary:
    'Runs the given roles, comma-separated: events, tracker, classifier, analytics, controller, or all. Roles in different processes meet only through a shared bus and store (--bus kafka --store cassandra). With all, this process is the controller: it starts every other role as its own process, restarts one that dies, replaces a tracker make-before-break when the keywords change, sizes the classifiers from the consumer lag, and serves the UI and API of all of them on --port. --orchestrator kubernetes makes the controller (run alone) create Deployments through the Kubernetes API instead. Every process serves /healthz, /readyz and /metrics; SIGTERM drains work in hand before exit.',
  options: settingOptions(),
  settings: 'run',
  async run(args) {
    const { config, env } = configFromArgs(args);
    const log = loggerFor(config, process.env.VIGIL_PROCESS_ID || undefined);
    const { startRun } = await import('../runtime/run.js');
    return untilSignal(await startRun(config, { ...process.env, ...env, VIGIL_DATA: config.dataDir }, log), log);
  },
};

const status: Command = {
  name: 'status',
  usage: '[--url URL] [--data DIR] [--json]',
  summary:
    "The processes 'vigil run' supervises (role, state, pid, restarts) and the controller's plan and lag; for a single process, its mode and lag. Either way, when the classifier's batches keep failing to be stored (the store out of memory, a full disk), why, since when and the next attempt.",
  options: { ...REMOTE_OPTIONS, json: { type: 'boolean', doc: 'print the answer as JSON' } },
  async run({ values }) {
    const { printStatus } = await import('./status.js');
    return printStatus(str(values.url), str(values.data), values.json === true);
  },
};

const login: Command = {
  name: 'login',
  usage: '[--url URL] [--data DIR]',
  summary: 'Prints a new one-time sign-in link for the browser (Vigil prints one at every start too); it signs you in once, within the hour.',
  options: REMOTE_OPTIONS,
  async run({ values }) {
    const { callVigil, vigilUrl } = await import('./remote.js');
    const url = vigilUrl(str(values.url));
    const res = await callVigil(url, '/api/auth/links', { method: 'POST', dataDir: str(values.data) });
    if (!res.ok) throw new VigilError('VIGIL_UNAVAILABLE', `${url} refused a sign-in link: ${res.status} ${await res.text()}`);
    const { path } = (await res.json()) as { path: string };
    process.stdout.write(`${url}${path}\n`);
    process.stderr.write('open it in your browser: it signs you in once, within the hour\n');
    return 0;
  },
};

const classify: Command = {
  name: 'classify',
  usage: '--events events.json [--rejects FILE] [--no-raw] [FILE ...]',
  summary:
    'Classifies archived JSON lines of any supported format (stdin when no FILE; .gz read transparently). Prints one JSON row per (event, post) match on stdout and a summary on stderr: lines, posts, rows, rejected, other. events.json is [{"name": "...", "keywords": ["...", ...]}]. Lines that are not posts are kept with their reason and FILE:LINE in the rejects file.',
  options: {
    events: { type: 'string', value: 'FILE', doc: 'the events: [{"name": "...", "keywords": [...]}]' },
    rejects: { type: 'string', value: 'FILE', doc: 'where lines that are not posts go, with the reason (default vigil-rejects.jsonl)' },
    'no-raw': { type: 'boolean', doc: 'leave the original JSON out of the rows' },
  },
  positionals: true,
  async run({ values, positionals }) {
    const eventsFile = str(values.events);
    if (!eventsFile) throw new UsageError('vigil classify needs --events events.json ([{"name": "...", "keywords": ["...", ...]}])');
    const { runClassify } = await import('./classify.js');
    return runClassify({ eventsFile, inputs: positionals, rejectsFile: str(values.rejects) ?? 'vigil-rejects.jsonl', raw: values['no-raw'] !== true });
  },
};

const importCmd: Command = {
  name: 'import',
  usage: 'FILE... [--url URL | --data DIR] [--rate N]',
  summary:
    "Feeds archives through the pipeline as if live: JSON lines of Twitter v1.1, X API v2 (stream messages, twarc2 pages), Bluesky Jetstream or Mastodon, gzip or not, the format told per line. Uploads each file to the Vigil answering at --url (or VIGIL_URL, or 127.0.0.1:8080), else opens --data itself (then with one DuckDB thread, as no query runs there; VIGIL_DUCKDB_THREADS overrides). Shows a progress bar with posts/s and the time left; a file already imported is not sent again. Into --data it then counts the new rows' terms for the event pages, with its progress, on every core (interrupted, the rest is counted when Vigil runs).",
  options: { ...REMOTE_OPTIONS, rate: { type: 'string', value: 'N', doc: 'lines per second (default 0: as fast as possible)' } },
  positionals: true,
  async run({ values, positionals }) {
    if (positionals.length === 0)
      throw new UsageError('vigil import needs at least one file: vigil import archive.jsonl[.gz] ... [--url URL | --data DIR] [--rate N]');
    const rate = Number(str(values.rate) ?? 0);
    if (!Number.isFinite(rate) || rate < 0) throw new UsageError('--rate must be a number of lines per second (0: as fast as possible)');
    const { checkReadableFiles } = await import('./readable-files.js');
    await checkReadableFiles(positionals);
    const { runImport } = await import('./import.js');
    return runImport({
      files: positionals,
      url: str(values.url) ?? null,
      dataDir: str(values.data) ?? null,
      rate,
      write: (m) => process.stderr.write(m),
      tty: process.stderr.isTTY === true,
    });
  },
};

const bench: Command = {
  name: 'bench',
  usage: '[--quick] [--only SECTIONS] [--out BENCHMARKS.md] [--work DIR]',
  summary:
    "Measures ingest (end to end, with the JSON.parse limit beside it; each figure the median of three runs alternated between settings, with their range), the matcher, Project EPIC's word count, event-page query latency, keyword-change handover and, with the engines running (scripts/engines/), distributed ingest and Spark's word count on this machine; prints a table, then issue #18's targets each with its figures and whether they meet it, and writes both to --out. Generated data is kept in --work so later runs start faster.",
  options: {
    quick: { type: 'boolean', doc: 'smaller sizes, one ingest run per setting' },
    only: { type: 'string', value: 'SECTIONS', doc: 'comma-separated: ingest, matcher, queries, handover, distributed, spark' },
    out: { type: 'string', value: 'FILE', doc: 'write the table there too (BENCHMARKS.md)' },
    work: { type: 'string', value: 'DIR', doc: 'where generated data is kept (default: the system temp dir)' },
  },
  async run({ values, argv }) {
    const { runBench, BENCH_SECTIONS } = await import('../bench/run.js');
    const only =
      str(values.only)
        ?.split(',')
        .map((x) => x.trim()) ?? null;
    const unknown = only?.filter((x) => !BENCH_SECTIONS.includes(x)) ?? [];
    if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCH_SECTIONS.join(', ')}`);
    const md = await runBench({
      workDir: str(values.work) ?? join(tmpdir(), 'vigil-bench'),
      out: str(values.out) ?? null,
      quick: values.quick === true,
      only,
      command: `vigil bench ${argv.join(' ')}`.trim(),
      progress: (m) => process.stderr.write(`${m}\n`),
    });
    process.stdout.write(md);
    return 0;
  },
};

const generate: Command = {
  name: 'generate',
  usage: '[--posts 10000] [--seed 42] [--start 2012-10-29T12:00:00Z] [--out FILE]',
  summary:
    "Writes synthetic Twitter v1.1 stream lines (made-up users and text, never real posts) to try Vigil or measure it: crisis words ('sandy', 'hurricane', 'flooding', …) are frequent, so an event with them collects. Each line is written in the bytes Twitter's streaming API sent (ASCII, with '/', '<', '>' and every non-ASCII character escaped). The same seed gives the same lines. A FILE ending in .gz is compressed; without --out, the lines go to stdout. Then: vigil import FILE.",
  options: {
    posts: { type: 'string', value: 'N', doc: 'how many posts (default 10000)' },
    seed: { type: 'string', value: 'N', doc: 'the same seed, the same lines (default 42)' },
    start: { type: 'string', value: 'TIME', doc: 'ISO-8601 time of the first post; posts follow about 10 ms apart (default 2012-10-29T12:00:00Z)' },
    out: { type: 'string', value: 'FILE', doc: 'where to write (.gz: compressed); default stdout' },
  },
  async run({ values }) {
    const int = (name: string, fallback: number): number => {
      const v = str(values[name]);
      if (v === undefined) return fallback;
      if (!/^\d+$/u.test(v) || Number(v) < 1 || Number(v) > 1_000_000_000)
        throw new UsageError(`--${name} takes a whole number from 1 to 1000000000 (got "${v}")`);
      return Number(v);
    };
    const start = new Date(str(values.start) ?? '2012-10-29T12:00:00Z');
    if (Number.isNaN(start.getTime())) throw new UsageError(`--start takes an ISO-8601 time such as 2012-10-29T12:00:00Z (got "${str(values.start)}")`);
    const { generate: write } = await import('./generate.js');
    const o = { posts: int('posts', 10_000), seed: int('seed', 42), start, out: str(values.out) ?? null };
    await write(o, (m) => process.stderr.write(`${m}\n`));
    process.stderr.write(`wrote ${o.posts.toLocaleString('en-US')} synthetic posts${o.out ? ` to ${o.out}` : ''} (seed ${o.seed})\n`);
    return 0;
  },
};

const backup: Command = {
  name: 'backup',
  usage: '[--data ./vigil-data] [--out vigil-backup-DATE.tar.gz]',
  summary:
    'Copies a stopped embedded installation (databases, log, offsets, keys, replay progress) into one .tar.gz with the SHA-256 of every file, readable by you only.',
  options: { data: REMOTE_OPTIONS.data, out: { type: 'string', value: 'FILE', doc: 'the archive to write' } },
  async run({ values }) {
    const { backup: doBackup } = await import('./backup.js');
    ownerOnlyFromNowOn(); // a backup holds the signing key and every account: its owner's only
    const out = str(values.out) ?? `vigil-backup-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.tar.gz`;
    const m = await doBackup(dataDirOf(values.data), out, VIGIL_VERSION, (msg) => process.stderr.write(`${msg}\n`));
    process.stderr.write(`backup written to ${out}: ${m.files.length} files\n`);
    return 0;
  },
};

const restore: Command = {
  name: 'restore',
  usage: 'FILE [--data ./vigil-data] [--force]',
  summary:
    'Checks every file of a backup, then puts it in place of the data directory (which must be empty or missing, unless --force replaces a Vigil data directory).',
  options: { data: REMOTE_OPTIONS.data, force: { type: 'boolean', doc: 'replace the Vigil data directory there' } },
  positionals: true,
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new UsageError('vigil restore needs the backup file: vigil restore FILE [--data DIR] [--force]');
    const { restore: doRestore } = await import('./backup.js');
    ownerOnlyFromNowOn();
    await doRestore(positionals[0], dataDirOf(values.data), values.force === true, (msg) => process.stderr.write(`${msg}\n`));
    return 0;
  },
};

export const COMMANDS: readonly Command[] = [start, run, status, login, importCmd, classify, generate, bench, backup, restore];
