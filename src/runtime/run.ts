// `vigil run --roles …`: which roles run here, and who runs the rest.
//   roles without the controller    those roles in this process (apart from the others: Kafka + Cassandra)
//   all (local orchestrator)        the controller here; events, analytics, trackers and classifiers as child
//                                   processes; one address for all of them (the gateway)
//   controller[,events][,analytics] those here; trackers and classifiers as child processes
//   controller (kubernetes)         the controller alone, creating Deployments through the Kubernetes API

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Orchestrator } from '../core/ports.js';
import { LocalOrchestrator } from '../adapters/local/local-orchestrator.js';
import { Controller } from '../roles/controller.js';
import type { Logger } from '../util/log.js';
import { startGateway, roleRoutes } from './gateway.js';
import { checkDistributable, DATA_ROLES, parseRoles, startRoles, type RoleName, type RoleProcessOptions } from './roles.js';
import { loadSecret } from './secret.js';
import { ServedNames } from '../http/served-names.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

/** The controller role for a process: the routes and checks it adds once the bus is open, and how to stop it. */
function controllerPart(config: Config, orchestrator: Orchestrator, log: Logger): { extend: RoleProcessOptions['extend']; stop(): Promise<void> } {
  let running: Controller | null = null;
  const extend: RoleProcessOptions['extend'] = async ({ app, checks, metrics, bus }) => {
    const controller = new Controller(bus, orchestrator, log, {
      source: config.source,
      scaling: { min: config.classifiersMin, max: config.classifiersMax, lagPerReplica: config.lagPerClassifier },
      scaleIntervalMs: config.scaleIntervalMs,
    });
    running = controller;
    metrics.gaugeFrom('vigil_controller_classifiers', 'Classifier replicas the controller runs', async () => controller.status().classifiers);
    metrics.gaugeFrom('vigil_controller_tracker_connections', 'Tracker connections the controller runs', async () => controller.status().trackers.length);
    checks.push({
      name: 'orchestrator',
      // An RBAC denial or a field-manager conflict: not ready until the orchestrator applies the plan again.
      check: async () => {
        const failing = controller.status().orchestratorError;
        if (failing) throw new Error(failing);
      },
    });
    checks.push({
      name: 'processes',
      check: async () => {
        const notReady = (await orchestrator.status()).filter((p) => p.state !== 'ready');
        if (notReady.length > 0) throw new Error(notReady.map((p) => `${p.id} ${p.state}${p.detail ? ` (${p.detail})` : ''}`).join('; '));
      },
    });
    app.get('/api/processes', { config: { access: 'read' } }, async () => ({ controller: controller.status(), processes: await orchestrator.status() }));
    await controller.start();
  };
  return { extend, stop: async () => void (await running?.stop()) };
}

type Counts = Record<'lines' | 'posts' | 'rows' | 'rejected' | 'other' | 'limited', number>;
interface RoleStatus {
  tracker?: { source: unknown; published: number } | null;
  classifier?: { counts?: Counts; workers?: number; activeEvents?: number; lag?: number };
  keywords?: unknown;
  rejectsStored?: number | null;
}

/** One status for the processes the local orchestrator runs, shaped like embedded mode's (the UI reads it). */
async function combinedStatus(local: LocalOrchestrator, headers: Record<string, string>): Promise<unknown> {
  const processes = await local.status();
  const answers = await Promise.all(
    processes.map(async (p) => {
      if (!p.url) return { p, s: null };
      try {
        const res = await fetch(`${p.url}/api/status`, { headers, signal: AbortSignal.timeout(3000) });
        return { p, s: res.ok ? ((await res.json()) as RoleStatus) : null };
      } catch {
        return { p, s: null };
      }
    }),
  );
  const of = (role: string) => answers.filter((a) => a.p.role === role && a.s).map((a) => a.s!);
  const trackers = of('tracker');
  const classifiers = of('classifier');
  const counts: Counts = { lines: 0, posts: 0, rows: 0, rejected: 0, other: 0, limited: 0 };
  for (const c of classifiers) for (const k of Object.keys(counts) as (keyof Counts)[]) counts[k] += c.classifier?.counts?.[k] ?? 0;
  const any = answers.find((a) => a.s)?.s;
  return {
    mode: 'roles as processes (local orchestrator)',
    tracker: { source: trackers[0]?.tracker?.source ?? null, published: trackers.reduce((n, t) => n + (t.tracker?.published ?? 0), 0) },
    classifier: {
      counts,
      lag: any?.classifier?.lag ?? null,
      workers: classifiers.reduce((n, c) => n + (c.classifier?.workers ?? 0), 0),
      activeEvents: Math.max(0, ...classifiers.map((c) => c.classifier?.activeEvents ?? 0)),
    },
    keywords: any?.keywords ?? null,
    rejectsStored: of('analytics')[0]?.rejectsStored ?? null,
    processes,
  };
}

