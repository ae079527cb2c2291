// The Kubernetes orchestrator against a local HTTP server that answers like the Kubernetes API (discovery, read,
// list, server-side apply, delete) and records every request: the exact objects applied for create, keyword
// change, scale and delete, with server-side apply, the field manager and owner references.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesOrchestrator } from '../../src/adapters/kubernetes/kubernetes-orchestrator.js';
import { TWITTER_V1_SHAPE } from '../../src/adapters/twitter/plugin.js';
import { planTrackers } from '../../src/core/plan.js';
import { silentLogger } from '../../src/util/log.js';

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: Record<string, unknown> | null;
}

const DISCOVERY: Record<string, { kind: string; name: string }[]> = {
  '/api/v1': [{ kind: 'ConfigMap', name: 'configmaps' }],
  '/apis/apps/v1': [{ kind: 'Deployment', name: 'deployments' }],
  '/apis/autoscaling/v2': [{ kind: 'HorizontalPodAutoscaler', name: 'horizontalpodautoscalers' }],
};

/** A fake API server: objects live in a map keyed by path, so list and delete see what apply created. */
/** A refusal the fake server answers a PATCH to `path` with (a conflict only while the apply does not force). */
interface Refusal {
  path: string;
  code: 403 | 409;
  message: string;
  causes?: { reason: string; message: string; field: string }[];
}

async function fakeApiServer(
  refusals: Refusal[] = [],
): Promise<{ server: Server; url: string; requests: Recorded[]; objects: Map<string, Record<string, unknown>> }> {
  const requests: Recorded[] = [];
  const objects = new Map<string, Record<string, unknown>>();
  objects.set('/apis/apps/v1/namespaces/crisis/deployments/vigil-controller', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'vigil-controller', namespace: 'crisis', uid: 'uid-controller-1' },
  });
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const rec: Recorded = {
        method: req.method ?? '',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        contentType: req.headers['content-type'],
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : null,
      };
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (DISCOVERY[u.pathname]) {
        const gv = u.pathname === '/api/v1' ? 'v1' : u.pathname.slice('/apis/'.length);
        return send(200, {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: gv,
          resources: DISCOVERY[u.pathname].map((r) => ({
            ...r,
            singularName: r.kind.toLowerCase(),
            namespaced: true,
            verbs: ['get', 'list', 'patch', 'delete'],
          })),
        });
      }
      requests.push(rec);
      if (req.method === 'GET' && objects.has(u.pathname)) return send(200, objects.get(u.pathname));
      const isList = ['configmaps', 'deployments', 'horizontalpodautoscalers'].includes(u.pathname.split('/').at(-1)!);
      if (req.method === 'GET' && !isList) return send(404, { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
      if (req.method === 'GET') {
        const selector = (u.searchParams.get('labelSelector') ?? '')
          .split(',')
          .filter(Boolean)
          .map((s) => s.split('='));
        const items = [...objects.entries()]
          .filter(([p]) => p.startsWith(`${u.pathname}/`))
          .map(([, o]) => o)
          .filter((o) => selector.every(([k, v]) => (o.metadata as { labels?: Record<string, string> }).labels?.[k] === v));
        return send(200, { apiVersion: 'v1', kind: 'List', metadata: {}, items });
      }
      const refusal = refusals.find((r) => r.path === u.pathname && (r.code === 403 || u.searchParams.get('force') !== 'true'));
      if (req.method === 'PATCH' && refusal)
        return send(refusal.code, {
          apiVersion: 'v1',
          kind: 'Status',
          status: 'Failure',
          message: refusal.message,
          reason: refusal.code === 403 ? 'Forbidden' : 'Conflict',
          details: { causes: refusal.causes },
          code: refusal.code,
        });
      if (req.method === 'PATCH') {
        objects.set(u.pathname, { ...rec.body, metadata: { ...(rec.body!.metadata as object), uid: `uid-${u.pathname}` } });
        return send(200, objects.get(u.pathname));
      }
      if (req.method === 'DELETE') {
        objects.delete(u.pathname);
        return send(200, { apiVersion: 'v1', kind: 'Status', status: 'Success' });
      }
      send(405, { kind: 'Status', status: 'Failure', message: 'not here' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, objects };
}

function kubeConfig(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'c', cluster: 'test', user: 'u', namespace: 'crisis' }],
    currentContext: 'c',
  });
  return kc;
}

const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vigil-controller', uid: 'uid-controller-1', controller: true, blockOwnerDeletion: true };
const events = (keywords: string[]) => [{ keywords, active: true }];

let api: Awaited<ReturnType<typeof fakeApiServer>> | null = null;
afterEach(() => api?.server.close());

