// Make-before-break under load: `vigil start --source twitter-v1` against a local streaming API while posts stream
// in, and ten keyword changes each replace the connection. Each new connection opens before the old one closes, so
// every post about a keyword tracked throughout is stored exactly once: none lost in a gap, none twice from the
// overlap.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTwitter, startFakeTwitter, TEST_CREDENTIALS_ENV } from '../helpers/twitter-stream-server.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

let server: FakeTwitter | null = null;
afterEach(async () => server?.close());

describe('keyword change handover (Twitter v1.1 stream)', () => {
  it('ten keyword changes under load lose and duplicate nothing', async () => {
    server = await startFakeTwitter(50);
    const data = join(await mkdtemp(join(tmpdir(), 'vigil-handover-')), 'data');
    const v = await startVigil(
      ['--data', data, '--source', 'twitter-v1', '--twitter-stream-url', `${server.url}/1.1/statuses/filter.json`, '--handover-overlap-ms', '500'],
      TEST_CREDENTIALS_ENV,
    );
    try {
      expect((await v.api('POST', '/api/events', { name: 'Alpha', keywords: ['alpha'] })).status).toBe(201);
      expect((await v.api('POST', '/api/events', { name: 'Changing', keywords: ['kw0'] })).status).toBe(201);
      await waitFor(
        'a connection tracking alpha',
        async () => server!.connections.some((c) => c.open && c.track.includes('alpha') && c.track.includes('kw0')),
        15_000,
      );

      // a steady stream of posts about alpha while the other event's keywords change ten times
      let sent = 0;
      const firehose = setInterval(() => {
        for (let k = 0; k < 5; k++) server!.post({ id_str: String(1_000_000 + sent++), text: `alpha update ${sent}` });
      }, 5);
      const before = server.connections.length;
      for (let change = 1; change <= 10; change++) {
        expect((await v.api('PATCH', '/api/events/Changing', { keywords: [`kw${change}`] })).status).toBe(200);
        await waitFor(`connection for kw${change}`, async () => server!.connections.some((c) => c.open && c.track.includes(`kw${change}`)), 15_000);
        await new Promise((r) => setTimeout(r, 150));
      }
      clearInterval(firehose);

      await waitFor('every alpha post stored', async () => (await v.api<{ count: number }>('GET', '/api/events/Alpha/stats')).body.count === sent, 60_000);
      const dup = await v.api<{ rows: { n: number }[] }>('POST', '/api/query', {
        sql: "SELECT count(*)::INT AS n FROM (SELECT t_id FROM tweet WHERE event_name = 'Alpha' GROUP BY t_id HAVING count(*) > 1)",
      });
      expect(dup.body.rows[0].n).toBe(0);
      expect(sent).toBeGreaterThan(1000);

      await waitFor(
        'the last handover to finish',
        async () => (await v.api<{ tracker: { handovers: number } }>('GET', '/api/status')).body.tracker.handovers === 10,
        15_000,
      );
      // eleven connections; each replacement was open before its predecessor closed
      const conns = server.connections.slice(before - 1);
      expect(conns).toHaveLength(11);
      for (let i = 1; i < conns.length; i++) expect(conns[i].at).toBeLessThan(conns[i - 1].closedAt!);
      expect(conns.every((c) => c.signed)).toBe(true);
    } finally {
      expect(await v.stop()).toBe(0);
    }
  }, 180_000);
});
