// Every route of the API with the role that serves it, read from the declarations themselves: each group of routes
// is registered on a bare Fastify instance that never listens, with dependencies that no handler here will call.
// The gateway of `vigil run --roles all` forwards by this table, so a new route needs no second declaration.

import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { RoleName } from '../runtime/services.js';
import { registerAnalyticsRoutes } from './analytics-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerEventRoutes } from './event-routes.js';
import { registerExportRoutes } from './export-routes.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerIndexRoutes } from './index-routes.js';
import { registerQueryRoutes } from './query-routes.js';
import { registerReclassifyRoutes } from './reclassify-routes.js';
import type { App } from './routes.js';
import { registerProcessRoutes, registerStatusRoutes } from './status-routes.js';
import { registerTrackerRoutes } from './tracker-routes.js';

export interface RouteEntry {
  method: string;
  /** Fastify's pattern: /api/events/:name/stats */
  url: string;
  role: RoleName | 'every';
}

/** Stands in for a dependency while routes are only declared: using it means a group does work at declaration. */
function unused<T>(what: string): T {
  return new Proxy({} as object, {
    get: (_t, key) => {
      throw new Error(`route-table: ${what}.${String(key)} was used while the routes were only being declared`);
    },
  }) as T;
}

const GROUPS: ((app: App) => void | Promise<void>)[] = [
  (app) => registerHealthRoutes(app, unused('health')),
  (app) => registerIndexRoutes(app, []),
  (app) => registerStatusRoutes(app, unused('status')),
  (app) => registerProcessRoutes(app, unused('processes')),
  (app) => registerAuthRoutes(app, unused('auth'), { enabled: true, secureCookies: true, accounts: true }),
  (app) => registerEventRoutes(app, unused('events')),
  (app) => registerTrackerRoutes(app, unused('tracker'), unused('tracker options')),
  (app) => registerAnalyticsRoutes(app, unused('analytics')),
  (app) => registerExportRoutes(app, unused('exports')),
  (app) => registerQueryRoutes(app, unused('queries')),
  (app) => registerReclassifyRoutes(app, unused('reclassifier')),
];

export async function declaredRoutes(): Promise<RouteEntry[]> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const out: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    const role = r.config?.role;
    if (!role) return;
    for (const method of [r.method].flat()) if (method !== 'HEAD') out.push({ method, url: r.url, role });
  });
  for (const group of GROUPS) await group(app);
  await app.ready();
  await app.close();
  return out;
}

/** A route's pattern as a regular expression over the path (`:name` is one segment). */
export function patternOf(url: string): RegExp {
  const escaped = url.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')));
  return new RegExp(`^${escaped.join('/')}$`, 'u');
}

/** The role whose process answers a path, by the declared routes; null for a path no route declares. */
export type RoleOfPath = (path: string) => RouteEntry['role'] | null;

/** Routes with fixed segments are tried before those with parameters, as Fastify itself does. */
export function roleOfPath(routes: RouteEntry[]): RoleOfPath {
  const params = (url: string) => url.split('/').filter((seg) => seg.startsWith(':')).length;
  const ordered = [...routes].sort((a, b) => params(a.url) - params(b.url)).map((r) => ({ re: patternOf(r.url), role: r.role }));
  return (path) => ordered.find((r) => r.re.test(path))?.role ?? null;
}
