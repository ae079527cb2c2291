// Accounts, API tokens (stored as SHA-256 only), the audit log and encrypted source credentials, in the embedded
// database.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Role } from '../../core/access.js';
import { ConflictError, NotFoundError } from '../../core/ports.js';
import type { DuckDb } from './database.js';
import { toJson } from './values.js';

export interface UserRecord { name: string; role: Role; passwordHash: string; createdAt: string }
export interface TokenRecord { id: string; user: string; label: string; role: Role; createdAt: string; revokedAt: string | null }
export interface AuditRecord { at: string; user: string; action: string; target: string; status: number }

export class DuckDbAuthRepository {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(db: DuckDb): Promise<DuckDbAuthRepository> {
    const conn = await db.connect();
    await conn.run('CREATE TABLE IF NOT EXISTS vigil_user (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)');
    await conn.run('CREATE TABLE IF NOT EXISTS vigil_token (id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, label VARCHAR NOT NULL, role VARCHAR NOT NULL, token_sha256 VARCHAR NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP)');
    await conn.run('CREATE TABLE IF NOT EXISTS vigil_audit (happened_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL, status INTEGER NOT NULL)');
    await conn.run('CREATE TABLE IF NOT EXISTS vigil_credential (name VARCHAR PRIMARY KEY, sealed VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)');
    return new DuckDbAuthRepository(conn);
  }

  private closed = false;

  /**
   * Waits for the writes in hand (an audit line is written after its response went out) and refuses new ones:
   * closing the database under a running statement deadlocks DuckDB.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('Vigil is shutting down'));
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async rows(sql: string, params: (string | number | null)[] = []): Promise<Record<string, unknown>[]> {
    const r = await this.conn.runAndReadAll(sql, params);
    return (await r.convertRowObjects(toJson)) as Record<string, unknown>[];
  }

  countUsers(): Promise<number> {
    return this.serial(async () => Number((await this.rows('SELECT count(*) AS n FROM vigil_user'))[0].n));
  }

  listUsers(): Promise<Omit<UserRecord, 'passwordHash'>[]> {
    return this.serial(async () => (await this.rows('SELECT name, role, created_at FROM vigil_user ORDER BY name')).map((r) => ({ name: r.name as string, role: r.role as Role, createdAt: r.created_at as string })));
  }

  getUser(name: string): Promise<UserRecord | null> {
    return this.serial(async () => {
      const [r] = await this.rows('SELECT * FROM vigil_user WHERE name = $1', [name]);
      return r ? { name: r.name as string, role: r.role as Role, passwordHash: r.password_hash as string, createdAt: r.created_at as string } : null;
    });
  }

  createUser(u: Omit<UserRecord, 'createdAt'>): Promise<void> {
    return this.serial(async () => {
      if ((await this.rows('SELECT 1 FROM vigil_user WHERE name = $1', [u.name])).length > 0) throw new ConflictError(`a user named "${u.name}" exists`);
      await this.conn.run('INSERT INTO vigil_user VALUES ($1, $2, $3, $4::TIMESTAMP)', [u.name, u.role, u.passwordHash, new Date().toISOString()]);
    });
  }

  updateUser(name: string, change: { role?: Role; passwordHash?: string }): Promise<void> {
    return this.serial(async () => {
      if ((await this.rows('SELECT 1 FROM vigil_user WHERE name = $1', [name])).length === 0) throw new NotFoundError(`no user named "${name}"`);
      if (change.role) await this.conn.run('UPDATE vigil_user SET role = $2 WHERE name = $1', [name, change.role]);
      if (change.passwordHash) await this.conn.run('UPDATE vigil_user SET password_hash = $2 WHERE name = $1', [name, change.passwordHash]);
    });
  }

  deleteUser(name: string): Promise<void> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('DELETE FROM vigil_user WHERE name = $1 RETURNING name', [name]);
      if (r.currentRowCount === 0) throw new NotFoundError(`no user named "${name}"`);
      await this.conn.run("UPDATE vigil_token SET revoked_at = now()::TIMESTAMP WHERE user_name = $1 AND revoked_at IS NULL", [name]);
    });
  }

  createToken(t: Omit<TokenRecord, 'createdAt' | 'revokedAt'>, sha256: string): Promise<void> {
    return this.serial(() => this.conn.run('INSERT INTO vigil_token VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMP, NULL)', [t.id, t.user, t.label, t.role, sha256, new Date().toISOString()]).then(() => undefined));
  }

  tokenBySha256(sha256: string): Promise<TokenRecord | null> {
    return this.serial(async () => {
      const [r] = await this.rows('SELECT * FROM vigil_token WHERE token_sha256 = $1', [sha256]);
      return r ? toToken(r) : null;
    });
  }

  listTokens(user: string): Promise<TokenRecord[]> {
    return this.serial(async () => (await this.rows('SELECT * FROM vigil_token WHERE user_name = $1 ORDER BY created_at', [user])).map(toToken));
  }

  revokeToken(user: string, id: string): Promise<void> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('UPDATE vigil_token SET revoked_at = $3::TIMESTAMP WHERE id = $1 AND user_name = $2 AND revoked_at IS NULL RETURNING id', [id, user, new Date().toISOString()]);
      if (r.currentRowCount === 0) throw new NotFoundError(`no active token "${id}" of yours`);
    });
  }

  audit(a: AuditRecord): Promise<void> {
    return this.serial(() => this.conn.run('INSERT INTO vigil_audit VALUES ($1::TIMESTAMP, $2, $3, $4, $5)', [a.at, a.user, a.action, a.target, a.status]).then(() => undefined));
  }

  auditLog(limit: number): Promise<AuditRecord[]> {
    return this.serial(async () =>
      (await this.rows('SELECT * FROM vigil_audit ORDER BY happened_at DESC LIMIT $1', [limit])).map((r) => ({ at: r.happened_at as string, user: r.user_name as string, action: r.action as string, target: r.target as string, status: r.status as number })),
    );
  }

  putCredential(name: string, sealed: string): Promise<void> {
    return this.serial(() => this.conn.run('INSERT OR REPLACE INTO vigil_credential VALUES ($1, $2, $3::TIMESTAMP)', [name, sealed, new Date().toISOString()]).then(() => undefined));
  }

  listCredentials(): Promise<{ name: string; updatedAt: string }[]> {
    return this.serial(async () => (await this.rows('SELECT name, updated_at FROM vigil_credential ORDER BY name')).map((r) => ({ name: r.name as string, updatedAt: r.updated_at as string })));
  }

  getCredential(name: string): Promise<string | null> {
    return this.serial(async () => ((await this.rows('SELECT sealed FROM vigil_credential WHERE name = $1', [name]))[0]?.sealed as string | undefined) ?? null);
  }
}

function toToken(r: Record<string, unknown>): TokenRecord {
  return { id: r.id as string, user: r.user_name as string, label: r.label as string, role: r.role as Role, createdAt: r.created_at as string, revokedAt: (r.revoked_at as string | null) ?? null };
}
