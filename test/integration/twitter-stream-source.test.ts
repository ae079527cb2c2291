// The Twitter v1.1 filter stream source against a local streaming API that checks OAuth signatures, sends
// keep-alives, notices and posts, and misbehaves: HTTP 503 and 420, a stall, a reset, a truncated and a huge message.

import { afterEach, describe, expect, it } from 'vitest';
import { reconnectDelay, TwitterStreamSource } from '../../src/adapters/twitter/twitter-stream-source.js';
import { type FakeTwitter, startFakeTwitter, TEST_CREDENTIALS } from '../helpers/twitter-stream-server.js';
import { waitFor } from '../helpers/vigil-process.js';

let server: FakeTwitter | null = null;
let source: TwitterStreamSource | null = null;
afterEach(async () => {
  await source?.stop();
  await server?.close();
});

const FAST = { networkStepMs: 10, networkMaxMs: 160, httpStartMs: 20, httpMaxMs: 1280, rateLimitStartMs: 40 };

describe('reconnect backoff (Twitter documentation)', () => {
  it('network errors: linear from 250 ms, capped at 16 s; HTTP errors: exponential from 5 s, capped at 320 s; 420/429: exponential from 1 minute', () => {
    expect([1, 2, 3, 64, 65].map((n) => reconnectDelay('network', n))).toEqual([250, 500, 750, 16_000, 16_000]);
    expect([1, 2, 3, 7, 8].map((n) => reconnectDelay('http', n))).toEqual([5000, 10_000, 20_000, 320_000, 320_000]);
    expect([1, 2, 3].map((n) => reconnectDelay('rate-limit', n))).toEqual([60_000, 120_000, 240_000]);
  });
});

describe('Twitter v1.1 filter stream source', () => {
  it('signs the request, tracks the keywords, passes posts and notices on unchanged and skips keep-alives', async () => {
    server = await startFakeTwitter(20);
    server.plan = [{ limit: 12 }];
    const got: string[] = [];
    source = new TwitterStreamSource({
      url: `${server.url}/1.1/statuses/filter.json`,
      credentials: TEST_CREDENTIALS,
      track: ['sandy', 'new york city'],
      backoff: FAST,
    });
    await source.start(async (lines) => void got.push(...lines.map(String)));
    await source.connected(5000);
    server.post({ id_str: '1', text: 'Sandy makes landfall' });
    server.post({ id_str: '2', text: 'sunny in Denver' });
    server.post({ id_str: '3', text: 'flooding in New York City tonight' });
    await waitFor('two posts', async () => got.length >= 3, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.connections[0]).toMatchObject({ signed: true, track: ['sandy', 'new york city'] });
    expect(got[0]).toMatch(/^\{"limit":\{"track":12/u);
    expect(got.slice(1).map((l) => (JSON.parse(l) as { id_str: string }).id_str)).toEqual(['1', '3']);
    expect(got.every((l) => l.trim() !== '')).toBe(true);
  });

  it('reconnects through HTTP 503 and 420, a stall, a reset, a disconnect message, a truncated and a huge message', async () => {
    server = await startFakeTwitter(20);
    server.plan = [{ status: 503 }, { status: 420 }, 'stall', { resetAfter: 1 }, 'disconnect', 'truncate', 'huge'];
    const got: string[] = [];
    source = new TwitterStreamSource({
      url: `${server.url}/1.1/statuses/filter.json`,
      credentials: TEST_CREDENTIALS,
      track: ['sandy'],
      backoff: FAST,
      stallMs: 300,
      maxMessageBytes: 1 << 20,
    });
    await source.start(async (lines) => void got.push(...lines.map(String)));
    await waitFor('the reset connection', async () => server!.connections.length >= 4 && server!.connections[3].open, 10_000);
    server.post({ id_str: '10', text: 'sandy one' });
    await waitFor('the last connection, healthy after its huge message', async () => server!.connections.length >= 7 && server!.connections[6].open, 10_000);
    server.post({ id_str: '11', text: 'sandy two' });
    await waitFor('the post after recovery', async () => got.some((l) => l.includes('"11"')), 5000);
    expect(source.reconnectCount()).toBe(6);
    expect(source.status().reconnects).toBe(6);
    expect(got.some((l) => l.includes('"disconnect"'))).toBe(true);
    expect(got).toContain('{"id_str":"999","text":"cut off in the mid');
    const huge = got.find((l) => l.startsWith('{"id_str":"998"'));
    expect(huge?.length).toBe(1 << 20);
    // the reset cut the connection right after writing post 10 (it may not have arrived: a reset loses what is in
    // flight, as on the real service); post 11, sent after recovery, arrives exactly once
    expect(got.filter((l) => l.includes('"id_str":"11"'))).toHaveLength(1);
    expect(got.filter((l) => l.includes('"id_str":"10"')).length).toBeLessThanOrEqual(1);
  });

  it('an unsigned or wrongly signed request is refused, and the source says to check the credentials', async () => {
    server = await startFakeTwitter();
    source = new TwitterStreamSource({
      url: `${server.url}/1.1/statuses/filter.json`,
      credentials: { ...TEST_CREDENTIALS, consumerSecret: 'wrong' },
      track: ['x'],
      backoff: FAST,
    });
    await source.start(async () => {});
    await waitFor('a refusal', async () => server!.connections.length >= 1, 5000);
    await waitFor('the reason in the status', async () => /HTTP 401 \(check the credentials\)/u.test(source!.status().detail ?? ''), 5000);
    expect(server.connections[0].signed).toBe(false);
  });
});
