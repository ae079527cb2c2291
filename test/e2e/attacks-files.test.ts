// No file of the server is readable through the API, and what Vigil keeps on disk is its owner's only: replays read
// only from the import folder (real paths, symbolic links followed), the accounts live in a database user SQL cannot
// reach, exported CSV cannot run formulas, and backups and restores neither leak nor write what they should not.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { create as tarCreate } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { BIN, startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const exec = promisify(execFile);

describe('files of the server', () => {
  let v: VigilProcess;
  let dir: string;
  let viewer: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-files-'));
    v = await startVigil(['--data', join(dir, 'data')]);
    expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] })).status).toBe(201);
    viewer = (await v.api<{ token: string }>('POST', '/api/tokens', { label: 'viewer', role: 'viewer' })).body.token;
  });
  afterAll(async () => {
    await v.stop();
  });

  it('refuses to replay any file outside the import folder, saying where files go', async () => {
    const imports = join(v.dataDir, 'imports');
    await mkdir(imports, { recursive: true });
    await symlink(join(v.dataDir, 'secret.key'), join(imports, 'key-link.jsonl'));
    await symlink('/etc', join(imports, 'etc-link'));
    for (const file of [
      '/etc/passwd',
      join(v.dataDir, 'secret.key'),
      '../secret.key',
      '../../../../etc/hostname',
      'key-link.jsonl',
      'etc-link/passwd',
      `${imports}/../secret.key`,
      join(v.dataDir, 'cli-token'),
    ]) {
      const r = await v.api<{ error: string }>('POST', '/api/replay', { file });
      expect(r.status, file).toBe(403);
      expect(r.body.error, file).toMatch(/import folder/);
    }
    await new Promise((r) => setTimeout(r, 500));
    const rejects = await v.api<{ rows: { n: number }[] }>('POST', '/api/query', { sql: 'SELECT count(*) AS n FROM reject' });
    expect(rejects.body.rows[0].n).toBe(0);
  });

  it('uploads only under a plain file name, and only for those who may start sources', async () => {
    for (const name of ['..%2Fsecret.key', '.hidden', 'a%2Fb.jsonl', '%2E%2E']) {
      const r = await v.fetch(`/api/imports/${name}`, { method: 'PUT', body: 'x' });
      expect([400, 404], name).toContain(r.status);
    }
    expect((await v.fetch('/api/imports/ok.jsonl', { method: 'PUT', body: 'x' }, viewer)).status).toBe(403);
    expect((await v.fetch('/api/imports', {}, viewer)).status).toBe(403);
    const posts = join(dir, 'posts.jsonl');
    await writeFile(posts, `${Array.from({ length: 5 }, (_, i) => line(tweet({ id: String(i + 1), text: `sandy ${i}` }))).join('\n')}\n`);
    expect((await v.replay(posts)).status).toBe(202);
    await waitFor('the upload stored', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 5);
    // the same bytes again are fine; other bytes under the same name are refused
    expect(await v.upload(posts)).toBe('posts.jsonl');
    expect((await v.fetch('/api/imports/posts.jsonl', { method: 'PUT', body: 'other bytes' })).status).toBe(409);
  });

  it('keeps the accounts where no query can name or attach them', async () => {
    for (const sql of [
      'SELECT * FROM vigil_user',
      'SELECT * FROM vigil_token',
      'SELECT * FROM vigil_credential',
      'SELECT * FROM vigil_audit',
      'SELECT * FROM vigil_session',
      'SELECT * FROM vigil_notebook',
      'SELECT * FROM accounts.vigil_user',
      `ATTACH '${join(v.dataDir, 'accounts.duckdb')}' AS a`,
    ])
      expect((await v.api('POST', '/api/query', { sql })).status, sql).toBe(403);
    const tables = await v.api('POST', '/api/query', { sql: "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'vigil_%'" });
    expect(tables.status).toBe(403);
  });

  it('exports CSV cells that a spreadsheet would run as formulas with a leading apostrophe', async () => {
    const texts = ['=HYPERLINK("http://evil.example/x","sandy")', "+cmd|' /C calc'!A0 sandy", '-2+3 sandy', '@SUM(1+1) sandy', '\t=1+1 sandy'];
    const file = join(dir, 'formulas.jsonl');
    await writeFile(file, `${texts.map((t, i) => line(tweet({ id: String(100 + i), text: t, screenName: i === 0 ? '=evil' : 'ok' }))).join('\n')}\n`);
    expect((await v.replay(file)).status).toBe(202);
    await waitFor('the formulas stored', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 10);
    const csv = await (await v.fetch('/api/events/Sandy/export?format=csv')).text();
    for (const t of texts) {
      expect(csv).not.toMatch(new RegExp(`(^|,)"?${t.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&').replace(/"/gu, '""')}`, 'mu'));
      expect(csv).toContain(`'${t.replace(/"/gu, '""')}`);
    }
    expect(csv).toContain("'=evil");
  });

  it('keeps the data directory and every file in it for its owner only', async () => {
    expect((await stat(v.dataDir)).mode & 0o777).toBe(0o700);
    for (const f of ['vigil.duckdb', 'accounts.duckdb', 'secret.key', 'cli-token', join('bus', 'vigil.raw.log')])
      expect((await stat(join(v.dataDir, f))).mode & 0o777, f).toBe(0o600);
  });
});