/** Starts what `--roles` asks for; `childEnv` carries this process's settings to the processes it starts. */
export async function startRun(config: Config, childEnv: NodeJS.ProcessEnv, log: Logger): Promise<Running> {
  const roles = parseRoles(config.roles);
  const announce = process.env.VIGIL_PROCESS_ID ? 'role process ready' : undefined;
  if (!roles.includes('controller')) {
    checkDistributable(config, roles);
    return startRoles(config, roles, log, { announce });
  }
  const others = roles.filter((r) => r !== 'controller');
  const all = DATA_ROLES.every((r) => roles.includes(r));

  if (config.orchestrator === 'kubernetes') {
    if (others.length > 0) throw new Error(`with --orchestrator kubernetes the controller runs alone (--roles controller); ${others.join(', ')} run as their own Deployments (see deploy/kubernetes)`);
    const { KubernetesOrchestrator } = await import('../adapters/kubernetes/kubernetes-orchestrator.js');
    const orchestrator = await KubernetesOrchestrator.fromCluster(config, log);
    const part = controllerPart(config, orchestrator, log);
    const rt = await startRoles(config, ['controller'], log, { extend: part.extend, announce });
    return { url: rt.url, close: async () => (await part.stop(), await orchestrator.close(), await rt.close()) };
  }

  if (!all && others.some((r) => r === 'tracker' || r === 'classifier'))
    throw new Error('the controller starts the trackers and classifiers itself: leave them out of --roles (or run --roles all)');
  checkDistributable(config, ['classifier'], 'the controller runs trackers and classifiers as processes of their own, so all roles');
  // One import folder for every process (uploads arrive at a tracker; a replacement tracker finds them).
  const env: NodeJS.ProcessEnv = { ...childEnv, VIGIL_IMPORT_DIR: config.importDir };
  await mkdir(config.dataDir, { recursive: true });
  if (!config.jwtSecret) {
    // Every role process checks sessions and JWTs with the same key: the one kept in the data directory.
    const secret = (await loadSecret(config, log)).toString('base64');
    env.VIGIL_JWT_SECRET = secret;
    config = { ...config, jwtSecret: secret };
  }
  const { VIGIL_REPLAY: replay, VIGIL_REPLAY_RATE: rate, ...shared } = env;
  const local = new LocalOrchestrator({
    bin: BIN,
    env: shared,
    trackerEnv: { ...(replay ? { VIGIL_REPLAY: replay } : {}), ...(rate ? { VIGIL_REPLAY_RATE: rate } : {}) },
    dataDir: config.dataDir,
    handoverOverlapMs: config.handoverOverlapMs,
    log,
  });
  const part = controllerPart(config, local, log);
  const inProcess: RoleName[] = all ? ['controller'] : roles;
  try {
    if (all) {
      await local.startRole('events', 'events');
      await local.startRole('analytics', 'analytics');
    }
    const eventsUrl = all ? local.urlOf('events') : null;
    const rt = await startRoles(all ? { ...config, port: 0, host: '127.0.0.1', eventsUrl: config.eventsUrl ?? eventsUrl ?? undefined } : config, inProcess, log, {
      extend: part.extend,
      announce: all ? 'controller ready' : announce,
      status: (headers) => combinedStatus(local, headers),
    });
    const closeAll = async (): Promise<void> => {
      await part.stop();
      await local.close();
      await rt.close();
    };
    if (!all) return { url: rt.url, close: closeAll };
    const names = new ServedNames({ listenHost: config.host, publicUrl: config.publicUrl, allowedHosts: config.allowedHosts });
    const gateway = await startGateway(roleRoutes((id) => local.urlOf(id), () => rt.url), config.port, config.host, names);
    log.info('vigil is running', { url: gateway.url, roles: 'all', processes: (await local.status()).map((p) => `${p.id}:${p.pid}`).join(' '), bus: `kafka ${config.kafkaBrokers}`, store: `cassandra ${config.cassandraContactPoints}/${config.cassandraKeyspace}` });
    log.info(`every role runs as its own process; see them with  vigil status --url ${gateway.url}`);
    return {
      url: gateway.url,
      close: async () => {
        await new Promise<void>((resolve) => {
          gateway.server.close(() => resolve());
          gateway.server.closeAllConnections();
        });
        await closeAll();
      },
    };
  } catch (err) {
    await part.stop();
    await local.close();
    throw err;
  }
}
