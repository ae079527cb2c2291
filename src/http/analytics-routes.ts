// Observing what was collected: per-event stats and read-only SQL.

import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../core/event.js';
import { NotFoundError, type QueryEngine, type TweetStore } from '../core/ports.js';
import type { EventManager } from '../roles/event-manager.js';

export interface QueryLimits {
  maxRows: number;
  timeoutMs: number;
}

function queryBody(body: unknown, limits: QueryLimits): { sql: string; maxRows: number; timeoutMs: number } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors: { field: string; message: string }[] = [];
  if (typeof b.sql !== 'string' || b.sql.trim() === '') errors.push({ field: 'sql', message: 'is required: one SELECT statement as a string' });
  const maxRows = b.maxRows ?? limits.maxRows;
  if (typeof maxRows !== 'number' || !Number.isInteger(maxRows) || maxRows < 1 || maxRows > limits.maxRows)
    errors.push({ field: 'maxRows', message: `must be an integer from 1 to ${limits.maxRows}` });
  if (errors.length > 0) throw new ValidationError(errors);
  return { sql: b.sql as string, maxRows: maxRows as number, timeoutMs: limits.timeoutMs };
}

export function registerAnalyticsRoutes(app: FastifyInstance, store: TweetStore, engine: QueryEngine, events: EventManager, limits: QueryLimits): void {
  app.get<{ Params: { name: string } }>('/api/events/:name/stats', async (req) => {
    const stats = await store.eventStats(req.params.name);
    if (stats.count === 0) {
      const known = (await events.list()).some((e) => e.name === req.params.name);
      if (!known) throw new NotFoundError(`no event named "${req.params.name}" and no rows stored for it`);
    }
    return stats;
  });
  app.post('/api/query', async (req) => {
    const q = queryBody(req.body, limits);
    return engine.query(q.sql, { maxRows: q.maxRows, timeoutMs: q.timeoutMs });
  });
}
