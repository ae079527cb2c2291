// The controller against a real Kubernetes control plane (scripts/engines/kubernetes.sh: kube-apiserver,
// kube-controller-manager and kube-scheduler over etcd, kwok simulating a node whose pods turn Running and Ready) and
// a real Kafka broker. `vigil run --roles controller --orchestrator kubernetes` runs as a process with a service-account
// token bound only to the Role read from deploy/kubernetes/50-controller.yaml; the deploy files are applied with
// kubectl as the README says. What is checked is what the API server and Kubernetes' own controllers did: objects
// read back, ReplicaSets watched during a rollout, garbage collection, RBAC denials and field-manager conflicts.

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ApiException, CoreV1Api, KubeConfig, type KubernetesObject, KubernetesObjectApi, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { KafkaBus } from '../../src/adapters/kafka/kafka-bus.js';
import { classifierAutoscaler, type KubeObject, type ObjectContext, trackerConfigMap, trackerDeployment } from '../../src/adapters/kubernetes/objects.js';
import { TWITTER_V1_SHAPE } from '../../src/adapters/twitter/plugin.js';
import type { VigilEvent } from '../../src/core/event.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { eventStateRecords } from '../../src/core/event-state.js';
import { planTrackers, type TrackerConnection } from '../../src/core/plan.js';
import { TOPICS } from '../../src/core/ports.js';
import { KAFKA } from '../helpers/engines.js';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOY = join(ROOT, 'deploy', 'kubernetes');
const IMAGE = 'vigil:0.1.0';
const MAX = 4;

/** The engine's admin kubeconfig and kubectl: from the environment (scripts/test.sh sets them) or from the script. */
async function engine(): Promise<{ kubeconfig: string; kubectl: string }> {
  let kubeconfig = process.env.VIGIL_KUBECONFIG;
  let kubectl = process.env.VIGIL_KUBECTL;
  if (!kubeconfig || !kubectl) {
    const { stdout } = await exec(join(ROOT, 'scripts/engines/kubernetes.sh'), ['env']);
    const env = Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .map((l) => l.split('=', 2) as [string, string]),
    );
    kubeconfig ??= env.VIGIL_KUBECONFIG;
    kubectl ??= env.VIGIL_KUBECTL;
  }
  try {
    await exec(kubectl!, ['--kubeconfig', kubeconfig!, 'get', '--raw', '/readyz']);
  } catch (err) {
    throw new Error(`no Kubernetes control plane answers (start one with scripts/engines/kubernetes.sh up; npm test does): ${(err as Error).message}`);
  }
  return { kubeconfig: kubeconfig!, kubectl: kubectl! };
}

type Obj = KubernetesObject & {
  metadata: { name: string; namespace?: string };
  rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  subjects?: { namespace?: string }[];
};

/** The deploy files' objects, moved into namespace `ns` (the Namespace itself left out); `role` may edit the Role. */
function deployObjects(ns: string, role: (r: Obj) => void = () => undefined): Obj[] {
  const files = readdirSync(DEPLOY)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const objs = files.flatMap((f) => parseAllDocuments(readFileSync(join(DEPLOY, f), 'utf8')).map((d) => d.toJS() as Obj));
  return objs
    .filter((o) => o.kind !== 'Namespace')
    .map((o) => {
      o.metadata.namespace = ns;
      for (const s of o.subjects ?? []) s.namespace = ns;
      if (o.kind === 'Role') role(o);
      return o;
    });
}

