// Retroactive re-classification on a replayed log: an event created (or extended) after its posts were collected is
// applied to them from the raw log; the rows are marked backfilled, live rows stay as they were, progress is shown,
// and running it twice changes nothing.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeArchive } from '../helpers/archive.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

interface Job {
  state: string;
  scanned: number;
  total: number;
  rows: number;
  added: number | null;
  since: string;
}
const fingerprint = (event: string) =>
  `SELECT count(*)::INT AS n, count(*) FILTER (WHERE backfilled)::INT AS backfilled, md5(string_agg(t_id || array_to_string(event_kw, ',') || CAST(collected_at AS VARCHAR) || CAST(backfilled AS VARCHAR), ',' ORDER BY t_id)) AS h FROM tweet WHERE event_name = '${event}'`;

describe('re-classification of collected posts', () => {
  it('applies a new event and a keyword change to posts already collected, once, marked backfilled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-reclassify-'));
    const file = join(dir, 'posts.jsonl');
    const expected = await writeArchive(file, 6000);
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      const since = new Date(Date.now() - 1000).toISOString();
      expect((await v.api('POST', '/api/events', { name: 'Alpha', keywords: ['alpha'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor(
        'the replay classified',
        async () => (await v.api<{ count: number }>('GET', '/api/events/Alpha/stats')).body.count === expected.alpha,
        60_000,
      );

      // an event made afterwards has nothing until it is applied to what was collected
      expect((await v.api('POST', '/api/events', { name: 'Beta', keywords: ['beta', 'gamma delta'] })).status).toBe(201);
      expect((await v.api('GET', '/api/events/Beta/reclassify')).status).toBe(404);
      const started = await v.api<Job>('POST', '/api/events/Beta/reclassify', { since });
      expect(started.status).toBe(202);
      expect(started.body.state).toBe('running');
      const done = await waitFor(
        'the job to finish',
        async () => {
          const j = (await v.api<Job>('GET', '/api/events/Beta/reclassify')).body;
          return j.state === 'done' ? j : undefined;
        },
        60_000,
      );
      expect(done).toMatchObject({ scanned: 6000, total: 6000, rows: expected.beta, added: expected.beta });
      const q = async (sql: string) => (await v.api<{ rows: Record<string, unknown>[] }>('POST', '/api/query', { sql })).body.rows[0];
      const first = await q(fingerprint('Beta'));
      expect(first).toMatchObject({ n: expected.beta, backfilled: expected.beta });

      // twice changes nothing
      expect((await v.api('POST', '/api/events/Beta/reclassify', { since })).status).toBe(202);
      await waitFor('the second run', async () => (await v.api<Job>('GET', '/api/events/Beta/reclassify')).body.state === 'done', 60_000);
      expect(await q(fingerprint('Beta'))).toEqual(first);
      // it wrote every row again and added none: the report says so
      expect((await v.api<Job>('GET', '/api/events/Beta/reclassify')).body).toMatchObject({ rows: expected.beta, added: 0 });

      // extending Alpha: the posts it gains are backfilled, the ones it had stay live rows, unchanged
      const alphaBefore = await q(
        `SELECT md5(string_agg(t_id || array_to_string(event_kw, ',') || CAST(collected_at AS VARCHAR), ',' ORDER BY t_id)) AS h FROM tweet WHERE event_name = 'Alpha'`,
      );
      expect((await v.api('PATCH', '/api/events/Alpha', { keywords: ['alpha', 'beta'] })).status).toBe(200);
      expect((await v.api('POST', '/api/events/Alpha/reclassify', { since })).status).toBe(202);
      await waitFor('Alpha re-classified', async () => (await v.api<Job>('GET', '/api/events/Alpha/reclassify')).body.state === 'done', 60_000);
      const all = 6000 - expected.bad;
      expect(await q(fingerprint('Alpha'))).toMatchObject({ n: all, backfilled: all - expected.alpha });
      expect((await v.api<Job>('GET', '/api/events/Alpha/reclassify')).body).toMatchObject({ rows: all, added: all - expected.alpha });
      expect(
        await q(
          `SELECT md5(string_agg(t_id || array_to_string(event_kw, ',') || CAST(collected_at AS VARCHAR), ',' ORDER BY t_id)) AS h FROM tweet WHERE event_name = 'Alpha' AND NOT backfilled`,
        ),
      ).toEqual(alphaBefore);

      // going back to a time after the replay finds nothing; wrong requests say why
      const late = await v.api<Job>('POST', '/api/events/Beta/reclassify', { since: new Date().toISOString() });
      expect(late.status).toBe(202);
      await waitFor('the empty run', async () => (await v.api<Job>('GET', '/api/events/Beta/reclassify')).body.state === 'done', 30_000);
      expect((await v.api<Job>('GET', '/api/events/Beta/reclassify')).body).toMatchObject({ scanned: 0, rows: 0 });
      expect((await v.api('POST', '/api/events/Beta/reclassify', {})).status).toBe(400);
      expect((await v.api('POST', '/api/events/Beta/reclassify', { since: '2999-01-01T00:00:00Z' })).status).toBe(400);
      expect((await v.api('POST', '/api/events/Beta/reclassify', { since, extra: 1 })).status).toBe(400);
      expect((await v.api('POST', '/api/events/Nobody/reclassify', { since })).status).toBe(404);
    } finally {
      expect(await v.stop()).toBe(0);
    }
  }, 180_000);
});
