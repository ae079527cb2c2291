// Deletions and compliance: a deletion notice in the stream marks the stored post deleted; exports leave it out by
// default (and keep it with deleted=include); the "dehydrated" export is one post id per line.

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jetstreamPost } from '../helpers/jetstream-server.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

describe('deletions', () => {
  it('are left out of exports by default, and the ids-only export lists the rest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-del-'));
    const file = join(dir, 'posts.jsonl');
    const bsky = jetstreamPost(7, 'flood in the valley');
    writeFileSync(
      file,
      `${[
        line(tweet({ id: '101', text: 'flood one' })),
        line(tweet({ id: '102', text: 'flood two' })),
        line(tweet({ id: '103', text: 'flood three' })),
        JSON.stringify(bsky),
        '{"delete":{"status":{"id":102,"id_str":"102","user_id":42,"user_id_str":"42"},"timestamp_ms":"1351540800000"}}',
        JSON.stringify({
          did: bsky.did,
          time_us: bsky.time_us + 1,
          kind: 'commit',
          commit: { rev: 'r', operation: 'delete', collection: 'app.bsky.feed.post', rkey: bsky.commit.rkey },
        }),
      ].join('\n')}\n`,
    );
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Flood', keywords: ['flood'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('the deletions recorded', async () => (await v.api<{ deletionsStored: number }>('GET', '/api/status')).body.deletionsStored === 2);
      expect((await v.api<{ count: number }>('GET', '/api/events/Flood/stats')).body.count).toBe(4);

      const ids = await v.fetch(`/api/events/Flood/export?format=ids`);
      expect(ids.headers.get('content-type')).toMatch(/text\/plain/u);
      expect((await ids.text()).trim().split('\n').sort()).toEqual(['101', '103']);
      const jsonl = await (await v.fetch(`/api/events/Flood/export?format=jsonl`)).text();
      expect(jsonl.trim().split('\n')).toHaveLength(2);
      const all = await (await v.fetch(`/api/events/Flood/export?format=ids&deleted=include`)).text();
      expect(all.trim().split('\n')).toHaveLength(4);
      expect((await v.api('GET', '/api/events/Flood/export?deleted=maybe')).status).toBe(400);
    } finally {
      await v.stop();
    }
  });
});