describe('Kubernetes orchestrator', () => {
  it('creates a ConfigMap and a make-before-break Deployment per connection with server-side apply and owner references', async () => {
    api = await fakeApiServer();
    const k = await KubernetesOrchestrator.open({
      kubeConfig: kubeConfig(api.url),
      namespace: 'crisis',
      image: 'ghcr.io/vigil/vigil:0.1.0',
      owner: 'vigil-controller',
      classifiersMax: 6,
      log: silentLogger,
    });
    const plan = planTrackers(events(['sandy', 'flooding']), TWITTER_V1_SHAPE);
    await k.applyTrackers(plan);

    const patches = api.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([
      '/api/v1/namespaces/crisis/configmaps/vigil-tracker-0',
      '/apis/apps/v1/namespaces/crisis/deployments/vigil-tracker-0',
    ]);
    for (const p of patches) {
      expect(p.contentType).toBe('application/apply-patch+yaml');
      expect(p.query).toEqual({ fieldManager: 'vigil-controller', force: 'false' });
    }
    const labels = {
      'app.kubernetes.io/name': 'vigil',
      'app.kubernetes.io/component': 'tracker',
      'app.kubernetes.io/managed-by': 'vigil-controller',
      'vigil.dev/connection': 'tracker-0',
    };
    expect(patches[0].body).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vigil-tracker-0', namespace: 'crisis', labels, ownerReferences: [owner] },
      data: { 'keywords.json': '["flooding","sandy"]', 'targets.json': '{"follow":[],"locations":[]}', source: 'twitter-v1', hash: plan[0].hash },
    });
    const d = patches[1].body as {
      metadata: unknown;
      spec: {
        replicas: number;
        strategy: unknown;
        selector: unknown;
        template: {
          metadata: { annotations: Record<string, string> };
          spec: { containers: { image: string; args: string[]; env: unknown[]; readinessProbe: unknown; livenessProbe: unknown; resources: unknown }[] };
        };
      };
    };
    expect(d.metadata).toEqual({ name: 'vigil-tracker-0', namespace: 'crisis', labels, ownerReferences: [owner] });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'vigil', 'vigil.dev/connection': 'tracker-0' } });
    expect(d.spec.template.metadata.annotations).toEqual({ 'vigil.dev/plan-hash': plan[0].hash });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/vigil/vigil:0.1.0');
    expect(c.args).toEqual(['run', '--roles', 'tracker']);
    expect(c.env).toContainEqual({ name: 'VIGIL_TRACK_KEYWORDS', valueFrom: { configMapKeyRef: { name: 'vigil-tracker-0', key: 'keywords.json' } } });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  it('on a keyword change re-applies with a new plan hash (a rolling update), and deletes connections no longer planned', async () => {
    api = await fakeApiServer();
    const k = await KubernetesOrchestrator.open({
      kubeConfig: kubeConfig(api.url),
      namespace: 'crisis',
      image: 'vigil:0.1.0',
      owner: 'vigil-controller',
      classifiersMax: 6,
      log: silentLogger,
    });
    const many = Array.from({ length: 500 }, (_, i) => `kw${i}`);
    const two = planTrackers(events(many), TWITTER_V1_SHAPE);
    expect(two).toHaveLength(2);
    await k.applyTrackers(two);
    expect([...api.objects.keys()].filter((p) => p.includes('vigil-tracker-'))).toHaveLength(4);

    api.requests.length = 0;
    const one = planTrackers(events(['sandy', 'flooding', 'evacuate']), TWITTER_V1_SHAPE);
    await k.applyTrackers(one);
    const deployment = api.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/vigil-tracker-0'))!.body as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    expect(deployment.spec.template.metadata.annotations['vigil.dev/plan-hash']).toBe(one[0].hash);
    expect(one[0].hash).not.toBe(two[0].hash);
    const deletes = api.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path).sort()).toEqual([
      '/api/v1/namespaces/crisis/configmaps/vigil-tracker-1',
      '/apis/apps/v1/namespaces/crisis/deployments/vigil-tracker-1',
    ]);
    const lists = api.requests.filter((r) => r.method === 'GET' && !r.path.endsWith('vigil-controller'));
    expect(lists.every((r) => r.query.labelSelector === 'app.kubernetes.io/managed-by=vigil-controller,app.kubernetes.io/component=tracker')).toBe(true);

    api.requests.length = 0;
    await k.applyTrackers([]);
    expect(
      api.requests
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/api/v1/namespaces/crisis/configmaps/vigil-tracker-0', '/apis/apps/v1/namespaces/crisis/deployments/vigil-tracker-0']);
  });

  it('scales classifiers by applying the autoscaler floor within the bounds', async () => {
    api = await fakeApiServer();
    const k = await KubernetesOrchestrator.open({
      kubeConfig: kubeConfig(api.url),
      namespace: 'crisis',
      image: 'vigil:0.1.0',
      owner: 'vigil-controller',
      classifiersMax: 6,
      log: silentLogger,
    });
    await k.scaleClassifiers(3);
    const [p] = api.requests.filter((r) => r.method === 'PATCH');
    expect(p.path).toBe('/apis/autoscaling/v2/namespaces/crisis/horizontalpodautoscalers/vigil-classifier');
    expect(p.contentType).toBe('application/apply-patch+yaml');
    expect(p.body).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'vigil-classifier',
        namespace: 'crisis',
        labels: { 'app.kubernetes.io/name': 'vigil', 'app.kubernetes.io/component': 'classifier', 'app.kubernetes.io/managed-by': 'vigil-controller' },
        ownerReferences: [owner],
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vigil-classifier' },
        minReplicas: 3,
        maxReplicas: 6,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
    await k.scaleClassifiers(0);
    expect((api.requests.at(-1)!.body as { spec: { minReplicas: number } }).spec.minReplicas).toBe(1);
  });

  it('without an owner Deployment it still works, and says that deleting Vigil will not delete what it created', async () => {
    api = await fakeApiServer();
    const warnings: string[] = [];
    const k = await KubernetesOrchestrator.open({
      kubeConfig: kubeConfig(api.url),
      namespace: 'crisis',
      image: 'vigil:0.1.0',
      owner: 'not-there',
      classifiersMax: 2,
      log: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    expect(warnings[0]).toMatch(/cannot read the owner Deployment crisis\/not-there/u);
    await k.applyTrackers(planTrackers(events(['x']), TWITTER_V1_SHAPE));
    expect((api.requests.find((r) => r.method === 'PATCH')!.body as { metadata: Record<string, unknown> }).metadata.ownerReferences).toBeUndefined();
  });

  it('a field-manager conflict on a tracker is one clear error and is not forced; the autoscaler floor is taken back', async () => {
    const deployment = '/apis/apps/v1/namespaces/crisis/deployments/vigil-tracker-0';
    const hpa = '/apis/autoscaling/v2/namespaces/crisis/horizontalpodautoscalers/vigil-classifier';
    const conflict = (field: string, manager: string) => ({ reason: 'FieldManagerConflict', message: `conflict with "${manager}" using apps/v1`, field });
    api = await fakeApiServer([
      {
        path: deployment,
        code: 409,
        message: 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
        causes: [conflict('.spec.replicas', 'kubectl')],
      },
      {
        path: hpa,
        code: 409,
        message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using autoscaling/v2: .spec.minReplicas',
        causes: [conflict('.spec.minReplicas', 'kubectl-client-side-apply')],
      },
    ]);
    const infos: string[] = [];
    const k = await KubernetesOrchestrator.open({
      kubeConfig: kubeConfig(api.url),
      namespace: 'crisis',
      image: 'vigil:0.1.0',
      owner: 'vigil-controller',
      classifiersMax: 4,
      log: { ...silentLogger, info: (m, f) => infos.push(`${m} ${JSON.stringify(f)}`) },
    });

    await expect(k.applyTrackers(planTrackers(events(['sandy']), TWITTER_V1_SHAPE))).rejects.toThrow(
      /^field manager conflict on Deployment crisis\/vigil-tracker-0: \.spec\.replicas changed by kubectl \(not by Vigil\), so Vigil did not overwrite it\. Undo that change/u,
    );
    expect(api.requests.filter((r) => r.path === deployment && r.method === 'PATCH').map((r) => r.query.force)).toEqual(['false']);

    await k.scaleClassifiers(3);
    expect(api.requests.filter((r) => r.path === hpa).map((r) => r.query.force)).toEqual(['false', 'true']);
    expect(infos.join('\n')).toMatch(/took back \.spec\.minReplicas of HorizontalPodAutoscaler crisis\/vigil-classifier.*kubectl-client-side-apply/u);
  });

  it('an RBAC denial says which verb the Role lacks and where to add it', async () => {
    const message =
      'horizontalpodautoscalers.autoscaling "vigil-classifier" is forbidden: User "system:serviceaccount:crisis:vigil-controller" cannot patch resource "horizontalpodautoscalers" in API group "autoscaling" in the namespace "crisis"';
    api = await fakeApiServer([{ path: '/apis/autoscaling/v2/namespaces/crisis/horizontalpodautoscalers/vigil-classifier', code: 403, message }]);
    const k = await KubernetesOrchestrator.open({
      kubeConfig: kubeConfig(api.url),
      namespace: 'crisis',
      image: 'vigil:0.1.0',
      owner: 'vigil-controller',
      classifiersMax: 4,
      log: silentLogger,
    });
    const err = await k.scaleClassifiers(2).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      `Kubernetes RBAC denied the controller: ${message}. Add that verb to the controller's Role (deploy/kubernetes/50-controller.yaml) and apply it; the controller retries by itself`,
    );
  });
});