const ev = (name: string, keywords: string[]): VigilEvent => ({
  id: legacyEventId(name),
  name,
  keywords,
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

interface Readyz {
  status: string;
  checks: { name: string; ok: boolean; reason?: string }[];
}

let k8s: { kubeconfig: string; kubectl: string };
let admin: KubeConfig;
let objects: KubernetesObjectApi;
let core: CoreV1Api;
const running: VigilProcess[] = [];
const buses: KafkaBus[] = [];
const namespaces: string[] = [];

const kubectl = async (...args: string[]): Promise<string> => (await exec(k8s.kubectl, ['--kubeconfig', k8s.kubeconfig, ...args])).stdout;

async function read<T extends KubernetesObject = KubernetesObject & Record<string, unknown>>(
  apiVersion: string,
  kind: string,
  ns: string,
  name: string,
): Promise<T | null> {
  try {
    return (await objects.read({ apiVersion, kind, metadata: { name, namespace: ns } })) as T;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return null;
    throw err;
  }
}

async function list(apiVersion: string, kind: string, ns: string, selector: string): Promise<(KubernetesObject & Record<string, unknown>)[]> {
  return (await objects.list(apiVersion, kind, ns, undefined, undefined, undefined, undefined, selector)).items as (KubernetesObject &
    Record<string, unknown>)[];
}

/**
 * A namespace with the deploy files applied by kubectl (client-side, as the README does), the secret they expect,
 * and a kubeconfig for the controller's service account: a TokenRequest token, so it has that Role and nothing else.
 */
async function install(ns: string, role?: (r: Obj) => void): Promise<{ kubeconfig: string; ctx: ObjectContext }> {
  const dir = await mkdtemp(join(tmpdir(), `vigil-${ns}-`));
  await kubectl('create', 'namespace', ns);
  namespaces.push(ns);
  await kubectl(
    '-n',
    ns,
    'create',
    'secret',
    'generic',
    'vigil-secrets',
    '--from-literal=VIGIL_JWT_SECRET=test-only-secret-of-32-characters!!',
    '--from-literal=VIGIL_ADMIN_PASSWORD=test-only',
  );
  await writeFile(
    join(dir, 'deploy.yaml'),
    deployObjects(ns, role)
      .map((o) => stringify(o))
      .join('---\n'),
  );
  await kubectl('apply', '-f', join(dir, 'deploy.yaml'));
  const token = await core.createNamespacedServiceAccountToken({
    name: 'vigil-controller',
    namespace: ns,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = admin.getCurrentCluster()!;
  const kubeconfig = join(dir, 'controller.kubeconfig');
  await writeFile(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'vigil-dev', cluster: { server: cluster.server, 'certificate-authority': cluster.caFile } }],
      users: [{ name: 'vigil-controller', user: { token: token.status!.token } }],
      contexts: [{ name: 'controller', context: { cluster: 'vigil-dev', user: 'vigil-controller', namespace: ns } }],
      'current-context': 'controller',
    }),
  );
  const owner = (await read('apps/v1', 'Deployment', ns, 'vigil-controller'))!;
  const ctx: ObjectContext = {
    namespace: ns,
    image: IMAGE,
    classifiersMax: MAX,
    owner: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vigil-controller', uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true },
  };
  return { kubeconfig, ctx };
}

/** `vigil run --roles controller --orchestrator kubernetes` with the controller's kubeconfig, over its own Kafka topics. */
async function controller(ns: string, kubeconfig: string, topics: string): Promise<VigilProcess> {
  const data = await mkdtemp(join(tmpdir(), 'vigil-k8s-controller-'));
  const v = await startVigil(
    // Accounts off: /readyz then says why a check fails to any caller (with accounts on, only to a signed-in one).
    [
      '--roles',
      'controller',
      '--orchestrator',
      'kubernetes',
      '--auth',
      'off',
      '--kube-namespace',
      ns,
      '--image',
      IMAGE,
      '--kube-owner',
      'vigil-controller',
      '--source',
      'twitter-v1',
      '--bus',
      'kafka',
      '--kafka-brokers',
      KAFKA,
      '--kafka-namespace',
      topics,
      '--kafka-raw-partitions',
      '1',
      '--data',
      data,
      '--classifiers-min',
      '1',
      '--classifiers-max',
      String(MAX),
      '--lag-per-classifier',
      '100',
      '--scale-interval-ms',
      '500',
    ],
    { KUBECONFIG: kubeconfig, VIGIL_JWT_SECRET: 'test-only-secret-of-32-characters!!' },
    'run',
  );
  running.push(v);
  return v;
}

async function openBus(topics: string): Promise<KafkaBus> {
  const bus = await KafkaBus.open({ brokers: KAFKA.split(','), namespace: topics, rawPartitions: 1, warn: () => undefined, retryDelayMs: 200 });
  buses.push(bus);
  return bus;
}

