// A local Twitter v1.1 streaming API: POST /1.1/statuses/filter.json with an OAuth 1.0a signature it checks, a
// chunked response of `\r\n`-delimited JSON with blank keep-alive lines, the posts of a shared "firehose" that match
// each connection's `track`, and misbehaviour on demand per connection: HTTP 420/429/503, a stall, a reset, a
// truncated message, a huge message, a `limit` notice, a `disconnect` message.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { oauth1Signature, parseOAuthHeader } from '../../src/adapters/twitter/oauth1.js';

export const TEST_CREDENTIALS = { consumerKey: 'test-consumer', consumerSecret: 'test-consumer-secret', token: 'test-token', tokenSecret: 'test-token-secret' };

/** The same credentials as Vigil reads them from its environment. */
export const TEST_CREDENTIALS_ENV = {
  VIGIL_TWITTER_CONSUMER_KEY: TEST_CREDENTIALS.consumerKey,
  VIGIL_TWITTER_CONSUMER_SECRET: TEST_CREDENTIALS.consumerSecret,
  VIGIL_TWITTER_TOKEN: TEST_CREDENTIALS.token,
  VIGIL_TWITTER_TOKEN_SECRET: TEST_CREDENTIALS.tokenSecret,
};

export type Behaviour = 'normal' | 'stall' | 'truncate' | 'huge' | 'disconnect' | { status: number } | { resetAfter: number } | { limit: number };

export interface StreamConnection {
  track: string[];
  follow: string[];
  locations: number[];
  signed: boolean;
  at: number;
  open: boolean;
  delivered: number;
  /** When the client closed it (a make-before-break replacement opens the next one before this). */
  closedAt?: number;
}

export interface FakeTwitter {
  url: string;
  connections: StreamConnection[];
  plan: Behaviour[];
  /** Sends a post to every open connection tracking one of its words. */
  post(tweet: {
    id_str: string;
    text: string;
    user?: { id_str: string; screen_name: string };
    coordinates?: { type: 'Point'; coordinates: number[] };
    [k: string]: unknown;
  }): void;
  /** Sends a captured line as it is to every open connection (the platform chose it; nothing is matched here). */
  sendRaw(line: string): void;
  close(): Promise<void>;
}

/** Twitter's filter: any track phrase, a followed author, or coordinates inside a `locations` box. */
function matches(
  c: StreamConnection,
  tweet: {
    text: string;
    user?: { id_str?: string };
    coordinates?: { coordinates?: number[] };
    entities?: { user_mentions?: { screen_name: string }[]; hashtags?: { text: string }[] };
  },
): boolean {
  // the text, and (as Twitter documents) hashtag texts and mentioned screen names
  const words = new Set(tweet.text.toLowerCase().split(/[^\p{L}\p{N}#@]+/u));
  for (const m of tweet.entities?.user_mentions ?? []) words.add(m.screen_name.toLowerCase());
  for (const h of tweet.entities?.hashtags ?? []) words.add(h.text.toLowerCase());
  if (
    c.track.some((phrase) =>
      phrase
        .toLowerCase()
        .split(/\s+/u)
        .every((w) => words.has(w)),
    )
  )
    return true;
  if (tweet.user?.id_str && c.follow.includes(tweet.user.id_str)) return true;
  const p = tweet.coordinates?.coordinates;
  for (let i = 0; p && i + 3 < c.locations.length; i += 4) {
    const [w, s, e, n] = c.locations.slice(i, i + 4);
    if (p[0] >= w && p[0] <= e && p[1] >= s && p[1] <= n) return true;
  }
  return false;
}

export async function startFakeTwitter(keepAliveMs = 200): Promise<FakeTwitter> {
  const live: { conn: StreamConnection; res: ServerResponse; behaviour: Behaviour }[] = [];
  const state: FakeTwitter = {
    url: '',
    connections: [],
    plan: [],
    post(tweet) {
      const full = { created_at: 'Mon Oct 29 20:00:00 +0000 2012', user: { id_str: '1', screen_name: 'someone' }, ...tweet };
      const line = JSON.stringify(full);
      for (const l of live) {
        if (!l.conn.open || !matches(l.conn, full)) continue;
        l.res.write(`${line}\r\n`);
        l.conn.delivered++;
        if (typeof l.behaviour === 'object' && 'resetAfter' in l.behaviour && l.conn.delivered >= l.behaviour.resetAfter) {
          l.conn.open = false;
          l.res.socket?.destroy();
        }
      }
    },
    sendRaw(line) {
      for (const l of live) if (l.conn.open) l.res.write(`${line}\r\n`);
    },
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/1.1/statuses/filter.json')) {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const oauth = parseOAuthHeader(req.headers.authorization ?? '');
      const { oauth_signature: sig, ...rest } = oauth;
      const url = `${state.url}/1.1/statuses/filter.json`;
      const signed =
        sig !== undefined && oauth1Signature('POST', url, { ...form, ...rest }, TEST_CREDENTIALS.consumerSecret, TEST_CREDENTIALS.tokenSecret) === sig;
      const list = (v: string | undefined): string[] => (v ?? '').split(',').filter(Boolean);
      const conn: StreamConnection = {
        track: list(form.track),
        follow: list(form.follow),
        locations: list(form.locations).map(Number),
        signed,
        at: Date.now(),
        open: false,
        delivered: 0,
      };
      state.connections.push(conn);
      if (!signed) {
        res.writeHead(401, { 'content-type': 'text/html' }).end('<html>401 Unauthorized</html>');
        return;
      }
      const behaviour = state.plan.shift() ?? 'normal';
      if (typeof behaviour === 'object' && 'status' in behaviour) {
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.status === 420 ? 'Enhance Your Calm' : 'Service Unavailable');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      if (behaviour === 'stall') return;
      if (behaviour === 'truncate') {
        res.end('{"id_str":"999","text":"cut off in the mid');
        return;
      }
      if (behaviour === 'huge') res.write(`{"id_str":"998","text":"${'x'.repeat(3 << 20)}"}\r\n`);
      if (typeof behaviour === 'object' && 'limit' in behaviour)
        res.write(`${JSON.stringify({ limit: { track: behaviour.limit, timestamp_ms: String(Date.now()) } })}\r\n`);
      if (behaviour === 'disconnect') {
        res.end(`${JSON.stringify({ disconnect: { code: 7, stream_name: 'vigil', reason: 'admin logout' } })}\r\n`);
        return;
      }
      conn.open = true;
      const entry = { conn, res, behaviour };
      live.push(entry);
      const keepAlive = setInterval(() => res.write('\r\n'), keepAliveMs);
      const gone = (): void => {
        conn.open = false;
        conn.closedAt = Date.now();
        clearInterval(keepAlive);
        live.splice(live.indexOf(entry), 1);
      };
      res.on('close', gone);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const l of live) l.res.socket?.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}
