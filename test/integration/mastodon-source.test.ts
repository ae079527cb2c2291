// The Mastodon source against a local streaming server (WebSocket at /api/v1/streaming): it asks for the chosen
// stream with the token, passes `update` and `delete` events on unchanged, and reconnects after a drop.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MastodonSource, mastodonStreamUrl } from '../../src/adapters/mastodon/mastodon-source.js';
import { classifyLine } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import { startFakeMastodon } from '../helpers/mastodon-server.js';
import { waitFor } from '../helpers/vigil-process.js';

const status = readFileSync(new URL('../fixtures/mastodon-status.json', import.meta.url), 'utf8').trim();
let close: (() => Promise<void>) | null = null;
afterEach(async () => close?.());

describe('Mastodon streaming source', () => {
  it('builds the streaming URL for public, local and hashtag streams', () => {
    expect(mastodonStreamUrl('https://mastodon.social', 'public')).toBe('wss://mastodon.social/api/v1/streaming?stream=public');
    expect(mastodonStreamUrl('https://mastodon.social', 'hashtag:Milton')).toBe('wss://mastodon.social/api/v1/streaming?stream=hashtag&tag=Milton');
    expect(mastodonStreamUrl('http://127.0.0.1:9', 'public:local')).toBe('ws://127.0.0.1:9/api/v1/streaming?stream=public%3Alocal');
  });

  it('follows a hashtag stream with the token, passes events on unchanged and reconnects after a drop', async () => {
    const server = await startFakeMastodon();
    close = server.close;
    const { requests, sockets } = server;
    const got: string[] = [];
    const source = new MastodonSource({
      instance: server.url,
      stream: 'hashtag:milton',
      token: 'tok',
      backoffMs: [20, 100],
      batchMs: 10,
    });
    await source.start(async (l) => void got.push(...l.map(String)));
    await waitFor('a connection', async () => sockets.length === 1, 5000);
    const update = JSON.stringify({ stream: ['hashtag', 'milton'], event: 'update', payload: status });
    sockets[0].send(update);
    sockets[0].send(JSON.stringify({ stream: ['hashtag', 'milton'], event: 'delete', payload: '113000000000000001' }));
    await waitFor('two events', async () => got.length === 2, 5000);
    sockets[0].terminate();
    await waitFor('a reconnection', async () => sockets.length === 2, 5000);
    sockets[1].send(update);
    await waitFor('the event after reconnecting', async () => got.length === 3, 5000);
    await source.stop();

    expect(requests[0]).toEqual({ url: '/api/v1/streaming?stream=hashtag&tag=milton', auth: 'Bearer tok' });
    expect(got[0]).toBe(update);
    expect(source.reconnectCount()).toBe(1);
    expect(source.status().reconnects).toBe(1);
    const o = classifyLine(got[0], new Matcher([{ name: 'Milton', keywords: ['#milton'], active: true }]), '2026-01-01T00:00:00Z');
    expect(o).toMatchObject({ kind: 'post', rows: [{ platform: 'mastodon', event_name: 'Milton' }] });
    expect(classifyLine(got[1], new Matcher([]), '2026-01-01T00:00:00Z')).toMatchObject({ kind: 'other', type: 'delete' });
  });
});
