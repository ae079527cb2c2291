// The dataset bundle: rows (Parquet), ids and a manifest.json carrying the event's definition and the history of its
// keywords, the platforms, the time window, what deletions left out, and checksums that match the files.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar';
import { describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

describe('dataset bundle', () => {
  it('carries a manifest with the keyword history, counts and checksums of its files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
    const file = join(dir, 'posts.jsonl');
    writeFileSync(
      file,
      `${[
        line(tweet({ id: '1', text: 'flood one', createdAt: '2012-10-29T20:00:00Z' })),
        line(tweet({ id: '2', text: 'flood two', createdAt: '2012-10-29T21:00:00Z' })),
        line(tweet({ id: '3', text: 'levee three', createdAt: '2012-10-30T02:00:00Z' })),
        '{"delete":{"status":{"id":2,"id_str":"2","user_id":42,"user_id_str":"42"},"timestamp_ms":"1351540800000"}}',
      ].join('\n')}\n`,
    );
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['flood'] })).status).toBe(201);
      expect((await v.api('PATCH', '/api/events/Sandy', { keywords: ['flood', 'levee'] })).status).toBe(200);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor(
        'rows and the deletion',
        async () =>
          (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 3 &&
          (await v.api<{ deletionsStored: number }>('GET', '/api/status')).body.deletionsStored === 1,
      );

      const res = await v.fetch(`/api/events/Sandy/export?format=bundle`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('Sandy-dataset.tar.gz');
      const out = join(dir, 'out');
      await import('node:fs/promises').then((f) => f.mkdir(out));
      await pipeline(Readable.fromWeb(res.body as never), extract({ cwd: out }));
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
        format: string;
        event: { name: string; keywords: string[] };
        keywordHistory: { action: string; keywords: string[] }[];
        rows: number;
        deletedLeftOut: number;
        platforms: { platform: string; rows: number }[];
        window: { first: string; last: string };
        files: { path: string; bytes: number; sha256: string }[];
        howToCite: string;
        vigilVersion: string;
      };
      expect(manifest.format).toBe('vigil-dataset/1');
      expect(manifest.event).toMatchObject({ name: 'Sandy', keywords: ['flood', 'levee'] });
      expect(manifest.keywordHistory.map((h) => [h.action, h.keywords])).toEqual([
        ['created', ['flood']],
        ['updated', ['flood', 'levee']],
      ]);
      expect(manifest).toMatchObject({ rows: 2, deletedLeftOut: 1, platforms: [{ platform: 'twitter', rows: 2 }] });
      expect(manifest.window).toEqual({ first: '2012-10-29T20:00:00.000Z', last: '2012-10-30T02:00:00.000Z' });
      expect(manifest.howToCite).toMatch(/"Sandy" dataset \(2 posts from twitter, 2012-10-29 to 2012-10-30\), collected with Vigil/u);
      for (const f of manifest.files) {
        const bytes = readFileSync(join(out, f.path));
        expect(f.bytes).toBe(bytes.length);
        expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
      expect(readFileSync(join(out, 'ids.txt'), 'utf8').trim().split('\n').sort()).toEqual(['1', '3']);
      expect(readFileSync(join(out, 'rows.parquet')).subarray(0, 4).toString()).toBe('PAR1');

      // every single-file export points at the event's manifest and carries its own checksum
      for (const format of ['csv', 'jsonl', 'parquet', 'ids']) {
        const r = await v.fetch(`/api/events/Sandy/export?format=${format}`);
        const body = Buffer.from(await r.arrayBuffer());
        expect(r.headers.get('link'), format).toBe('</api/events/Sandy/manifest>; rel="describedby"; type="application/json"');
        expect(r.headers.get('repr-digest'), format).toBe(`sha-256=:${createHash('sha256').update(body).digest('base64')}:`);
      }
      const described = await v.api<{
        event: { keywords: string[] };
        keywordHistory: unknown[];
        rows: number;
        deletedLeftOut: number;
        files: unknown[];
        coverage: { sources: unknown[] };
      }>('GET', '/api/events/Sandy/manifest');
      expect(described.status).toBe(200);
      expect(described.body).toMatchObject({ event: { keywords: ['flood', 'levee'] }, rows: 2, deletedLeftOut: 1, files: [], coverage: { sources: [] } });
      expect(described.body.keywordHistory).toHaveLength(2);
      expect((await v.api('GET', '/api/events/Nobody/manifest')).status).toBe(404);
    } finally {
      await v.stop();
    }
  });
});
