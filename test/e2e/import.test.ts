// `vigil import`: an archive mixing Twitter v1.1, X v2 (stream message and twarc2 page), Jetstream and Mastodon
// lines, gzipped, with a broken line, goes through the pipeline into the data directory or into a running Vigil,
// with a progress line; each post is stored once per matching event with its platform, and importing again adds
// nothing. An archive cut short is stored up to the cut, and the import says it failed.

import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { BIN, startVigil, waitFor } from '../helpers/vigil-process.js';

const exec = promisify(execFile);
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').trim();
const EVENTS = [
  { name: 'Sandy', keywords: ['sandy', 'flooding'] },
  { name: 'Milton', keywords: ['#milton', 'storm surge'] },
];

/** The broken line's number in the archive. */
const BROKEN_LINE = 7;

function archive(dir: string): string {
  const lines = [
    line(tweet({ id: '1', text: 'sandy is here' })),
    line(tweet({ id: '2', text: 'nothing to see' })),
    fixture('x-v2-stream.json'),
    fixture('twarc2-page.json'),
    fixture('jetstream-post.json'),
    fixture('mastodon-status.json'),
    '{"broken',
  ];
  const file = join(dir, 'mixed.jsonl.gz');
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
  return file;
}

type Rows = { rows: { platform: string; event_name: string; n: number }[] };
const byPlatform = 'SELECT platform, event_name, count(*)::INT AS n FROM tweet GROUP BY ALL ORDER BY platform, event_name';
const expected = [
  { platform: 'bluesky', event_name: 'Milton', n: 1 },
  { platform: 'mastodon', event_name: 'Milton', n: 1 },
  { platform: 'twitter', event_name: 'Sandy', n: 1 },
  { platform: 'x', event_name: 'Sandy', n: 2 },
];

/** A data directory that holds the event Sandy (created through a Vigil, stopped again). */
async function dataDirWithSandy(): Promise<{ dir: string; data: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
  const data = join(dir, 'data');
  const v = await startVigil(['--data', data]);
  expect((await v.api('POST', '/api/events', EVENTS[0])).status).toBe(201);
  expect(await v.stop()).toBe(0);
  return { dir, data };
}

