// Identity: accounts with argon2id password hashes; sessions and bearer JWTs signed with one key and recorded on the
// server (so logging out, a new password, a demotion, a deleted account or a revoked token end them at once);
// revocable API tokens shown once; one-time sign-in links; the audit log; and source credentials sealed with
// AES-256-GCM under a key derived from the same secret.

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import type { DuckDbAuthRepository } from '../adapters/duckdb/auth-repository.js';
import { ACCESS_LEVELS, type AccessLevel } from '../core/access.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../core/errors.js';
import { accountName, namesClash } from '../core/user-names.js';
import type { Logger } from '../util/log.js';
import { writePrivateFile } from '../util/private-files.js';
import { LoginLimiter } from './login-limiter.js';

export interface Identity {
  user: string;
  role: AccessLevel;
  /** How it was proven: a session cookie (needs the CSRF header for changes), a bearer JWT or an API token. */
  via: 'session' | 'jwt' | 'token' | 'none';
  csrf?: string;
  /** The server's record of the session or JWT (what logging out revokes). */
  sessionId?: string;
  /** The API token behind it (a token, or a JWT minted from one). */
  tokenId?: string;
}

/** The credentials of a request, as a role process without the accounts passes them on to the event manager. */
export interface Credentials {
  bearer?: string;
  session?: string;
}

const TOKEN_PREFIX = 'vgl_';
export const SESSION_SECONDS = 12 * 3600;
export const JWT_SECONDS = 3600;
const SIGN_IN_LINK_MS = 60 * 60 * 1000;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const rank = (r: AccessLevel): number => ACCESS_LEVELS.indexOf(r);
/** The lesser of two roles (ACCESS_LEVELS runs from admin down to viewer). */
const lesser = (a: AccessLevel, b: AccessLevel): AccessLevel => (rank(a) >= rank(b) ? a : b);

function checkRole(role: unknown): AccessLevel {
  if (!ACCESS_LEVELS.includes(role as AccessLevel)) throw new ValidationError([{ field: 'role', message: `must be one of ${ACCESS_LEVELS.join(', ')}` }]);
  return role as AccessLevel;
}
function checkPassword(pw: unknown): string {
  if (typeof pw !== 'string' || pw.length < 12 || pw.length > 200) throw new ValidationError([{ field: 'password', message: 'must be 12 to 200 characters' }]);
  return pw;
}
function credentialName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9._@-]{1,64}$/u.test(name))
    throw new ValidationError([{ field: 'name', message: 'must be 1–64 letters, digits, ".", "_", "@" or "-"' }]);
  return name;
}

export interface SignedIn {
  jwt: string;
  csrf: string;
  identity: Identity;
}

export class AuthService {
  private readonly jwtKey: Uint8Array;
  private readonly sealKey: Buffer;
  private readonly limiter = new LoginLimiter();
  /** Sign-in links not used yet: SHA-256 of the code → whom it signs in, until when. */
  private readonly links = new Map<string, { user: string; until: number }>();
  /** A hash to check passwords of unknown users against, so they take as long as known ones. */
  private dummyHash: Promise<string> | null = null;
  /** How a role process without the accounts asks the event manager who a credential belongs to. */
  remote: ((c: Credentials) => Promise<Identity>) | null = null;

