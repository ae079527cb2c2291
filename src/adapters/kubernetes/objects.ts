// The Kubernetes objects the controller owns, built as plain data: one ConfigMap and one Deployment per tracker
// connection, and the classifiers' HorizontalPodAutoscaler (whose floor follows the consumer lag; CPU can add more).

import type { TrackerConnection } from '../../core/plan.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: OwnerReference[] };
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ObjectContext {
  namespace: string;
  image: string;
  owner: OwnerReference | null;
  /** Bounds of the classifier autoscaler. */
  classifiersMax: number;
}

export const MANAGED_BY = 'vigil-controller';
export const COMPONENT = 'app.kubernetes.io/component';
export const PLAN_HASH = 'vigil.dev/plan-hash';

function meta(ctx: ObjectContext, name: string, component: string, extra: Record<string, string> = {}): KubeObject['metadata'] {
  return {
    name,
    namespace: ctx.namespace,
    labels: { 'app.kubernetes.io/name': 'vigil', [COMPONENT]: component, 'app.kubernetes.io/managed-by': MANAGED_BY, ...extra },
    ...(ctx.owner ? { ownerReferences: [ctx.owner] } : {}),
  };
}

export const trackerName = (c: Pick<TrackerConnection, 'id'>): string => `vigil-${c.id}`;

export function trackerConfigMap(ctx: ObjectContext, c: TrackerConnection): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(ctx, trackerName(c), 'tracker', { 'vigil.dev/connection': c.id }),
    data: {
      'keywords.json': JSON.stringify(c.keywords),
      'targets.json': JSON.stringify({ follow: c.follow ?? [], locations: c.locations ?? [] }),
      source: c.source,
      hash: c.hash,
    },
  };
}

/**
 * One pod per connection. The plan hash in the pod template makes a keyword change a rolling update, and
 * maxUnavailable 0 / maxSurge 1 makes that update make-before-break: the new pod is ready before the old one stops.
 */
export function trackerDeployment(ctx: ObjectContext, c: TrackerConnection): KubeObject {
  const selector = { 'app.kubernetes.io/name': 'vigil', 'vigil.dev/connection': c.id };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ctx, trackerName(c), 'tracker', { 'vigil.dev/connection': c.id }),
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...selector, [COMPONENT]: 'tracker' }, annotations: { [PLAN_HASH]: c.hash } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 },
          containers: [
            {
              name: 'tracker',
              image: ctx.image,
              args: ['run', '--roles', 'tracker'],
              envFrom: [{ configMapRef: { name: 'vigil-config' } }, { secretRef: { name: 'vigil-secrets' } }],
              env: [
                { name: 'VIGIL_TRACK_KEYWORDS', valueFrom: { configMapKeyRef: { name: trackerName(c), key: 'keywords.json' } } },
                { name: 'VIGIL_TRACK_TARGETS', valueFrom: { configMapKeyRef: { name: trackerName(c), key: 'targets.json' } } },
                { name: 'VIGIL_PROCESS_ID', value: c.id },
                { name: 'VIGIL_DATA', value: '/var/lib/vigil' },
              ],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 6 },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/vigil' }],
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  };
}

/** The classifiers' autoscaler: the controller raises its floor from the lag; CPU above 70 % adds replicas. */
export function classifierAutoscaler(ctx: ObjectContext, minReplicas: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(ctx, 'vigil-classifier', 'classifier'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vigil-classifier' },
      minReplicas: Math.max(1, Math.min(minReplicas, ctx.classifiersMax)),
      maxReplicas: ctx.classifiersMax,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  };
}
