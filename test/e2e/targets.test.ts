// Targets beyond keywords over a live Twitter v1.1 stream (a local server that filters like statuses/filter): an
// event naming accounts, a bounding box and a language is sent as follow/locations/track, and each stored row says
// which target and which field matched; the language filter holds; replies make a reply network.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeTwitter, startFakeTwitter, TEST_CREDENTIALS_ENV } from '../helpers/twitter-stream-server.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

let server: FakeTwitter | null = null;
afterEach(async () => server?.close());

const NYC = [-74.3, 40.5, -73.7, 40.9];

describe('targets beyond keywords', () => {
  it('accounts, a box and a language: sent to the source, applied exactly, and recorded per row', async () => {
    server = await startFakeTwitter(100);
    const data = join(await mkdtemp(join(tmpdir(), 'vigil-targets-')), 'data');
    const v = await startVigil(
      ['--data', data, '--source', 'twitter-v1', '--twitter-stream-url', `${server.url}/1.1/statuses/filter.json`],
      TEST_CREDENTIALS_ENV,
    );
    try {
      const bad = await v.api<{ errors: { field: string }[] }>('POST', '/api/events', {
        name: 'X',
        keywords: ['a'],
        boxes: [[10, 0, 5, 1]],
        languages: ['??'],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.field)).toEqual(['boxes[0]', 'languages[0]']);

      const created = await v.api('POST', '/api/events', { name: 'NYC', keywords: ['sandy'], accounts: ['4242', '@NYCGov'], boxes: [NYC], languages: ['en'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ accounts: ['4242', 'nycgov'], boxes: [NYC], languages: ['en'] });
      const conn = await waitFor('a connection with follow and locations', async () => server!.connections.find((c) => c.open && c.follow.length > 0));
      expect(conn).toMatchObject({ track: ['nycgov', 'sandy'], follow: ['4242'], locations: NYC, signed: true });

      const en = { lang: 'en' };
      server.post({ id_str: '1', text: 'sandy is here #sandy', entities: { hashtags: [{ text: 'sandy' }] }, ...en });
      server.post({ id_str: '2', text: 'press conference at noon', user: { id_str: '4242', screen_name: 'mayor' }, ...en });
      server.post({ id_str: '3', text: 'water everywhere', coordinates: { type: 'Point', coordinates: [-74.0, 40.7] }, ...en });
      server.post({ id_str: '4', text: 'sandy arrive', lang: 'fr' });
      server.post({
        id_str: '5',
        text: '@nycgov thanks',
        in_reply_to_screen_name: 'nycgov',
        in_reply_to_status_id_str: '77',
        entities: { user_mentions: [{ id_str: '9', screen_name: 'nycgov', name: 'NYC' }] },
        ...en,
      });
      server.post({ id_str: '6', text: 'water in paris', coordinates: { type: 'Point', coordinates: [2.35, 48.85] }, ...en });

      await waitFor('4 rows', async () => (await v.api<{ count: number }>('GET', '/api/events/NYC/stats')).body.count === 4, 20_000);
      const rows = await v.api<{ rows: { t_id: string; match_targets: string[]; match_fields: string[]; t_in_reply_to_screen_name: string | null }[] }>(
        'POST',
        '/api/query',
        {
          sql: "SELECT t_id, match_targets, match_fields, t_in_reply_to_screen_name FROM tweet WHERE event_name = 'NYC' ORDER BY t_id",
        },
      );
      expect(rows.body.rows).toEqual([
        { t_id: '1', match_targets: ['keyword:sandy'], match_fields: ['hashtag'], t_in_reply_to_screen_name: null },
        { t_id: '2', match_targets: ['account:4242'], match_fields: ['author'], t_in_reply_to_screen_name: null },
        { t_id: '3', match_targets: ['box:-74.3,40.5,-73.7,40.9'], match_fields: ['coordinates'], t_in_reply_to_screen_name: null },
        { t_id: '5', match_targets: ['account:nycgov'], match_fields: ['mention'], t_in_reply_to_screen_name: 'nycgov' },
      ]);

      const net = await v.fetch(`/api/events/NYC/network?type=reply&format=csv`);
      expect(await net.text()).toBe('source,target,weight\nsomeone,nycgov,1\n');

      // changing the accounts replaces the connection with the new follow list
      expect((await v.api('PATCH', '/api/events/NYC', { accounts: ['5555'] })).status).toBe(200);
      await waitFor('a connection following 5555', async () => server!.connections.some((c) => c.open && c.follow.includes('5555')));
    } finally {
      expect(await v.stop()).toBe(0);
    }
  }, 120_000);
});
