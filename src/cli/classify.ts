// `vigil classify --events events.json [FILE ...]`: the classifier offline, for archived data.
// Rows go to stdout as JSON lines, rejects to a JSONL file with their reasons, a one-line summary to stderr.

import { once } from 'node:events';
import { constants } from 'node:fs';
import { access, type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { classifyLineBytes, countOutcome, emptyCounts } from '../core/classify.js';
import { errorMessage, UsageError, ValidationError } from '../core/errors.js';
import { parseEventsFile } from '../core/event.js';
import { Matcher } from '../core/matcher.js';
import { lineBytesOf, openLineBytes } from '../util/lines.js';

export interface ClassifyArgs {
  eventsFile: string;
  inputs: string[];
  rejectsFile: string;
  raw: boolean;
}

export async function loadEvents(path: string): Promise<Matcher> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the events file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the events file ${path} is not valid JSON (${errorMessage(err)}); expected [{"name": "...", "keywords": ["...", ...]}]`);
  }
  try {
    return new Matcher(parseEventsFile(json, new Date().toISOString()));
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`invalid events file ${path}: ${err.message}`);
    throw err;
  }
}

/** Standard input, gunzipped when it starts with gzip's magic bytes. */
async function stdinLines(): Promise<AsyncIterable<Buffer>> {
  const stdin = process.stdin;
  const first: Buffer | null = await new Promise((resolve, reject) => {
    const onReadable = (): void => {
      cleanup();
      resolve(stdin.read() as Buffer | null);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      stdin.off('readable', onReadable);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
    };
    stdin.on('readable', onReadable);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
  });
  if (first === null) return lineBytesOf(Readable.from([]), 'standard input');
  stdin.unshift(first);
  const gz = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  return lineBytesOf(gz ? stdin.pipe(createGunzip()) : stdin, 'standard input', stdin);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

const cannotWrite = (path: string, err: unknown): UsageError => {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : errorMessage(err);
  return new UsageError(`cannot write the rejects file ${path} (${why}); give --rejects a file in a folder you can write`);
};

/** Fails before any line is read when the rejects file could not be written (it is made at the first reject). */
async function checkWritable(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    await access(path, constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(path, err);
    await access(dirname(path), constants.W_OK).catch((e: unknown) => {
      throw cannotWrite(path, e);
    });
  }
}

/** The rejects file, appended to in blocks; a failed write is an error that says which file, not a crash. */
class RejectsFile {
  private handle: FileHandle | null = null;
  private pending = '';
  constructor(private readonly path: string) {}

  async add(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length > 1 << 16) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    try {
      this.handle ??= await open(this.path, 'a');
      await this.handle.write(this.pending);
    } catch (err) {
      throw cannotWrite(this.path, err);
    }
    this.pending = '';
  }
}

export async function runClassify(args: ClassifyArgs, stdout: Writable = process.stdout, stderr: Writable = process.stderr): Promise<number> {
  const matcher = await loadEvents(args.eventsFile);
  for (const f of args.inputs.filter((i) => i !== '-')) {
    try {
      await access(f, constants.R_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`cannot read ${f}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : errorMessage(err)}`);
    }
  }
  await checkWritable(args.rejectsFile);
  const counts = emptyCounts();
  const rejects = new RejectsFile(args.rejectsFile);
  const collectedAt = new Date().toISOString();
  const sources = args.inputs.length > 0 ? args.inputs : ['-'];
  for (const name of sources) {
    const lines = name === '-' ? await stdinLines() : await openLineBytes(name);
    const label = name === '-' ? 'stdin' : name;
    let lineNo = 0;
    let buffered = '';
    for await (const bytes of lines) {
      lineNo++;
      const { text: line, outcome } = classifyLineBytes(bytes, matcher, collectedAt);
      countOutcome(counts, outcome);
      if (outcome.kind === 'post') {
        for (const row of outcome.rows) buffered += `${JSON.stringify(args.raw ? row : { ...row, raw: undefined })}\n`;
        if (buffered.length > 1 << 16) {
          await write(stdout, buffered);
          buffered = '';
        }
      } else if (outcome.kind === 'reject') {
        await rejects.add(`${JSON.stringify({ source: `${label}:${lineNo}`, reason: outcome.reason, line })}\n`);
      }
    }
    if (buffered !== '') await write(stdout, buffered);
  }
  await rejects.close();
  const kept = counts.rejected > 0 ? ` (rejects kept in ${args.rejectsFile})` : '';
  const limited = counts.limited > 0 ? ` limited=${counts.limited}` : '';
  stderr.write(`lines=${counts.lines} posts=${counts.posts} rows=${counts.rows} rejected=${counts.rejected} other=${counts.other}${limited}${kept}\n`);
  return 0;
}
