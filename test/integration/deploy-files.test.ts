// The deployment files: the Kubernetes manifests, and the objects the controller creates, validate against the
// Kubernetes OpenAPI schemas (kubernetes-validate, strict: unknown fields fail); each role has probes, resources
// and a non-root user; the Dockerfile is multi-stage, non-root and health-checked; the compose file runs each role.

import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { classifierAutoscaler, trackerConfigMap, trackerDeployment } from '../../src/adapters/kubernetes/objects.js';
import { TWITTER_V1_SHAPE } from '../../src/adapters/twitter/plugin.js';
import { planTrackers } from '../../src/core/plan.js';

const exec = promisify(execFile);
const DIR = new URL('../../deploy/', import.meta.url);
const K8S = join(DIR.pathname, 'kubernetes');
const manifests = readdirSync(K8S)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => join(K8S, f));
type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
const objects: Obj[] = manifests.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as Obj));

/** kubernetes-validate from PyPI (.ci/run installs it); a missing validator is a failure, not a skip. */
async function validate(files: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await exec('python3', ['-m', 'kubernetes_validate', '--strict', '--kubernetes-version', '1.34.0', ...files]);
    return { ok: true, out: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    if (/No module named kubernetes_validate/u.test(e.stderr ?? ''))
      throw new Error('kubernetes-validate is missing: python3 -m pip install --user kubernetes-validate (.ci/run installs it)');
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('Kubernetes manifests', () => {
  it('validate against the Kubernetes 1.34 OpenAPI schemas, strictly', async () => {
    const r = await validate(manifests);
    expect(r.out).not.toMatch(/ERROR/u);
    expect(r.ok).toBe(true);
    expect(r.out.match(/passed/gu)?.length).toBe(objects.length);
  });

  it('the objects the controller applies validate too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-k8s-'));
    const ctx = {
      namespace: 'vigil',
      image: 'vigil:0.1.0',
      owner: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'vigil-controller',
        uid: '0b8f3f2e-8c71-4a36-9d0c-2f1e6f1d9a10',
        controller: true,
        blockOwnerDeletion: true,
      },
      classifiersMax: 4,
    };
    const [conn] = planTrackers([{ keywords: ['sandy', 'flooding'], active: true }], TWITTER_V1_SHAPE);
    const file = join(dir, 'controller-objects.yaml');
    await writeFile(file, [trackerConfigMap(ctx, conn), trackerDeployment(ctx, conn), classifierAutoscaler(ctx, 2)].map((o) => stringify(o)).join('---\n'));
    const r = await validate([file]);
    expect(r.out).not.toMatch(/ERROR/u);
    expect(r.ok).toBe(true);
  });

  it('the validator does reject a wrong manifest (so the checks above can fail)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-k8s-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, readFileSync(join(K8S, '40-classifier.yaml'), 'utf8').replace('maxReplicas: 4', 'maxReplica: 4'));
    const r = await validate([file]);
    expect(r.ok).toBe(false);
    expect(r.out).toMatch(/maxReplica/u);
  });

  it('run every role but the tracker as a Deployment with probes, resources and a non-root user (the controller creates trackers)', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const roles = deployments.map((d) => {
      const pod = (d.spec!.template as { spec: { containers: Record<string, unknown>[]; securityContext: { runAsNonRoot: boolean } } }).spec;
      const c = pod.containers[0] as { args: string[]; readinessProbe: unknown; livenessProbe: unknown; resources: { requests: unknown; limits: unknown } };
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.readinessProbe).toBeDefined();
      expect(c.livenessProbe).toBeDefined();
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      return c.args[c.args.indexOf('--roles') + 1];
    });
    expect(roles.sort()).toEqual(['analytics', 'classifier', 'controller', 'events']);
  });

  it('keep the event state on a volume claim, autoscale classifiers, and give the controller only what it needs', () => {
    expect(objects.some((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'vigil-events-data')).toBe(true);
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler')!;
    expect((hpa.spec!.scaleTargetRef as { name: string }).name).toBe('vigil-classifier');
    const role = objects.find((o) => o.kind === 'Role') as unknown as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    expect(objects.some((o) => o.kind === 'ClusterRole')).toBe(false);
    const all = role.rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    expect(all).not.toContain('*');
    expect(role.rules.flatMap((r) => r.resources).sort()).toEqual(['configmaps', 'deployments', 'horizontalpodautoscalers']);
  });
});

describe('container files', () => {
  it('the Dockerfile is multi-stage, runs as a non-root user and is health-checked', () => {
    const df = readFileSync(join(DIR.pathname, 'Dockerfile'), 'utf8');
    expect(df.match(/^FROM /gmu)?.length).toBe(2);
    expect(df).toMatch(/^USER 10001/mu);
    expect(df).toMatch(/^HEALTHCHECK .*\n.*\/healthz/mu);
    expect(df).toMatch(/npm prune --omit=dev/u);
  });

  it('the compose file runs each role as its own service over Kafka and Cassandra', () => {
    const compose = parse(readFileSync(join(DIR.pathname, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
    };
    const roles = Object.values(compose.services).flatMap((s) => (s.command?.[0] === 'run' ? [s.command[s.command.indexOf('--roles') + 1]] : []));
    expect(roles.sort()).toEqual(['analytics', 'classifier', 'events', 'tracker']);
    expect(compose.services.events.environment).toMatchObject({ VIGIL_BUS: 'kafka', VIGIL_STORE: 'cassandra' });
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'cassandra']));
  });
});
