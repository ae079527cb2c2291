// The HTTP API: one Fastify server; each role registers its own routes on it. Errors become 4xx with a reason; API
// answers are never cached; slow and idle clients cannot hold it (connection-guard.ts).

import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from '../util/log.js';
import { registerRequestSchemas } from './body-schemas.js';
import { connectionCap, guardConnections } from './connection-guard.js';
import { errorMessage, ValidationError, VigilError } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived (ms since the epoch): time limits count from it. */
    receivedAt: number;
  }
}

export interface ApiError {
  error: string;
  /** Vigil's code (core/errors.ts), or Fastify's (FST_…) for a request it refused before Vigil saw it. */
  code?: string;
  errors?: { field: string; message: string }[];
}

/** The status of an error: Vigil's own carry it (core/errors.ts); Fastify's carry `statusCode`; anything else is 500. */
function statusOf(err: unknown): number {
  if (err instanceof VigilError) return err.status;
  const s = (err as { statusCode?: unknown }).statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

/** The UI loads nothing but its own files: scripts and styles from Vigil, data from /api, no frames, no plugins. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export const BODY_LIMIT_BYTES = 1 << 20;

/** Absolute paths of this machine, as they appear in engine errors ("/home/x/vigil-data/vigil.duckdb"). */
const HOST_PATH = /(?:[A-Za-z]:)?(?:\/[\w.@+~-]+){2,}\/?/gu;

/** An error message as a caller may see it: host paths are an admin's business. */
export function shownMessage(message: string, req: FastifyRequest): string {
  return req.identity?.role === 'admin' ? message : message.replace(HOST_PATH, '<path>');
}

/** Every string of a JSON-like value with host paths replaced (what a non-admin sees of a status). */
export function withoutHostPaths<T>(value: T): T {
  if (typeof value === 'string') return value.replace(HOST_PATH, '<path>') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => withoutHostPaths(v)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutHostPaths(v)])) as T;
  return value;
}

export interface ServerOptions {
  /** Most connections open at once (never more than half the process's open-file limit). */
  maxConnections?: number;
  /** Requests whose body may stream for long (uploads). */
  longBody?: (url: string, method: string) => boolean;
}

export function createServer(log: Logger, o: ServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  guardConnections(app.server, {
    maxConnections: connectionCap(o.maxConnections ?? 1024),
    longBody: (req) => o.longBody?.(req.url ?? '', req.method ?? '') ?? false,
  });
  // A JSON body may be empty (curl -X POST -H 'content-type: application/json' with nothing to send): no body then.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => (String(body).trim() === '' ? done(null, undefined) : json(req, String(body), done)));
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', async (req) => {
    req.receivedAt = Date.now();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (req.url.startsWith('/api') || req.url.startsWith('/signin')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setErrorHandler((err, req, reply) => {
    const status = statusOf(err);
    if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') (err as Error).message = `the request body is larger than ${BODY_LIMIT_BYTES / 2 ** 20} MiB, the most Vigil takes; send less (archives go to PUT /api/imports/NAME)`;
    const code = err instanceof VigilError ? err.code : typeof (err as { code?: unknown }).code === 'string' ? String((err as { code: string }).code) : undefined;
    const body: ApiError = { error: status === 500 ? 'internal error; see the server log' : shownMessage(errorMessage(err), req), ...(status !== 500 && code ? { code } : {}) };
    if (err instanceof ValidationError) body.errors = err.errors.map((e) => ({ field: e.field, message: shownMessage(e.message, req) }));
    if (status === 500) log.error('request failed', { method: req.method, url: req.url, reason: (err as Error).stack ?? String(err) });
    void reply.status(status).send(body);
  });
  registerRequestSchemas(app);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}; see GET /api for the endpoints` });
  });
  return app;
}