  /**
   * `accounts` is null in a role process without the accounts database (every role but the event manager when roles
   * run apart): it asks the event manager (`remote`), or without one checks signatures only, and writes its audit
   * lines to the log.
   */
  constructor(
    private readonly accounts: DuckDbAuthRepository | null,
    secret: Buffer,
    private readonly log: Logger,
  ) {
    this.jwtKey = new Uint8Array(hkdfSync('sha256', secret, 'vigil', 'jwt-hs256', 32));
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, 'vigil', 'credentials-aes-256-gcm', 32));
    // Made now, not at the first log-in: that one would also pay for it and take longer than those after it.
    if (accounts) this.dummyHash = this.makeDummyHash();
  }

  /** A hash of a random password; made again at the next log-in if making it failed. */
  private makeDummyHash(): Promise<string> {
    const made = argonHash(randomBytes(16).toString('hex'));
    made.catch(() => {
      this.dummyHash = null;
    });
    return made;
  }

  get holdsAccounts(): boolean {
    return this.accounts !== null;
  }

  private get repo(): DuckDbAuthRepository {
    if (!this.accounts)
      throw new NotFoundError('accounts, tokens and credentials live with the event manager role (the "events" process); send this request there');
    return this.accounts;
  }

  /** First start: an admin, with the password from VIGIL_ADMIN_PASSWORD, else none yet (sign in with the link). */
  async bootstrap(adminPassword: string | undefined): Promise<void> {
    if ((await this.repo.countUsers()) > 0) return;
    const password = adminPassword ?? randomBytes(24).toString('base64url');
    await this.repo.createUser({ name: 'admin', role: 'admin', passwordHash: await argonHash(checkPassword(password)) });
    this.log.info(
      `created the first account: admin${adminPassword ? ' (password from VIGIL_ADMIN_PASSWORD)' : '; sign in with the link below and set a password on the Access page'}`,
    );
  }

  /**
   * The API token the local `vigil` commands use, in a file only its owner can read (<data>/cli-token). Kept while it
   * still works; replaced when missing or revoked.
   */
  async ensureCliToken(file: string): Promise<void> {
    const current = (await readFile(file, 'utf8').catch(() => '')).trim();
    if (
      current &&
      (await this.verifyBearer(current).then(
        (i) => i.role === 'admin',
        () => false,
      ))
    )
      return;
    const admin = (await this.repo.listUsers()).find((u) => u.role === 'admin');
    if (!admin) throw new Error('no admin account to give the local CLI a token; create one with VIGIL_ADMIN_PASSWORD on a new data directory');
    const { token } = await this.createToken({ user: admin.name, role: 'admin', via: 'none' }, 'local CLI (cli-token file)', 'admin');
    await writePrivateFile(file, `${token}\n`);
    this.log.info(`wrote the local CLI's API token to ${file} (readable by you only); vigil import, status … use it`);
  }

  /** A one-time sign-in link's code for the first admin (printed at start); good for an hour, once. */
  async signInCode(user?: string): Promise<string> {
    const name = user ?? (await this.repo.listUsers()).find((u) => u.role === 'admin')?.name;
    if (!name) throw new NotFoundError('no admin account to sign in as');
    const code = randomBytes(24).toString('base64url');
    this.links.set(sha256(code), { user: name, until: Date.now() + SIGN_IN_LINK_MS });
    return code;
  }

  /** Signs in with a link's code, which is then spent. */
  async redeemSignInCode(code: unknown): Promise<SignedIn> {
    const key = typeof code === 'string' ? sha256(code) : '';
    const link = this.links.get(key);
    this.links.delete(key);
    if (!link || link.until < Date.now())
      throw new UnauthorizedError('this sign-in link was used already or has expired; get a new one with `vigil login` or sign in with your password');
    const user = await this.repo.getUser(link.user);
    if (!user) throw new UnauthorizedError('the account of this sign-in link no longer exists');
    return this.startSession(user.name, user.role);
  }

  /** Login; attempts are limited per client address and per account, counted before the password is checked. */
  async login(name: unknown, password: unknown, client: string): Promise<SignedIn> {
    const given = typeof name === 'string' ? name.normalize('NFKC').toLowerCase().slice(0, 200) : '';
    const keys = [`address:${client}`, `account:${given}`];
    this.limiter.begin(keys);
    const user = given ? await this.repo.getUser(given) : null;
    this.dummyHash ??= this.makeDummyHash();
    // Unknown users are checked against a dummy hash: the answer takes as long as for a wrong password.
    const hash = user?.passwordHash ?? (await this.dummyHash);
    const ok = (await argonVerify(hash, typeof password === 'string' ? password : '').catch(() => false)) && user !== null;
    if (!ok || !user) throw new UnauthorizedError('wrong user name or password');
    this.limiter.succeeded(keys);
    return this.startSession(user.name, user.role);
  }

  /** A browser session: a JWT recorded on the server, and the CSRF value changes must carry. */
  private async startSession(user: string, role: AccessLevel): Promise<SignedIn> {
    const csrf = randomBytes(18).toString('base64url');
    const { jwt, sessionId } = await this.mint(user, role, 'session', SESSION_SECONDS, null, csrf);
    return { jwt, csrf, identity: { user, role, via: 'session', csrf, sessionId } };
  }

  /** A one-hour JWT for `identity`, never worth more than it (and revoked with its API token, if any). */
  async issueJwt(identity: Identity): Promise<{ jwt: string; expiresIn: number }> {
    if (identity.via === 'none' && this.accounts && !(await this.repo.getUser(identity.user)))
      throw new ForbiddenError('accounts are off, so there is no account to mint a JWT for; start Vigil with accounts on');
    const { jwt } = await this.mint(identity.user, identity.role, 'jwt', JWT_SECONDS, identity.tokenId ?? null, null);
    return { jwt, expiresIn: JWT_SECONDS };
  }

  private async mint(
    user: string,
    roleCap: AccessLevel,
    kind: 'session' | 'jwt',
    seconds: number,
    tokenId: string | null,
    csrf: string | null,
  ): Promise<{ jwt: string; sessionId: string }> {
    const sessionId = randomBytes(16).toString('base64url');
    const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
    if (this.accounts) await this.repo.createSession({ id: sessionId, user, kind, tokenId, roleCap, expiresAt });
    const jwt = await new SignJWT({ role: roleCap, sid: sessionId, kind, ...(csrf ? { csrf } : {}) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user)
      .setIssuer('vigil')
      .setIssuedAt()
      .setExpirationTime(`${seconds}s`)
      .sign(this.jwtKey);
    return { jwt, sessionId };
  }

  /** Ends the session or JWT the request came with. */
  async logout(identity: Identity | null): Promise<void> {
    if (identity?.sessionId && this.accounts) await this.repo.revokeSession(identity.sessionId);
  }

  /**
   * A session cookie or bearer JWT: its signature, then (where the accounts are) its record on the server and the
   * account as it is now: a revoked session, a deleted account or a revoked token ends it; the role is the
   * account's current one, never more than what the JWT was minted with.
   */
  async verifyJwt(jwt: string, via: 'session' | 'jwt'): Promise<Identity> {
    let claims: { sub: string; role: AccessLevel; sid: string; kind: string; csrf?: string };
    try {
      const { payload } = await jwtVerify(jwt, this.jwtKey, { issuer: 'vigil', algorithms: ['HS256'] });
      if (!payload.sub || !ACCESS_LEVELS.includes(payload.role as AccessLevel) || typeof payload.sid !== 'string') throw new Error('claims');
      claims = {
        sub: payload.sub,
        role: payload.role as AccessLevel,
        sid: payload.sid,
        kind: String(payload.kind),
        ...(typeof payload.csrf === 'string' ? { csrf: payload.csrf } : {}),
      };
    } catch {
      throw new UnauthorizedError('the session or token is invalid or expired; sign in again');
    }
    if (via === 'session' && (claims.kind !== 'session' || !claims.csrf)) throw new UnauthorizedError('this is not a session; sign in again');
    if (!this.accounts) {
      if (this.remote) return this.remote(via === 'session' ? { session: jwt } : { bearer: jwt });
      return { user: claims.sub, role: claims.role, via, sessionId: claims.sid, ...(claims.csrf ? { csrf: claims.csrf } : {}) };
    }
    const record = await this.repo.getSession(claims.sid);
    if (!record || record.revokedAt || record.user !== claims.sub || Date.parse(record.expiresAt) < Date.now())
      throw new UnauthorizedError('this session has ended (signed out, password changed or revoked); sign in again');
    const account = await this.repo.getUser(claims.sub);
    if (!account) throw new UnauthorizedError('this account no longer exists');
    if (record.tokenId) {
      const token = await this.repo.tokenById(record.tokenId);
      if (!token || token.revokedAt) throw new UnauthorizedError('the API token this JWT was minted from is revoked');
    }
    return {
      user: account.name,
      role: lesser(account.role, record.roleCap),
      via,
      sessionId: record.id,
      ...(record.tokenId ? { tokenId: record.tokenId } : {}),
      ...(claims.csrf ? { csrf: claims.csrf } : {}),
    };
  }

  /** A bearer credential: an API token (vgl_…, checked against its hash and revocation) or a JWT. */
  async verifyBearer(bearer: string): Promise<Identity> {
    if (!bearer.startsWith(TOKEN_PREFIX)) return this.verifyJwt(bearer, 'jwt');
    if (!this.accounts) {
      if (this.remote) return this.remote({ bearer });
      throw new UnauthorizedError(
        'this role process cannot check API tokens (they live with the event manager; set --events-url to ask it); send a JWT from POST /api/auth/jwt instead',
      );
    }
    const t = await this.repo.tokenBySha256(sha256(bearer));
    if (!t || t.revokedAt) throw new UnauthorizedError('the API token is unknown or revoked');
    const owner = await this.repo.getUser(t.user);
    if (!owner) throw new UnauthorizedError('the API token belongs to a deleted user');
    return { user: owner.name, role: lesser(t.role, owner.role), via: 'token', tokenId: t.id };
  }

  async createToken(owner: Identity, label: unknown, role: unknown): Promise<{ id: string; token: string; role: AccessLevel; label: string }> {
    if (typeof label !== 'string' || label.length < 1 || label.length > 100)
      throw new ValidationError([{ field: 'label', message: 'must be 1–100 characters' }]);
    const wanted = role === undefined ? owner.role : checkRole(role);
    if (rank(wanted) < rank(owner.role)) throw new ForbiddenError(`a ${owner.role} cannot create a token with role ${wanted}`);
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

  async createUser(body: unknown): Promise<{ name: string; role: AccessLevel }> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const name = accountName(b.name);
    const role = checkRole(b.role);
    const passwordHash = await argonHash(checkPassword(b.password));
    await this.repo.createUser({ name, role, passwordHash }, (existing) => namesClash(name, existing));
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
    if (actor.user.toLowerCase() === name.toLowerCase()) throw new ConflictError('you cannot delete your own account');
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
    credentialName(name);
    const value = (body as Record<string, unknown> | null)?.value;
    if (typeof value !== 'string' || value.length === 0 || value.length > 10_000)
      throw new ValidationError([{ field: 'value', message: 'is required: the secret as a string' }]);
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
