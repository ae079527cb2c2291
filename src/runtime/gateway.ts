// The one address of `vigil run --roles all`: forwards each request to the process of the role that serves it, so
// the web UI and the API look the same as in embedded mode. A role that is restarting answers 503 with the reason.

import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  /** Matches the path (no query string). */
  match: (path: string) => boolean;
  /** Names the target, for the 503 message. */
  target: string;
  url: () => string | null;
}

/** Paths the analytics role serves. */
export function isAnalyticsPath(p: string): boolean {
  return p === '/api/overview' || p.startsWith('/api/query') || p === '/api/schema' || p.startsWith('/api/notebooks') || /^\/api\/events\/[^/]+\/(stats|summary|tail|export|network|keywords|coverage|reclassify|manifest)$/u.test(p);
}

/** Where each path of the API lives when roles run apart. */
export function roleRoutes(urlOf: (id: string) => string | null, controllerUrl: () => string | null): Route[] {
  const to = (target: string, match: Route['match']): Route => ({ target, match, url: () => (target === 'controller' ? controllerUrl() : urlOf(target)) });
  return [
    to('controller', (p) => p === '/healthz' || p === '/readyz' || p === '/metrics' || p === '/api/status' || p.startsWith('/api/processes')),
    to('tracker-0', (p) => p === '/api/replay'),
    to('analytics', isAnalyticsPath),
    to('events', () => true),
  ];
}

export function forward(req: IncomingMessage, res: ServerResponse, base: string): void {
  const target = new URL(req.url ?? '/', base);
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host, 'x-forwarded-for': req.socket.remoteAddress ?? '' } },
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

export async function startGateway(routes: Route[], port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
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
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` };
}
