// Probes and metrics of one process: /healthz (alive), /readyz (connected to what its roles need), /metrics
// (Prometheus text format). Public: they carry no post content.

import type { FastifyInstance } from 'fastify';
import type { VigilMetrics } from '../runtime/metrics.js';

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
    return { name: c.name, ok: false, reason: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: FastifyInstance, o: { roles: readonly string[]; checks: ReadinessCheck[]; metrics: VigilMetrics }): void {
  const started = Date.now();
  app.get('/healthz', async () => ({ status: 'alive', roles: o.roles, pid: process.pid, uptimeSeconds: Math.round((Date.now() - started) / 1000) }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await Promise.all(o.checks.map(run));
    const ready = checks.every((c) => c.ok);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', roles: o.roles, checks });
  });
  app.get('/metrics', async (_req, reply) => reply.type(o.metrics.contentType).send(await o.metrics.text()));
}
