// Rows kept of events that are no longer defined: a deleted event's rows stay (data that cannot be collected twice)
// and are listed here until an administrator purges them explicitly.

import { z } from 'zod';
import { ConflictError, NotFoundError } from '../core/errors.js';
import type { EventCatalog, PostStore } from '../core/ports.js';
import { NameParams, PurgedSchema, StoredEventSchema } from './api-schemas.js';
import { type App, routesOf } from './routes.js';

export interface StoredEventDeps {
  store: PostStore;
  events: EventCatalog;
}

export function registerStoredEventRoutes(app: App, d: StoredEventDeps): void {
  const r = routesOf(app, 'analytics');
  r.get(
    '/api/stored-events',
    {
      access: 'read',
      summary: 'every event name rows are stored under, with its row count and whether an event of that name is defined',
      response: z.array(StoredEventSchema),
    },
    async () => {
      const defined = new Set((await d.events.list()).map((e) => e.name));
      const names = [...new Set((await d.store.storedEvents()).map((s) => s.name))];
      return Promise.all(names.map(async (name) => ({ name, count: (await d.store.eventStats(name)).count, defined: defined.has(name) })));
    },
  );
  r.delete(
    '/api/events/:name/rows',
    {
      access: 'admin',
      summary: 'deletes every row stored under the name of an event that is no longer defined (cannot be undone)',
      params: NameParams,
      response: PurgedSchema,
    },
    async (req) => {
      const name = req.params.name;
      if ((await d.events.list()).some((e) => e.name === name))
        throw new ConflictError(
          `"${name}" is a defined event; its rows are purged only once it is deleted (DELETE /api/events/${encodeURIComponent(name)} first)`,
        );
      const { count } = await d.store.eventStats(name);
      if (count === 0) throw new NotFoundError(`no rows are stored under "${name}"`);
      await d.store.purgeEvent(name);
      return { name, purged: count };
    },
  );
}
