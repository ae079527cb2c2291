// The X API v2 filtered stream against a local X API: event keywords kept as rules tagged with the event (only the
// difference sent), one bearer-token stream with the expansions the row needs, posts arriving with `includes` and
// `matching_rules`, keep-alives skipped, and a 429 answered with the rate-limit backoff.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { XApiError, XRuleSync, XRulesClient, XStreamSource } from '../../src/adapters/x/x-stream.js';
import { classifyLine } from '../../src/core/classify.js';
import { legacyEventId } from '../../src/core/event-id.js';
import { Matcher } from '../../src/core/matcher.js';
import { waitFor } from '../helpers/vigil-process.js';
import { type FakeX, startFakeX, TEST_BEARER } from '../helpers/x-api-server.js';

let server: FakeX | null = null;
let source: XStreamSource | null = null;
afterEach(async () => {
  await source?.stop();
  await server?.close();
});

const ev = (name: string, keywords: string[], active = true) => ({ id: legacyEventId(name), name, keywords, active, createdAt: '', updatedAt: '' });

describe('X API v2 rules', () => {
  it('keeps the rules in step with the events, sending only the difference', async () => {
    server = await startFakeX();
    let events = [ev('Sandy', ['sandy', 'new york city']), ev('Paused', ['x'], false)];
    const sync = new XRuleSync(
      new XRulesClient(server.url, TEST_BEARER),
      async () => events,
      (m) => {
        throw new Error(m);
      },
    );
    await sync.start(60_000);
    expect(server.rules).toEqual([{ id: '1', value: '(sandy OR "new york city")', tag: 'Sandy' }]);

    events = [ev('Sandy', ['sandy', 'new york city']), ev('Milton', ['#milton'])];
    server.ruleRequests.length = 0;
    await sync.tick();
    expect(server.ruleRequests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ add: [{ value: '#milton', tag: 'Milton' }] }]);

    events = [ev('Milton', ['#milton'])];
    server.ruleRequests.length = 0;
    await sync.tick();
    expect(server.ruleRequests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ delete: { ids: ['1'] } }]);
    await sync.tick();
    expect(server.ruleRequests.filter((r) => r.method === 'POST')).toHaveLength(1);
    await sync.stop();
  });
});

describe('X API v2 rules when X refuses', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits as documented after a failure (a 429 from 1 minute, doubling) instead of asking at every poll', async () => {
    vi.useFakeTimers();
    let answer = 429;
    const calls: number[] = [];
    class Refusing extends XRulesClient {
      override async sync(): Promise<{ added: number; deleted: number }> {
        calls.push(Date.now());
        if (answer !== 200) throw new XApiError(`X rules endpoint answered ${answer}`, answer);
        return { added: 1, deleted: 0 };
      }
    }
    const errors: string[] = [];
    const sync = new XRuleSync(
      new Refusing('http://127.0.0.1:1', 'b'),
      async () => [ev('Sandy', ['sandy'])],
      (m) => errors.push(m),
    );
    const t0 = Date.now();
    await sync.start(1000);
    await vi.advanceTimersByTimeAsync(59_000); // 59 polls: none of them asks X
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(119_000);
    expect(calls).toHaveLength(2);
    answer = 503;
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((t) => t - t0)).toEqual([0, 60_000, 180_000]);
    // A 503 starts the HTTP-error schedule at its beginning: 5 s.
    expect(errors.map((e) => /attempt (\d+); trying again in (\d+) ms/u.exec(e)?.slice(1).map(Number))).toEqual([
      [1, 60_000],
      [2, 120_000],
      [1, 5000],
    ]);
    answer = 200;
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(5000); // in step: nothing more to send
    expect(calls).toHaveLength(4);
    await sync.stop();
  });
});

describe('X API v2 filtered stream', () => {
  it('asks for the expansions, delivers matching posts with includes and matching_rules, and rides out a 429', async () => {
    server = await startFakeX(20);
    server.plan = [{ status: 429 }];
    await new XRulesClient(server.url, TEST_BEARER).sync([{ value: '(flood OR "storm surge")', tag: 'Milton' }]);
    const got: string[] = [];
    source = new XStreamSource({
      base: server.url,
      bearer: TEST_BEARER,
      backoff: { networkStepMs: 10, networkMaxMs: 100, httpStartMs: 20, httpMaxMs: 200, rateLimitStartMs: 50 },
    });
    await source.start(async (lines) => void got.push(...lines.map(String)));
    await source.connected(5000);
    expect(server.streams).toHaveLength(2);
    expect(source.reconnectCount()).toBe(1);
    const q = server.streams[1].query;
    expect(q.get('expansions')).toContain('author_id');
    expect(q.get('tweet.fields')).toContain('public_metrics');

    server.post({ id: '5', text: 'Storm surge near Tampa', author_id: '9' }, { id: '9', username: 'wx', name: 'Weather' });
    server.post({ id: '6', text: 'nothing here', author_id: '9' }, { id: '9', username: 'wx', name: 'Weather' });
    await waitFor('the matching post', async () => got.length >= 1, 5000);
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0])).toMatchObject({ data: { id: '5' }, matching_rules: [{ tag: 'Milton' }] });
    const o = classifyLine(got[0], new Matcher([{ name: 'Milton', keywords: ['storm surge'], active: true }]), '2026-01-01T00:00:00Z');
    expect(o).toMatchObject({ kind: 'post', rows: [{ platform: 'x', u_screen_name: 'wx', event_name: 'Milton' }] });
  });

  it('a wrong bearer token is refused with the reason in the status', async () => {
    server = await startFakeX();
    source = new XStreamSource({
      base: server.url,
      bearer: 'wrong',
      backoff: { networkStepMs: 10, networkMaxMs: 100, httpStartMs: 20, httpMaxMs: 200, rateLimitStartMs: 50 },
    });
    await source.start(async () => {});
    await waitFor('the refusal', async () => /HTTP 401/u.test(source!.status().detail ?? ''), 5000);
  });
});
