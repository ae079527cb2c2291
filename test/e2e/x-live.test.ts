// `vigil start --source x-v2` against a local X API: creating and editing an event changes the stream rules (tagged
// with the event) without reconnecting, and matching posts are stored with platform x.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startVigil, waitFor } from '../helpers/vigil-process.js';
import { type FakeX, startFakeX, TEST_BEARER } from '../helpers/x-api-server.js';

let server: FakeX | null = null;
afterEach(async () => server?.close());

describe('live posts from the X API v2 filtered stream', () => {
  it('syncs rules from the events and stores matching posts, keeping one connection', async () => {
    server = await startFakeX(50);
    const v = await startVigil(['--data', join(await mkdtemp(join(tmpdir(), 'vigil-x-')), 'data'), '--source', 'x-v2', '--x-api-url', server.url], {
      VIGIL_X_BEARER_TOKEN: TEST_BEARER,
    });
    try {
      expect((await v.api('POST', '/api/events', { name: 'Milton', keywords: ['storm surge', '#milton'] })).status).toBe(201);
      await waitFor('the rule on X', async () => server!.rules.some((r) => r.tag === 'Milton' && r.value === '("storm surge" OR #milton)'), 10_000);
      server.post({ id: '101', text: 'Storm surge in Tampa Bay', author_id: '7' }, { id: '7', username: 'tampa', name: 'Tampa' });
      await waitFor('the post stored', async () => (await v.api<{ count: number }>('GET', '/api/events/Milton/stats')).body.count === 1, 10_000);

      expect((await v.api('PATCH', '/api/events/Milton', { keywords: ['storm surge', '#milton', 'evacuation'] })).status).toBe(200);
      await waitFor('the rule replaced', async () => server!.rules.length === 1 && server!.rules[0].value.includes('evacuation'), 10_000);
      server.post({ id: '102', text: 'Evacuation ordered', author_id: '7' }, { id: '7', username: 'tampa', name: 'Tampa' });
      await waitFor('the second post stored', async () => (await v.api<{ count: number }>('GET', '/api/events/Milton/stats')).body.count === 2, 10_000);
      expect(server.streams).toHaveLength(1);
      const rows = (
        await v.api<{ rows: { platform: string; u_screen_name: string }[] }>('POST', '/api/query', {
          sql: 'SELECT DISTINCT platform, u_screen_name FROM tweet',
        })
      ).body.rows;
      expect(rows).toEqual([{ platform: 'x', u_screen_name: 'tampa' }]);
    } finally {
      expect(await v.stop()).toBe(0);
    }
  }, 120_000);
});
