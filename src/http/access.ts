// The gate every request passes before its handler: the Host it was sent to must be a name Vigil serves, a change
// must not come from a page of another origin, and (accounts on) the caller must prove who they are and hold the
// action the matched route declares in its `config.access` — never decided from the raw URL. Every change, and every
// refused query, is written to the audit log.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, Identity } from '../auth/auth-service.js';
import { type Action, allowed } from '../core/access.js';
import { ForbiddenError, UnauthorizedError } from '../core/errors.js';
import type { ServedNames } from './served-names.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
  interface FastifyContextConfig {
    /** What the caller's role must allow for this route (src/core/access.ts). Every /api route declares it. */
    access?: Action;
    /** Audit this route's successful calls too (a GET that hands out a secret). */
    auditAlways?: boolean;
  }
}

export interface GateOptions {
  auth: AuthService;
  /** Accounts on: every non-public route needs an identity. Off (explicitly): everyone is the local admin. */
  enabled: boolean;
  names: ServedNames;
}

export const LOCAL: Identity = { user: 'local', role: 'admin', via: 'none' };
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes a health checker reaches by any address (they tell nothing private). */
const PROBES = new Set(['/healthz', '/readyz']);

/** The cookies of a request; a value that does not decode is skipped, not an error. */
export function cookiesOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // not ours, or damaged: ignored
    }
  }
  return out;
}

/** The caller's identity from a bearer credential or the session cookie; null when the request carries neither. */
export async function identify(req: FastifyRequest, auth: AuthService): Promise<Identity | null> {
  const bearer = /^Bearer\s+(\S+)$/iu.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) return auth.verifyBearer(bearer);
  const session = cookiesOf(req).vigil_session;
  if (session) return auth.verifyJwt(session, 'session');
  return null;
}

function portOf(req: FastifyRequest): number {
  return req.socket.localPort ?? 0;
}

function checkSentToUs(req: FastifyRequest, o: GateOptions, route: string | undefined): void {
  if (route && PROBES.has(route)) return;
  if (!o.names.servesHost(req.headers.host))
    throw new ForbiddenError(
      `this Vigil does not answer to the name "${String(req.headers.host ?? '')}" (it serves ${o.names.describe()}); give the address people use with --public-url, or add it with --allowed-hosts`,
    );
  if (SAFE.has(req.method)) return;
  const origin = req.headers.origin;
  if (origin !== undefined && !o.names.servesOrigin(origin, portOf(req)))
    throw new ForbiddenError(`a change sent by a page of ${origin} is refused: only Vigil's own pages (or --public-url) may change things`);
  if (req.headers['sec-fetch-site'] === 'cross-site') throw new ForbiddenError('a change sent by a page of another site is refused');
}

export function registerGate(app: FastifyInstance, o: GateOptions): void {
  app.decorateRequest('identity', null);

  app.addHook('onRoute', (route) => {
    const needs = route.url.startsWith('/api') || route.url === '/metrics';
    if (needs && route.config?.access === undefined)
      throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access); every API route must`);
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const route = req.routeOptions.url;
    checkSentToUs(req, o, route);
    // An unknown path under /api answers 404 only to someone signed in.
    const access: Action = req.routeOptions.config?.access ?? (req.url.startsWith('/api') ? 'self' : 'public');
    if (!o.enabled) {
      req.identity = LOCAL;
      return;
    }
    if (access === 'public') {
      req.identity = await identify(req, o.auth).catch(() => null);
      return;
    }
    const identity = await identify(req, o.auth);
    if (!identity)
      throw new UnauthorizedError('sign in first (open the sign-in link Vigil printed, or POST /api/auth/login), or send Authorization: Bearer <API token>');
    req.identity = identity;
    if (identity.via === 'session' && !SAFE.has(req.method) && (!identity.csrf || req.headers['x-csrf-token'] !== identity.csrf))
      throw new ForbiddenError('missing or wrong x-csrf-token header (send the vigil_csrf cookie value)');
    if (!allowed(identity.role, access))
      throw new ForbiddenError(`a ${identity.role} may not ${access === 'admin' ? 'do this (admins only)' : access === 'read' ? 'read this' : access}`);
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions.url;
    if (!route?.startsWith('/api')) return;
    const refusedQuery = route.startsWith('/api/query') && reply.statusCode === 403;
    const always = req.routeOptions.config?.auditAlways === true;
    if (SAFE.has(req.method) && !always) return;
    if (route.startsWith('/api/query') && !refusedQuery) return;
    const who = req.identity ?? { user: auditName(req), role: 'viewer' as const, via: 'none' as const };
    const target = auditTarget(req);
    await o.auth
      .audit(who, `${req.method} ${route.replace(/^\/api\//u, '')}${refusedQuery ? ' (refused)' : ''}`, target, reply.statusCode)
      .catch(() => undefined);
  });
}

/**
 * What an action was done to, as a person reads it: the path's names as decoded by the router (an event, a user, a notebook), else what
 * the body names (a new event's or user's name, a replayed file), else the route itself.
 */
function auditTarget(req: FastifyRequest): string {
  const params = Object.values((req.params ?? {}) as Record<string, string>);
  if (params.length > 0) return params.join('/');
  const body = (req.body ?? {}) as Record<string, unknown>;
  for (const key of ['name', 'file', 'event'] as const) if (typeof body[key] === 'string') return (body[key] as string).slice(0, 200);
  return '';
}

/** For a failed sign-in: the name that was tried (so the audit log shows guessing). */
function auditName(req: FastifyRequest): string {
  const name = (req.body as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? `anonymous (as ${name.slice(0, 64)})` : 'anonymous';
}
