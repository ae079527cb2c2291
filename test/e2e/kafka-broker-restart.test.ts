// The broker goes away while the tracker publishes, and comes back: after recovery every post is stored once.
// Uses a private broker on its own port (started and stopped here through scripts/engines/kafka.sh), so the shared
// test broker is not disturbed.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/engines/kafka.sh', import.meta.url));
const PORT = process.env.VIGIL_KAFKA_RESTART_PORT ?? '9192';
const kafka = (cmd: string) => run(SCRIPT, [cmd], { env: { ...process.env, VIGIL_KAFKA_PORT: PORT } });
const POSTS = 6000;

type Status = { tracker: { source: { state: string; detail?: string } | null }; classifier: { lag: number } };

describe('Kafka broker restart during collection', () => {
  let v: VigilProcess | undefined;
  let file: string;

  beforeAll(async () => {
    await kafka('reset');
    await kafka('up');
    const dir = await mkdtemp(join(tmpdir(), 'vigil-kafka-restart-'));
    file = join(dir, 'posts.jsonl');
    await writeFile(file, Array.from({ length: POSTS }, (_, i) => line(tweet({ id: String(7_000_000 + i), text: `sandy report ${i}` }))).join('\n'));
    v = await startVigil(['--data', join(dir, 'data'), '--bus', 'kafka', '--kafka-brokers', `127.0.0.1:${PORT}`, '--kafka-raw-partitions', '3']);
  }, 120_000);

  afterAll(async () => {
    await v?.stop();
    await kafka('reset');
  }, 60_000);

  it('stores every post exactly once after the broker was stopped and started mid-replay', async () => {
    const vigil = v!;
    expect((await vigil.api('POST', '/api/events', { name: 'All', keywords: ['sandy'] })).status).toBe(201);
    expect((await vigil.replay(file, 1500)).status).toBe(202);
    await waitFor('some posts stored', async () => (await vigil.api<{ count: number }>('GET', '/api/events/All/stats')).body.count > 500);
    await kafka('down');
    await new Promise((r) => setTimeout(r, 1000));
    await kafka('up');
    let resumes = 0;
    await waitFor(
      'every post stored',
      async () => {
        const s = (await vigil.api<Status>('GET', '/api/status')).body;
        if (s.tracker.source?.state === 'failed') {
          // The tracker stopped taking input when the broker could not take it; the operator resumes the replay.
          resumes++;
          await vigil.replay(file, 1500);
          return false;
        }
        const count = (await vigil.api<{ count: number }>('GET', '/api/events/All/stats')).body.count;
        return s.tracker.source?.state === 'finished' && count >= POSTS;
      },
      120_000,
    );
    const dup = await vigil.api<{ rows: { n: number; d: number }[] }>('POST', '/api/query', {
      sql: "SELECT count(*) AS n, count(DISTINCT t_id) AS d FROM tweet WHERE event_name = 'All'",
    });
    expect(dup.body.rows[0]).toEqual({ n: POSTS, d: POSTS });
    expect(resumes).toBeLessThan(5);
  }, 180_000);
});
