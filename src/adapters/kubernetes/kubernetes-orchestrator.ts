// The Kubernetes orchestrator: applies the controller's decisions through the Kubernetes API with server-side apply
// (field manager "vigil-controller"), lists what it created by label to delete connections no longer planned, and
// sets owner references to the controller's own Deployment so deleting Vigil deletes them too.
//
// Applies do not force. A field Vigil sets that someone else changed since (`kubectl scale`, `kubectl edit`, another
// controller) is a conflict: Vigil leaves the object as it is and the error names the object, the fields and the
// other field manager, until that change is undone or the object deleted (Vigil then re-creates it). One exception:
// the classifier autoscaler's floor (spec.minReplicas) is Vigil's by design, so Vigil takes it back and says so.
// An RBAC denial says which verb on which resource the controller's Role lacks.

import { readFileSync } from 'node:fs';
import { ApiException, KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type { Config } from '../../config/index.js';
import { errorMessage } from '../../core/errors.js';
import type { TrackerConnection } from '../../core/plan.js';
import type { ManagedProcess, Orchestrator } from '../../core/ports.js';
import type { Logger } from '../../util/log.js';
import { COMPONENT, classifierAutoscaler, type KubeObject, MANAGED_BY, type ObjectContext, trackerConfigMap, trackerDeployment } from './objects.js';

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

  private constructor(
    private readonly api: KubernetesObjectApi,
    private readonly ctx: ObjectContext,
    private readonly log: Logger,
  ) {}

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
    return KubernetesOrchestrator.open({
      kubeConfig: kc,
      namespace,
      image: config.kubeImage,
      owner: config.kubeOwner,
      classifiersMax: config.classifiersMax,
      log,
    });
  }

  static async open(o: KubernetesOrchestratorOptions): Promise<KubernetesOrchestrator> {
    const api = KubernetesObjectApi.makeApiClient(o.kubeConfig);
    let owner: ObjectContext['owner'] = null;
    if (o.owner) {
      try {
        const d = await api.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: o.owner, namespace: o.namespace } });
        if (d.metadata?.uid)
          owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: o.owner, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true };
      } catch (err) {
        const reason =
          err instanceof ApiException && err.code === 404
            ? 'it does not exist'
            : kubeError('read', { kind: 'Deployment', metadata: { name: o.owner, namespace: o.namespace } }, err).message;
        o.log.warn(`cannot read the owner Deployment ${o.namespace}/${o.owner}, so what the controller creates will not be deleted with it: ${reason}`);
      }
    }
    return new KubernetesOrchestrator(api, { namespace: o.namespace, image: o.image, owner, classifiersMax: o.classifiersMax }, o.log);
  }

  private async apply(obj: KubeObject, takeBack: readonly string[] = []): Promise<void> {
    try {
      await this.api.patch(obj as KubernetesObject, undefined, undefined, MANAGED_BY, false, PatchStrategy.ServerSideApply);
    } catch (err) {
      const fields = conflictFields(err);
      if (fields.length === 0 || !fields.every((f) => takeBack.includes(f.field))) throw kubeError('apply', obj, err);
      await this.api.patch(obj as KubernetesObject, undefined, undefined, MANAGED_BY, true, PatchStrategy.ServerSideApply).catch((e: unknown) => {
        throw kubeError('apply', obj, e);
      });
      this.log.info(
        `took back ${fields.map((f) => f.field).join(', ')} of ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}: the controller sets it`,
        { from: fields.map((f) => f.manager).join(', ') },
      );
    }
  }

  private async managed(kind: 'Deployment' | 'ConfigMap', component: string): Promise<KubernetesObject[]> {
    const apiVersion = kind === 'Deployment' ? 'apps/v1' : 'v1';
    const list = await this.api
      .list(
        apiVersion,
        kind,
        this.ctx.namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        `app.kubernetes.io/managed-by=${MANAGED_BY},${COMPONENT}=${component}`,
      )
      .catch((err: unknown) => {
        throw kubeError('list', { kind, metadata: { name: '', namespace: this.ctx.namespace } }, err);
      });
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
          const ref = {
            apiVersion: obj.apiVersion ?? (kind === 'Deployment' ? 'apps/v1' : 'v1'),
            kind: obj.kind ?? kind,
            metadata: { name: obj.metadata.name, namespace: this.ctx.namespace },
          };
          await this.api.delete(ref, undefined, undefined, undefined, undefined, 'Foreground').catch((err: unknown) => {
            if (!(err instanceof ApiException && err.code === 404)) throw kubeError('delete', ref, err);
          });
          this.log.info('deleted a tracker connection no longer planned', { kind, name: obj.metadata.name });
        }
      }
    }
  }

  async scaleClassifiers(replicas: number): Promise<void> {
    await this.apply(classifierAutoscaler(this.ctx, replicas), ['.spec.minReplicas']);
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

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

function statusOf(err: unknown): { code: number; body: StatusBody } | null {
  if (!(err instanceof ApiException)) return null;
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = { message: body };
    }
  }
  return { code: err.code as number, body: (body ?? {}) as StatusBody };
}

/** The fields of a server-side apply conflict and who manages them now; none when it is not one. */
export function conflictFields(err: unknown): { field: string; manager: string }[] {
  const s = statusOf(err);
  if (s?.code !== 409) return [];
  return (s.body.details?.causes ?? [])
    .flatMap((c) => (c.reason === 'FieldManagerConflict' && c.field ? [{ ...c, field: c.field }] : []))
    .map((c) => ({ field: c.field, manager: /conflict with "([^"]+)"/u.exec(c.message ?? '')?.[1] ?? '?' }));
}

/** One line saying what the API server refused and what to do about it (the client's own message is a page of JSON). */
export function kubeError(verb: 'apply' | 'read' | 'list' | 'delete', obj: Pick<KubeObject, 'kind' | 'metadata'>, err: unknown): Error {
  const s = statusOf(err);
  const what = obj.metadata.name ? `${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}` : `${obj.kind}s in namespace ${obj.metadata.namespace}`;
  if (!s) return new Error(`cannot ${verb} ${what}: ${errorMessage(err)}`);
  const said = s.body.message ?? `HTTP ${s.code}`;
  // RBAC's refusal says "cannot VERB resource"; an admission plugin's 403 (a quota, pod security) says something else.
  if (s.code === 403 && / cannot [a-z]+ resource /u.test(said))
    return new Error(
      `Kubernetes RBAC denied the controller: ${said}. Add that verb to the controller's Role (deploy/kubernetes/50-controller.yaml) and apply it; the controller retries by itself`,
    );
  if (s.code === 401)
    return new Error(`Kubernetes did not accept the controller's credentials (${verb} ${what}): ${said}. Check its service account token or kubeconfig`);
  const conflicts = conflictFields(err);
  if (conflicts.length > 0) {
    const by = [...new Set(conflicts.map((c) => c.manager))].join(', ');
    return new Error(
      `field manager conflict on ${what}: ${conflicts.map((c) => c.field).join(', ')} changed by ${by} (not by Vigil), so Vigil did not overwrite ${conflicts.length === 1 ? 'it' : 'them'}. ` +
        `Undo that change (set the field back) or delete ${obj.kind} ${obj.metadata.name} so the controller re-creates it; it retries by itself`,
    );
  }
  return new Error(`cannot ${verb} ${what}: ${said} (HTTP ${s.code}${s.body.reason ? ` ${s.body.reason}` : ''})`);
}
