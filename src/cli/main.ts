// The `vigil` command: picks a subcommand and parses its flags.

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_ENTRIES, loadConfig, parseConfigFile, type Config } from '../config.js';
import { createLogger } from '../util/log.js';
import { runClassify } from './classify.js';
import { ownerOnlyFromNowOn } from '../util/private-files.js';
import { UsageError } from '../core/errors.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const configTable = CONFIG_ENTRIES.map((e) => `  ${e.flag.padEnd(20)} ${e.env.padEnd(24)} ${e.doc} (default ${e.default})`).join('\n');

export const HELP = `vigil ${VERSION}: collect social-media posts for crisis events, classify, store and query them.

Usage:
  vigil start [--config FILE] [--port 8080] [--data ./vigil-data] [--replay FILE [--rate N]]
              [--source jetstream|twitter-v1|x-v2|mastodon]
      Runs every role in one process (embedded mode): the events API, the tracker, the classifier and the
      query API, keeping everything under the data directory. Ctrl-C stops it; a restart resumes where it stopped.
      --source follows a live source (credentials from the environment: README, Live sources).

  vigil run --roles ROLES [--config FILE] [settings]
      Runs the given roles, comma-separated: events, tracker, classifier, analytics, controller, or all. Roles in
      different processes meet only through Kafka and Cassandra (--bus kafka --store cassandra). With all, this
      process is the controller: it starts every other role as its own process, restarts one that dies (with
      backoff), replaces a tracker make-before-break when the keywords change, sizes the classifiers from the
      consumer lag, and serves the UI and API of all of them on --port. --orchestrator kubernetes makes the
      controller (run alone) create Deployments through the Kubernetes API instead (deploy/kubernetes).
      Every process serves /healthz, /readyz and /metrics (Prometheus); SIGTERM drains work in hand before exit.

  vigil status [--url http://127.0.0.1:8080] [--data DIR] [--json]
      The processes 'vigil run' supervises: role, state, pid, restarts; and the controller's plan and lag.

  vigil login [--url http://127.0.0.1:8080] [--data DIR]
      Prints a new one-time sign-in link for the browser (Vigil prints one at every start too).

  The commands that talk to a running Vigil (status, login, import) send VIGIL_TOKEN, else the API token Vigil
  wrote for its owner into <data>/cli-token (--data, VIGIL_DATA or ./vigil-data).

  vigil classify --events events.json [--rejects FILE] [--no-raw] [FILE ...]
      Classifies archived JSON lines of any supported format (stdin when no FILE; .gz read transparently). Prints one JSON row
      per (event, post) match on stdout and a summary on stderr: lines, posts, rows, rejected, other.
      events.json is [{"name": "...", "keywords": ["...", ...]}]. Lines that are not posts are kept with their
      reason in the rejects file (default vigil-rejects.jsonl). --no-raw leaves the original JSON out of the rows.

  vigil import FILE... [--url URL | --data DIR] [--rate N]
      Feeds archives through the pipeline as if live: JSON lines of Twitter v1.1, X API v2 (stream messages, twarc2
      pages), Bluesky Jetstream or Mastodon, gzip or not, the format told per line. Goes to the Vigil answering at
      --url (or VIGIL_URL, or 127.0.0.1:8080), uploading each file to its import folder, else opens --data (default
      ./vigil-data) itself. Shows a progress bar with posts/s and the time left; a file already imported is not sent
      again.

  vigil bench [--quick] [--only ingest,matcher,queries,handover,distributed,spark] [--out BENCHMARKS.md] [--work DIR]
      Measures ingest (end to end, with the JSON.parse limit beside it), the matcher, the thesis's word count,
      event-page query latency and keyword-change handover on this machine; prints a table and writes it to --out.
      Generated data is kept in --work (default: the system temp dir) so later runs start faster.

  vigil backup [--data ./vigil-data] [--out vigil-backup-DATE.tar.gz]
      Copies a stopped embedded installation (database, log, offsets, replay progress) into one .tar.gz with a
      SHA-256 of every file.
  vigil restore FILE [--data ./vigil-data] [--force]
      Checks every file of a backup, then puts it in place of the data directory (which must be empty or missing,
      unless --force).

  vigil help | --help      this text
  vigil version | --version

Settings of 'vigil start' and 'vigil run' (flag, environment variable; a flag wins over the environment, which wins
over a --config file: JSON {"bus": "kafka", ...} or lines VIGIL_BUS=kafka):
${configTable}

Keyword matching follows Twitter's 'track': a phrase matches when all its words occur in the post (any order,
any case, whole words, hashtags, @mentions and link domains included); words in Chinese, Japanese or Thai match
inside the text. Docs: README.md.
`;

