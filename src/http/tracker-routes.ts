// Collection: start a replay, and the pipeline's status.

import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../core/event.js';
import type { Tracker } from '../roles/tracker.js';

export function registerTrackerRoutes(app: FastifyInstance, tracker: Tracker, status: () => Promise<unknown>): void {
  app.post('/api/replay', async (req, reply) => {
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const errors: { field: string; message: string }[] = [];
    if (typeof b.file !== 'string' || b.file === '') errors.push({ field: 'file', message: 'is required: path of a JSONL file (gzip allowed) on the server' });
    if (b.rate !== undefined && (typeof b.rate !== 'number' || b.rate < 0)) errors.push({ field: 'rate', message: 'must be a number of lines per second, 0 for as fast as possible' });
    if (errors.length > 0) throw new ValidationError(errors);
    try {
      return reply.status(202).send(await tracker.replay(b.file as string, (b.rate as number | undefined) ?? 0));
    } catch (err) {
      if (/^cannot read /u.test((err as Error).message)) throw new ValidationError([{ field: 'file', message: (err as Error).message }]);
      throw err;
    }
  });
  app.get('/api/status', async () => status());
}
