// Re-classification of collected posts: POST starts it (202, with progress), GET reads its progress, DELETE cancels.

import type { FastifyInstance } from 'fastify';
import type { Reclassifier } from '../roles/analytics/reclassifier.js';
import { ValidationError } from '../core/errors.js';

type Req = { Params: { name: string } };

export function registerReclassifyRoutes(app: FastifyInstance, r: Reclassifier): void {
  app.post<Req & { Body: { since?: unknown } }>('/api/events/:name/reclassify', { config: { access: 'events' } }, async (req, reply) => {
    const since = (req.body as { since?: unknown } | undefined)?.since;
    if (typeof since !== 'string' || Number.isNaN(Date.parse(since)))
      throw new ValidationError([{ field: 'since', message: 'is required: the ISO-8601 time to go back to, like 2012-10-28T00:00:00Z' }]);
    if (Date.parse(since) > Date.now()) throw new ValidationError([{ field: 'since', message: 'must not be in the future' }]);
    return reply.code(202).send(await r.start(req.params.name, new Date(since).toISOString()));
  });
  app.get<Req>('/api/events/:name/reclassify', { config: { access: 'read' } }, async (req, reply) => {
    const job = r.get(req.params.name);
    if (!job) return reply.code(404).send({ error: `no re-classification of "${req.params.name}" was started here; POST {"since": …} to start one` });
    return job;
  });
  app.delete<Req>('/api/events/:name/reclassify', { config: { access: 'events' } }, async (req) => r.cancel(req.params.name));
}