/** The settings given as flags, and the same as VIGIL_* variables (what the processes `vigil run` starts inherit). */
function configFlags(argv: string[]): { flags: Partial<Record<keyof Config, string>>; env: NodeJS.ProcessEnv } {
  const { values } = parseArgs({
    args: argv,
    options: { config: { type: 'string' }, ...Object.fromEntries(CONFIG_ENTRIES.map((e) => [e.flag.slice(2), { type: 'string' as const }])) },
    allowPositionals: false,
    strict: true,
  });
  const flags: Partial<Record<keyof Config, string>> = {};
  // A --config file sits between the defaults and the environment; the processes `vigil run` starts inherit it.
  const env: NodeJS.ProcessEnv = {};
  if (typeof values.config === 'string') {
    let text: string;
    try {
      text = readFileSync(values.config, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --config ${values.config}: ${(err as Error).message}`);
    }
    for (const [k, v] of Object.entries(parseConfigFile(text, values.config))) {
      if (process.env[k] === undefined || process.env[k] === '') {
        process.env[k] = v;
        env[k] = v;
      }
    }
  }
  for (const e of CONFIG_ENTRIES) {
    const v = (values as Record<string, string | undefined>)[e.flag.slice(2)];
    if (typeof v === 'string') {
      flags[e.key] = v;
      env[e.env] = v;
    }
  }
  return { flags, env };
}

async function start(argv: string[]): Promise<number> {
  const config = loadConfig(configFlags(argv).flags);
  const log = createLogger({ json: config.logFormat === 'json' });
  const { startEmbedded } = await import('../runtime/embedded.js');
  return untilSignal(await startEmbedded(config, log), log);
}

async function run(argv: string[]): Promise<number> {
  const { flags, env } = configFlags(argv);
  const config = loadConfig(flags);
  const log = createLogger({ json: config.logFormat === 'json', proc: process.env.VIGIL_PROCESS_ID || undefined });
  const { startRun } = await import('../runtime/run.js');
  return untilSignal(await startRun(config, { ...process.env, ...env, VIGIL_DATA: config.dataDir }, log), log);
}

/** Runs until SIGINT/SIGTERM, then drains: stops collection, finishes the batch in hand, closes. */
async function untilSignal(runtime: { close(): Promise<void> }, log: ReturnType<typeof createLogger>): Promise<number> {
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        log.warn('second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      log.info(`${signal}: stopping (finishing the batch in hand; press Ctrl-C again to force)`);
      runtime.close().then(resolve, (err: Error) => {
        log.error('clean shutdown failed', { reason: err.message });
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  log.info('stopped');
  return 0;
}

interface ProcessRow {
  id: string;
  role: string;
  state: string;
  pid: number | null;
  restarts: number;
  startedAt: string | null;
  detail?: string;
}

async function status(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false, strict: true });
  const { callVigil, vigilUrl } = await import('./remote.js');
  const url = vigilUrl(values.url);
  const res = await callVigil(url, '/api/processes', { dataDir: values.data });
  if (res.status === 404) {
    const s = (await (await callVigil(url, '/api/status', { dataDir: values.data })).json()) as { mode?: string; classifier?: { lag?: number } };
    process.stdout.write(values.json ? `${JSON.stringify(s)}\n` : `one process (${s.mode ?? 'embedded'}); classifier lag ${s.classifier?.lag ?? '?'}; no role processes to show (they run apart only with 'vigil run')\n`);
    return 0;
  }
  if (!res.ok) throw new Error(`${url}/api/processes answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { controller: { orchestrator: string; classifiers: number; lag: number | null; trackers: { id: string; keywords: string[] }[]; lastError: string | null }; processes: ProcessRow[] };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return 0;
  }
  const c = body.controller;
  const rows = [['ID', 'ROLE', 'STATE', 'PID', 'RESTARTS', 'UP SINCE', 'DETAIL'], ...body.processes.map((p) => [p.id, p.role, p.state, String(p.pid ?? '-'), String(p.restarts), p.startedAt ?? '-', p.detail ?? ''])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(`orchestrator ${c.orchestrator} · ${c.trackers.length} tracker connection(s), ${c.trackers.reduce((n, t) => n + t.keywords.length, 0)} keywords · ${c.classifiers} classifier(s) · lag ${c.lag ?? '?'}${c.lastError ? ` · last error: ${c.lastError}` : ''}\n`);
  for (const r of rows) process.stdout.write(`${r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd()}\n`);
  return 0;
}

/** `vigil login`: a new one-time sign-in link for the browser, from the local CLI's token. */
async function login(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { url: { type: 'string' }, data: { type: 'string' } }, allowPositionals: false, strict: true });
  const { callVigil, vigilUrl } = await import('./remote.js');
  const url = vigilUrl(values.url);
  const res = await callVigil(url, '/api/auth/links', { method: 'POST', dataDir: values.data });
  if (!res.ok) throw new Error(`${url} refused a sign-in link: ${res.status} ${await res.text()}`);
  const { path } = (await res.json()) as { path: string };
  process.stdout.write(`${url}${path}\n`);
  process.stderr.write('open it in your browser: it signs you in once, within the hour\n');
  return 0;
}

async function classify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, rejects: { type: 'string' }, 'no-raw': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (!values.events) throw new UsageError('vigil classify needs --events events.json ([{"name": "...", "keywords": ["...", ...]}])');
  return runClassify({ eventsFile: values.events, inputs: positionals, rejectsFile: values.rejects ?? 'vigil-rejects.jsonl', raw: !values['no-raw'] });
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { url: { type: 'string' }, data: { type: 'string' }, rate: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length === 0) throw new UsageError('vigil import needs at least one file: vigil import archive.jsonl[.gz] ... [--url URL | --data DIR] [--rate N]');
  const rate = Number(values.rate ?? 0);
  if (!Number.isFinite(rate) || rate < 0) throw new UsageError('--rate must be a number of lines per second (0: as fast as possible)');
  const { runImport } = await import('./import.js');
  return runImport({ files: positionals, url: values.url ?? null, dataDir: values.data ?? null, rate, write: (m) => process.stderr.write(m), tty: process.stderr.isTTY === true });
}

