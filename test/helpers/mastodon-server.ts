// A local Mastodon streaming server: WebSocket at /api/v1/streaming, every request recorded (URL, Authorization),
// and messages sent as given to every open socket or to one.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeMastodon {
  /** The instance's base URL (http://127.0.0.1:PORT). */
  url: string;
  requests: { url: string; auth: string | undefined }[];
  sockets: WebSocket[];
  /** Sends one message to every open socket. */
  send(message: string): void;
  close(): Promise<void>;
}

export async function startFakeMastodon(): Promise<FakeMastodon> {
  const server = createServer((_q, r) => r.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/api/v1/streaming' });
  const state: FakeMastodon = {
    url: '',
    requests: [],
    sockets: [],
    send(message) {
      for (const s of wss.clients) s.send(message);
    },
    close: async () => {
      for (const s of wss.clients) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  wss.on('connection', (ws, req) => {
    state.requests.push({ url: req.url ?? '', auth: req.headers.authorization });
    state.sockets.push(ws);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