const publishState = (bus: KafkaBus, events: VigilEvent[]) =>
  bus.publish(TOPICS.events, eventStateRecords(events, { action: 'snapshot', name: null }, new Date().toISOString()));

const readyz = async (v: VigilProcess): Promise<Readyz & { code: number }> => {
  const r = await v.api<Readyz>('GET', '/readyz');
  return { ...r.body, code: r.status };
};

/** waitFor, and when the time runs out, what the controller's /readyz says (an RBAC denial, a conflict). */
async function until<T>(v: VigilProcess, what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  try {
    return await waitFor(what, fn, timeoutMs);
  } catch (err) {
    const failing = await readyz(v).then(
      (r) => r.checks.filter((c) => !c.ok),
      () => [],
    );
    throw new Error(
      `${(err as Error).message}${failing.length ? `; the controller's /readyz says: ${failing.map((c) => `${c.name}: ${c.reason}`).join('; ')}` : ''}`,
    );
  }
}

type DeploymentLike = KubernetesObject & {
  spec: { replicas: number; template: { metadata: { annotations?: Record<string, string> } } };
  status?: { readyReplicas?: number; updatedReplicas?: number; replicas?: number; observedGeneration?: number };
};

/** The Deployment of a connection rolled out with this plan: updated, ready, and the old pods gone. */
async function rolledOut(ns: string, c: TrackerConnection): Promise<DeploymentLike | undefined> {
  const d = await read<DeploymentLike>('apps/v1', 'Deployment', ns, `vigil-${c.id}`);
  if (!d || d.spec.template.metadata.annotations?.['vigil.dev/plan-hash'] !== c.hash) return undefined;
  const s = d.status ?? {};
  return s.observedGeneration === d.metadata?.generation && s.updatedReplicas === 1 && s.readyReplicas === 1 && s.replicas === 1 ? d : undefined;
}

beforeAll(async () => {
  k8s = await engine();
  admin = new KubeConfig();
  admin.loadFromFile(k8s.kubeconfig);
  objects = KubernetesObjectApi.makeApiClient(admin);
  core = admin.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  for (const v of running) await v.stop().catch(() => undefined);
  for (const b of buses) await b.close().catch(() => undefined);
  // The namespace controller deletes what is left in them (a control plane kept running does not fill up).
  if (namespaces.length > 0) await kubectl('delete', 'namespace', '--wait=false', ...namespaces).catch(() => undefined);
});

describe('the deploy files against the API server', () => {
  it('kubectl apply --dry-run=server accepts every manifest in deploy/kubernetes', async () => {
    // The namespace has to exist for the namespaced objects' dry run; it is created for real, the rest only checked.
    await kubectl('apply', '-f', join(DEPLOY, '00-namespace.yaml'));
    const out = await kubectl('apply', '--dry-run=server', '-f', DEPLOY);
    const documents = readdirSync(DEPLOY)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(join(DEPLOY, f), 'utf8')));
    expect(out.trim().split('\n')).toHaveLength(documents.length);
    expect(
      out
        .trim()
        .split('\n')
        .every((l) => l.endsWith('(server dry run)')),
    ).toBe(true);
  });
});

