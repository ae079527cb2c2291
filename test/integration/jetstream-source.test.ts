// The Jetstream source against a local Jetstream: it asks for posts only, passes each message on unchanged, and
// across a dropped connection, a stall and a restart it resumes from its saved cursor (rewound a little) with no
// gap; the overlap only repeats events (stored once downstream).

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JetstreamSource } from '../../src/adapters/jetstream/jetstream-source.js';
import { type FakeJetstream, jetstreamPost, startFakeJetstream } from '../helpers/jetstream-server.js';
import { waitFor } from '../helpers/vigil-process.js';

let server: FakeJetstream | null = null;
afterEach(async () => server?.close());

const timeOf = (l: string): number => (JSON.parse(l) as { time_us: number }).time_us;

describe('Jetstream source', () => {
  it('asks for posts, resumes from its cursor after a drop, a stall and a restart, and misses nothing', async () => {
    const events = [...Array.from({ length: 600 }, (_, i) => jetstreamPost(i, `post ${i}`)), jetstreamPost(600, 'a like', 'app.bsky.feed.like')];
    server = await startFakeJetstream(events, 2);
    server.plan = [{ dropAfter: 150 }, 'stall', 'normal'];
    const cursorFile = join(await mkdtemp(join(tmpdir(), 'vigil-js-')), 'cursor.json');
    const got: string[] = [];
    const options = { url: server.url, cursorFile, stallMs: 400, rewindUs: 5000, backoffMs: [20, 200] as [number, number], batchMs: 20 };
    const first = new JetstreamSource(options);
    await first.start(async (lines) => void got.push(...lines.map(String)));
    await waitFor('about 400 events', async () => got.length >= 400, 10_000);
    await first.stop();
    expect(new Set(got.map(timeOf)).size).toBeLessThan(600);
    expect(first.reconnectCount()).toBe(2);
    expect(first.status().reconnects).toBe(2);

    const second = new JetstreamSource(options);
    await second.start(async (lines) => void got.push(...lines.map(String)));
    await waitFor('every post', async () => new Set(got.map(timeOf)).size === 600, 10_000);
    await second.stop();

    // posts only, each message unchanged, no gap
    expect(server.connections.every((c) => c.collections.join() === 'app.bsky.feed.post')).toBe(true);
    expect(got.every((l) => events.some((e) => JSON.stringify(e) === l))).toBe(true);
    expect([...new Set(got.map(timeOf))].sort((a, b) => a - b)).toEqual(events.slice(0, 600).map((e) => e.time_us));
    // every reconnection asked for the saved cursor (the newest event of a published batch, at most the 150th, after
    // which the first connection dropped) minus the rewind
    const [c1, c2, c3, c4] = server.connections;
    expect(c1.cursor).toBeNull();
    expect(events.slice(0, 150).map((e) => e.time_us - 5000)).toContain(c2.cursor);
    expect(c3.cursor).toBe(c2.cursor);
    expect(c4.cursor).not.toBeNull();
    expect(got.length - 600).toBeLessThan(30);
  });

  it('closes a connection that sends a message over the longest line Vigil reads, says why, and passes nothing of it on', async () => {
    const huge = JSON.stringify({ ...jetstreamPost(1, 'x'), padding: 'y'.repeat(9 << 20) });
    server = await startFakeJetstream([jetstreamPost(0, 'before'), huge]);
    const got: string[] = [];
    const s = new JetstreamSource({
      url: server.url,
      cursorFile: join(await mkdtemp(join(tmpdir(), 'vigil-js-')), 'c.json'),
      backoffMs: [20, 100],
      batchMs: 20,
    });
    await s.start(async (lines) => void got.push(...lines.map(String)));
    await waitFor('the connection closed on the huge message, the post before it passed on', async () => s.reconnectCount() >= 1 && got.length > 0, 10_000);
    await s.stop();
    expect(got.every((l) => l.length < 1 << 20)).toBe(true);
    expect(got.some((l) => l.includes('before'))).toBe(true);
    // why it dropped (the status's detail says so until the next connection opens)
    expect(s.lastDrop()?.detail).toMatch(/Max payload size exceeded/u);
  });

  it('keeps a batch it could not publish and sends it again, in order', async () => {
    const events = Array.from({ length: 100 }, (_, i) => jetstreamPost(i, `post ${i}`));
    server = await startFakeJetstream(events);
    const got: string[] = [];
    let failOnce = true;
    const s = new JetstreamSource({
      url: server.url,
      cursorFile: join(await mkdtemp(join(tmpdir(), 'vigil-js-')), 'c.json'),
      backoffMs: [20, 100],
      batchMs: 20,
    });
    await s.start(async (lines) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('bus unavailable');
      }
      got.push(...lines.map(String));
    });
    await waitFor('every post', async () => new Set(got.map(timeOf)).size === 100, 10_000);
    await s.stop();
    const times = [...new Set(got.map(timeOf))];
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
