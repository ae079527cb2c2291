// /api/events: create, list, read, replace, patch and delete events.

import { z } from 'zod';
import { keywordWarnings, type VigilEvent } from '../core/event.js';
import type { EventManager } from '../roles/events/event-manager.js';
import { EventBody, NameParams, VigilEventSchema, WrittenEventSchema } from './api-schemas.js';
import { type App, routesOf } from './routes.js';

export function registerEventRoutes(app: App, events: EventManager): void {
  const r = routesOf(app, 'events');
  r.get('/api/events', { access: 'read', summary: 'the events', response: z.array(VigilEventSchema) }, async () => events.list());
  r.post('/api/events', { access: 'events', summary: 'create an event', body: EventBody, status: 201, response: WrittenEventSchema }, async (req, reply) =>
    reply.status(201).send(withWarnings(await events.create(req.body))),
  );
  r.get('/api/events/:name', { access: 'read', summary: 'one event', params: NameParams, response: VigilEventSchema }, async (req) =>
    events.get(req.params.name),
  );
  r.put(
    '/api/events/:name',
    { access: 'events', summary: 'replace an event (may rename it)', params: NameParams, body: EventBody, response: WrittenEventSchema },
    async (req) => withWarnings(await events.replace(req.params.name, req.body)),
  );
  r.patch(
    '/api/events/:name',
    { access: 'events', summary: 'change some fields, e.g. {"active": false}', params: NameParams, body: EventBody.partial(), response: WrittenEventSchema },
    async (req) => withWarnings(await events.patch(req.params.name, req.body)),
  );
  r.delete(
    '/api/events/:name',
    { access: 'events', summary: 'delete an event (its stored rows stay)', params: NameParams, status: 204 },
    async (req, reply) => {
      await events.delete(req.params.name);
      return reply.status(204).send();
    },
  );
}

/** The event as stored, with `warnings` when a phrase looks like a list pasted as one (it is kept: it may be meant). */
function withWarnings(e: VigilEvent): VigilEvent & { warnings?: string[] } {
  const warnings = keywordWarnings(e.keywords);
  return warnings.length > 0 ? { ...e, warnings } : e;
}
