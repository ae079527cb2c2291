// The import folder (--import-dir, default <data>/imports): the only place replays and imports read from, and where
// uploads land. A name given by a caller is resolved to its real path (symbolic links followed) and refused unless
// that path is a file inside the folder, so no request can make Vigil read another file of the server.

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ConflictError, ForbiddenError, NotFoundError, TooLargeError, ValidationError } from '../../core/errors.js';
import { sha256OfFile } from '../../util/file-hash.js';

/** A file name an upload may have: letters, digits, ".", "_" and "-", not starting with a dot. */
const UPLOAD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/u;

/** Whether anything (a link to nothing too) is at a path. */
const exists = (path: string): Promise<boolean> =>
  lstat(path).then(
    () => true,
    () => false,
  );

export interface ImportedFile {
  name: string;
  bytes: number;
  modifiedAt: string;
}

export interface UploadLimits {
  maxBytes: number;
  /** No data for this long ends the upload. */
  idleMs?: number;
  /** After the first `graceMs`, an upload slower than this on average is ended. */
  minBytesPerSecond?: number;
  graceMs?: number;
}

export class ImportFolder {
  private real: string | null = null;

  constructor(readonly dir: string) {}

  private async root(): Promise<string> {
    if (!this.real) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.real = await realpath(this.dir);
    }
    return this.real;
  }

  private outside(file: string): ForbiddenError {
    return new ForbiddenError(
      `${JSON.stringify(file)} is not a file in the import folder ${this.dir}: replays and imports read only from there; upload the file (PUT /api/imports/NAME, the UI's upload box, or vigil import) or copy it into that folder`,
    );
  }

  /**
   * The real path of a file of the folder, from its name there (or a path that leads into the folder). A path that
   * does not exist is "not found" only when it would lie inside the folder; one outside it (by "..", an absolute path
   * or a symbolic link) is refused like an existing one, so the answers tell nothing of the server's other files.
   */
  async resolve(file: string): Promise<string> {
    const root = await this.root();
    if (file === '' || file.includes('\0')) throw this.outside(file);
    const path = resolve(root, file);
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await this.wouldBeInside(root, path)))
        throw new NotFoundError(`no file ${JSON.stringify(file)} in the import folder ${this.dir}; upload it first (GET /api/imports lists what is there)`);
      throw this.outside(file);
    }
    if (!real.startsWith(root + sep)) throw this.outside(file);
    if (!(await stat(real)).isFile()) throw this.outside(file);
    return real;
  }

  /** Whether a path that does not exist would be inside the folder: its deepest existing ancestor really is. */
  private async wouldBeInside(root: string, path: string): Promise<boolean> {
    if (!path.startsWith(root + sep)) return false;
    let ancestor = path;
    while (!(await exists(ancestor))) ancestor = dirname(ancestor);
    // The path itself there but not resolvable: a link to nothing, which may point anywhere.
    if (ancestor === path) return false;
    const real = await realpath(ancestor).catch(() => null);
    return real !== null && (real === root || real.startsWith(root + sep));
  }

  async list(): Promise<ImportedFile[]> {
    const root = await this.root();
    const out: ImportedFile[] = [];
    for (const e of await readdir(root, { withFileTypes: true })) {
      if (!e.isFile() || e.name.startsWith('.')) continue;
      const s = await stat(join(root, e.name));
      out.push({ name: e.name, bytes: s.size, modifiedAt: s.mtime.toISOString() });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async remove(name: string): Promise<void> {
    const path = await this.resolve(checkName(name));
    await rm(path);
  }

  /**
   * Streams an upload into the folder under `name` (written aside, then renamed into place). The same bytes under
   * the same name are fine (nothing changes); other bytes under a taken name are refused.
   */
  async save(name: string, body: Readable, limits: UploadLimits): Promise<ImportedFile & { sha256: string; existed: boolean }> {
    checkName(name);
    const root = await this.root();
    const tmp = join(root, `.upload-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const started = performance.now();
    try {
      await new Promise<void>((resolve, reject) => {
        const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
        let idle: NodeJS.Timeout | null = null;
        const fail = (err: Error): void => {
          if (idle) clearTimeout(idle);
          body.unpipe(out);
          body.destroy();
          out.destroy();
          reject(err);
        };
        const arm = (): void => {
          if (idle) clearTimeout(idle);
          idle = setTimeout(
            () => fail(Object.assign(new Error(`no data for ${(limits.idleMs ?? 30_000) / 1000} s: the upload was ended; send it again`), { status: 408 })),
            limits.idleMs ?? 30_000,
          );
        };
        arm();
        body.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          hash.update(chunk);
          if (bytes > limits.maxBytes)
            return fail(new TooLargeError(`the upload is larger than ${limits.maxBytes.toLocaleString('en-US')} bytes (--import-max-bytes)`));
          const seconds = (performance.now() - started) / 1000;
          if (seconds * 1000 > (limits.graceMs ?? 60_000) && bytes / seconds < (limits.minBytesPerSecond ?? 16_384))
            return fail(
              Object.assign(new Error('the upload arrives too slowly (under 16 KiB/s on average); send it again on a better connection'), { status: 408 }),
            );
          arm();
        });
        body.on('error', fail);
        body.on('aborted', () => fail(new Error('the client stopped sending the upload')));
        out.on('error', fail);
        out.on('finish', () => {
          if (idle) clearTimeout(idle);
          resolve();
        });
        body.pipe(out);
      });
      const sha256 = hash.digest('hex');
      const final = join(root, name);
      // lstat: a link placed in the folder is not followed, so no upload learns what a file elsewhere holds.
      const existing = await lstat(final).catch(() => null);
      if (existing) {
        if (!existing.isFile() || (await sha256OfFile(final)) !== sha256)
          throw new ConflictError(
            `a different file named ${name} is already in the import folder; upload under another name, or DELETE /api/imports/${name} first`,
          );
        await rm(tmp);
        return { name, bytes, modifiedAt: existing.mtime.toISOString(), sha256, existed: true };
      }
      await rename(tmp, final);
      return { name, bytes, modifiedAt: new Date().toISOString(), sha256, existed: false };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

function checkName(name: string): string {
  if (!UPLOAD_NAME.test(name))
    throw new ValidationError([
      { field: 'name', message: 'must be a file name of letters, digits, ".", "_" and "-" (not starting with "."), like sandy-2012.jsonl.gz' },
    ]);
  return name;
}
