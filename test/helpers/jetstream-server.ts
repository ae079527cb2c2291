// A local Jetstream: WebSocket at /subscribe, JSON text frames, `wantedCollections` filtering, `cursor` (time_us)
// replay from its buffer (events built here, or frames captured from Jetstream sent byte for byte; identity and
// account events pass every collection filter, as Jetstream's do), and misbehaviour on demand: drop a connection after N events, or go silent (a stall).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface JetstreamEvent {
  did: string;
  time_us: number;
  kind: 'commit';
  commit: { rev: string; operation: 'create'; collection: string; rkey: string; record: Record<string, unknown>; cid: string };
}

export function jetstreamPost(i: number, text: string, collection = 'app.bsky.feed.post'): JetstreamEvent {
  return {
    did: `did:plc:user${i % 17}`,
    time_us: 1_725_000_000_000_000 + i * 1000,
    kind: 'commit',
    commit: {
      rev: `rev${i}`,
      operation: 'create',
      collection,
      rkey: `rkey${i}`,
      record: { $type: collection, createdAt: new Date(1_725_000_000_000 + i).toISOString(), langs: ['en'], text },
      cid: `cid${i}`,
    },
  };
}

export interface Connection {
  url: string;
  cursor: number | null;
  collections: string[];
}

export interface FakeJetstream {
  url: string;
  connections: Connection[];
  /** How each next connection behaves: 'drop after N' sends N events then cuts the TCP connection; 'stall' sends nothing. */
  plan: ({ dropAfter: number } | 'stall' | 'normal')[];
  close(): Promise<void>;
}

interface Frame {
  text: string;
  time_us: number;
  /** The commit's collection; null for identity and account events. */
  collection: string | null;
}

function frameOf(e: JetstreamEvent | string): Frame {
  const o = (typeof e === 'string' ? JSON.parse(e) : e) as { time_us: number; commit?: { collection: string } };
  return { text: typeof e === 'string' ? e : JSON.stringify(e), time_us: o.time_us, collection: o.commit?.collection ?? null };
}

export async function startFakeJetstream(events: (JetstreamEvent | string)[], perTickEvents = 20): Promise<FakeJetstream> {
  const frames = events.map(frameOf);
  const server: Server = createServer((_req, res) => res.writeHead(426).end('WebSocket only'));
  const wss = new WebSocketServer({ server, path: '/subscribe' });
  const state: FakeJetstream = { url: '', connections: [], plan: [], close: async () => {} };
  wss.on('connection', (ws: WebSocket, req) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const cursor = u.searchParams.get('cursor') === null ? null : Number(u.searchParams.get('cursor'));
    const collections = u.searchParams.getAll('wantedCollections');
    state.connections.push({ url: req.url ?? '', cursor, collections });
    const behaviour = state.plan.shift() ?? 'normal';
    if (behaviour === 'stall') return;
    const wanted = frames.filter(
      (e) => (cursor === null || e.time_us >= cursor) && (collections.length === 0 || e.collection === null || collections.includes(e.collection)),
    );
    let i = 0;
    const tick = setInterval(() => {
      for (let k = 0; k < perTickEvents && i < wanted.length; k++, i++) {
        if (typeof behaviour === 'object' && i === behaviour.dropAfter) {
          clearInterval(tick);
          ws.terminate();
          return;
        }
        ws.send(wanted[i].text);
      }
      if (i >= wanted.length) clearInterval(tick);
    }, 5);
    ws.on('close', () => clearInterval(tick));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/subscribe`;
  state.close = async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}
