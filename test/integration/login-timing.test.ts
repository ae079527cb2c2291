import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash as argonHash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsDb } from '../../src/adapters/duckdb/accounts-database.js';
import { DuckDbAuthRepository } from '../../src/adapters/duckdb/auth-repository.js';
import type { DuckDb } from '../../src/adapters/duckdb/database.js';
import { AuthService } from '../../src/auth/auth-service.js';
import { silentLogger } from '../../src/util/log.js';

// In process, without HTTP around it, so that what a log-in costs is the password check itself: over HTTP the
// request's own time (about 10 ms here) hides it, and the log-in limit (5 a minute per address and per account)
// allows too few samples to see through a busy machine. Each sample here has an account and an address of its own.
const ACCOUNTS = 8;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('log-in timing', () => {
  let dir: string;
  let db: DuckDb;
  let auth: AuthService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-login-timing-'));
    db = await openAccountsDb(dir, null, silentLogger);
    const repo = await DuckDbAuthRepository.open(db);
    const passwordHash = await argonHash('the right password');
    for (let i = 0; i < ACCOUNTS; i++) await repo.createUser({ name: `user-${i}`, role: 'viewer', passwordHash });
    auth = new AuthService(repo, randomBytes(32), silentLogger);
  });

  afterAll(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an unknown user as slowly as a known user with a wrong password (no names found by timing)', async () => {
    const refusal = async (name: string, client: string): Promise<number> => {
      const t0 = performance.now();
      await expect(auth.login(name, 'a wrong password', client)).rejects.toThrow(/wrong user name or password/u);
      return performance.now() - t0;
    };
    await refusal('warm-up', '10.0.2.1'); // the first check also loads argon2 and compiles its callers
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so that a slow moment of the machine falls on both kinds alike.
    for (let i = 0; i < ACCOUNTS; i++) {
      known.push(await refusal(`user-${i}`, `10.0.0.${i}`));
      unknown.push(await refusal(`nobody-${i}`, `10.0.1.${i}`));
    }
    // A refusal without the password check takes a fraction of a millisecond; with it, several.
    expect(median(known)).toBeGreaterThan(1);
    expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
  });
});
