// The HTTP API: one Fastify server; each role registers its own routes on it. Errors become 4xx with a reason; API
// answers are never cached; slow and idle clients cannot hold it (connection-guard.ts).

import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorMessage, type FieldError, ValidationError, VigilError } from '../core/errors.js';
import type { Logger } from '../util/log.js';
import { VIGIL_VERSION } from '../version.js';
import { connectionCap, guardConnections } from './connection-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived, on the monotonic clock (performance.now(), ms): time limits count from it. */
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

/** The OpenAPI of a route, from its zod schemas, with the access it needs (x-vigil-access) and the role serving it. */
const withAccess: typeof jsonSchemaTransform = (input) => {
  const out = jsonSchemaTransform(input);
  const config = (input.route as { config?: { access?: string; role?: string } }).config;
  return { ...out, schema: { ...out.schema, ...(config?.access ? { 'x-vigil-access': config.access, 'x-vigil-role': config.role ?? 'every' } : {}) } };
};

const NO_PARAMETERS = z.object({}).strict();

export interface ServerOptions {
  /** Most connections open at once (never more than half the process's open-file limit). */
  maxConnections?: number;
  /** Requests whose body may stream for long (uploads). */
  longBody?: (url: string, method: string) => boolean;
}

/** A field error for each problem zod found in a request (an unknown field: "is not a field of this endpoint"). */
function fieldErrors(err: FastifyError): FieldError[] {
  const where = err.validationContext === 'body' ? 'field' : 'parameter';
  return (err.validation ?? []).flatMap((v): FieldError[] => {
    const keys = (v.params as { keys?: unknown } | undefined)?.keys;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) return keys.map((k) => ({ field: String(k), message: `is not a ${where} of this endpoint` }));
    const path = v.instancePath.replace(/^\//u, '').replace(/\//gu, '.');
    return [{ field: path || (err.validationContext ?? 'body'), message: path ? (v.message ?? 'is not valid') : 'must be a JSON object' }];
  });
}

/**
 * An API route that declares no parameters takes none: `?from=…` on one would otherwise be ignored in silence, and
 * the caller would read an answer as filtered when it is not.
 */
function refuseUndeclaredParameters(app: FastifyInstance): void {
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/') || r.schema?.querystring !== undefined) return;
    r.schema = { ...r.schema, querystring: NO_PARAMETERS };
  });
}

export async function createServer(log: Logger, o: ServerOptions = {}): Promise<FastifyInstance> {
  // Fastify logs through Vigil's pino (its own type is the base logger's).
  const app: FastifyInstance = Fastify({
    loggerInstance: log.pino as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
  });
  // The request log: one line per request; changes and failures at info, the UI's frequent reads at debug.
  app.addHook('onResponse', async (req, reply) => {
    const fields = {
      method: req.method,
      route: req.routeOptions.url ?? req.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      user: req.identity?.user ?? null,
    };
    if (reply.statusCode >= 400 || !['GET', 'HEAD'].includes(req.method)) log.info('request', fields);
    else log.debug('request', fields);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  refuseUndeclaredParameters(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil',
        version: VIGIL_VERSION,
        description: 'Collect social-media posts for crisis events, classify, store and query them. Each operation says the access it needs (x-vigil-access).',
      },
    },
    transform: withAccess,
  });
  guardConnections(app.server, {
    maxConnections: connectionCap(o.maxConnections ?? 1024),
    longBody: (req) => o.longBody?.(req.url ?? '', req.method ?? '') ?? false,
  });
  // A JSON body may be empty (curl -X POST -H 'content-type: application/json' with nothing to send): no body then.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    String(body).trim() === '' ? done(null, undefined) : json(req, String(body), done),
  );
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', async (req) => {
    req.receivedAt = performance.now();
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
    if (hasZodFastifySchemaValidationErrors(err)) err = new ValidationError(fieldErrors(err));
    const status = statusOf(err);
    if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      (err as Error).message =
        `the request body is larger than ${BODY_LIMIT_BYTES / 2 ** 20} MiB, the most Vigil takes; send less (archives go to PUT /api/imports/NAME)`;
    const code =
      err instanceof VigilError ? err.code : typeof (err as { code?: unknown }).code === 'string' ? String((err as { code: string }).code) : undefined;
    const body: ApiError = {
      error: status === 500 ? 'internal error; see the server log' : shownMessage(errorMessage(err), req),
      ...(status !== 500 && code ? { code } : {}),
    };
    if (err instanceof ValidationError) body.errors = err.errors.map((e) => ({ field: e.field, message: shownMessage(e.message, req) }));
    if (status === 500) log.error('request failed', { method: req.method, url: req.url, reason: (err as Error).stack ?? String(err) });
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}; see GET /api for the endpoints` });
  });
  return app;
}