describe('the controller with the Role in deploy/ (server-side apply, rollouts, garbage collection)', () => {
  const ns = `vigil-${randomUUID().slice(0, 8)}`;
  const topics = `k8s${randomUUID().slice(0, 8)}.`;
  let ctx: ObjectContext;
  let v: VigilProcess;
  let bus: KafkaBus;
  let plan: TrackerConnection[];

  beforeAll(async () => {
    const installed = await install(ns);
    ctx = installed.ctx;
    bus = await openBus(topics);
    v = await controller(ns, installed.kubeconfig, topics);
  });

  it('creates the tracker ConfigMap and Deployment and the classifier autoscaler by server-side apply, and they read back as planned', async () => {
    await publishState(bus, [ev('Sandy', ['sandy', 'flooding'])]);
    plan = planTrackers([ev('Sandy', ['sandy', 'flooding'])], TWITTER_V1_SHAPE);
    expect(plan).toHaveLength(1);
    const d = await until(v, 'the tracker Deployment rolled out on the simulated node', () => rolledOut(ns, plan[0]), 60_000);

    const planned: KubeObject[] = [trackerConfigMap(ctx, plan[0]), trackerDeployment(ctx, plan[0]), classifierAutoscaler(ctx, 1)];
    for (const p of planned) {
      const live = (await read(p.apiVersion, p.kind, ns, p.metadata.name))!;
      // What Vigil planned is what the API server keeps (it adds defaults and status, which Vigil does not set).
      expect(live).toMatchObject(p as Record<string, unknown>);
      const managers = (live.metadata!.managedFields ?? []).filter((m) => m.manager === 'vigil-controller');
      expect(managers.map((m) => m.operation)).toEqual(['Apply']);
    }
    expect(d.status?.readyReplicas).toBe(1);
    const pods = await list('v1', 'Pod', ns, 'vigil.dev/connection=tracker-0');
    expect(pods.map((p) => (p.status as { phase: string }).phase)).toEqual(['Running']);
    expect((pods[0].spec as { nodeName: string }).nodeName).toBe('vigil-kwok-node');
    await until(v, '/readyz 200', async () => (await readyz(v)).code === 200, 30_000);
  });

  it('a keyword change rolls the tracker make-before-break: the new ReplicaSet is ready before the old one scales down', async () => {
    const seen: { name: string; hash: string; replicas: number; ready: number }[] = [];
    const watching = await new Watch(admin).watch(
      `/apis/apps/v1/namespaces/${ns}/replicasets`,
      { labelSelector: 'vigil.dev/connection=tracker-0' },
      (
        _phase,
        rs: {
          metadata: { name: string };
          spec: { replicas: number; template: { metadata: { annotations: Record<string, string> } } };
          status: { readyReplicas?: number };
        },
      ) =>
        seen.push({
          name: rs.metadata.name,
          hash: rs.spec.template.metadata.annotations['vigil.dev/plan-hash'],
          replicas: rs.spec.replicas,
          ready: rs.status.readyReplicas ?? 0,
        }),
      () => undefined,
    );
    try {
      const events = [ev('Sandy', ['sandy', 'flooding', 'evacuate'])];
      const next = planTrackers(events, TWITTER_V1_SHAPE);
      expect(next[0].hash).not.toBe(plan[0].hash);
      await publishState(bus, events);
      await until(v, 'the new plan rolled out', () => rolledOut(ns, next[0]), 60_000);
      await until(v, 'the old ReplicaSet scaled to 0 in the watch', async () => seen.some((e) => e.hash === plan[0].hash && e.replicas === 0), 30_000);

      const oldDown = seen.findIndex((e) => e.hash === plan[0].hash && e.replicas === 0);
      const newReady = seen.findIndex((e) => e.hash === next[0].hash && e.ready >= 1);
      expect(newReady).toBeGreaterThanOrEqual(0);
      expect(newReady).toBeLessThan(oldDown);
      // And at no point in between was nothing ready: maxUnavailable 0.
      const ready = new Map<string, number>();
      for (const e of seen.slice(0, oldDown + 1)) {
        ready.set(e.name, e.ready);
        expect([...ready.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      }
      const cm = (await read<KubernetesObject & { data: Record<string, string> }>('v1', 'ConfigMap', ns, 'vigil-tracker-0'))!;
      expect(JSON.parse(cm.data['keywords.json'])).toEqual(['evacuate', 'flooding', 'sandy']);
      plan = next;
    } finally {
      watching.abort();
    }
  });

  it('a split into two connections creates a second Deployment and ConfigMap, and joining them again deletes both', async () => {
    const many = [
      ev(
        'Sandy',
        Array.from({ length: 500 }, (_, i) => `kw${i}`),
      ),
    ];
    const two = planTrackers(many, TWITTER_V1_SHAPE);
    expect(two).toHaveLength(2);
    await publishState(bus, many);
    await until(v, 'both connections rolled out', async () => (await rolledOut(ns, two[0])) && (await rolledOut(ns, two[1])), 60_000);
    expect(await read('v1', 'ConfigMap', ns, 'vigil-tracker-1')).not.toBeNull();

    const one = [ev('Sandy', ['sandy', 'flooding'])];
    plan = planTrackers(one, TWITTER_V1_SHAPE);
    await publishState(bus, one);
    await until(
      v,
      'the second connection deleted, with its ReplicaSets and pods',
      async () => {
        const left = [
          await read('apps/v1', 'Deployment', ns, 'vigil-tracker-1'),
          await read('v1', 'ConfigMap', ns, 'vigil-tracker-1'),
          ...(await list('apps/v1', 'ReplicaSet', ns, 'vigil.dev/connection=tracker-1')),
          ...(await list('v1', 'Pod', ns, 'vigil.dev/connection=tracker-1')),
        ];
        return left.every((o) => o === null);
      },
      60_000,
    );
    await until(v, 'the first connection back on the small plan', () => rolledOut(ns, plan[0]), 60_000);
  });

  it('the consumer lag raises the autoscaler floor, and the HPA controller scales the classifiers up to it', async () => {
    await bus.publish(
      TOPICS.raw,
      Array.from({ length: 300 }, (_, i) => ({ key: `post-${i}`, value: '{}' })),
    );
    // 300 unclassified posts at 100 per replica: a floor of 3.
    const hpa = await until(
      v,
      'the floor at 3',
      async () => {
        const h = await read<KubernetesObject & { spec: { minReplicas: number; maxReplicas: number } }>(
          'autoscaling/v2',
          'HorizontalPodAutoscaler',
          ns,
          'vigil-classifier',
        );
        return h?.spec.minReplicas === 3 ? h : undefined;
      },
      30_000,
    );
    expect(hpa.spec.maxReplicas).toBe(MAX);
    // kubectl's client-side apply of deploy/ owned the floor too (at 1): a conflict, which Vigil resolves by taking
    // the floor back, the one field it forces, and says so.
    const owners = (hpa.metadata!.managedFields ?? []).filter((m) => JSON.stringify(m.fieldsV1 ?? {}).includes('"f:minReplicas"')).map((m) => m.manager);
    expect(owners).toEqual(['vigil-controller']);
    const tookBack = new RegExp(
      `took back \\.spec\\.minReplicas of HorizontalPodAutoscaler ${ns}/vigil-classifier: the controller sets it from=kubectl-client-side-apply`,
      'u',
    );
    await waitFor('the log line saying the floor was taken back', async () => tookBack.test(v.log()), 10_000);
    await until(
      v,
      'the classifier Deployment scaled to the floor and ready',
      async () => {
        const d = await read<DeploymentLike>('apps/v1', 'Deployment', ns, 'vigil-classifier');
        return d?.spec.replicas === 3 && d.status?.readyReplicas === 3;
      },
      60_000,
    );
    await until(v, '/readyz 200', async () => (await readyz(v)).code === 200, 30_000);
  });

  it('a field someone else changed is a field-manager conflict: Vigil leaves it, says so in its log and /readyz, and applies once it is undone', async () => {
    await kubectl('-n', ns, 'scale', 'deployment', 'vigil-tracker-0', '--replicas=2');
    const events = [ev('Sandy', ['sandy', 'flooding', 'storm'])];
    const next = planTrackers(events, TWITTER_V1_SHAPE);
    await publishState(bus, events);
    const failing = await waitFor(
      '/readyz 503 for the conflict',
      async () => {
        const r = await readyz(v);
        return r.code === 503 ? r.checks.find((c) => c.name === 'orchestrator' && !c.ok) : undefined;
      },
      30_000,
    );
    expect(failing.reason).toMatch(new RegExp(`field manager conflict on Deployment ${ns}/vigil-tracker-0: \\.spec\\.replicas changed by kubectl`, 'u'));
    expect(failing.reason).toMatch(/Vigil did not overwrite it\. Undo that change/u);
    await waitFor('the conflict in the log', async () => v.log().includes(`field manager conflict on Deployment ${ns}/vigil-tracker-0`), 10_000);
    const d = (await read<DeploymentLike>('apps/v1', 'Deployment', ns, 'vigil-tracker-0'))!;
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.metadata.annotations?.['vigil.dev/plan-hash']).toBe(plan[0].hash);

    await kubectl('-n', ns, 'scale', 'deployment', 'vigil-tracker-0', '--replicas=1');
    await until(v, 'the new plan rolled out after the change was undone', () => rolledOut(ns, next[0]), 60_000);
    await until(v, '/readyz 200 again', async () => (await readyz(v)).code === 200, 30_000);
    await waitFor('the recovery in the log', async () => /the orchestrator applied the trackers again/u.test(v.log()), 10_000);
    plan = next;
  });

  it("deleting the controller's Deployment deletes what it created (garbage collection through owner references)", async () => {
    // Its pod would go with it: the controller stops first, so nothing re-creates what is collected.
    await v.stop();
    await kubectl('-n', ns, 'delete', 'deployment', 'vigil-controller');
    await waitFor(
      'the trackers, their ConfigMaps, ReplicaSets and pods, and the autoscaler gone',
      async () => {
        const left = [
          ...(await list('apps/v1', 'Deployment', ns, 'app.kubernetes.io/managed-by=vigil-controller')),
          ...(await list('v1', 'ConfigMap', ns, 'app.kubernetes.io/managed-by=vigil-controller')),
          ...(await list('apps/v1', 'ReplicaSet', ns, 'app.kubernetes.io/component=tracker')),
          ...(await list('v1', 'Pod', ns, 'app.kubernetes.io/component=tracker')),
        ];
        return left.length === 0 && (await read('autoscaling/v2', 'HorizontalPodAutoscaler', ns, 'vigil-classifier')) === null;
      },
      60_000,
    );
    // What the controller does not own stays.
    expect(await read('apps/v1', 'Deployment', ns, 'vigil-classifier')).not.toBeNull();
    expect(await read('v1', 'ConfigMap', ns, 'vigil-config')).not.toBeNull();
  });
});

describe('the controller when its Role lacks a verb', () => {
  it('an RBAC denial is in its log and /readyz, naming the verb and resource, and goes once the Role allows it', async () => {
    const ns = `vigil-${randomUUID().slice(0, 8)}`;
    const topics = `k8s${randomUUID().slice(0, 8)}.`;
    // The deploy Role without "patch" on the autoscaler: the controller sets the classifiers' floor at start.
    const { kubeconfig } = await install(ns, (r) => {
      const rule = r.rules!.find((x) => x.resources.includes('horizontalpodautoscalers'))!;
      rule.verbs = rule.verbs.filter((verb) => verb !== 'patch');
    });
    await openBus(topics);
    const v = await controller(ns, kubeconfig, topics);
    const failing = await waitFor(
      '/readyz 503 for the denial',
      async () => {
        const r = await readyz(v);
        return r.code === 503 ? r.checks.find((c) => c.name === 'orchestrator' && !c.ok) : undefined;
      },
      30_000,
    );
    expect(failing.reason).toMatch(
      new RegExp(
        `^Kubernetes RBAC denied the controller: .*User "system:serviceaccount:${ns}:vigil-controller" cannot patch resource "horizontalpodautoscalers" in API group "autoscaling"`,
        'u',
      ),
    );
    expect(failing.reason).toMatch(/Add that verb to the controller's Role \(deploy\/kubernetes\/50-controller\.yaml\)/u);
    await waitFor('the denial in the log', async () => v.log().includes('cannot patch resource "horizontalpodautoscalers"'), 10_000);

    // The Role from deploy/ as it is: the controller retries by itself.
    const dir = await mkdtemp(join(tmpdir(), 'vigil-role-'));
    await writeFile(join(dir, 'role.yaml'), stringify(deployObjects(ns).find((o) => o.kind === 'Role')));
    await kubectl('apply', '-f', join(dir, 'role.yaml'));
    await until(v, '/readyz 200 once the Role allows it', async () => (await readyz(v)).code === 200, 30_000);
    await v.stop();
  });
});
