// Analytics at scale, end to end: posts replayed through Kafka into Cassandra, and the notebook, the ready analyses
// and POST /api/query answered by a Spark Connect server (scripts/engines/spark.sh) reading Cassandra — checked
// against figures computed here from the archive itself.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeArchive } from '../helpers/archive.js';
import { CASSANDRA, KAFKA, SPARK } from '../helpers/engines.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

interface QueryBody {
  columns: { name: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
}

describe('Spark analytics over the Kafka + Cassandra pipeline', () => {
  it('answers the notebook, the event page and SQL over the stored rows; exports them; refuses writes; cancels', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-spark-'));
    const file = join(dir, 'posts.jsonl');
    const expected = await writeArchive(file, 3000);
    const stamp = Date.now();
    const v = await startVigil([
      '--data',
      join(dir, 'data'),
      '--bus',
      'kafka',
      '--kafka-brokers',
      KAFKA,
      '--kafka-namespace',
      `spark${stamp}.`,
      '--kafka-raw-partitions',
      '2',
      '--store',
      'cassandra',
      '--cassandra-contact-points',
      CASSANDRA,
      '--cassandra-keyspace',
      `vigil_spark_${stamp}`,
      '--analytics',
      'spark',
      '--spark-connect',
      SPARK,
    ]);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Alpha', keywords: ['alpha'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('rows in Cassandra', async () => (await v.api<{ count: number }>('GET', '/api/events/Alpha/stats')).body.count === expected.alpha, 90_000);

      // the starter notebook's word count, run as the notebook page runs it, against the archive's own words
      const nb = await v.api<{ cells: { sql: string }[] }>('GET', `/api/notebooks/${encodeURIComponent('Word count (thesis)')}`);
      expect(nb.status).toBe(200);
      const counts = new Map<string, number>();
      for (const line of (await readFile(file, 'utf8')).split('\n')) {
        if (line === '') continue;
        let text: string;
        try {
          text = (JSON.parse(line) as { text: string }).text;
        } catch {
          continue; // the archive's bad lines are rejected, not stored
        }
        if (!text.includes('alpha')) continue;
        for (const w of text.split(' ')) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
      }
      const top = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 50)
        .map(([word, n]) => ({ word, n }));
      const wc = await v.api<QueryBody>('POST', '/api/query', { sql: nb.body.cells[0].sql });
      expect(wc.status, JSON.stringify(wc.body)).toBe(200);
      expect(wc.body.rows).toEqual(top);
      for (const cell of nb.body.cells.slice(1)) expect((await v.api('POST', '/api/query', { sql: cell.sql })).status).toBe(200);

      // the event page's ready analyses
      const summary = await v.api<{ posts: number; volume: { n: number }[]; users: unknown[] }>('GET', '/api/events/Alpha/summary?bucket=hour');
      expect(summary.status).toBe(200);
      expect(summary.body.posts).toBe(expected.alpha);
      expect(summary.body.volume.reduce((n, b) => n + b.n, 0)).toBe(expected.alpha);
      // Every table the schema lists answers on Spark, with every column it lists.
      const schema = await v.api<{ tables: { name: string; columns: { name: string }[] }[] }>('GET', '/api/schema');
      expect(schema.body.tables.map((t) => t.name).sort()).toEqual(['coverage', 'deletion', 'reject', 'tweet']);
      for (const t of schema.body.tables)
        expect((await v.api('POST', '/api/query', { sql: `SELECT ${t.columns.map((c) => c.name).join(', ')} FROM ${t.name} LIMIT 0` })).status, t.name).toBe(
          200,
        );
      const overview = await v.api<Record<string, { count: number }>>('GET', '/api/overview');
      expect(overview.body.Alpha.count).toBe(expected.alpha);

      // exports read Cassandra too: every Alpha row, with the manifest's count and the file's checksum
      const csv = await v.fetch(`/api/events/Alpha/export?format=csv`);
      expect(csv.status).toBe(200);
      expect((await csv.text()).trim().split('\n')).toHaveLength(expected.alpha + 1);
      const ids = await v.fetch(`/api/events/Alpha/export?format=ids`);
      expect(new Set((await ids.text()).trim().split('\n')).size).toBe(expected.alpha);
      expect((await v.api<{ rows: number }>('GET', '/api/events/Alpha/manifest')).body.rows).toBe(expected.alpha);

      // read-only, Spark's own errors, and cancellation from the UI's cancel endpoint
      expect((await v.api('POST', '/api/query', { sql: 'DROP TABLE tweet' })).status).toBe(400);
      const bad = await v.api<{ error: string }>('POST', '/api/query', { sql: 'SELECT nope FROM tweet' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/nope/u);
      const slow = v.api('POST', '/api/query', { sql: 'SELECT sum(hash(id)) AS n FROM range(50000000000)', queryId: 'slow-1' });
      await new Promise((r) => setTimeout(r, 1500));
      expect((await v.api('POST', '/api/query/slow-1/cancel')).status).toBe(202);
      expect((await slow).status).toBe(499);
    } finally {
      expect(await v.stop()).toBe(0);
    }
  }, 240_000);
});
