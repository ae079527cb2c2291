// Authentication and authorization on every request: a session cookie (with a CSRF header for changes), a bearer
// JWT or an API token; the route's action checked against the role; every change written to the audit log.
// With auth off (a loopback-only install by default), everyone is the local admin, and changes are still audited.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actionOf, allowed } from '../core/access.js';
import { ForbiddenError, UnauthorizedError, type AuthService, type Identity } from '../roles/auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export interface AuthOptions {
  enabled: boolean;
  secureCookies: boolean;
  /** Serve login, tokens, users, audit and credentials here (the process holding the accounts database). */
  accounts: boolean;
}

const LOCAL: Identity = { user: 'local', role: 'admin', via: 'none' };
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function cookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function setCookies(reply: FastifyReply, o: AuthOptions, session: string, csrf: string, maxAge: number): void {
  const secure = o.secureCookies ? '; Secure' : '';
  reply.header('set-cookie', [
    `vigil_session=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    `vigil_csrf=${csrf}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure}`,
  ]);
}

export function registerAuth(app: FastifyInstance, auth: AuthService, o: AuthOptions): void {
  app.decorateRequest('identity', null);

  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0];
    const action = actionOf(req.method, path);
    if (!o.enabled) {
      req.identity = LOCAL;
      return;
    }
    if (action === 'public') return;
    const bearer = /^Bearer\s+(\S+)$/iu.exec(req.headers.authorization ?? '')?.[1];
    const session = cookies(req).vigil_session;
    let identity: Identity;
    if (bearer) identity = await auth.verifyBearer(bearer);
    else if (session) identity = await auth.verifyJwt(session, 'session');
    else throw new UnauthorizedError('log in first (POST /api/auth/login), or send Authorization: Bearer <API token>');
    req.identity = identity;
    if (identity.via === 'session' && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== identity.csrf)
      throw new ForbiddenError('missing or wrong x-csrf-token header (send the vigil_csrf cookie value)');
    if (!allowed(identity.role, action)) throw new ForbiddenError(`a ${identity.role} may not ${action === 'admin' ? 'do this (admins only)' : action === 'read' ? 'read this' : action}`);
  });

  app.addHook('onResponse', async (req, reply) => {
    if (SAFE.has(req.method) || !req.url.startsWith('/api') || req.url.startsWith('/api/query')) return;
    const who = req.identity ?? { user: 'anonymous', role: 'viewer', via: 'none' };
    const path = req.url.split('?')[0];
    await auth.audit(who as Identity, `${req.method} ${path.replace(/^\/api\//u, '')}`, decodeURIComponent(path.split('/').slice(3).join('/')), reply.statusCode).catch(() => undefined);
  });

  app.get('/api/auth/me', async (req) => ({ user: req.identity?.user, role: req.identity?.role, auth: o.enabled }));
  app.post('/api/auth/jwt', async (req) => {
    const id = req.identity ?? LOCAL;
    return { jwt: await auth.issueJwt(id.user, id.role, null, '1h'), expiresIn: 3600 };
  });
  if (!o.accounts) return;

  app.post('/api/auth/login', async (req, reply) => {
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    if (!o.enabled) return { user: LOCAL.user, role: LOCAL.role, auth: false };
    const { jwt, csrf, identity } = await auth.login(b.name, b.password, req.ip);
    req.identity = identity;
    setCookies(reply, o, jwt, csrf, 12 * 3600);
    return { user: identity.user, role: identity.role, csrf };
  });
  app.post('/api/auth/logout', async (_req, reply) => {
    setCookies(reply, o, '', '', 0);
    return reply.status(204).send();
  });
  app.get('/api/tokens', async (req) => auth.listTokens(req.identity ?? LOCAL));
  app.post('/api/tokens', async (req, reply) => {
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    return reply.status(201).send(await auth.createToken(req.identity ?? LOCAL, b.label, b.role));
  });
  app.delete<{ Params: { id: string } }>('/api/tokens/:id', async (req, reply) => {
    await auth.revokeToken(req.identity ?? LOCAL, req.params.id);
    return reply.status(204).send();
  });

  app.get('/api/users', async () => auth.listUsers());
  app.post('/api/users', async (req, reply) => reply.status(201).send(await auth.createUser(req.body)));
  app.patch<{ Params: { name: string } }>('/api/users/:name', async (req) => auth.updateUser(req.params.name, req.body));
  app.delete<{ Params: { name: string } }>('/api/users/:name', async (req, reply) => {
    await auth.deleteUser(req.identity ?? LOCAL, req.params.name);
    return reply.status(204).send();
  });
  app.get<{ Querystring: { limit?: string } }>('/api/audit', async (req) => auth.auditLog(Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100))));
  app.get('/api/credentials', async () => auth.listCredentials());
  app.put<{ Params: { name: string } }>('/api/credentials/:name', async (req, reply) => {
    await auth.putCredential(req.params.name, req.body);
    return reply.status(204).send();
  });
}
