// Identity: accounts with argon2id password hashes, sessions and bearer JWTs signed with one key (so every role in
// distributed mode can check them without calling home), revocable API tokens shown once, the audit log, and
// source credentials sealed with AES-256-GCM under a key derived from the same secret.

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import { ROLES, type Role } from '../core/access.js';
import { ValidationError } from '../core/event.js';
import { ConflictError, NotFoundError } from '../core/ports.js';
import type { DuckDbAuthRepository } from '../adapters/duckdb/auth-repository.js';
import type { Logger } from '../util/log.js';

export interface Identity {
  user: string;
  role: Role;
  /** How it was proven: a session cookie (needs the CSRF header for changes), a bearer JWT or an API token. */
  via: 'session' | 'jwt' | 'token' | 'none';
  csrf?: string;
}

export class UnauthorizedError extends Error {
  readonly status = 401;
}
export class ForbiddenError extends Error {
  readonly status = 403;
}
export class TooManyRequestsError extends Error {
  readonly status = 429;
}

const TOKEN_PREFIX = 'vgl_';
const SESSION_HOURS = 12;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function checkName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._@-]{1,64}$/u.test(name)) throw new ValidationError([{ field: 'name', message: 'must be 1–64 letters, digits, ".", "_", "@" or "-"' }]);
  return name;
}
function checkRole(role: unknown): Role {
  if (!ROLES.includes(role as Role)) throw new ValidationError([{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]);
  return role as Role;
}
function checkPassword(pw: unknown): string {
  if (typeof pw !== 'string' || pw.length < 12 || pw.length > 200) throw new ValidationError([{ field: 'password', message: 'must be 12 to 200 characters' }]);
  return pw;
}

export class AuthService {
  private readonly jwtKey: Uint8Array;
  private readonly sealKey: Buffer;
  private readonly failures = new Map<string, { count: number; since: number }>();
  /** How a role process without the accounts asks the event manager about an API token. */
  remoteTokens: ((bearer: string) => Promise<Identity>) | null = null;

  /**
   * `accounts` is null in a role process without the accounts database (every role but the event manager when roles
   * run apart): it still checks sessions and JWTs by their signature, and writes its audit lines to the log.
   */
  constructor(private readonly accounts: DuckDbAuthRepository | null, secret: Buffer, private readonly log: Logger) {
    this.jwtKey = new Uint8Array(hkdfSync('sha256', secret, 'vigil', 'jwt-hs256', 32));
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, 'vigil', 'credentials-aes-256-gcm', 32));
  }

  private get repo(): DuckDbAuthRepository {
    if (!this.accounts) throw new NotFoundError('accounts, tokens and credentials live with the event manager role (the "events" process); send this request there');
    return this.accounts;
  }

  /** First start: an admin, with the password from VIGIL_ADMIN_PASSWORD or a generated one printed once. */
  async bootstrap(adminPassword: string | undefined, enforced = true): Promise<void> {
    if ((await this.repo.countUsers()) > 0) return;
    const password = adminPassword ?? randomBytes(15).toString('base64url');
    await this.repo.createUser({ name: 'admin', role: 'admin', passwordHash: await argonHash(checkPassword(password)) });
    const note = enforced ? '' : ' (accounts are not enforced while Vigil listens on loopback only; --auth on enforces them)';
    if (adminPassword) this.log.info(`created the first account: admin (password from VIGIL_ADMIN_PASSWORD)${note}`);
    else this.log.warn(`created the first account: admin, one-time password: ${password}  (shown only now; change it with PATCH /api/users/admin)${note}`);
  }

  /** Login; failures are limited per client address (5 a minute). */
  async login(name: unknown, password: unknown, client: string): Promise<{ jwt: string; csrf: string; identity: Identity }> {
    const f = this.failures.get(client);
    if (f && Date.now() - f.since < 60_000 && f.count >= 5) throw new TooManyRequestsError('too many failed logins from this address; wait a minute');
    const user = typeof name === 'string' ? await this.repo.getUser(name) : null;
    const ok = user !== null && typeof password === 'string' && (await argonVerify(user.passwordHash, password));
    if (!ok || !user) {
      const cur = f && Date.now() - f.since < 60_000 ? f : { count: 0, since: Date.now() };
      cur.count++;
      this.failures.set(client, cur);
      throw new UnauthorizedError('wrong user name or password');
    }
    this.failures.delete(client);
    const csrf = randomBytes(18).toString('base64url');
    const jwt = await this.issueJwt(user.name, user.role, csrf, `${SESSION_HOURS}h`);
    return { jwt, csrf, identity: { user: user.name, role: user.role, via: 'session', csrf } };
  }

  issueJwt(user: string, role: Role, csrf: string | null, expires: string): Promise<string> {
    return new SignJWT({ role, ...(csrf ? { csrf } : {}) }).setProtectedHeader({ alg: 'HS256' }).setSubject(user).setIssuer('vigil').setIssuedAt().setExpirationTime(expires).sign(this.jwtKey);
  }

  /** A session is also checked against the account (deleted users are out, role changes apply at once). */
  async verifyJwt(jwt: string, via: 'session' | 'jwt'): Promise<Identity> {
    let identity: Identity;
    try {
      const { payload } = await jwtVerify(jwt, this.jwtKey, { issuer: 'vigil', algorithms: ['HS256'] });
      const role = payload.role as Role;
      if (!payload.sub || !ROLES.includes(role)) throw new Error('claims');
      identity = { user: payload.sub, role, via, ...(typeof payload.csrf === 'string' ? { csrf: payload.csrf } : {}) };
    } catch {
      throw new UnauthorizedError('the session or token is invalid or expired; log in again');
    }
    if (via === 'session' && this.accounts) {
      const account = await this.repo.getUser(identity.user);
      if (!account) throw new UnauthorizedError('this account no longer exists');
      identity.role = account.role;
    }
    return identity;
  }

  /** A bearer credential: an API token (vgl_…, checked against its hash and revocation) or a JWT. */
  async verifyBearer(bearer: string): Promise<Identity> {
    if (!bearer.startsWith(TOKEN_PREFIX)) return this.verifyJwt(bearer, 'jwt');
    if (!this.accounts) {
      if (this.remoteTokens) return this.remoteTokens(bearer);
      throw new UnauthorizedError('this role process cannot check API tokens (they live with the event manager; set --events-url to ask it); send a JWT from POST /api/auth/jwt instead');
    }
    const t = await this.repo.tokenBySha256(sha256(bearer));
    if (!t || t.revokedAt) throw new UnauthorizedError('the API token is unknown or revoked');
    const owner = await this.repo.getUser(t.user);
    if (!owner) throw new UnauthorizedError('the API token belongs to a deleted user');
    const role = ROLES.indexOf(t.role) >= ROLES.indexOf(owner.role) ? t.role : owner.role;
    return { user: t.user, role, via: 'token' };
  }

  async createToken(owner: Identity, label: unknown, role: unknown): Promise<{ id: string; token: string; role: Role; label: string }> {
    if (typeof label !== 'string' || label.length < 1 || label.length > 100) throw new ValidationError([{ field: 'label', message: 'must be 1–100 characters' }]);
    const wanted = role === undefined ? owner.role : checkRole(role);
    if (ROLES.indexOf(wanted) < ROLES.indexOf(owner.role)) throw new ForbiddenError(`a ${owner.role} cannot create a token with role ${wanted}`);
    const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
    const id = randomBytes(6).toString('hex');
    await this.repo.createToken({ id, user: owner.user, label, role: wanted }, sha256(token));
    return { id, token, role: wanted, label };
  }

  listTokens(owner: Identity) {
    return this.repo.listTokens(owner.user);
  }

  revokeToken(owner: Identity, id: string) {
    return this.repo.revokeToken(owner.user, id);
  }

  listUsers() {
    return this.repo.listUsers();
  }

  async createUser(body: unknown): Promise<{ name: string; role: Role }> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const name = checkName(b.name);
    const role = checkRole(b.role);
    await this.repo.createUser({ name, role, passwordHash: await argonHash(checkPassword(b.password)) });
    return { name, role };
  }

  async updateUser(name: string, body: unknown): Promise<{ name: string }> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    await this.repo.updateUser(name, {
      ...(b.role !== undefined ? { role: checkRole(b.role) } : {}),
      ...(b.password !== undefined ? { passwordHash: await argonHash(checkPassword(b.password)) } : {}),
    });
    return { name };
  }

  async deleteUser(actor: Identity, name: string): Promise<void> {
    if (actor.user === name) throw new ConflictError('you cannot delete your own account');
    await this.repo.deleteUser(name);
  }

  audit(identity: Identity, action: string, target: string, status: number): Promise<void> {
    if (!this.accounts) {
      this.log.info('audit', { user: identity.user, action, target, status });
      return Promise.resolve();
    }
    return this.repo.audit({ at: new Date().toISOString(), user: identity.user, action, target, status });
  }

  auditLog(limit: number) {
    return this.repo.auditLog(limit);
  }

  /** Stores a source credential sealed; it is never returned by the API. */
  async putCredential(name: string, body: unknown): Promise<void> {
    checkName(name);
    const value = (body as Record<string, unknown> | null)?.value;
    if (typeof value !== 'string' || value.length === 0 || value.length > 10_000) throw new ValidationError([{ field: 'value', message: 'is required: the secret as a string' }]);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.sealKey, iv);
    c.setAAD(Buffer.from(name));
    const sealed = Buffer.concat([iv, c.update(value, 'utf8'), c.final(), c.getAuthTag()]).toString('base64');
    await this.repo.putCredential(name, sealed);
  }

  listCredentials() {
    return this.repo.listCredentials();
  }

  /** For the sources that need it (not the API). */
  async credential(name: string): Promise<string> {
    const sealed = await this.repo.getCredential(name);
    if (!sealed) throw new NotFoundError(`no credential named "${name}"`);
    const raw = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
    d.setAAD(Buffer.from(name));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  }
}
