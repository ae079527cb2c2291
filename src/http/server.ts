// The HTTP API: one Fastify server; each role registers its own routes on it. Errors become 4xx with a reason.

import Fastify, { type FastifyInstance } from 'fastify';
import { ValidationError } from '../core/event.js';
import { ConflictError, NotFoundError, QueryError } from '../core/ports.js';
import { SourceBusyError } from '../roles/tracker.js';
import type { Logger } from '../util/log.js';
import { registerRequestSchemas } from './body-schemas.js';

export interface ApiError {
  error: string;
  errors?: { field: string; message: string }[];
}

function statusOf(err: unknown): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError || err instanceof SourceBusyError) return 409;
  if (err instanceof QueryError) return err.status;
  const s = (err as { statusCode?: unknown; status?: unknown }).statusCode ?? (err as { status?: unknown }).status;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500;
}

/** The UI loads nothing but its own files: scripts and styles from Vigil, data from /api, no frames, no plugins. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export const BODY_LIMIT_BYTES = 1 << 20;

export function createServer(log: Logger): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
  app.setErrorHandler((err, req, reply) => {
    const status = statusOf(err);
    const body: ApiError = { error: status === 500 ? 'internal error; see the server log' : (err as Error).message };
    if (err instanceof ValidationError) body.errors = err.errors;
    if (status === 500) log.error('request failed', { method: req.method, url: req.url, reason: (err as Error).stack ?? String(err) });
    void reply.status(status).send(body);
  });
  registerRequestSchemas(app);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url}; see GET /api for the endpoints` });
  });
  return app;
}
