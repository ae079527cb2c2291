// Signing in and out, one-time sign-in links, JWTs, API tokens, users, the audit log and sealed credentials.

import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AuthService, SignedIn } from '../auth/auth-service.js';
import { SESSION_SECONDS } from '../auth/auth-service.js';
import type { AccessLevel } from '../core/access.js';
import { errorMessage, ValidationError } from '../core/errors.js';
import { LOCAL } from './access.js';
import {
  AuditSchema,
  CredentialBody,
  IdParams,
  JwtSchema,
  LinkBody,
  LoginBody,
  MeSchema,
  NameParams,
  NewTokenSchema,
  PasswordBody,
  SignedInSchema,
  TokenBody,
  TokenSchema,
  UserBody,
  UserChangeBody,
  UserSchema,
} from './api-schemas.js';
import { type App, routesOf } from './routes.js';

export interface AuthRouteOptions {
  /** Accounts on (off: everyone is the local admin). */
  enabled: boolean;
  secureCookies: boolean;
  /** Serve login, tokens, users, audit and credentials here (the process holding the accounts database). */
  accounts: boolean;
}

function setCookies(reply: FastifyReply, o: AuthRouteOptions, session: string, csrf: string, maxAge: number): void {
  const secure = o.secureCookies ? '; Secure' : '';
  reply.header('set-cookie', [
    `vigil_session=${session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
    `vigil_csrf=${csrf}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure}`,
  ]);
}

export function registerAuthRoutes(app: App, auth: AuthService, o: AuthRouteOptions): void {
  const r = routesOf(app, 'every');
  const signedIn = (reply: FastifyReply, s: SignedIn) => {
    setCookies(reply, o, s.jwt, s.csrf, SESSION_SECONDS);
    return { user: s.identity.user, role: s.identity.role, csrf: s.csrf };
  };
  // Also how role processes apart check a credential (the CSRF value comes back so they can check changes too).
  r.get('/api/auth/me', { access: 'self', summary: 'who the caller is', response: MeSchema }, async (req) => ({
    user: req.identity?.user,
    role: req.identity?.role,
    auth: o.enabled,
    ...(req.identity?.csrf ? { csrf: req.identity.csrf } : {}),
  }));
  r.post(
    '/api/auth/jwt',
    { access: 'self', summary: 'a one-hour JWT for scripts and role processes, never worth more than the caller', response: JwtSchema },
    async (req) => auth.issueJwt(req.identity ?? LOCAL),
  );
  if (!o.accounts) return;
  registerSignIn(app, auth, o, signedIn);
  registerAccountRoutes(app, auth);
}

function registerSignIn(
  app: App,
  auth: AuthService,
  o: AuthRouteOptions,
  signedIn: (reply: FastifyReply, s: SignedIn) => { user: string; role: AccessLevel; csrf: string },
): void {
  const r = routesOf(app, 'events');
  r.post(
    '/api/auth/login',
    { access: 'public', summary: 'sign in: a session cookie and its CSRF value', body: LoginBody, response: SignedInSchema },
    async (req, reply) => {
      if (!o.enabled) return reply.send({ user: LOCAL.user, role: LOCAL.role, csrf: '' });
      return signedIn(reply, await auth.login(req.body.name, req.body.password, req.ip));
    },
  );
  r.post(
    '/api/auth/link',
    { access: 'public', summary: "sign in with a sign-in link's code (good once)", body: LinkBody, response: SignedInSchema },
    async (req, reply) => signedIn(reply, await auth.redeemSignInCode(req.body.code)),
  );
  r.post(
    '/api/auth/links',
    { access: 'admin', summary: 'a new one-time sign-in link (vigil login)', response: z.object({ path: z.string() }) },
    async (req) => ({
      path: `/signin?code=${await auth.signInCode(req.identity?.user === LOCAL.user ? undefined : req.identity?.user)}`,
    }),
  );
  // The link Vigil prints: signs the browser in and opens the UI (the code is good once).
  r.get(
    '/signin',
    { access: 'public', summary: 'the sign-in link: signs the browser in, then opens the UI', query: z.strictObject({ code: z.string().optional() }) },
    async (req, reply) => {
      try {
        signedIn(reply, await auth.redeemSignInCode(req.query.code));
        return reply.redirect('/', 303);
      } catch (err) {
        return reply
          .status(401)
          .type('text/html; charset=utf-8')
          .send(`<!doctype html><meta charset="utf-8"><title>Vigil</title><p>${errorMessage(err).replace(/[<>&]/gu, '')}</p><p><a href="/">Sign in</a></p>`);
      }
    },
  );
  r.post('/api/auth/logout', { access: 'public', summary: 'sign out (the session ends on the server)', status: 204 }, async (req, reply) => {
    await auth.logout(req.identity);
    setCookies(reply, o, '', '', 0);
    return reply.status(204).send();
  });
  r.post(
    '/api/auth/password',
    { access: 'self', summary: 'change your password (ends your sessions)', body: PasswordBody, status: 204 },
    async (req, reply) => {
      const me = req.identity ?? LOCAL;
      // The current password proves it is the person, not a session left open.
      await auth.login(me.user, req.body.current, req.ip).catch(() => {
        throw new ValidationError([{ field: 'current', message: 'is not your current password' }]);
      });
      await auth.updateUser(me.user, { password: req.body.password });
      setCookies(reply, o, '', '', 0);
      return reply.status(204).send();
    },
  );
}

function registerAccountRoutes(app: App, auth: AuthService): void {
  const r = routesOf(app, 'events');
  r.get('/api/tokens', { access: 'self', summary: 'your API tokens (no secrets)', response: z.array(TokenSchema) }, async (req) =>
    auth.listTokens(req.identity ?? LOCAL),
  );
  r.post(
    '/api/tokens',
    {
      access: 'self',
      summary: 'a new API token of your access level or lower (shown once)',
      body: TokenBody,
      status: 201,
      response: NewTokenSchema,
      auditAlways: true,
    },
    async (req, reply) => reply.status(201).send(await auth.createToken(req.identity ?? LOCAL, req.body.label, req.body.role)),
  );
  r.delete(
    '/api/tokens/:id',
    { access: 'self', summary: 'revoke one of your tokens (and the JWTs minted from it)', params: IdParams, status: 204 },
    async (req, reply) => {
      await auth.revokeToken(req.identity ?? LOCAL, req.params.id);
      return reply.status(204).send();
    },
  );
  r.get('/api/users', { access: 'admin', summary: 'the accounts', response: z.array(UserSchema) }, async () => auth.listUsers());
  r.post(
    '/api/users',
    { access: 'admin', summary: 'a new account', body: UserBody, status: 201, response: z.object({ name: z.string(), role: z.string() }) },
    async (req, reply) => reply.status(201).send(await auth.createUser(req.body)),
  );
  r.patch(
    '/api/users/:name',
    {
      access: 'admin',
      summary: "change an account's access level or password",
      params: NameParams,
      body: UserChangeBody,
      response: z.object({ name: z.string() }),
    },
    async (req) => auth.updateUser(req.params.name, req.body),
  );
  r.delete(
    '/api/users/:name',
    { access: 'admin', summary: 'delete an account (its tokens and sessions end)', params: NameParams, status: 204 },
    async (req, reply) => {
      await auth.deleteUser(req.identity ?? LOCAL, req.params.name);
      return reply.status(204).send();
    },
  );
  r.get(
    '/api/audit',
    {
      access: 'admin',
      summary: 'who changed what, when, and the outcome',
      query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: z.array(AuditSchema),
    },
    async (req) => auth.auditLog(req.query.limit),
  );
  r.get(
    '/api/credentials',
    { access: 'admin', summary: 'the names of the sealed source credentials', response: z.array(z.object({ name: z.string(), updatedAt: z.string() })) },
    async () => auth.listCredentials(),
  );
  r.put(
    '/api/credentials/:name',
    { access: 'admin', summary: 'store a source credential sealed (never returned)', params: NameParams, body: CredentialBody, status: 204 },
    async (req, reply) => {
      await auth.putCredential(req.params.name, req.body);
      return reply.status(204).send();
    },
  );
}
