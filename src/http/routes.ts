// A route is declared once: its method and path, the access it needs, the role that serves it, a summary, and the
// zod schemas of its params, query string, body and answer. Requests are validated and answers serialized from
// those schemas (fastify-type-provider-zod), the OpenAPI document and the /api index are made from them, and the
// gate reads the access from the matched route (access.ts).

import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Action } from '../core/access.js';
import type { RoleName } from '../runtime/services.js';
import { ErrorBody } from './api-schemas.js';

export type App = FastifyInstance;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The role whose process serves this route: `vigil run --roles all` forwards by it (src/http/route-table.ts); 'every' is answered by each process, the events one behind the gateway. */
    role?: RoleName | 'every';
  }
}

/** What a route declares besides its handler. */
export interface RouteSpec<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, R extends z.ZodType | undefined> {
  access: Action;
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The answer's shape (omit for a file download or an empty answer). */
  response?: R;
  /** The success status (default 200). */
  status?: number;
  /** Audit successful calls too (a GET that hands out something secret). */
  auditAlways?: boolean;
  /** A download: what it sends. */
  produces?: string[];
}

type Schema<P, Q, B, R> = { params: P; querystring: Q; body: B; response: Record<number, R> };
type Handler<P, Q, B, R> = RouteHandlerMethod<
  FastifyInstance['server'],
  FastifyRequest['raw'],
  FastifyReply['raw'],
  Record<never, never>,
  Record<never, never>,
  Schema<P, Q, B, R>,
  ZodTypeProvider
>;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Routes of `role` on `app`: r.get(path, spec, handler), r.post(…) … */
export function routesOf(app: App, role: RoleName | 'every') {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const add =
    (method: Method) =>
    <
      P extends z.ZodType | undefined = undefined,
      Q extends z.ZodType | undefined = undefined,
      B extends z.ZodType | undefined = undefined,
      R extends z.ZodType | undefined = undefined,
    >(
      url: string,
      spec: RouteSpec<P, Q, B, R>,
      handler: Handler<P, Q, B, R>,
    ): void => {
      const status = spec.status ?? 200;
      const response: Record<number, z.ZodType> = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
      if (spec.response) response[status] = spec.response;
      typed.route({
        method,
        url,
        schema: {
          summary: spec.summary,
          tags: [role],
          ...(spec.params ? { params: spec.params } : {}),
          ...(spec.query ? { querystring: spec.query } : {}),
          ...(spec.body ? { body: spec.body } : {}),
          response,
          ...(spec.produces ? { produces: spec.produces } : {}),
        },
        config: { access: spec.access, role, ...(spec.auditAlways ? { auditAlways: true } : {}) },
        handler: handler as RouteHandlerMethod,
      });
    };
  return { get: add('GET'), post: add('POST'), put: add('PUT'), patch: add('PATCH'), delete: add('DELETE') };
}
