// Signing in and out, one-time sign-in links, JWTs, API tokens, users, the audit log and sealed credentials.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AuthService, SignedIn } from '../auth/auth-service.js';
import { SESSION_SECONDS } from '../auth/auth-service.js';
import { LOCAL } from './access.js';
import { ValidationError } from '../core/errors.js';

export interface AuthRouteOptions {
  /** Accounts on (off: everyone is the local admin). */
  enabled: boolean;
  secureCookies: boolean;
  /** Serve login, tokens, users, audit and credentials here (the process holding the accounts database). */
  accounts: boolean;
}

type NameParams = { Params: { name: string } };

function setCookies(reply: FastifyReply, o: AuthRouteOptions, session: string, csrf: string, maxAge: number): void {
  const secure = o.secureCookies ? '; Secure' : '';
  reply.header('set-cookie', [
    `vigil_session=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    `vigil_csrf=${csrf}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure}`,
  ]);
}

function bodyOf(body: unknown): Record<string, unknown> {
  return (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
}

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, o: AuthRouteOptions): void {
  const signedIn = (reply: FastifyReply, s: SignedIn) => {
    setCookies(reply, o, s.jwt, s.csrf, SESSION_SECONDS);
    return { user: s.identity.user, role: s.identity.role, csrf: s.csrf };
  };

  // Also how role processes apart check a credential (the CSRF value comes back so they can check changes too).
  app.get('/api/auth/me', { config: { access: 'self' } }, async (req) => ({ user: req.identity?.user, role: req.identity?.role, auth: o.enabled, ...(req.identity?.csrf ? { csrf: req.identity.csrf } : {}) }));
  app.post('/api/auth/jwt', { config: { access: 'self' } }, async (req) => auth.issueJwt(req.identity ?? LOCAL));
  if (!o.accounts) return;

  app.post('/api/auth/login', { config: { access: 'public' } }, async (req, reply) => {
    if (!o.enabled) return { user: LOCAL.user, role: LOCAL.role, auth: false };
    const b = bodyOf(req.body);
    return signedIn(reply, await auth.login(b.name, b.password, req.ip));
  });
  app.post('/api/auth/link', { config: { access: 'public' } }, async (req, reply) => signedIn(reply, await auth.redeemSignInCode(bodyOf(req.body).code)));
  app.post('/api/auth/links', { config: { access: 'admin' } }, async (req) => ({ path: `/signin?code=${await auth.signInCode(req.identity?.user === LOCAL.user ? undefined : req.identity?.user)}` }));
  // The link Vigil prints: signs the browser in and opens the UI (the code is good once).
  app.get<{ Querystring: { code?: string } }>('/signin', { config: { access: 'public' } }, async (req, reply) => {
    try {
      signedIn(reply, await auth.redeemSignInCode(req.query.code));
      return reply.redirect('/', 303);
    } catch (err) {
      return reply.status(401).type('text/html; charset=utf-8').send(`<!doctype html><meta charset="utf-8"><title>Vigil</title><p>${(err as Error).message.replace(/[<>&]/gu, '')}</p><p><a href="/">Sign in</a></p>`);
    }
  });
  app.post('/api/auth/logout', { config: { access: 'public' } }, async (req, reply) => {
    await auth.logout(req.identity);
    setCookies(reply, o, '', '', 0);
    return reply.status(204).send();
  });
  app.post('/api/auth/password', { config: { access: 'self' } }, async (req, reply) => {
    const b = bodyOf(req.body);
    const me = req.identity ?? LOCAL;
    // The current password proves it is the person, not a session left open.
    await auth.login(me.user, b.current, req.ip).catch(() => {
      throw new ValidationError([{ field: 'current', message: 'is not your current password' }]);
    });
    await auth.updateUser(me.user, { password: b.password });
    setCookies(reply, o, '', '', 0);
    return reply.status(204).send();
  });

  app.get('/api/tokens', { config: { access: 'self' } }, async (req) => auth.listTokens(req.identity ?? LOCAL));
  app.post('/api/tokens', { config: { access: 'self' } }, async (req, reply) => {
    const b = bodyOf(req.body);
    return reply.status(201).send(await auth.createToken(req.identity ?? LOCAL, b.label, b.role));
  });
  app.delete<{ Params: { id: string } }>('/api/tokens/:id', { config: { access: 'self' } }, async (req, reply) => {
    await auth.revokeToken(req.identity ?? LOCAL, req.params.id);
    return reply.status(204).send();
  });

  app.get('/api/users', { config: { access: 'admin' } }, async () => auth.listUsers());
  app.post('/api/users', { config: { access: 'admin' } }, async (req, reply) => reply.status(201).send(await auth.createUser(req.body)));
  app.patch<NameParams>('/api/users/:name', { config: { access: 'admin' } }, async (req) => auth.updateUser(req.params.name, req.body));
  app.delete<NameParams>('/api/users/:name', { config: { access: 'admin' } }, async (req, reply) => {
    await auth.deleteUser(req.identity ?? LOCAL, req.params.name);
    return reply.status(204).send();
  });
  app.get<{ Querystring: { limit?: string } }>('/api/audit', { config: { access: 'admin' } }, async (req) => auth.auditLog(Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100))));
  app.get('/api/credentials', { config: { access: 'admin' } }, async () => auth.listCredentials());
  app.put<NameParams>('/api/credentials/:name', { config: { access: 'admin' } }, async (req, reply) => {
    await auth.putCredential(req.params.name, req.body);
    return reply.status(204).send();
  });
}
