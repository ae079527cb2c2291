import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../../src/core/errors.js';
import { ImportFolder } from '../../src/roles/tracker/import-folder.js';

/** What resolving a name answers: the error's class, or "file" for a file of the folder. */
async function answer(folder: ImportFolder, file: string): Promise<string> {
  try {
    await folder.resolve(file);
    return 'file';
  } catch (err) {
    if (err instanceof ForbiddenError) return 'forbidden';
    if (err instanceof NotFoundError) return 'not found';
    throw err;
  }
}

describe('the import folder', () => {
  let base: string;
  let folder: ImportFolder;
  let elsewhere: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'vigil-import-folder-'));
    elsewhere = join(base, 'elsewhere');
    await mkdir(elsewhere);
    folder = new ImportFolder(join(base, 'data', 'imports'));
    await folder.list(); // makes the folder
    const imports = join(base, 'data', 'imports');
    await writeFile(join(imports, 'posts.jsonl'), '{}\n');
    await symlink(elsewhere, join(imports, 'out-link'));
    await symlink(join(elsewhere, 'gone.jsonl'), join(imports, 'dangling.jsonl'));
    await mkdir(join(imports, 'inner'));
    await symlink(join(imports, 'inner'), join(imports, 'in-link'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('answers "not found" only for a missing file that would be inside the folder', async () => {
    expect(await answer(folder, 'posts.jsonl')).toBe('file');
    for (const file of ['missing.jsonl', 'inner/missing.jsonl', 'new-folder/missing.jsonl', 'in-link/missing.jsonl', 'inner/../missing.jsonl']) {
      expect(await answer(folder, file), file).toBe('not found');
    }
  });

  it('refuses a path outside the folder the same way whether or not a file is there, so no answer tells what the server holds', async () => {
    const imports = join(base, 'data', 'imports');
    const outside = [
      join(elsewhere, 'secret.jsonl'),
      relative(imports, join(elsewhere, 'secret.jsonl')),
      `${'../'.repeat(40)}${relative('/', join(elsewhere, 'secret.jsonl'))}`,
      'out-link/secret.jsonl',
      'inner/../../imports/../../elsewhere/secret.jsonl',
      `${imports}-sibling/secret.jsonl`,
    ];
    const missing = await Promise.all(outside.map((file) => answer(folder, file)));
    await writeFile(join(elsewhere, 'secret.jsonl'), '{}\n');
    await mkdir(`${imports}-sibling`);
    await writeFile(join(`${imports}-sibling`, 'secret.jsonl'), '{}\n');
    const present = await Promise.all(outside.map((file) => answer(folder, file)));
    expect(missing).toEqual(outside.map(() => 'forbidden'));
    expect(present).toEqual(outside.map(() => 'forbidden'));
  });

  it('refuses a link to nothing, wherever it would lead', async () => {
    expect(await answer(folder, 'dangling.jsonl')).toBe('forbidden');
  });

  it('refuses what is not a plain name or path', async () => {
    for (const file of ['', 'posts.jsonl\0.txt', 'inner', 'posts.jsonl/x']) expect(await answer(folder, file), JSON.stringify(file)).toBe('forbidden');
  });

  it('never follows a link in the folder when an upload takes its name, so no upload learns what a file elsewhere holds', async () => {
    const imports = join(base, 'data', 'imports');
    const secret = join(elsewhere, 'guessed.txt');
    await writeFile(secret, 'the guess\n');
    await symlink(secret, join(imports, 'guess.jsonl'));
    await expect(folder.save('guess.jsonl', Readable.from([Buffer.from('the guess\n')]), { maxBytes: 1_000 })).rejects.toThrow(ConflictError);
    await expect(folder.save('guess.jsonl', Readable.from([Buffer.from('another guess\n')]), { maxBytes: 1_000 })).rejects.toThrow(ConflictError);
    expect(await readFile(secret, 'utf8')).toBe('the guess\n');
    // A plain upload under a new name, and the same bytes again, are fine.
    expect((await folder.save('new.jsonl', Readable.from([Buffer.from('{}\n')]), { maxBytes: 1_000 })).existed).toBe(false);
    expect((await folder.save('new.jsonl', Readable.from([Buffer.from('{}\n')]), { maxBytes: 1_000 })).existed).toBe(true);
  });
});
