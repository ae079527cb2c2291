// The real payloads (test/fixtures/real/, provenance in SOURCES.md) as a live source receives them: each format's
// local test server sends the captured messages byte for byte over its real protocol (v1.1's chunked filter stream,
// X v2's filtered stream, Jetstream's and Mastodon's WebSockets); the source passes each on unchanged, and the rows
// classification makes of them are the rows written by hand, every column. The same payloads through `vigil import`
// and `vigil classify`: test/e2e/real-payloads-import.test.ts; through each store: the PostStore contract.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JetstreamSource } from '../../src/adapters/jetstream/jetstream-source.js';
import { MastodonSource } from '../../src/adapters/mastodon/mastodon-source.js';
import { TwitterStreamSource } from '../../src/adapters/twitter/twitter-stream-source.js';
import { XStreamSource } from '../../src/adapters/x/x-stream.js';
import { classifyLine } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import type { TweetRow } from '../../src/core/row.js';
import { startFakeJetstream } from '../helpers/jetstream-server.js';
import { startFakeMastodon } from '../helpers/mastodon-server.js';
import { expectRealRows, lineOf, type RealCase, realCases, realKeywords } from '../helpers/real-payloads.js';
import { startFakeTwitter, TEST_CREDENTIALS } from '../helpers/twitter-stream-server.js';
import { waitFor } from '../helpers/vigil-process.js';
import { startFakeX, TEST_BEARER } from '../helpers/x-api-server.js';

const FAST = { networkStepMs: 10, networkMaxMs: 160, httpStartMs: 20, httpMaxMs: 1280, rateLimitStartMs: 40 };
let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

const casesOf = (format: string, file: (name: string) => boolean = () => true): RealCase[] =>
  realCases().filter((c) => c.name.startsWith(`${format}/`) && file(c.expected.payload.slice(format.length + 1)));

/** Classifies what the source published for one event of every keyword the real posts match, and checks it all. */
function expectLiveRows(got: string[], sent: RealCase[]): void {
  const posts = sent.filter((c) => c.expected.kind === 'post');
  const matcher = new Matcher([{ name: 'Real', keywords: realKeywords(posts), active: true, accounts: [], boxes: [], languages: [] }]);
  const rows: TweetRow[] = [];
  let others = 0;
  for (const line of got) {
    const o = classifyLine(line, matcher, '2026-01-01T00:00:00.000Z');
    expect(o.kind, line.slice(0, 120)).not.toBe('reject');
    if (o.kind === 'post') rows.push(...o.rows);
    else others++;
  }
  expectRealRows(rows as unknown as Record<string, unknown>[], posts);
  expect(others, 'every notice is recognised as a notice').toBe(sent.length - posts.length);
}

/** Connects `source`, has its server send each captured line, and checks they arrive unchanged and give the rows. */
async function expectSentUnchanged(source: TwitterStreamSource | XStreamSource, send: (line: string) => void, sent: RealCase[]): Promise<void> {
  const got: string[] = [];
  stops.push(() => source.stop());
  await source.start(async (lines) => void got.push(...lines.map(String)));
  await source.connected(5000);
  for (const c of sent) send(lineOf(c.expected.payload));
  await waitFor('every message', async () => got.length >= sent.length, 10_000);
  expect(got).toEqual(sent.map((c) => lineOf(c.expected.payload)));
  expectLiveRows(got, sent);
}

describe('real payloads through each live source and its local test server', () => {
  it('Twitter v1.1 filter stream: every captured status and notice arrives unchanged and gives the rows written by hand', async () => {
    const sent = casesOf('twitter-v1');
    const server = await startFakeTwitter(20);
    stops.push(server.close);
    const source = new TwitterStreamSource({
      url: `${server.url}/1.1/statuses/filter.json`,
      credentials: TEST_CREDENTIALS,
      track: realKeywords(sent.filter((c) => c.expected.kind === 'post')),
      backoff: FAST,
    });
    await expectSentUnchanged(source, server.sendRaw, sent);
  });

  it('X v2 filtered stream: every captured stream message (matching_rules, expansions) arrives unchanged and gives the rows written by hand', async () => {
    const sent = casesOf('x-v2', (f) => f.startsWith('stream-') || f.startsWith('docs-stream-'));
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const server = await startFakeX(20);
    stops.push(server.close);
    await expectSentUnchanged(new XStreamSource({ base: server.url, bearer: TEST_BEARER, backoff: FAST }), server.sendRaw, sent);
  });

  it('Jetstream: captured frames arrive byte for byte; the server keeps posts, their deletes, identity and account events', async () => {
    const all = casesOf('jetstream');
    const server = await startFakeJetstream(
      all.map((c) => lineOf(c.expected.payload)),
      3,
    );
    stops.push(server.close);
    const got: string[] = [];
    const cursorFile = join(await mkdtemp(join(tmpdir(), 'vigil-real-js-')), 'cursor.json');
    const source = new JetstreamSource({ url: server.url, cursorFile, backoffMs: [20, 200], batchMs: 20 });
    stops.push(() => source.stop());
    await source.start(async (lines) => void got.push(...lines.map(String)));
    // Jetstream filters commits by collection (a like, a follow, a repost, a profile are not asked for)
    const sent = all.filter((c) => c.expected.kind !== 'reject');
    expect(sent.length).toBeGreaterThanOrEqual(12);
    await waitFor('every post, delete, identity and account event', async () => got.length >= sent.length, 10_000);
    expect(server.connections[0].collections).toEqual(['app.bsky.feed.post']);
    expect([...got].sort()).toEqual(sent.map((c) => lineOf(c.expected.payload)).sort());
    expectLiveRows(got, sent);
  });

  it('Mastodon streaming: statuses, boosts, quotes, edits and deletes arrive as the WebSocket messages sent and give the rows written by hand', async () => {
    const sent = casesOf('mastodon');
    const server = await startFakeMastodon();
    stops.push(server.close);
    // The streaming API's WebSocket message for each capture: captured WebSocket messages as they are; a server-sent
    // event's `event` and `data` (the same payload on both transports); a REST status as the `update` it streams as.
    const message = (c: RealCase): string => {
      const file = c.expected.payload;
      if (file.includes('/docs-ws-')) return JSON.stringify(JSON.parse(lineOf(file)));
      const framed = file.endsWith('.sse') ? (JSON.parse(lineOf(file)) as { event: string; payload: string }) : { event: 'update', payload: lineOf(file) };
      return JSON.stringify({ stream: ['public'], event: framed.event, payload: framed.payload });
    };
    const got: string[] = [];
    const source = new MastodonSource({ instance: server.url, stream: 'public', backoffMs: [20, 100], batchMs: 10 });
    stops.push(() => source.stop());
    await source.start(async (lines) => void got.push(...lines.map(String)));
    await waitFor('a connection', async () => server.sockets.length === 1, 5000);
    for (const c of sent) server.send(message(c));
    await waitFor('every message', async () => got.length >= sent.length, 10_000);
    expect(got).toEqual(sent.map(message));
    expectLiveRows(got, sent);
  });
});
