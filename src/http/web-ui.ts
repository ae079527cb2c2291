// Serves the built web UI (dist/web) at /. When it was not built, / says how to build it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));

export async function registerWebUi(app: FastifyInstance): Promise<void> {
  if (existsSync(`${WEB_ROOT}index.html`)) {
    await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: 'index.html', wildcard: false });
    return;
  }
  app.get('/', { config: { access: 'public' } }, async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>Vigil</title><h1>Vigil</h1><p>The web UI is not built: run <code>npm run build</code>. The HTTP API is listed at <a href="/api">/api</a> (OpenAPI: <a href="/api/openapi.json">/api/openapi.json</a>).</p>',
      ),
  );
}
