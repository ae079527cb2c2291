// Accounts, sessions, API tokens (stored as SHA-256 only), the audit log and encrypted source credentials, in the
// accounts database (<data>/accounts.duckdb, out of reach of user SQL).

import type { DuckDBConnection } from '@duckdb/node-api';
import type { AccessLevel } from '../../core/access.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { DuckDb } from './database.js';
import { toJson } from './values.js';

export interface UserRecord {
  name: string;
  role: AccessLevel;
  passwordHash: string;
  createdAt: string;
}
export interface TokenRecord {
  id: string;
  user: string;
  label: string;
  role: AccessLevel;
  createdAt: string;
  revokedAt: string | null;
}
export interface AuditRecord {
  at: string;
  user: string;
  action: string;
  target: string;
  status: number;
}
/** A signed-in session or a JWT handed out: the server's record of it, so it can be revoked before it expires. */
export interface SessionRecord {
  id: string;
  user: string;
  kind: 'session' | 'jwt';
  /** The API token it was minted from (revoking the token revokes it), or null. */
  tokenId: string | null;
  /** The most it may do (a JWT minted from a viewer token stays a viewer), whatever the account's role. */
  roleCap: AccessLevel;
  expiresAt: string;
  revokedAt: string | null;
}

export class DuckDbAuthRepository {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly conn: DuckDBConnection) {}

  /** On the accounts database (accounts-database.ts declares its tables). */
  static async open(db: DuckDb): Promise<DuckDbAuthRepository> {
    return new DuckDbAuthRepository(await db.connect());
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
    return this.serial(async () =>
      (await this.rows('SELECT name, role, created_at FROM vigil_user ORDER BY name')).map((r) => ({
        name: r.name as string,
        role: r.role as AccessLevel,
        createdAt: r.created_at as string,
      })),
    );
  }

  getUser(name: string): Promise<UserRecord | null> {
    return this.serial(async () => {
      const [r] = await this.rows('SELECT * FROM vigil_user WHERE lower(name) = lower($1)', [name]);
      return r ? { name: r.name as string, role: r.role as AccessLevel, passwordHash: r.password_hash as string, createdAt: r.created_at as string } : null;
    });
  }

  /** Creates the account unless `clash` finds an existing name it may be mistaken for (checked in the same turn). */
  createUser(u: Omit<UserRecord, 'createdAt'>, clash: (existing: string) => boolean = (e) => e === u.name): Promise<void> {
    return this.serial(async () => {
      const taken = (await this.rows('SELECT name FROM vigil_user')).map((r) => r.name as string).find(clash);
      if (taken !== undefined)
        throw new ConflictError(
          taken === u.name
            ? `a user named "${u.name}" exists`
            : `"${u.name}" could be mistaken for the existing user "${taken}"; choose a name that differs by more than case, punctuation or look-alike characters`,
        );
      await this.conn.run('INSERT INTO vigil_user VALUES ($1, $2, $3, $4::TIMESTAMP)', [u.name, u.role, u.passwordHash, new Date().toISOString()]);
    });
  }

  /**
   * Changes a role or a password. Refuses to leave the installation without an admin; a new password ends the
   * account's sessions and JWTs.
   */
  updateUser(name: string, change: { role?: AccessLevel; passwordHash?: string }): Promise<void> {
    return this.serial(async () => {
      const [current] = await this.rows('SELECT role FROM vigil_user WHERE lower(name) = lower($1)', [name]);
      if (!current) throw new NotFoundError(`no user named "${name}"`);
      if (change.role && change.role !== 'admin' && current.role === 'admin' && (await this.adminCount()) <= 1)
        throw new ConflictError(`"${name}" is the last admin; make another user admin first`);
      if (change.role) await this.conn.run('UPDATE vigil_user SET role = $2 WHERE lower(name) = lower($1)', [name, change.role]);
      if (change.passwordHash) {
        await this.conn.run('UPDATE vigil_user SET password_hash = $2 WHERE lower(name) = lower($1)', [name, change.passwordHash]);
        await this.conn.run('UPDATE vigil_session SET revoked_at = now()::TIMESTAMP WHERE lower(user_name) = lower($1) AND revoked_at IS NULL', [name]);
      }
    });
  }

  private async adminCount(): Promise<number> {
    return Number((await this.rows("SELECT count(*) AS n FROM vigil_user WHERE role = 'admin'"))[0].n);
  }

  deleteUser(name: string): Promise<void> {
    return this.serial(async () => {
      const [current] = await this.rows('SELECT role FROM vigil_user WHERE lower(name) = lower($1)', [name]);
      if (!current) throw new NotFoundError(`no user named "${name}"`);
      if (current.role === 'admin' && (await this.adminCount()) <= 1) throw new ConflictError(`"${name}" is the last admin; make another user admin first`);
      await this.conn.run('DELETE FROM vigil_user WHERE lower(name) = lower($1)', [name]);
      await this.conn.run('UPDATE vigil_token SET revoked_at = now()::TIMESTAMP WHERE lower(user_name) = lower($1) AND revoked_at IS NULL', [name]);
      await this.conn.run('UPDATE vigil_session SET revoked_at = now()::TIMESTAMP WHERE lower(user_name) = lower($1) AND revoked_at IS NULL', [name]);
    });
  }

  createToken(t: Omit<TokenRecord, 'createdAt' | 'revokedAt'>, sha256: string): Promise<void> {
    return this.serial(() =>
      this.conn
        .run('INSERT INTO vigil_token VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMP, NULL)', [t.id, t.user, t.label, t.role, sha256, new Date().toISOString()])
        .then(() => undefined),
    );
  }

  tokenBySha256(sha256: string): Promise<TokenRecord | null> {
    return this.serial(async () => {
      const [r] = await this.rows('SELECT * FROM vigil_token WHERE token_sha256 = $1', [sha256]);
      return r ? toToken(r) : null;
    });
  }

  tokenById(id: string): Promise<TokenRecord | null> {
    return this.serial(async () => {
      const [r] = await this.rows('SELECT * FROM vigil_token WHERE id = $1', [id]);
      return r ? toToken(r) : null;
    });
  }

  listTokens(user: string): Promise<TokenRecord[]> {
    return this.serial(async () => (await this.rows('SELECT * FROM vigil_token WHERE user_name = $1 ORDER BY created_at', [user])).map(toToken));
  }

  /** Revokes the token and every JWT minted from it. */
  revokeToken(user: string, id: string): Promise<void> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(
        'UPDATE vigil_token SET revoked_at = $3::TIMESTAMP WHERE id = $1 AND user_name = $2 AND revoked_at IS NULL RETURNING id',
        [id, user, new Date().toISOString()],
      );
      if (r.currentRowCount === 0) throw new NotFoundError(`no active token "${id}" of yours`);
      await this.conn.run('UPDATE vigil_session SET revoked_at = now()::TIMESTAMP WHERE token_id = $1 AND revoked_at IS NULL', [id]);
    });
  }

  createSession(s: Omit<SessionRecord, 'revokedAt'>): Promise<void> {
    return this.serial(async () => {
      // Expired records are of no use to anyone: dropped as new ones come.
      await this.conn.run('DELETE FROM vigil_session WHERE expires_at < now()::TIMESTAMP');
      await this.conn.run('INSERT INTO vigil_session VALUES ($1, $2, $3, $4, $5, $6::TIMESTAMP, $7::TIMESTAMP, NULL)', [
        s.id,
        s.user,
        s.kind,
        s.tokenId,
        s.roleCap,
        new Date().toISOString(),
        s.expiresAt,
      ]);
    });
  }

  getSession(id: string): Promise<SessionRecord | null> {
    return this.serial(async () => {
      const [r] = await this.rows('SELECT * FROM vigil_session WHERE id = $1', [id]);
      if (!r) return null;
      return {
        id: r.id as string,
        user: r.user_name as string,
        kind: r.kind as SessionRecord['kind'],
        tokenId: (r.token_id as string | null) ?? null,
        roleCap: r.role_cap as AccessLevel,
        expiresAt: r.expires_at as string,
        revokedAt: (r.revoked_at as string | null) ?? null,
      };
    });
  }

  revokeSession(id: string): Promise<void> {
    return this.serial(() =>
      this.conn.run('UPDATE vigil_session SET revoked_at = now()::TIMESTAMP WHERE id = $1 AND revoked_at IS NULL', [id]).then(() => undefined),
    );
  }

  audit(a: AuditRecord): Promise<void> {
    return this.serial(() =>
      this.conn.run('INSERT INTO vigil_audit VALUES ($1::TIMESTAMP, $2, $3, $4, $5)', [a.at, a.user, a.action, a.target, a.status]).then(() => undefined),
    );
  }

  auditLog(limit: number): Promise<AuditRecord[]> {
    return this.serial(async () =>
      (await this.rows('SELECT * FROM vigil_audit ORDER BY happened_at DESC LIMIT $1', [limit])).map((r) => ({
        at: r.happened_at as string,
        user: r.user_name as string,
        action: r.action as string,
        target: r.target as string,
        status: r.status as number,
      })),
    );
  }

  putCredential(name: string, sealed: string): Promise<void> {
    return this.serial(() =>
      this.conn.run('INSERT OR REPLACE INTO vigil_credential VALUES ($1, $2, $3::TIMESTAMP)', [name, sealed, new Date().toISOString()]).then(() => undefined),
    );
  }

  listCredentials(): Promise<{ name: string; updatedAt: string }[]> {
    return this.serial(async () =>
      (await this.rows('SELECT name, updated_at FROM vigil_credential ORDER BY name')).map((r) => ({
        name: r.name as string,
        updatedAt: r.updated_at as string,
      })),
    );
  }

  getCredential(name: string): Promise<string | null> {
    return this.serial(async () => ((await this.rows('SELECT sealed FROM vigil_credential WHERE name = $1', [name]))[0]?.sealed as string | undefined) ?? null);
  }
}

function toToken(r: Record<string, unknown>): TokenRecord {
  return {
    id: r.id as string,
    user: r.user_name as string,
    label: r.label as string,
    role: r.role as AccessLevel,
    createdAt: r.created_at as string,
    revokedAt: (r.revoked_at as string | null) ?? null,
  };
}
