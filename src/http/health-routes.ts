// Probes and metrics of one process: /healthz (alive), /readyz (connected to what its roles need), /metrics
// (Prometheus text format). The probes answer anyone but say nothing private (no pid, no event, no path: why a check
// fails is shown to a signed-in caller, or with accounts off); /metrics, which names events, needs the read right.

import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import type { VigilMetrics } from '../runtime/metrics.js';
import { type App, routesOf } from './routes.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; throws with the reason otherwise. */
  check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 3000;

async function run(c: ReadinessCheck): Promise<{ name: string; ok: boolean; reason?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { name: c.name, ok: true };
  } catch (err) {
    return { name: c.name, ok: false, reason: errorMessage(err) };
  } finally {
    clearTimeout(timer);
  }
}

const Ready = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), reason: z.string().optional() })),
});

export function registerHealthRoutes(app: App, o: { checks: ReadinessCheck[]; metrics: VigilMetrics }): void {
  // Every process answers these; where roles run apart behind one address, the controller answers for them all.
  const r = routesOf(app, 'controller');
  r.get('/healthz', { access: 'public', summary: 'alive', response: z.object({ status: z.literal('alive') }) }, async () => ({ status: 'alive' as const }));
  r.get(
    '/readyz',
    { access: 'public', summary: 'ready: connected to what the roles here need (503 when not, with the failing check)', response: Ready },
    async (req, reply) => {
      const checks = await Promise.all(o.checks.map(run));
      const ready = checks.every((c) => c.ok);
      const shown = req.identity ? checks : checks.map(({ name, ok }) => ({ name, ok }));
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: shown });
    },
  );
  r.get('/metrics', { access: 'read', summary: 'Prometheus metrics of the process', produces: ['text/plain'] }, async (_req, reply) =>
    reply.type(o.metrics.contentType).send(await o.metrics.text()),
  );
}
