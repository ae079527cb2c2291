// The `vigil` command: picks a subcommand and parses its flags.

import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_ENTRIES, loadConfig, type Config } from '../config.js';
import { createLogger } from '../util/log.js';
import { runClassify, UsageError } from './classify.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const configTable = CONFIG_ENTRIES.map((e) => `  ${e.flag.padEnd(20)} ${e.env.padEnd(24)} ${e.doc} (default ${e.default})`).join('\n');

export const HELP = `vigil ${VERSION}: collect social-media posts for crisis events, classify, store and query them.

Usage:
  vigil start [--port 8080] [--data ./vigil-data] [--replay FILE [--rate N]]
      Runs every role in one process (embedded mode): the events API, the tracker, the classifier and the
      query API, keeping everything under the data directory. Ctrl-C stops it; a restart resumes where it stopped.

  vigil classify --events events.json [--rejects FILE] [--no-raw] [FILE ...]
      Classifies archived Twitter v1.1 JSON lines (stdin when no FILE; .gz read transparently). Prints one JSON row
      per (event, post) match on stdout and a summary on stderr: lines, posts, rows, rejected, other.
      events.json is [{"name": "...", "keywords": ["...", ...]}]. Lines that are not posts are kept with their
      reason in the rejects file (default vigil-rejects.jsonl). --no-raw leaves the original JSON out of the rows.

  vigil bench [--quick] [--only ingest,matcher,queries,handover,distributed] [--out BENCHMARKS.md] [--work DIR]
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

Settings of 'vigil start' (flag, environment variable; a flag wins over the environment):
${configTable}

Keyword matching follows Twitter's 'track': a phrase matches when all its words occur in the post (any order,
any case, whole words, hashtags, @mentions and link domains included); words in Chinese, Japanese or Thai match
inside the text. Docs: README.md.
`;

async function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(CONFIG_ENTRIES.map((e) => [e.flag.slice(2), { type: 'string' as const }])),
    allowPositionals: false,
    strict: true,
  });
  const flags: Partial<Record<keyof Config, string>> = {};
  for (const e of CONFIG_ENTRIES) {
    const v = values[e.flag.slice(2)];
    if (typeof v === 'string') flags[e.key] = v;
  }
  const config = loadConfig(flags);
  const log = createLogger({ json: config.logFormat === 'json' });
  const { startEmbedded } = await import('../runtime/embedded.js');
  const runtime = await startEmbedded(config, log);
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
  const out = values.out ?? `vigil-backup-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.tar.gz`;
  const m = await backup(values.data ?? process.env.VIGIL_DATA ?? './vigil-data', out, VERSION, (msg) => process.stderr.write(`${msg}\n`));
  process.stderr.write(`backup written to ${out}: ${m.files.length} files\n`);
  return 0;
}

async function restoreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { data: { type: 'string' }, force: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('vigil restore needs the backup file: vigil restore FILE [--data DIR] [--force]');
  const { restore } = await import('./backup.js');
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
      case 'classify':
        return await classify(rest);
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
