// /api/events: create, list, read, replace, patch and delete events.

import type { FastifyInstance } from 'fastify';
import type { EventManager } from '../roles/events/event-manager.js';

type NameParams = { Params: { name: string } };

export function registerEventRoutes(app: FastifyInstance, events: EventManager): void {
  app.get('/api/events', { config: { access: 'read' } }, async () => events.list());
  app.post('/api/events', { config: { access: 'events' } }, async (req, reply) => reply.status(201).send(await events.create(req.body)));
  app.get<NameParams>('/api/events/:name', { config: { access: 'read' } }, async (req) => events.get(req.params.name));
  app.put<NameParams>('/api/events/:name', { config: { access: 'events' } }, async (req) => events.replace(req.params.name, req.body));
  app.patch<NameParams>('/api/events/:name', { config: { access: 'events' } }, async (req) => events.patch(req.params.name, req.body));
  app.delete<NameParams>('/api/events/:name', { config: { access: 'events' } }, async (req, reply) => {
    await events.delete(req.params.name);
    return reply.status(204).send();
  });
}
