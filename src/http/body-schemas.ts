// The declared shape of every API request with a JSON body or query parameters: which fields exist. A request with
// a body that is not an object, or with a field the endpoint does not know, gets 400 naming the field before any
// handler runs; the handlers (and the core validators for events) then check each value and say why it is wrong.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type FieldError, ValidationError } from '../core/errors.js';

const fields = (...names: string[]) => z.object(Object.fromEntries(names.map((n) => [n, z.unknown().optional()]))).strict();

/** "METHOD route" → the fields of its body and of its query string. Events are checked in full by src/core/event.ts. */
export const REQUEST_SCHEMAS: Record<string, { body?: z.ZodType; query?: z.ZodType }> = {
  'POST /api/query': { body: fields('sql', 'maxRows', 'queryId') },
  'POST /api/replay': { body: fields('file', 'rate') },
  'POST /api/events/:name/reclassify': { body: fields('since') },
  'PUT /api/notebooks/:name': { body: fields('cells') },
  'POST /api/auth/login': { body: fields('name', 'password') },
  'POST /api/auth/link': { body: fields('code') },
  'POST /api/auth/password': { body: fields('current', 'password') },
  'POST /api/tokens': { body: fields('label', 'role') },
  'POST /api/users': { body: fields('name', 'password', 'role') },
  'PATCH /api/users/:name': { body: fields('role', 'password') },
  'PUT /api/credentials/:name': { body: fields('value') },
  'GET /api/events/:name/summary': { query: fields('bucket') },
  'GET /api/events/:name/tail': { query: fields('limit') },
  'GET /api/events/:name/export': { query: fields('format', 'deleted') },
  'GET /api/events/:name/network': { query: fields('type', 'format') },
  'GET /api/events/:name/coverage': { query: fields('from', 'to') },
  'GET /api/audit': { query: fields('limit') },
};

function check(schema: z.ZodType, value: unknown, where: 'body' | 'query'): void {
  const r = schema.safeParse(value ?? {});
  if (r.success) return;
  const errors: FieldError[] = r.error.issues.flatMap((i): FieldError[] => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ field: k, message: `is not a ${where === 'body' ? 'field' : 'parameter'} of this endpoint` }));
    if (i.path.length === 0) return [{ field: where, message: 'must be a JSON object' }];
    return [{ field: i.path.join('.'), message: i.message }];
  });
  throw new ValidationError(errors);
}

export function registerRequestSchemas(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const s = REQUEST_SCHEMAS[`${req.method} ${req.routeOptions.url ?? ''}`];
    if (!s) return;
    if (s.query) check(s.query, req.query, 'query');
    if (s.body && req.body !== undefined) check(s.body, req.body, 'body');
  });
}
