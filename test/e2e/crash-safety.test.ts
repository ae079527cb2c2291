// Crash safety, proven: replay a large archive and kill Vigil with SIGKILL at random points, restarting it each
// time with the same replay. At the end every post is stored exactly once per matching event, the rejects are the
// bad lines of the input (each once), and the event manager's state is intact. Embedded, then over Kafka and
// Cassandra (the tracker and the classifier run in the killed process).

import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../src/bench/generate.js';
import { writeArchive } from '../helpers/archive.js';
import { CASSANDRA, cqlshCount, KAFKA } from '../helpers/engines.js';
import { startVigil, type VigilProcess, waitFor } from '../helpers/vigil-process.js';

const EVENTS = [
  { name: 'Alpha', keywords: ['alpha'], active: true },
  { name: 'Beta', keywords: ['beta', 'gamma delta'], active: true },
];
type Status = { tracker: { source: { state: string } | null }; classifier: { lag: number }; rejectsStored: number };

/** Creates the events in a first run without the replay, then runs with it and kills it `kills` times. */
async function killRepeatedly(args: string[], replay: string[], kills: number, seed: number): Promise<VigilProcess> {
  const rand = prng(seed);
  const first = await startVigil(args);
  for (const e of EVENTS) expect((await first.api('POST', '/api/events', e)).status).toBe(201);
  expect(await first.stop()).toBe(0);
  const start = () => startVigil([...args, ...replay]);
  let v = await start();
  for (let k = 0; k < kills; k++) {
    await new Promise((r) => setTimeout(r, 300 + Math.floor(rand() * 1500)));
    await v.stop('SIGKILL');
    v = await start();
  }
  return v;
}

async function settle(v: VigilProcess, timeoutMs: number): Promise<void> {
  await waitFor(
    'the replay to finish and be stored',
    async () => {
      const s = (await v.api<Status>('GET', '/api/status')).body;
      return s.tracker.source?.state === 'finished' && s.classifier.lag === 0;
    },
    timeoutMs,
  );
}

async function stats(v: VigilProcess, name: string): Promise<number> {
  const r = await v.api<{ count: number }>('GET', `/api/events/${name}/stats`);
  if (r.status !== 200) throw new Error(`stats of ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.count;
}

describe('crash safety under repeated SIGKILL', () => {
  it('embedded: 1 M posts, 20 kills at random points — every post stored once per event, rejects exact, events intact, raw posts read back from packed log segments', async () => {
    const posts = Number(process.env.VIGIL_CRASH_POSTS ?? 1_000_000);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-crash-'));
    const file = join(dir, 'archive.jsonl');
    const want = await writeArchive(file, posts);
    const data = join(dir, 'data');
    // Small log segments: kills land while segments roll and while sealed ones are packed.
    const v = await killRepeatedly(['--data', data, '--log-segment-mb', '4'], ['--replay', file], 20, 20261127);
    await settle(v, 600_000);
    await waitFor('sealed log segments to be packed', async () => (await readdir(join(data, 'bus'))).some((n) => n.endsWith('.logz')), 60_000);
    const sample = await v.api<{ rows: { t_id: string; raw: string }[] }>('POST', '/api/query', {
      sql: 'SELECT t_id, raw FROM tweet ORDER BY hash(t_id) LIMIT 300',
    });
    expect(sample.body.rows).toHaveLength(300);
    for (const r of sample.body.rows) expect((JSON.parse(r.raw) as { id_str: string }).id_str).toBe(r.t_id);
    expect(await stats(v, 'Alpha')).toBe(want.alpha);
    expect(await stats(v, 'Beta')).toBe(want.beta);
    const dup = await v.api<{ rows: { n: number }[] }>('POST', '/api/query', {
      sql: 'SELECT count(*) AS n FROM (SELECT event_name, t_id FROM tweet GROUP BY ALL HAVING count(*) > 1)',
    });
    expect(dup.body.rows[0].n).toBe(0);
    expect((await v.api<Status>('GET', '/api/status')).body.rejectsStored).toBe(want.bad);
    const events = (await v.api<{ name: string; keywords: string[]; active: boolean }[]>('GET', '/api/events')).body;
    expect(events.map(({ name, keywords, active }) => ({ name, keywords, active }))).toEqual(EVENTS);
    expect(await v.stop()).toBe(0);
  }, 900_000);

  it('Kafka + Cassandra: 100 k posts, 8 kills of the process running tracker and classifier — every post stored once', async () => {
    const posts = Number(process.env.VIGIL_CRASH_POSTS_DISTRIBUTED ?? 100_000);
    const dir = await mkdtemp(join(tmpdir(), 'vigil-crash-d-'));
    const file = join(dir, 'archive.jsonl');
    const want = await writeArchive(file, posts);
    const keyspace = `vigil_crash_${Date.now()}`;
    const args = [
      '--data',
      join(dir, 'data'),
      '--bus',
      'kafka',
      '--kafka-brokers',
      KAFKA,
      '--kafka-namespace',
      `crash${Date.now()}.`,
      '--kafka-raw-partitions',
      '4',
      '--store',
      'cassandra',
      '--cassandra-contact-points',
      CASSANDRA,
      '--cassandra-keyspace',
      keyspace,
    ];
    const v = await killRepeatedly(args, ['--replay', file], 8, 7);
    await settle(v, 600_000);
    expect(await stats(v, 'Alpha')).toBe(want.alpha);
    expect(await stats(v, 'Beta')).toBe(want.beta);
    expect((await v.api<Status>('GET', '/api/status')).body.rejectsStored).toBe(want.bad);
    // counted again by an independent client
    expect(await cqlshCount(`SELECT count(*) FROM ${keyspace}.tweet WHERE event_name = 'Alpha' AND bucket = '2012-10-29';`)).toBe(want.alpha);
    expect(await v.stop()).toBe(0);
  }, 900_000);
});
