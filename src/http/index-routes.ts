// GET /api lists the endpoints, and GET /api/openapi.json describes them: both made from the routes' own
// declarations (routes.ts), collected as they are registered.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Action } from '../core/access.js';
import { type App, routesOf } from './routes.js';

export interface IndexEntry {
  method: string;
  path: string;
  doc: string;
  access: Action;
}

/** Collects every /api route as it is registered (call before any route is). */
export function collectIndex(app: FastifyInstance): IndexEntry[] {
  const entries: IndexEntry[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api') || route.method === 'HEAD' || route.url === '/api' || route.url === '/api/openapi.json') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods)
      if (m !== 'HEAD')
        entries.push({
          method: m,
          path: route.url,
          doc: String((route.schema as { summary?: string } | undefined)?.summary ?? ''),
          access: route.config?.access ?? 'admin',
        });
  });
  return entries;
}

const Index = z.object({
  endpoints: z.array(z.object({ method: z.string(), path: z.string(), doc: z.string(), access: z.string() })),
  tables: z.array(z.string()),
  openapi: z.string(),
});

export function registerIndexRoutes(app: App, entries: IndexEntry[]): void {
  const r = routesOf(app, 'every');
  r.get('/api', { access: 'read', summary: 'the endpoints of this process, with the access each needs', response: Index }, async () => ({
    endpoints: [...entries].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    tables: ['tweet', 'reject', 'deletion', 'coverage', 'vigil_event'],
    openapi: '/api/openapi.json',
  }));
  r.get('/api/openapi.json', { access: 'public', summary: 'the OpenAPI 3.1 description of this API' }, async () => app.swagger());
}
