// One Vigil process: the modules of the roles it runs, started in dependency order, then the server listens and the
// work that waits for it starts (sources, the sign-in link). `vigil start` runs the four data roles here over the
// embedded log and DuckDB; `vigil run --roles …` runs some of them, meeting the others through Kafka and Cassandra.
//   <data>/bus/                  the durable log and consumer offsets (embedded bus)
//   <data>/vigil.duckdb          events and, with the DuckDB store, posts, rejects, deletions, coverage
//   <data>/accounts.duckdb       accounts, sessions, tokens, credentials, audit, notebooks (out of reach of SQL)
//   <data>/replay-progress.json  how far each replayed file was published; replay-active.json: the replay to resume

import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { notShared } from '../adapters/registry.js';
import { authEnabled, type Config } from '../config/index.js';
import { UsageError } from '../core/errors.js';
import { type PostStore, TOPICS } from '../core/ports.js';
import { registerIndexRoutes } from '../http/index-routes.js';
import { registerAnalyticsModule } from '../roles/analytics/module.js';
import { CLASSIFIER_GROUP } from '../roles/classifier/classifier.js';
import { registerClassifierModule } from '../roles/classifier/module.js';
import { registerControllerModule } from '../roles/controller/module.js';
import { registerEventsModule } from '../roles/events/module.js';
import { registerTrackerModule } from '../roles/tracker/module.js';
import type { Logger } from '../util/log.js';
import { assertPortFree } from '../util/port-free.js';
import { registerInfrastructure } from './infra-modules.js';
import { ModuleManager, type Stop } from './modules.js';
import { need, ROLE_NAMES, type RoleName, type Services } from './services.js';
import { registerStatusModule } from './status.js';

export { ROLE_NAMES, type RoleName } from './services.js';

/** The roles that hold data paths; `vigil start` runs these four in one process. */
export const DATA_ROLES: readonly RoleName[] = ['events', 'tracker', 'classifier', 'analytics'];

/** `--roles tracker,classifier` or `all`; throws a message naming the valid roles. */
export function parseRoles(value: string): RoleName[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.includes('all')) return [...ROLE_NAMES];
  const bad = parts.filter((p) => !(ROLE_NAMES as readonly string[]).includes(p));
  if (parts.length === 0 || bad.length > 0)
    throw new UsageError(
      `--roles ${JSON.stringify(value)}: ${bad.length > 0 ? `unknown role ${bad.join(', ')}` : 'no role given'}; choose from ${ROLE_NAMES.join(', ')} or all (comma-separated)`,
    );
  return ROLE_NAMES.filter((r) => parts.includes(r));
}

/** Roles apart from each other need a bus and a store that processes elsewhere reach; says what to change. */
export function checkDistributable(config: Config, roles: readonly RoleName[], who = `roles ${roles.join(',')} run apart from the others, so they`): void {
  if (DATA_ROLES.every((r) => roles.includes(r))) return;
  const local = notShared(config);
  const missing: string[] = [];
  if (local.bus) missing.push('--bus kafka');
  if (local.store && roles.some((r) => r === 'classifier' || r === 'analytics')) missing.push('--store cassandra');
  if (missing.length > 0)
    throw new UsageError(`${who} must share a bus and a store: add ${missing.join(' ')} (or run every role in one process with 'vigil start')`);
}

export interface RoleProcess {
  url: string;
  roles: readonly RoleName[];
  services: Services;
  /** Raw posts not yet classified and stored. */
  lag(): Promise<number>;
  /** Stops collection, finishes the batch in hand, and closes everything. */
  close(): Promise<void>;
}

export interface ProcessOptions extends Partial<Pick<Services, 'orchestrator' | 'statusOverride'>> {
  /** The line saying the process is up (default "vigil is running"; role processes of `vigil run` say so instead). */
  announce?: string;
}

/** Every module a process may run. */
function modules(): ModuleManager<Services> {
  const m = new ModuleManager<Services>();
  registerInfrastructure(m);
  registerEventsModule(m);
  registerTrackerModule(m);
  registerClassifierModule(m);
  registerAnalyticsModule(m);
  registerControllerModule(m);
  registerStatusModule(m);
  m.register('index', ['http'], (s) => registerIndexRoutes(need(s, 'app'), need(s, 'index')));
  return m;
}

/** Listens, starts what waits for the server, and says how to use it. */
async function listen(s: Services): Promise<string> {
  const { config, log } = s;
  const app = need(s, 'app');
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  s.url = url;
  for (const work of s.afterListen) await work(url);
  const withAuth = authEnabled(config);
  if (withAuth && s.events) await need(s, 'auth').ensureCliToken(join(config.dataDir, 'cli-token'));
  if (s.announce === 'vigil is running' && s.events) await hints(s, url, withAuth);
  if (!withAuth)
    log.warn(
      `accounts are OFF (--auth off): anyone who can reach ${url}, any other user of this machine included, acts as admin; leave --auth on unless this machine is yours alone`,
    );
  if (withAuth && s.events) {
    const browser = config.publicUrl?.replace(/\/$/u, '') ?? (['0.0.0.0', '::'].includes(config.host) ? `http://127.0.0.1:${port}` : url);
    log.info(
      `sign in: open ${browser}/signin?code=${await need(s, 'auth').signInCode()} in your browser (good once, for an hour; \`vigil login\` prints a new one)`,
    );
  }
  log.info(s.announce, { url, roles: s.roles.join(','), auth: withAuth ? 'on' : 'off', data: config.dataDir, bus: config.bus, store: config.store });
  return url;
}

async function hints(s: Services, url: string, withAuth: boolean): Promise<void> {
  const bearer = withAuth ? ` -H "Authorization: Bearer $(cat ${join(s.config.dataDir, 'cli-token')})"` : '';
  if ((await need(s, 'eventCatalog').list()).filter((e) => e.active).length === 0)
    s.log.info(
      `no active events yet: add one in the UI, or  curl -X POST ${url}/api/events${bearer} -H 'content-type: application/json' -d '{"name":"2012 Hurricane Sandy","keywords":["sandy","flooding"]}'`,
    );
  s.log.info(`endpoints: GET ${url}/api lists them (OpenAPI: ${url}/api/openapi.json)`);
}

/** Starts the modules of `roles` in this process, then the server. */
export async function startProcess(config: Config, roles: readonly RoleName[], log: Logger, options: ProcessOptions = {}): Promise<RoleProcess> {
  // The announcement last: an option given as undefined (no VIGIL_PROCESS_ID) must not erase the default.
  const s: Services = { config, log, roles, checks: [], afterListen: [], ...options, announce: options.announce ?? 'vigil is running' };
  const targets = [...roles, 'status', 'index', ...(roles.includes('events') ? [] : ['event-catalog'])];
  await assertPortFree(config.host, config.port);
  const stop: Stop = await modules().start(targets, s);
  try {
    const url = await listen(s);
    const bus = need(s, 'bus');
    return { url, roles, services: s, lag: () => bus.lag(TOPICS.raw, CLASSIFIER_GROUP), close: async () => void (await stop()) };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Opens the data directory's store alone (its lock, the database, the store: no bus, role or server), runs `work` on
 * it and closes it: work on the stored rows once the roles have stopped, such as counting their terms after an import
 * with the cores the import gave its parsing.
 */
export async function withStoreAlone<T>(config: Config, log: Logger, work: (store: PostStore) => Promise<T>): Promise<T> {
  const s: Services = { config, log, roles: [], checks: [], afterListen: [], announce: '' };
  const stop = await modules().start(['store'], s);
  try {
    return await work(need(s, 'store'));
  } finally {
    await stop();
  }
}
