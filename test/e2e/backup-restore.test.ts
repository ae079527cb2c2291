// `vigil backup` and `vigil restore` of an embedded installation: refuses a running one, restores a stopped one
// exactly (events, rows, notebooks, where replays stopped), and refuses a damaged archive.

import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { BIN, startVigil, waitFor } from '../helpers/vigil-process.js';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
};

describe('backup and restore', () => {
  it('restores a stopped installation exactly and refuses a running one or a damaged archive', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-backup-'));
    const data = join(dir, 'data');
    const file = join(dir, 'posts.jsonl');
    await writeFile(file, [...Array.from({ length: 300 }, (_, i) => line(tweet({ id: String(i), text: i % 2 ? 'sandy' : 'flood' }))), '{bad'].join('\n'));
    let v = await startVigil(['--data', data]);
    await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] });
    await v.api('PUT', '/api/notebooks/Mine', { cells: [{ sql: 'SELECT 42', view: 'table' }] });
    await v.replay(file);
    await waitFor('rows', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 150);

    const archive = join(dir, 'backup.tar.gz');
    const running = cli('backup', '--data', data, '--out', archive);
    expect(running.code).not.toBe(0);
    expect(running.stderr).toMatch(/is running on .*stop it/);
    // restoring over the running installation names the process and the exact command to run once it is stopped
    const over = cli('restore', archive, '--data', data, '--force');
    expect(over.code).not.toBe(0);
    expect(over.stderr).toContain(`is running on ${data}, so nothing was replaced`);
    expect(over.stderr).toMatch(/kill \d+\), then run: vigil restore \S+backup\.tar\.gz --data \S+ --force/u);
    expect(await v.stop()).toBe(0);

    expect(cli('backup', '--data', data, '--out', archive).code).toBe(0);
    // restored elsewhere, the old data directory gone (another machine): the replayed file is the backup's copy
    await rename(data, join(dir, 'gone'));
    const restored = join(dir, 'restored');
    const done = cli('restore', archive, '--data', restored);
    expect(done.code).toBe(0);
    // the backup was made after a replay: restoring says the next start carries it on, and the start says it does
    expect(done.stderr).toContain(
      `the backup was made during or after a replay of ${join(restored, 'imports', 'posts.jsonl')} (the backup's copy, in the restored import folder): the next vigil start carries it on`,
    );
    const again = cli('restore', archive, '--data', restored);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/is not empty.*--force/);

    v = await startVigil(['--data', restored]);
    expect(v.log()).toContain(`carrying on the replay of ${join(restored, 'imports', 'posts.jsonl')} after its first 301 lines`);
    expect(v.log()).toMatch(
      /carrying on the replay of \S+posts\.jsonl after its first 301 lines \(this data directory was restored from a backup made at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, during or after that replay\)/u,
    );
    expect((await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count).toBe(150);
    expect((await v.api<{ name: string }[]>('GET', '/api/events')).body.map((e) => e.name)).toEqual(['Sandy']);
    expect((await v.api<{ cells: { sql: string }[] }>('GET', '/api/notebooks/Mine')).body.cells[0].sql).toBe('SELECT 42');
    expect((await v.api<{ rejectsStored: number }>('GET', '/api/status')).body.rejectsStored).toBe(1);
    // the restored installation knows the file was replayed in full: replaying it again adds nothing, and says so
    expect((await v.replay(file)).body).toMatchObject({ alreadyPublished: 301 });
    await waitFor(
      'replay done',
      async () => (await v.api<{ tracker: { source: { state: string } } }>('GET', '/api/status')).body.tracker.source.state === 'finished',
    );
    expect((await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count).toBe(150);
    expect(await v.stop()).toBe(0);

    // a damaged archive: one byte of a file changed inside it
    const tarBytes = gunzipSync(await readFile(archive));
    const at = tarBytes.indexOf(Buffer.from('replay-progress.json'));
    const body = tarBytes.indexOf(Buffer.from('{'), at + 512);
    tarBytes[body + 1] = tarBytes[body + 1] === 0x22 ? 0x27 : 0x22;
    const damaged = join(dir, 'damaged.tar.gz');
    await writeFile(damaged, gzipSync(tarBytes));
    const bad = cli('restore', damaged, '--data', join(dir, 'never'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/the backup is damaged: \S+ does not match its checksum; nothing was restored/);
  });
});