async function bench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' }, work: { type: 'string' } },
    allowPositionals: false,
    strict: true,
  });
  const { runBench, BENCH_SECTIONS } = await import('../bench/run.js');
  const only = values.only ? values.only.split(',').map((x) => x.trim()) : null;
  const unknown = only?.filter((x) => !BENCH_SECTIONS.includes(x)) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCH_SECTIONS.join(', ')}`);
  const md = await runBench({
    workDir: values.work ?? join(tmpdir(), 'vigil-bench'),
    out: values.out ?? null,
    quick: values.quick ?? false,
    only,
    command: `vigil bench ${argv.join(' ')}`.trim(),
    progress: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(md);
  return 0;
}

async function backupCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, out: { type: 'string' } }, allowPositionals: false, strict: true });
  const { backup } = await import('./backup.js');
  ownerOnlyFromNowOn(); // a backup holds the signing key and every account: its owner's only
  const out = values.out ?? `vigil-backup-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.tar.gz`;
  const m = await backup(values.data ?? process.env.VIGIL_DATA ?? './vigil-data', out, VERSION, (msg) => process.stderr.write(`${msg}\n`));
  process.stderr.write(`backup written to ${out}: ${m.files.length} files\n`);
  return 0;
}

async function restoreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { data: { type: 'string' }, force: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('vigil restore needs the backup file: vigil restore FILE [--data DIR] [--force]');
  const { restore } = await import('./backup.js');
  ownerOnlyFromNowOn();
  await restore(positionals[0], values.data ?? process.env.VIGIL_DATA ?? './vigil-data', values.force ?? false, (msg) => process.stderr.write(`${msg}\n`));
  return 0;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await start(rest);
      case 'run':
        return await run(rest);
      case 'status':
        return await status(rest);
      case 'classify':
        return await classify(rest);
      case 'login':
        return await login(rest);
      case 'import':
        return await importCommand(rest);
      case 'bench':
        return await bench(rest);
      case 'backup':
        return await backupCommand(rest);
      case 'restore':
        return await restoreCommand(rest);
      case 'version':
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      default:
        process.stderr.write(`vigil: unknown command "${command}"; run 'vigil --help' for the commands\n`);
        return 2;
    }
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`vigil: ${(err as Error).message}${usage ? "\nrun 'vigil --help' for usage" : ''}\n`);
    return usage ? 2 : 1;
  }
}
