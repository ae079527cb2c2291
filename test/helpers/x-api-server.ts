// A local X API v2: bearer-token checked; GET/POST /2/tweets/search/stream/rules (add, delete by ids) with every
// request recorded; GET /2/tweets/search/stream delivering posts that match the current rules as
// {data, includes, matching_rules} lines with `\r\n` keep-alives; 429 on demand.

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_BEARER = 'test-bearer-token';

export interface FakeX {
  url: string;
  rules: { id: string; value: string; tag: string }[];
  ruleRequests: { method: string; body: unknown }[];
  streams: { query: URLSearchParams; open: boolean }[];
  plan: ('normal' | { status: number })[];
  post(tweet: { id: string; text: string; author_id: string }, user: { id: string; username: string; name: string }): void;
  /** Sends a captured stream message as it is to every open stream (its matching_rules were the platform's). */
  sendRaw(line: string): void;
  close(): Promise<void>;
}

function terms(value: string): string[][] {
  return value
    .replace(/^\(|\)$/gu, '')
    .split(' OR ')
    .map((t) => t.replace(/"/gu, '').toLowerCase().split(/\s+/u));
}

export async function startFakeX(keepAliveMs = 100): Promise<FakeX> {
  let nextId = 1;
  const live: { res: ServerResponse; entry: FakeX['streams'][number] }[] = [];
  const state: FakeX = {
    url: '',
    rules: [],
    ruleRequests: [],
    streams: [],
    plan: [],
    post(tweet, user) {
      const words = new Set(tweet.text.toLowerCase().split(/[^\p{L}\p{N}#@]+/u));
      const matched = state.rules.filter((r) => terms(r.value).some((t) => t.every((w) => words.has(w))));
      if (matched.length === 0) return;
      const line = JSON.stringify({
        data: { ...tweet, created_at: '2024-10-09T12:00:00.000Z', edit_history_tweet_ids: [tweet.id] },
        includes: { users: [user] },
        matching_rules: matched.map((r) => ({ id: r.id, tag: r.tag })),
      });
      for (const l of live) if (l.entry.open) l.res.write(`${line}\r\n`);
    },
    sendRaw(line) {
      for (const l of live) if (l.entry.open) l.res.write(`${line}\r\n`);
    },
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${TEST_BEARER}`)
      return send(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      if (u.pathname === '/2/tweets/search/stream/rules') {
        const body = raw ? (JSON.parse(raw) as { add?: { value: string; tag: string }[]; delete?: { ids: string[] } }) : null;
        state.ruleRequests.push({ method: req.method ?? '', body });
        if (req.method === 'GET')
          return send(200, state.rules.length > 0 ? { data: state.rules, meta: { result_count: state.rules.length } } : { meta: { result_count: 0 } });
        if (body?.delete) state.rules = state.rules.filter((r) => !body.delete!.ids.includes(r.id));
        const added = (body?.add ?? []).map((r) => ({ id: String(nextId++), value: r.value, tag: r.tag }));
        state.rules.push(...added);
        return send(200, { data: added, meta: { summary: { created: added.length, deleted: body?.delete?.ids.length ?? 0 } } });
      }
      if (u.pathname === '/2/tweets/search/stream') {
        const entry = { query: u.searchParams, open: false };
        state.streams.push(entry);
        const behaviour = state.plan.shift() ?? 'normal';
        if (behaviour !== 'normal') return send(behaviour.status, { title: 'Too Many Requests', status: behaviour.status });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        entry.open = true;
        const item = { res, entry };
        live.push(item);
        const keepAlive = setInterval(() => res.write('\r\n'), keepAliveMs);
        res.on('close', () => {
          entry.open = false;
          clearInterval(keepAlive);
          live.splice(live.indexOf(item), 1);
        });
        return;
      }
      send(404, { title: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}
