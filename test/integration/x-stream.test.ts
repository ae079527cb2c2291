// The X API v2 filtered stream against a local X API: event keywords kept as rules tagged with the event (only the
// difference sent), one bearer-token stream with the expansions the row needs, posts arriving with `includes` and
// `matching_rules`, keep-alives skipped, and a 429 answered with the rate-limit backoff.

import { afterEach, describe, expect, it } from 'vitest';
import { XRulesClient, XRuleSync, XStreamSource } from '../../src/adapters/x/x-stream.js';
import { classifyLine } from '../../src/core/classify.js';
import { Matcher } from '../../src/core/matcher.js';
import { startFakeX, TEST_BEARER, type FakeX } from '../helpers/x-api-server.js';
import { waitFor } from '../helpers/vigil-process.js';

let server: FakeX | null = null;
let source: XStreamSource | null = null;
afterEach(async () => {
  await source?.stop();
  await server?.close();
});

const ev = (name: string, keywords: string[], active = true) => ({ name, keywords, active, createdAt: '', updatedAt: '' });

describe('X API v2 rules', () => {
  it('keeps the rules in step with the events, sending only the difference', async () => {
    server = await startFakeX();
    let events = [ev('Sandy', ['sandy', 'new york city']), ev('Paused', ['x'], false)];
    const sync = new XRuleSync(new XRulesClient(server.url, TEST_BEARER), async () => events, (m) => {
      throw new Error(m);
    });
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

describe('X API v2 filtered stream', () => {
  it('asks for the expansions, delivers matching posts with includes and matching_rules, and rides out a 429', async () => {
    server = await startFakeX(20);
    server.plan = [{ status: 429 }];
    await new XRulesClient(server.url, TEST_BEARER).sync([{ value: '(flood OR "storm surge")', tag: 'Milton' }]);
    const got: string[] = [];
    source = new XStreamSource({ base: server.url, bearer: TEST_BEARER, backoff: { networkStepMs: 10, networkMaxMs: 100, httpStartMs: 20, httpMaxMs: 200, rateLimitStartMs: 50 } });
    await source.start(async (lines) => void got.push(...lines));
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
    source = new XStreamSource({ base: server.url, bearer: 'wrong', backoff: { networkStepMs: 10, networkMaxMs: 100, httpStartMs: 20, httpMaxMs: 200, rateLimitStartMs: 50 } });
    await source.start(async () => {});
    await waitFor('the refusal', async () => /HTTP 401/u.test(source!.status().detail ?? ''), 5000);
  });
});
