// `vigil backup` and `vigil restore`: an embedded installation (its data directory) to one .tar.gz and back.
// Taken while Vigil is stopped, so the database, the log and the offsets are consistent with each other; every
// file's SHA-256 is in the archive's manifest and checked on restore.

import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { errorMessage, UsageError, VigilError } from '../core/errors.js';
import { utcText } from '../core/time-text.js';
import { holderOf } from '../util/data-lock.js';
import { sha256OfFile } from '../util/file-hash.js';
import { RESTORED_MARKER, type RestoredNote } from '../util/restored-marker.js';

export const MANIFEST = 'vigil-backup.json';

interface Manifest {
  format: 1;
  vigilVersion: string;
  createdAt: string;
  files: { path: string; bytes: number; sha256: string }[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTDIR')
      throw new UsageError(`cannot restore into ${dir}: a file is in the way (it or a folder above it is a file); give --data a folder to create`);
    throw err;
  }
}

/** Fails with what to do when the directory holds no Vigil installation, or a Vigil process holds it. */
async function assertStopped(dataDir: string): Promise<void> {
  try {
    await stat(join(dataDir, 'vigil.duckdb'));
  } catch {
    throw new VigilError('VIGIL_USAGE', `${dataDir} holds no Vigil installation (no vigil.duckdb); pass the directory given to vigil start --data`);
  }
  const pid = await holderOf(dataDir);
  if (pid !== null)
    throw new VigilError(
      'VIGIL_IN_USE',
      `Vigil (process ${pid}) is running on ${dataDir}; stop it (Ctrl-C) and run this again, so that the copy is consistent`,
    );
}

export async function backup(dataDir: string, outFile: string, version: string, progress: (m: string) => void): Promise<Manifest> {
  const data = resolve(dataDir);
  await assertStopped(data);
  const files = (await filesUnder(data)).filter((f) => !f.endsWith('.tmp'));
  const manifest: Manifest = { format: 1, vigilVersion: version, createdAt: new Date().toISOString(), files: [] };
  for (const f of files) {
    manifest.files.push({ path: relative(data, f), bytes: (await stat(f)).size, sha256: await sha256OfFile(f) });
  }
  await writeFile(join(data, MANIFEST), JSON.stringify(manifest, null, 2));
  try {
    const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
    progress(`backing up ${manifest.files.length} files (${(total / 2 ** 20).toFixed(1)} MiB) from ${data} …`);
    await mkdir(dirname(resolve(outFile)), { recursive: true });
    await tarCreate({ gzip: true, file: resolve(outFile), cwd: data, portable: true }, [MANIFEST, ...manifest.files.map((f) => f.path)]);
  } finally {
    await rm(join(data, MANIFEST), { force: true });
  }
  return manifest;
}

/** True when `dir` looks like what Vigil keeps under --data (so --force may replace it). */
async function isVigilDataDir(dir: string): Promise<boolean> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  return names.has('vigil.duckdb') || names.has('accounts.duckdb') || (names.has('bus') && names.has('secret.key'));
}

export async function restore(archive: string, dataDir: string, force: boolean, progress: (m: string) => void): Promise<Manifest> {
  const target = resolve(dataDir);
  if (!(await isEmptyOrMissing(target))) {
    if (!force) throw new Error(`${target} is not empty; restore into a new directory, or add --force to replace what is there`);
    if (!(await isVigilDataDir(target)))
      throw new Error(
        `${target} is not a Vigil data directory (no vigil.duckdb, accounts.duckdb or bus/ with secret.key), so --force will not delete it; restore into a new directory`,
      );
    const pid = await holderOf(target);
    if (pid !== null)
      throw new VigilError(
        'VIGIL_IN_USE',
        `Vigil (process ${pid}) is running on ${target}, so nothing was replaced; stop it first (Ctrl-C in its terminal, or kill ${pid}), then run: vigil restore ${archive} --data ${target} --force`,
      );
  }
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), '.vigil-restore-'));
  let placed = false;
  try {
    progress(`unpacking ${archive} …`);
    try {
      // Regular files and folders only: no links, devices or absolute paths out of the staging folder.
      await tarExtract({
        file: resolve(archive),
        cwd: staging,
        strict: true,
        filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory'),
      });
    } catch (err) {
      throw new Error(`${archive} is not a readable Vigil backup: ${errorMessage(err)}`);
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(join(staging, MANIFEST), 'utf8')) as Manifest;
    } catch {
      throw new Error(`${archive} has no ${MANIFEST}: it was not made by vigil backup`);
    }
    if (manifest.format !== 1) throw new Error(`backup format ${String(manifest.format)} is not known to this Vigil; use a newer Vigil to restore it`);
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const f of manifest.files) {
      const p = join(staging, f.path);
      if (relative(staging, p).startsWith('..')) throw new Error(`the backup names a file outside its directory (${f.path}); refusing it`);
      const got = await sha256OfFile(p).catch(() => 'missing');
      if (got !== f.sha256)
        throw new Error(`the backup is damaged: ${f.path} ${got === 'missing' ? 'is missing' : 'does not match its checksum'}; nothing was restored`);
    }
    const extra = (await filesUnder(staging)).map((f) => relative(staging, f)).filter((f) => f !== MANIFEST && !listed.has(f));
    if (extra.length > 0)
      throw new Error(
        `the backup holds files its manifest does not list (${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', …' : ''}); refusing it, nothing was restored`,
      );
    await rm(join(staging, MANIFEST));
    const note: RestoredNote = { backupCreatedAt: manifest.createdAt, restoredAt: new Date().toISOString() };
    await writeFile(join(staging, RESTORED_MARKER), `${JSON.stringify(note)}\n`, { mode: 0o600 });
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    placed = true;
    progress(`restored ${manifest.files.length} files (backup of ${utcText(manifest.createdAt)}, Vigil ${manifest.vigilVersion}) into ${target}`);
    const running = await replayInBackup(target, listed);
    if (running)
      progress(
        `the backup was made during or after a replay of ${running.file}${running.moved ? " (the backup's copy, in the restored import folder)" : ''}: the next vigil start carries it on from where the backup left it (nothing is sent again if it had finished${running.moved ? '' : '; the file must still be at that path'}); start with --replay FILE to replay another file instead`,
      );
    return manifest;
  } finally {
    if (!placed) await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The replay a restored data directory carries on. A file of the import folder is in the backup: the replay is pointed
 * at the restored copy (progress is known by the file's content, not its path), so that a data directory restored
 * elsewhere, the old one gone, carries it on instead of asking for the archive again.
 */
async function replayInBackup(target: string, listed: ReadonlySet<string>): Promise<{ file: string; moved: boolean } | null> {
  const activePath = join(target, 'replay-active.json');
  const active = await readFile(activePath, 'utf8')
    .then((t) => JSON.parse(t) as { file?: unknown })
    .catch(() => null);
  if (!active || typeof active.file !== 'string') return null;
  const inImports = `imports/${basename(active.file)}`;
  if (basename(dirname(active.file)) !== 'imports' || !listed.has(inImports)) return { file: active.file, moved: false };
  const file = join(target, inImports);
  await writeFile(activePath, `${JSON.stringify({ ...active, file })}\n`, { mode: 0o600 });
  return { file, moved: true };
}