describe('backups and restores', () => {
  let data: string;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vigil-restore-attack-'));
    data = join(work, 'data');
    const v = await startVigil(['--data', data]);
    await v.stop();
  });

  it('writes backups only its owner can read', async () => {
    const out = join(work, 'backup.tar.gz');
    await exec(process.execPath, [BIN, 'backup', '--data', data, '--out', out]);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });

  it('refuses an archive holding files its manifest does not list (at the top or in a folder), and leaves no staging folder behind', async () => {
    for (const extra of ['evil.sh', 'bus/extra.log']) {
      const staged = await mkdtemp(join(work, 'forge-'));
      await writeFile(join(staged, 'vigil-backup.json'), JSON.stringify({ format: 1, vigilVersion: 'x', createdAt: 'x', files: [] }));
      await mkdir(join(staged, 'bus'), { recursive: true });
      await writeFile(join(staged, extra), 'not listed');
      const archive = join(work, `forged-${extra.replace('/', '_')}.tar.gz`);
      await tarCreate({ gzip: true, file: archive, cwd: staged }, ['vigil-backup.json', extra]);
      const target = join(work, `restored-${extra.replace('/', '_')}`);
      const r = await exec(process.execPath, [BIN, 'restore', archive, '--data', target]).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code, extra).toBe(1);
      expect((r as { stderr: string }).stderr).toMatch(/does not list|not a readable/);
      await expect(stat(target)).rejects.toThrow();
    }
    expect((await readdir(work)).filter((n) => n.startsWith('.vigil-restore-'))).toEqual([]);
  });

  it('--force replaces only a Vigil data directory, never another folder', async () => {
    const out = join(work, 'backup2.tar.gz');
    await exec(process.execPath, [BIN, 'backup', '--data', data, '--out', out]);
    for (const [name, files] of [
      ['documents', ['thesis.tex']],
      ['home', ['.bashrc', 'notes.txt']],
    ] as const) {
      const other = join(work, name);
      await mkdir(other, { recursive: true });
      for (const f of files) await writeFile(join(other, f), 'precious');
      const r = await exec(process.execPath, [BIN, 'restore', out, '--data', other, '--force']).catch((e: { code: number; stderr: string }) => e);
      expect((r as { code: number }).code).toBe(1);
      expect((r as { stderr: string }).stderr).toMatch(/not a Vigil data directory/);
      expect((await readdir(other)).sort()).toEqual([...files].sort());
    }
  });
});