describe('vigil import', () => {
  it('into a data directory: every format, the broken line kept as a reject, a progress line, nothing twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
    const data = join(dir, 'data');
    const first = await startVigil(['--data', data]);
    for (const e of EVENTS) expect((await first.api('POST', '/api/events', e)).status).toBe(201);
    expect(await first.stop()).toBe(0);

    const file = archive(dir);
    const r = await exec(process.execPath, [BIN, 'import', file, '--data', data]);
    expect(r.stderr).toMatch(/mixed\.jsonl\.gz \[#{24}\] 100% 7\/7 lines .* posts\/s ETA/u);
    expect(r.stderr).toMatch(/lines=7 posts=7 rows=5 rejected=1 other=0/u);
    // the rows' terms are counted before it ends, so an event page's first load does not wait for them
    expect(r.stderr).toMatch(/counting terms for the event pages \[0%\] 0\/5 rows/u);
    expect(r.stderr).toMatch(/terms counted: 5 rows in [\d.]+ s/u);
    expect(r.stderr).not.toMatch(/imported before/u);
    const again = await exec(process.execPath, [BIN, 'import', file, '--data', data]);
    expect(again.stderr).toMatch(/rows=0/u);
    expect(again.stderr).not.toMatch(/terms counted/u);
    // the second time says why nothing was added, and what to do to apply events to those posts
    expect(again.stderr).toMatch(/mixed\.jsonl\.gz was imported before \(the same content\): its first 7 lines were sent then and are skipped now/u);
    expect(again.stderr).toContain('Apply to posts already collected');

    const v = await startVigil(['--data', data]);
    try {
      expect((await v.api<Rows>('POST', '/api/query', { sql: byPlatform })).body.rows).toEqual(expected);
      const status = (await v.api<{ rejectsStored: number; termCounts: { rowsToCount: number } }>('GET', '/api/status')).body;
      expect(status.rejectsStored).toBe(1);
      expect(status.termCounts).toEqual({ rowsToCount: 0 });
      // the line kept aside names the archive and its line, as vigil classify does
      expect((await v.api<{ rows: { source: string }[] }>('POST', '/api/query', { sql: 'SELECT source FROM reject' })).body.rows).toEqual([
        { source: `mixed.jsonl.gz:${BROKEN_LINE}` },
      ]);
    } finally {
      await v.stop();
    }
  });

  it('names a missing file or a folder before anything starts, with what to do (exit 2), and creates nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
    const data = join(dir, 'data');
    const r = await exec(process.execPath, [BIN, 'import', join(dir, 'nope.jsonl'), dir, '--data', data]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`nope.jsonl: no such file (looked for ${join(dir, 'nope.jsonl')}; check the path)`);
    expect(r.stderr).toContain(`${dir} is a folder: name the archive files in it`);
    expect(r.stderr).not.toMatch(/ENOENT|EISDIR/u);
    expect(existsSync(data)).toBe(false);
  });

  it('into a running Vigil, through its API', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      for (const e of EVENTS) expect((await v.api('POST', '/api/events', e)).status).toBe(201);
      const file = archive(dir);
      const r = await exec(process.execPath, [BIN, 'import', file, '--url', v.url, '--data', v.dataDir]);
      expect(r.stderr).toMatch(new RegExp(`importing into the Vigil at ${v.url.replace(/[.]/gu, '\\.')}`, 'u'));
      expect(r.stderr).toMatch(/100% 7\/7 lines/u);
      expect((await v.api<Rows>('POST', '/api/query', { sql: byPlatform })).body.rows).toEqual(expected);
      // the same archive under another name is known by its content
      const renamed = join(dir, 'same-posts-renamed.jsonl.gz');
      await copyFile(file, renamed);
      const again = await exec(process.execPath, [BIN, 'import', renamed, '--url', v.url, '--data', v.dataDir]);
      expect(again.stderr).toMatch(/same-posts-renamed\.jsonl\.gz was imported before \(the same content\): its first 7 lines/u);
      expect((await v.api<Rows>('POST', '/api/query', { sql: byPlatform })).body.rows).toEqual(expected);
    } finally {
      await v.stop();
    }
  });

  it('after an import stopped midway, a next one carries it on first, then imports its own file, each post once', async () => {
    const { dir, data } = await dataDirWithSandy();
    const big = join(dir, 'big.jsonl');
    writeFileSync(big, `${Array.from({ length: 6000 }, (_, i) => line(tweet({ id: String(10_000 + i), text: `sandy ${i}` }))).join('\n')}\n`);
    const small = join(dir, 'small.jsonl');
    writeFileSync(small, `${line(tweet({ id: '99', text: 'flooding downtown' }))}\n`);

    // Killed while its replay runs (at 1,500 lines a second, four seconds of it), the first leaves that replay to carry on.
    const killed = spawn(process.execPath, [BIN, 'import', big, '--data', data, '--rate', '1500'], { stdio: 'ignore' });
    const progress = join(data, 'replay-progress.json');
    const published = () => {
      const files = existsSync(progress) ? (JSON.parse(readFileSync(progress, 'utf8')) as { files: Record<string, number> }).files : {};
      return Object.values(files)[0] ?? 0;
    };
    const deadline = Date.now() + 20_000;
    while (published() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('exit', r));
    expect(published()).toBeGreaterThan(0);
    expect(published()).toBeLessThan(6000);

    const r = await exec(process.execPath, [BIN, 'import', small, '--data', data]);
    expect(r.stderr).toMatch(
      new RegExp(`first carrying on the replay an earlier run left: ${big.replace(/[.]/gu, '\\.')}, after its first [\\d,]+ lines`, 'u'),
    );
    expect(r.stderr).toMatch(/small\.jsonl \[#{24}\] 100% 1\/1 lines/u);
    const v = await startVigil(['--data', data]);
    try {
      const n = 'SELECT count(*)::INT AS n, count(DISTINCT t_id)::INT AS posts FROM tweet';
      expect((await v.api<{ rows: { n: number; posts: number }[] }>('POST', '/api/query', { sql: n })).body.rows).toEqual([{ n: 6001, posts: 6001 }]);
    } finally {
      await v.stop();
    }
  });

  it('an archive cut short: stores every whole line before the cut, then fails naming the file and the cut (exit 1)', async () => {
    const { dir, data } = await dataDirWithSandy();
    const posts = Array.from({ length: 3000 }, (_, i) => line(tweet({ id: String(50_000 + i), text: `sandy ${i} ${(i * 7919).toString(36)}` })));
    const whole = gzipSync(`${posts.join('\n')}\n`);
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const readable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
    const before = readable.slice(0, readable.lastIndexOf('\n')).split('\n').length;
    const file = join(dir, 'cut.jsonl.gz');
    writeFileSync(file, cut);

    const r = await exec(process.execPath, [BIN, 'import', file, '--data', data]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    // Vigil's own warnings and errors reach the terminal (a store that keeps failing would say so, as this does)
    expect(r.stderr).toMatch(/ error tracker: replay failed file=\S+cut\.jsonl\.gz reason=reading \S+ failed: unexpected end of file/u);
    expect(r.stderr).toContain(`lines=${before} posts=${before} rows=${before} rejected=0`);
    expect(r.stderr).toContain(
      `import of ${file} failed after ${before.toLocaleString('en-US')} lines, which are stored: reading ${file} failed: unexpected end of file`,
    );
  });

  it('a whole JSON array on one line, larger than the longest line read: one reject that says what to do, the posts around it stored', async () => {
    const { dir, data } = await dataDirWithSandy();
    // About 24 MB on one line (it crashed an embedded import when stored whole as a reject), between two posts.
    const many = Array.from({ length: 30_000 }, (_, i) => line(tweet({ id: String(70_000 + i), text: `sandy ${i}` })));
    const file = join(dir, 'export.json');
    writeFileSync(file, [line(tweet({ id: '1', text: 'sandy before' })), `[${many.join(',')}]`, line(tweet({ id: '2', text: 'sandy after' }))].join('\n'));

    const r = await exec(process.execPath, [BIN, 'import', file, '--data', data]);
    expect(r.stderr).toMatch(/lines=3 posts=2 rows=2 rejected=1 other=0/u);
    const v = await startVigil(['--data', data]);
    try {
      const rejects = (
        await v.api<{ rows: { reason: string; bytes: number }[] }>('POST', '/api/query', {
          sql: 'SELECT reason, strlen(line)::INT AS bytes FROM reject',
        })
      ).body.rows;
      expect(rejects).toHaveLength(1);
      expect(rejects[0].reason).toMatch(
        /; the line was longer than 8 MiB and was cut there; Vigil reads one JSON object per line: turn a JSON array into lines first \(jq -c/u,
      );
      expect(rejects[0].bytes).toBe(8 << 20);
    } finally {
      await v.stop();
    }
  });

  it('says how to use it when no file is given, and names a file it cannot read', async () => {
    const none = await exec(process.execPath, [BIN, 'import']).catch((e: { code: number; stderr: string }) => e);
    expect((none as { code: number }).code).toBe(2);
    expect((none as { stderr: string }).stderr).toMatch(/vigil import needs at least one file/u);
    const missing = await exec(process.execPath, [BIN, 'import', '/nonexistent/archive.jsonl', '--data', await mkdtemp(join(tmpdir(), 'vigil-import-'))]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((missing as { code: number }).code).toBe(2);
    expect((missing as { stderr: string }).stderr).toMatch(/archive\.jsonl/u);
  });

  it('with no event yet: warns that no row is stored, and an event made afterwards is applied to the imported posts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-import-'));
    const data = join(dir, 'data');
    const before = new Date(Date.now() - 1000).toISOString();
    const r = await exec(process.execPath, [BIN, 'import', archive(dir), '--data', data]);
    expect(r.stderr).toMatch(/warning: no active events, so no row will be stored \(the posts are kept in the log\)/u);
    expect(r.stderr).toMatch(/POST \/api\/events\/NAME\/reclassify/u);
    expect(r.stderr).toMatch(/lines=7 posts=7 rows=0/u);
    // As the warning says: the event, then applied to the posts already collected since before the import.
    const v = await startVigil(['--data', data]);
    try {
      expect((await v.api('POST', '/api/events', EVENTS[0])).status).toBe(201);
      expect((await v.api('POST', `/api/events/${EVENTS[0].name}/reclassify`, { since: before })).status).toBe(202);
      await waitFor(
        'the event applied',
        async () => (await v.api<{ state: string }>('GET', `/api/events/${EVENTS[0].name}/reclassify`)).body.state === 'done',
        30_000,
      );
      const got = await v.api<{ rows: { n: number }[] }>('POST', '/api/query', { sql: "SELECT count(*)::INT AS n FROM tweet WHERE event_name = 'Sandy'" });
      expect(got.body.rows[0].n).toBe(3);
    } finally {
      await v.stop();
    }
  });
});
