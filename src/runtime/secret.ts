// The key behind sessions, JWTs and sealed credentials: --jwt-secret / VIGIL_JWT_SECRET (the same on every role of a
// distributed install), else 32 random bytes generated once into <data>/secret.key (mode 0600).

import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../util/log.js';
import { makeDataDir } from '../util/private-files.js';

export async function loadSecret(config: Pick<Config, 'jwtSecret' | 'dataDir'>, log: Logger): Promise<Buffer> {
  if (config.jwtSecret) return Buffer.from(config.jwtSecret, 'utf8');
  const file = join(config.dataDir, 'secret.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (err) {
    // ENOTDIR: the data directory is a file, which making it below says clearly.
    if (!['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) throw new Error(`cannot read ${file}: ${errorMessage(err)}`);
  }
  const secret = randomBytes(32);
  // `vigil run` reads the key before any role process has made the data directory.
  await makeDataDir(config.dataDir);
  await writeFile(file, secret.toString('base64'), { mode: 0o600, flag: 'wx' });
  log.info(`generated the signing key ${file}; keep it with the data (backups include it)`);
  return secret;
}
