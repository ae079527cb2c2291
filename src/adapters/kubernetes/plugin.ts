// The Kubernetes orchestrator: the controller creates Deployments through the Kubernetes API.

import type { ClusterOrchestratorPlugin } from '../plugin.js';
import { KUBERNETES_SETTINGS } from './settings.js';

export const kubernetesOrchestrator: ClusterOrchestratorPlugin = {
  name: 'kubernetes',
  doc: 'Deployments created by server-side apply through the Kubernetes API (deploy/kubernetes)',
  settings: KUBERNETES_SETTINGS,
  local: false,
  async create({ config, log }) {
    const { KubernetesOrchestrator } = await import('./kubernetes-orchestrator.js');
    return KubernetesOrchestrator.fromCluster(config, log);
  },
};
