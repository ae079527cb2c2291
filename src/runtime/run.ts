// `vigil run --roles …`: which roles run here, and who runs the rest.
//   roles without the controller    those roles in this process (apart from the others: a shared bus and store)
//   all (local orchestrator)        the controller here; events, analytics, trackers and classifiers as child
//                                   processes; one address for all of them (the gateway)
//   controller[,events][,analytics] those here; trackers and classifiers as child processes
//   controller (cluster)            the controller alone, having the cluster run the rest (Kubernetes)

import { fileURLToPath } from 'node:url';
import { orchestratorPlugin } from '../adapters/registry.js';
import type { Config } from '../config/index.js';
import { UsageError } from '../core/errors.js';
import type { ProcessHost } from '../core/ports.js';
import { declaredRoutes, roleOfPath } from '../http/route-table.js';
import { ServedNames } from '../http/served-names.js';
import type { Logger } from '../util/log.js';
import { assertPortFree } from '../util/port-free.js';
import { combinedStatus } from './combined-status.js';
import { roleRoutes, startGateway } from './gateway.js';
import { checkDistributable, DATA_ROLES, parseRoles, type RoleName, startProcess } from './process.js';
import { loadSecret } from './secret.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

/** Starts what `--roles` asks for; `childEnv` carries this process's settings to the processes it starts. */
export async function startRun(config: Config, childEnv: NodeJS.ProcessEnv, log: Logger): Promise<Running> {
  const roles = parseRoles(config.roles);
  const announce = process.env.VIGIL_PROCESS_ID ? 'role process ready' : undefined;
  if (!roles.includes('controller')) {
    checkDistributable(config, roles);
    return startProcess(config, roles, log, { announce });
  }
  const plugin = orchestratorPlugin(config.orchestrator);
  const others = roles.filter((r) => r !== 'controller');
  if (!plugin.local) {
    if (others.length > 0)
      throw new UsageError(
        `with --orchestrator ${plugin.name} the controller runs alone (--roles controller); ${others.join(', ')} run as the cluster's own workloads (see deploy/kubernetes)`,
      );
    const orchestrator = await plugin.create({ config, log, bin: BIN, env: childEnv, trackerEnv: {} });
    const rt = await startProcess(config, ['controller'], log, { announce, orchestrator });
    return {
      url: rt.url,
      close: async () => {
        await rt.close();
        await orchestrator.close();
      },
    };
  }
  const all = DATA_ROLES.every((r) => roles.includes(r));
  if (!all && others.some((r) => r === 'tracker' || r === 'classifier'))
    throw new UsageError('the controller starts the trackers and classifiers itself: leave them out of --roles (or run --roles all)');
  checkDistributable(config, ['classifier'], 'the controller runs trackers and classifiers as processes of their own, so all roles');
  // Every role process, this one included, checks sessions and JWTs with the same key: the one kept in the data directory.
  config = { ...config, jwtSecret: config.jwtSecret ?? (await loadSecret(config, log)).toString('base64') };
  const host = await localHost(config, childEnv, log);
  try {
    return all ? await hostEverything(config, host, log) : await hostSome(config, roles, host, log, announce);
  } catch (err) {
    await host.close();
    throw err;
  }
}

/** The local orchestrator, with every child sharing this process's settings, key and import folder. */
async function localHost(config: Config, childEnv: NodeJS.ProcessEnv, log: Logger): Promise<ProcessHost> {
  // One import folder for every process (uploads arrive at a tracker; a replacement tracker finds them).
  const env: NodeJS.ProcessEnv = { ...childEnv, VIGIL_IMPORT_DIR: config.importDir };
  if (config.jwtSecret) env.VIGIL_JWT_SECRET = config.jwtSecret;
  const { VIGIL_REPLAY: replay, VIGIL_REPLAY_RATE: rate, ...shared } = env;
  const trackerEnv = { ...(replay ? { VIGIL_REPLAY: replay } : {}), ...(rate ? { VIGIL_REPLAY_RATE: rate } : {}) };
  const plugin = orchestratorPlugin(config.orchestrator);
  if (!plugin.local) throw new UsageError(`--orchestrator ${plugin.name} does not run processes here`);
  return plugin.create({ config, log, bin: BIN, env: shared, trackerEnv });
}

/** The controller here with the roles given; trackers and classifiers as child processes. */
async function hostSome(config: Config, roles: readonly RoleName[], host: ProcessHost, log: Logger, announce: string | undefined): Promise<Running> {
  const rt = await startProcess(config, roles, log, { announce, orchestrator: host, statusOverride: (headers) => combinedStatus(host, headers) });
  return {
    url: rt.url,
    close: async () => {
      await rt.close();
      await host.close();
    },
  };
}

/** Every role as a process of its own, behind one address (the gateway). */
async function hostEverything(config: Config, host: ProcessHost, log: Logger): Promise<Running> {
  await assertPortFree(config.host, config.port);
  await host.startRole('events', 'events');
  await host.startRole('analytics', 'analytics');
  const inside = { ...config, port: 0, host: '127.0.0.1', eventsUrl: config.eventsUrl ?? host.urlOf('events') ?? undefined };
  const rt = await startProcess(inside, ['controller'], log, {
    announce: 'controller ready',
    orchestrator: host,
    statusOverride: (headers) => combinedStatus(host, headers),
  });
  const names = new ServedNames({ listenHost: config.host, publicUrl: config.publicUrl, allowedHosts: config.allowedHosts });
  const gateway = await startGateway(
    roleRoutes(
      roleOfPath(await declaredRoutes()),
      (id) => host.urlOf(id),
      () => rt.url,
    ),
    config.port,
    config.host,
    names,
  );
  log.info('vigil is running', {
    url: gateway.url,
    roles: 'all',
    processes: (await host.status()).map((p) => `${p.id}:${p.pid}`).join(' '),
    bus: config.bus,
    store: config.store,
  });
  log.info(`every role runs as its own process; see them with  vigil status --url ${gateway.url}`);
  return {
    url: gateway.url,
    close: async () => {
      await new Promise<void>((resolve) => {
        gateway.server.close(() => resolve());
        gateway.server.closeAllConnections();
      });
      await rt.close();
      await host.close();
    },
  };
}
