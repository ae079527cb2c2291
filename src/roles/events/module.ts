// The events role: the event manager (its state in the embedded database, every change published on the bus), the
// events API and the web UI; where analytics runs apart, the UI's analytics requests go on to it.

import { DuckDbEventRepository } from '../../adapters/duckdb/event-repository.js';
import { registerEventRoutes } from '../../http/event-routes.js';
import { declaredRoutes, roleOfPath } from '../../http/route-table.js';
import { registerWebUi } from '../../http/web-ui.js';
import { forward } from '../../runtime/gateway.js';
import type { ModuleManager } from '../../runtime/modules.js';
import { has, need, type Services } from '../../runtime/services.js';
import { EventManager } from './event-manager.js';

async function initEvents(s: Services): Promise<void> {
  const events = new EventManager(await DuckDbEventRepository.open(await need(s, 'duckdb')()), need(s, 'bus'));
  await events.start();
  // A classifier in this process (the monolith) moves the rows of a renamed event before the rename answers.
  events.waitForRows(async () => s.classifier?.catchUp());
  s.events = events;
  s.eventCatalog = events;
  const app = need(s, 'app');
  registerEventRoutes(app, events);
  await registerWebUi(app);
  const target = s.config.analyticsUrl;
  if (!has(s, 'analytics') && target) {
    // The UI's one origin: analytics requests go on to the analytics role (on Kubernetes, its Service).
    const roleOf = roleOfPath(await declaredRoutes());
    app.addHook('onRequest', async (req, reply) => {
      if (roleOf(req.url.split('?')[0]) !== 'analytics') return;
      reply.hijack();
      forward(req.raw, reply.raw, target);
    });
  }
}

export function registerEventsModule(m: ModuleManager<Services>): void {
  m.register('events', ['bus', 'duckdb', 'http'], initEvents);
}
