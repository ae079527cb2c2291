// `vigil classify` as a researcher runs it on archived data: files, gzip, stdin, rejects, clear errors.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { BIN } from '../helpers/vigil-process.js';

let dir: string;
let events: string;
let archive: string;

const run = (args: string[], input?: string | Buffer) => {
  const r = spawnSync(process.execPath, [BIN, 'classify', ...args], { cwd: dir, input });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};
const rowsOf = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
  events = join(dir, 'events.json');
  await writeFile(
    events,
    JSON.stringify([
      { name: 'Sandy', keywords: ['sandy', 'flooding', 'evacuate', 'new york city'] },
      { name: 'FEMA', keywords: ['fema.gov', 'fema'] },
    ]),
  );
  archive = [
    line(tweet({ id: '1', text: 'Flooding in the City of New York.' })),
    line(tweet({ id: '2', text: 'the floods came #newflood' })),
    line(tweet({ id: '3', text: 'help https://t.co/x', urls: [{ expanded: 'https://www.fema.gov/x' }] })),
    line(tweet({ id: '4', text: '"Sandy" says @FEMA', mentions: ['FEMA'] })),
    '{"delete":{"status":{"id":5,"id_str":"5"}}}',
    'not json at all',
    '',
    line(tweet({ id: '6', text: 'nothing to see' })),
  ].join('\n');
});

describe('vigil classify', () => {
  it('prints one row per (event, post) match and a one-line summary', () => {
    const r = run(['--events', events, '-'], archive);
    expect(r.code).toBe(0);
    const rows = rowsOf(r.stdout);
    expect(rows.map((x) => [x.t_id, x.event_name, x.event_kw])).toEqual([
      ['1', 'Sandy', ['flooding', 'new york city']],
      ['3', 'FEMA', ['fema.gov']],
      ['4', 'Sandy', ['sandy']],
      ['4', 'FEMA', ['fema']],
    ]);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lines=7 posts=5 rows=4 rejected=1 other=1/);
  });

  it('reads stdin when no file is given, and gzip transparently (file or stdin)', async () => {
    const gz = join(dir, 'archive.jsonl.gz');
    await writeFile(gz, gzipSync(archive));
    const plain = join(dir, 'archive.jsonl');
    await writeFile(plain, archive);
    const fromStdin = run(['--events', events], archive);
    const fromGz = run(['--events', events, gz]);
    const fromGzStdin = run(['--events', events], gzipSync(archive));
    const two = run(['--events', events, plain, gz]);
    expect(rowsOf(fromGz.stdout).map((x) => x.t_id)).toEqual(rowsOf(fromStdin.stdout).map((x) => x.t_id));
    expect(rowsOf(fromGzStdin.stdout)).toHaveLength(4);
    expect(rowsOf(two.stdout)).toHaveLength(8);
    expect(two.stderr).toMatch(/^lines=14 posts=10 rows=8 rejected=2 other=2/);
  });

  it('keeps each rejected line with its reason and where it was', async () => {
    const rejects = join(dir, 'rej.jsonl');
    const r = run(['--events', events, '--rejects', rejects], archive);
    expect(r.code).toBe(0);
    const kept = (await readFile(rejects, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(kept).toEqual([{ source: 'stdin:6', reason: expect.stringMatching(/^invalid JSON/), line: 'not json at all' }]);
    expect(r.stderr).toContain('rejects kept in');
  });

  it('rejects a line that is not UTF-8 (from a file or stdin) with what to do, instead of storing its text garbled', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${archive.trim()}\n`, 'utf8'), Buffer.from('{"text":"sandy à Paris","id_str":"9"}\n', 'latin1')]);
    const file = join(dir, 'latin1.jsonl');
    await writeFile(file, latin1);
    for (const [args, input, source] of [
      [[file], undefined, `${file}:9`],
      [[], latin1, 'stdin:9'],
    ] as const) {
      const rejects = join(dir, `rej-${source.length}.jsonl`);
      const r = run(['--events', events, '--rejects', rejects, ...args], input);
      expect(r.stderr).toMatch(/^lines=8 posts=5 rows=4 rejected=2 other=1/);
      const kept = (await readFile(rejects, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { source: string; reason: string });
      expect(kept.at(-1)).toMatchObject({ source, reason: expect.stringMatching(/^not UTF-8 text \(a Latin-1 or Windows-1252 file\?\)/u) });
    }
  });

  it('--no-raw leaves the original JSON out; by default it is kept', () => {
    expect(rowsOf(run(['--events', events], archive).stdout)[0].raw).toBeTypeOf('string');
    expect(rowsOf(run(['--events', events, '--no-raw'], archive).stdout)[0]).not.toHaveProperty('raw');
  });

  it('fails with a clear message for an unreadable file', () => {
    const r = run(['--events', events, join(dir, 'missing.jsonl')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot read .*missing\.jsonl: no such file/);
  });

  it('fails with a clear message, before printing any row, when the rejects file cannot be written', () => {
    for (const [path, why] of [
      [join(dir, 'no-such-folder', 'rej.jsonl'), 'no such folder'],
      [dir, 'it is a folder'],
    ]) {
      const r = run(['--events', events, '--rejects', path], archive);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`cannot write the rejects file ${path} (${why}); give --rejects a file in a folder you can write`);
      expect(r.stderr).not.toMatch(/Unhandled|at .*\.js:\d+/u);
      expect(r.stdout).toBe('');
    }
  });

  it('fails with a clear message for an invalid events file', async () => {
    const bad = join(dir, 'bad-events.json');
    await writeFile(bad, JSON.stringify([{ name: 'x', keywords: [] }]));
    const r = run(['--events', bad], archive);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/invalid events file .*\[0\]\.keywords: must hold at least 1 phrase/);
    await writeFile(bad, '{not json');
    expect(run(['--events', bad], archive).stderr).toMatch(/not valid JSON/);
    expect(run([], archive).stderr).toMatch(/needs --events/);
  });
});
