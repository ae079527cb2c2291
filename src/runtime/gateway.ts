// The one address of `vigil run --roles all`: forwards each request to the process of the role that serves it, so
// the web UI and the API look the same as in embedded mode. A role that is restarting answers 503 with the reason.

import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RoleOfPath } from '../http/route-table.js';
import type { ServedNames } from '../http/served-names.js';

export interface Route {
  /** Matches the path (no query string). */
  match: (path: string) => boolean;
  /** Names the target, for the 503 message. */
  target: string;
  url: () => string | null;
}

/** The process that runs a role when roles run apart; what no route declares goes to the events role (the web UI). */
const TARGET_OF_ROLE: Record<string, string> = { analytics: 'analytics', tracker: 'tracker-0', controller: 'controller' };

/** Where each path of the API lives when roles run apart, read from the routes' own declarations. */
export function roleRoutes(roleOf: RoleOfPath, urlOf: (id: string) => string | null, controllerUrl: () => string | null): Route[] {
  const targetOf = (p: string) => TARGET_OF_ROLE[roleOf(p) ?? 'events'] ?? 'events';
  return ['controller', 'tracker-0', 'analytics', 'events'].map((target) => ({
    target,
    match: (p: string) => targetOf(p) === target,
    url: () => (target === 'controller' ? controllerUrl() : urlOf(target)),
  }));
}

/**
 * Passes a request on to `base`. The Host and Origin were checked here (`checked`), so the role process gets its own
 * address as Host and no Origin: it answers to loopback names and would not know the gateway's.
 */
export function forward(req: IncomingMessage, res: ServerResponse, base: string): void {
  const target = new URL(req.url ?? '/', base);
  const { origin: _origin, 'sec-fetch-site': _site, ...headers } = req.headers;
  const upstream = request(
    target,
    { method: req.method, headers: { ...headers, host: target.host, 'x-forwarded-for': req.socket.remoteAddress ?? '' } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    if (res.headersSent) res.destroy(err);
    else {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `the role process behind this path did not answer (${err.message}); it may be restarting: try again` }));
    }
  });
  req.pipe(upstream);
}

/** Why the gateway refuses a request (the same Host and Origin rules as every Vigil process), or null. */
export function refusal(req: IncomingMessage, names: ServedNames, port: number): string | null {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz' || path === '/readyz') return null;
  if (!names.servesHost(req.headers.host))
    return `this Vigil does not answer to the name "${String(req.headers.host ?? '')}"; give the address people use with --public-url, or add it with --allowed-hosts`;
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? 'GET')) return null;
  const origin = req.headers.origin;
  if (origin !== undefined && !names.servesOrigin(origin, port))
    return `a change sent by a page of ${origin} is refused: only Vigil's own pages (or --public-url) may change things`;
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'a change sent by a page of another site is refused';
  return null;
}

export async function startGateway(routes: Route[], port: number, host: string, names: ServedNames): Promise<{ server: Server; url: string }> {
  let actual = port;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const refused = refusal(req, names, actual);
    if (refused) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: refused }));
      return;
    }
    const route = routes.find((r) => r.match(path));
    const base = route?.url() ?? null;
    if (!route || !base) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
      res.end(JSON.stringify({ error: `the ${route?.target ?? 'role'} process is starting or restarting; try again in a moment (vigil status shows it)` }));
      return;
    }
    forward(req, res, base);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  actual = (server.address() as AddressInfo).port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` };
}
