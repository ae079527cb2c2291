// `vigil start --source jetstream` against a local Jetstream: posts arrive live and are classified; a dropped
// connection and a SIGKILL of Vigil in the middle leave no gap (the cursor is saved after each published batch and a
// new connection rewinds a little) and no duplicate row.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeJetstream, jetstreamPost, startFakeJetstream } from '../helpers/jetstream-server.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

let server: FakeJetstream | null = null;
afterEach(async () => server?.close());

describe('live Bluesky posts from Jetstream', () => {
  it('stores every matching post once across a dropped connection and a SIGKILL', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => jetstreamPost(i, i % 2 === 0 ? `flood warning ${i}` : `sunny ${i}`));
    server = await startFakeJetstream(events, 3);
    server.plan = [{ dropAfter: 700 }];
    const data = join(await mkdtemp(join(tmpdir(), 'vigil-jetstream-')), 'data');
    const setup = await startVigil(['--data', data]);
    expect((await setup.api('POST', '/api/events', { name: 'Flood', keywords: ['flood'] })).status).toBe(201);
    expect(await setup.stop()).toBe(0);

    const args = ['--data', data, '--source', 'jetstream', '--jetstream-url', server.url];
    const v1 = await startVigil(args);
    await waitFor('some posts stored', async () => (await v1.api<{ count: number }>('GET', '/api/events/Flood/stats')).body.count > 600, 30_000);
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
    await v1.stop('SIGKILL');

    const v2 = await startVigil(args);
    try {
      await waitFor('every flood post', async () => (await v2.api<{ count: number }>('GET', '/api/events/Flood/stats')).body.count === 1500, 60_000);
      const dup = await v2.api<{ rows: { n: number }[] }>('POST', '/api/query', {
        sql: 'SELECT count(*)::INT AS n FROM (SELECT t_id FROM tweet GROUP BY t_id HAVING count(*) > 1)',
      });
      expect(dup.body.rows[0].n).toBe(0);
      const platforms = await v2.api<{ rows: { platform: string }[] }>('POST', '/api/query', { sql: 'SELECT DISTINCT platform FROM tweet' });
      expect(platforms.body.rows).toEqual([{ platform: 'bluesky' }]);
      const last = server.connections.at(-1)!;
      expect(last.cursor).not.toBeNull();
      expect(last.collections).toEqual(['app.bsky.feed.post']);
      const status = (await v2.api<{ tracker: { source: { source: string; state: string } } }>('GET', '/api/status')).body;
      expect(status.tracker.source).toMatchObject({ source: 'jetstream', state: 'running' });
    } finally {
      expect(await v2.stop()).toBe(0);
    }
  }, 180_000);
});
