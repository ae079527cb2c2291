// The Kubernetes orchestrator: applies the controller's decisions through the Kubernetes API with server-side apply
// (field manager "vigil-controller"), lists what it created by label to delete connections no longer planned, and
// sets owner references to the controller's own Deployment so deleting Vigil deletes them too.

import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import type { Config } from '../../config/index.js';
import type { TrackerConnection } from '../../core/plan.js';
import type { ManagedProcess, Orchestrator } from '../../core/ports.js';
import type { Logger } from '../../util/log.js';
import { classifierAutoscaler, COMPONENT, MANAGED_BY, trackerConfigMap, trackerDeployment, type KubeObject, type ObjectContext } from './objects.js';

export interface KubernetesOrchestratorOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  image: string;
  /** Name of the Deployment that owns what is created; null: no owner references. */
  owner: string | null;
  classifiersMax: number;
  log: Logger;
}

interface DeploymentLike extends KubernetesObject {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; replicas?: number; updatedReplicas?: number };
}

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export class KubernetesOrchestrator implements Orchestrator {
  readonly kind = 'kubernetes';

  private constructor(private readonly api: KubernetesObjectApi, private readonly ctx: ObjectContext, private readonly log: Logger) {}

  /** In a pod: the service account and its namespace; elsewhere: the kubeconfig ($KUBECONFIG or ~/.kube/config). */
  static async fromCluster(config: Config, log: Logger): Promise<KubernetesOrchestrator> {
    const kc = new KubeConfig();
    kc.loadFromDefault();
    let namespace = config.kubeNamespace;
    if (!namespace) {
      try {
        namespace = readFileSync(SA_NAMESPACE, 'utf8').trim();
      } catch {
        namespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
      }
    }
    return KubernetesOrchestrator.open({ kubeConfig: kc, namespace, image: config.kubeImage, owner: config.kubeOwner, classifiersMax: config.classifiersMax, log });
  }

  static async open(o: KubernetesOrchestratorOptions): Promise<KubernetesOrchestrator> {
    const api = KubernetesObjectApi.makeApiClient(o.kubeConfig);
    let owner: ObjectContext['owner'] = null;
    if (o.owner) {
      try {
        const d = await api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: o.owner, namespace: o.namespace } });
        if (d.metadata?.uid) owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: o.owner, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true };
      } catch (err) {
        o.log.warn(`cannot read the owner Deployment ${o.namespace}/${o.owner}, so what the controller creates will not be deleted with it: ${(err as Error).message}`);
      }
    }
    return new KubernetesOrchestrator(api, { namespace: o.namespace, image: o.image, owner, classifiersMax: o.classifiersMax }, o.log);
  }

  private async apply(obj: KubeObject): Promise<void> {
    await this.api.patch(obj as KubernetesObject, undefined, undefined, MANAGED_BY, true, PatchStrategy.ServerSideApply);
  }

  private async managed(kind: 'Deployment' | 'ConfigMap', component: string): Promise<KubernetesObject[]> {
    const apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1';
    const list = await this.api.list(apiVersion, kind, this.ctx.namespace, undefined, undefined, undefined, undefined, `app.kubernetes.io/managed-by=${MANAGED_BY},${COMPONENT}=${component}`);
    return list.items.map((i) => ({ ...i, apiVersion, kind }));
  }

  async applyTrackers(connections: readonly TrackerConnection[]): Promise<void> {
    for (const c of connections) {
      await this.apply(trackerConfigMap(this.ctx, c));
      await this.apply(trackerDeployment(this.ctx, c));
    }
    const wanted = new Set(connections.map((c) => `vigil-${c.id}`));
    for (const kind of ['Deployment', 'ConfigMap'] as const) {
      for (const obj of await this.managed(kind, 'tracker')) {
        if (obj.metadata?.name && !wanted.has(obj.metadata.name)) {
          await this.api.delete({ apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: this.ctx.namespace } }, undefined, undefined, undefined, undefined, 'Foreground');
          this.log.info('deleted a tracker connection no longer planned', { kind, name: obj.metadata.name });
        }
      }
    }
  }

  async scaleClassifiers(replicas: number): Promise<void> {
    await this.apply(classifierAutoscaler(this.ctx, replicas));
  }

  async status(): Promise<ManagedProcess[]> {
    const deployments = (await this.managed('Deployment', 'tracker')) as DeploymentLike[];
    return deployments.map((d) => {
      const want = d.spec?.replicas ?? 1;
      const ready = d.status?.readyReplicas ?? 0;
      return {
        id: d.metadata?.name ?? '?',
        role: 'tracker',
        state: ready >= want ? 'ready' : 'starting',
        pid: null,
        url: null,
        restarts: 0,
        startedAt: d.metadata?.creationTimestamp ? new Date(d.metadata.creationTimestamp).toISOString() : null,
        detail: `${ready}/${want} ready`,
      };
    });
  }

  async close(): Promise<void> {
    // What was created stays: it is the cluster's running collection, owned by the controller's Deployment.
  }
}
