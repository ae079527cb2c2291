// The controller role: plans the tracker connections from the events and the classifier replicas from the lag, and
// has an orchestrator run them (this machine's processes, or a Kubernetes cluster's Deployments).

import { sourceShape } from '../../adapters/registry.js';
import { registerProcessRoutes } from '../../http/status-routes.js';
import type { ModuleManager } from '../../runtime/modules.js';
import { need, type Services } from '../../runtime/services.js';
import { Controller } from './controller.js';

async function initController(s: Services) {
  const { config } = s;
  const orchestrator = need(s, 'orchestrator');
  const controller = new Controller(need(s, 'bus'), orchestrator, s.log.child('controller'), {
    source: sourceShape(config.source),
    scaling: { min: config.classifiersMin, max: config.classifiersMax, lagPerReplica: config.lagPerClassifier },
    scaleIntervalMs: config.scaleIntervalMs,
  });
  const metrics = need(s, 'metrics');
  metrics.gaugeFrom('vigil_controller_classifiers', 'Classifier replicas the controller runs', async () => controller.status().classifiers);
  metrics.gaugeFrom('vigil_controller_tracker_connections', 'Tracker connections the controller runs', async () => controller.status().trackers.length);
  s.checks.push({
    name: 'orchestrator',
    // An RBAC denial or a field-manager conflict: not ready until the orchestrator applies the plan again.
    check: async () => {
      const failing = controller.status().orchestratorError;
      if (failing) throw new Error(failing);
    },
  });
  s.checks.push({
    name: 'processes',
    check: async () => {
      const notReady = (await orchestrator.status()).filter((p) => p.state !== 'ready');
      if (notReady.length > 0) throw new Error(notReady.map((p) => `${p.id} ${p.state}${p.detail ? ` (${p.detail})` : ''}`).join('; '));
    },
  });
  registerProcessRoutes(need(s, 'app'), async () => ({ controller: controller.status(), processes: await orchestrator.status() }));
  await controller.start();
  return () => controller.stop();
}

export function registerControllerModule(m: ModuleManager<Services>): void {
  m.register('controller', ['bus', 'http', 'metrics'], initController);
}
