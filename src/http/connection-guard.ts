// Keeps slow or idle clients from holding the server: headers must arrive within 10 s; a request body (other than an
// upload, which has its own idle and rate limits) within 30 s; and at most `maxConnections` connections are open. When
// the cap is reached, the connection that has waited longest without being served — still sending its headers or
// body, or idle between requests — is closed to make room, so a new request (a health probe, a person) still gets in;
// connections whose requests are being answered are never cut. Waits are timed on the monotonic clock: a step of the
// wall clock (NTP, a resumed VM) neither cuts every waiting connection at once nor lets a slow one stay.

import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

type State = 'headers' | 'body' | 'answering' | 'idle';

export interface ConnectionGuardOptions {
  maxConnections: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** Requests whose body streams for longer (uploads): their handler enforces its own idle and rate limits. */
  longBody?: (req: IncomingMessage) => boolean;
}

/** The soft limit of open files of this process (Linux), or null when unknown. */
export function openFileLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/mu.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The connection cap: what was asked, but never more than half the files this process may open. */
export function connectionCap(wanted: number): number {
  const files = openFileLimit();
  return Math.max(16, files ? Math.min(wanted, Math.floor(files / 2)) : wanted);
}

export function guardConnections(server: Server, o: ConnectionGuardOptions): void {
  const sockets = new Map<Socket, { state: State; since: number }>();
  const set = (s: Socket, state: State): void => {
    const c = sockets.get(s);
    if (c) {
      c.state = state;
      c.since = performance.now();
    }
  };
  const headersMs = o.headersTimeoutMs ?? 10_000;
  const keepAliveMs = o.keepAliveTimeoutMs ?? 10_000;
  server.headersTimeout = headersMs;
  server.requestTimeout = 0; // bodies are timed below, per request (uploads may take long, but not idle)
  server.keepAliveTimeout = keepAliveMs;
  // Node checks headersTimeout only every 30 s: a sweep each second closes what waited too long for its headers
  // (a new connection, or an idle one whose next request never completes).
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [s, c] of sockets) {
      const limit = c.state === 'headers' ? headersMs : c.state === 'idle' ? keepAliveMs + headersMs : Number.POSITIVE_INFINITY;
      if (now - c.since > limit) {
        sockets.delete(s);
        s.destroy();
      }
    }
  }, 1000);
  sweep.unref();
  server.once('close', () => clearInterval(sweep));

  server.on('connection', (socket: Socket) => {
    if (sockets.size >= o.maxConnections) {
      let victim: Socket | null = null;
      let oldest = Number.POSITIVE_INFINITY;
      for (const [s, c] of sockets) if (c.state !== 'answering' && c.since < oldest) [victim, oldest] = [s, c.since];
      if (victim) {
        sockets.delete(victim);
        victim.destroy();
      } else {
        socket.destroy();
        return;
      }
    }
    sockets.set(socket, { state: 'headers', since: performance.now() });
    socket.once('close', () => sockets.delete(socket));
  });

  server.on('request', (req: IncomingMessage, res) => {
    const socket = req.socket;
    const long = o.longBody?.(req) ?? false;
    set(socket, req.complete || long ? 'answering' : 'body');
    let timer: NodeJS.Timeout | null = null;
    if (!req.complete && !long) {
      timer = setTimeout(() => {
        if (req.complete) return;
        if (!res.headersSent)
          res
            .writeHead(408, { 'content-type': 'application/json', connection: 'close' })
            .end(JSON.stringify({ error: 'the request body did not arrive in time; send it at once' }));
        socket.destroy();
      }, o.bodyTimeoutMs ?? 30_000);
      timer.unref();
    }
    req.once('end', () => {
      if (timer) clearTimeout(timer);
      set(socket, 'answering');
    });
    res.once('finish', () => {
      if (timer) clearTimeout(timer);
      set(socket, 'idle');
    });
  });
}
