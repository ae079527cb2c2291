// Re-classification of collected posts: POST starts it (202, with progress), GET reads its progress, DELETE cancels.

import { z } from 'zod';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { Reclassifier } from '../roles/analytics/reclassifier.js';
import { NameParams, ReclassifyJobSchema } from './api-schemas.js';
import { type App, routesOf } from './routes.js';

const SinceBody = z.strictObject({ since: z.unknown().optional().describe('the ISO-8601 time to go back to, like 2012-10-28T00:00:00Z') });

export function registerReclassifyRoutes(app: App, r: Reclassifier): void {
  const routes = routesOf(app, 'analytics');
  routes.post(
    '/api/events/:name/reclassify',
    {
      access: 'events',
      summary: 'apply the event as defined now to the raw posts collected since {"since"}',
      params: NameParams,
      body: SinceBody,
      status: 202,
      response: ReclassifyJobSchema,
    },
    async (req, reply) => {
      const since = req.body.since;
      if (typeof since !== 'string' || Number.isNaN(Date.parse(since)))
        throw new ValidationError([{ field: 'since', message: 'is required: the ISO-8601 time to go back to, like 2012-10-28T00:00:00Z' }]);
      if (Date.parse(since) > Date.now()) throw new ValidationError([{ field: 'since', message: 'must not be in the future' }]);
      return reply.code(202).send(await r.start(req.params.name, new Date(since).toISOString()));
    },
  );
  routes.get(
    '/api/events/:name/reclassify',
    { access: 'read', summary: 'the progress of the re-classification', params: NameParams, response: ReclassifyJobSchema },
    async (req) => {
      const job = r.get(req.params.name);
      if (!job) throw new NotFoundError(`no re-classification of "${req.params.name}" was started here; POST {"since": …} to start one`);
      return job;
    },
  );
  routes.delete(
    '/api/events/:name/reclassify',
    { access: 'events', summary: 'cancel the re-classification', params: NameParams, response: ReclassifyJobSchema },
    async (req) => r.cancel(req.params.name),
  );
}
