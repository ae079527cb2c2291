import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardConnections } from '../../src/http/connection-guard.js';

const HEADERS_MS = 1500;
const HOUR = 3_600_000;

let server: Server | null = null;

async function guardedServer(): Promise<number> {
  server = createServer((_req, res) => res.end('ok'));
  guardConnections(server, { maxConnections: 16, headersTimeoutMs: HEADERS_MS });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A connection that sends the start of a request and never ends its headers. */
async function slowHeaders(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.on('error', () => undefined);
  const started = performance.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
  socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
  return { socket, closed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  vi.useRealTimers();
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

describe('connection guard and the wall clock', () => {
  it('does not cut a waiting connection early when the wall clock jumps an hour ahead', async () => {
    const port = await guardedServer();
    const { socket, closed } = await slowHeaders(port);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + HOUR);
    await sleep(HEADERS_MS - 500); // the guard sweeps every second: at least one sweep has run
    expect(socket.destroyed).toBe(false);
    expect(await closed).toBeGreaterThanOrEqual(HEADERS_MS);
  });

  it('still cuts a connection whose headers never end when the wall clock steps an hour back', async () => {
    const port = await guardedServer();
    const { closed } = await slowHeaders(port);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - HOUR);
    expect(await Promise.race([closed, sleep(10_000).then(() => Number.POSITIVE_INFINITY)])).toBeLessThan(HEADERS_MS + 3000);
  });
});
