// GET /api lists the endpoints; GET / says what this server is (the web UI comes with its own issue).

import type { FastifyInstance } from 'fastify';

export const API_INDEX = [
  { method: 'GET', path: '/api/events', doc: 'list events' },
  { method: 'POST', path: '/api/events', doc: 'create an event: {"name", "keywords": [...], "active"?}' },
  { method: 'GET', path: '/api/events/:name', doc: 'one event' },
  { method: 'PUT', path: '/api/events/:name', doc: 'replace an event (may rename it)' },
  { method: 'PATCH', path: '/api/events/:name', doc: 'change some fields, e.g. {"active": false}' },
  { method: 'DELETE', path: '/api/events/:name', doc: 'delete an event (its stored rows stay)' },
  { method: 'GET', path: '/api/events/:name/stats', doc: 'rows stored for the event: {"count", "first", "last"}' },
  { method: 'POST', path: '/api/query', doc: 'read-only SQL over the rows: {"sql": "SELECT ...", "maxRows"?}' },
  { method: 'POST', path: '/api/replay', doc: 'stream an archived JSONL file as if live: {"file", "rate"?}' },
  { method: 'GET', path: '/api/status', doc: 'source, classifier counts, lag, rejects' },
] as const;

export function registerIndexRoutes(app: FastifyInstance): void {
  app.get('/api', async () => ({ endpoints: API_INDEX, tables: ['tweet', 'reject', 'vigil_event'] }));
  app.get('/', async (_req, reply) => {
    const rows = API_INDEX.map((e) => `<tr><td><code>${e.method}</code></td><td><code>${e.path}</code></td><td>${e.doc}</td></tr>`).join('');
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><meta charset="utf-8"><title>Vigil</title><h1>Vigil</h1><p>Vigil is collecting. The web UI is not built yet; use the HTTP API:</p><table>${rows}</table>`);
  });
}
