// Coverage accounting from a live source that misbehaves: a local Twitter v1.1 stream whose first connection stalls
// (no data, not even keep-alives) and whose next one sends a `limit` notice. The event's coverage report, its
// manifest and the event page show the reconnect, the gap, the withheld posts and the uptime.

import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { type FakeTwitter, startFakeTwitter, TEST_CREDENTIALS_ENV } from '../helpers/twitter-stream-server.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

let server: FakeTwitter | null = null;
afterEach(async () => server?.close());

interface Report {
  window: { from: string; to: string };
  sources: {
    source: string;
    uptimeShare: number;
    reconnects: number;
    gaps: { ms: number }[];
    withheld: number;
    disconnects: { detail: string | null }[];
    up: unknown[];
  }[];
  rejects: number;
  summary: string;
}

describe('coverage accounting', () => {
  it('a stalling stream and a limit notice show as a reconnect, a gap, withheld posts and less than full uptime', async () => {
    server = await startFakeTwitter(100);
    server.plan = ['stall', { limit: 25 }];
    const data = join(await mkdtemp(join(tmpdir(), 'vigil-coverage-')), 'data');
    const v = await startVigil(
      [
        '--data',
        data,
        '--source',
        'twitter-v1',
        '--twitter-stream-url',
        `${server.url}/1.1/statuses/filter.json`,
        '--stream-stall-ms',
        '1500',
        '--coverage-gap-ms',
        '1000',
        '--coverage-heartbeat-ms',
        '500',
      ],
      TEST_CREDENTIALS_ENV,
    );
    try {
      expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy'] })).status).toBe(201);
      await waitFor('the second connection, after the stall', async () => server!.connections.length >= 2 && server!.connections[1].open, 30_000);
      for (let i = 0; i < 5; i++) server.post({ id_str: String(500 + i), text: `sandy post ${i}` });
      await waitFor('5 posts stored', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 5, 20_000);

      const report = await waitFor(
        'the coverage report to hold the limit notice',
        async () => {
          const r = await v.api<Report>('GET', '/api/events/Sandy/coverage');
          return r.body.sources[0]?.withheld === 25 && r.body.sources[0].up.length === 2 ? r.body : undefined;
        },
        20_000,
      );
      const [s] = report.sources;
      expect(s.source).toBe('twitter-v1');
      expect(s.reconnects).toBe(1);
      expect(s.disconnects.some((d) => /stall/u.test(d.detail ?? ''))).toBe(true);
      expect(s.gaps.length).toBe(1);
      expect(s.gaps[0].ms).toBeGreaterThanOrEqual(1000);
      // connected through the stall (the source cannot tell a stall from a quiet stream until it gives up), then down
      // while reconnecting, then up again
      expect(s.up.length).toBe(2);
      expect(s.uptimeShare).toBeGreaterThan(0);
      expect(s.uptimeShare).toBeLessThan(1);
      expect(report.summary).toMatch(/twitter-v1 connected [\d.]+% of the time, 1 reconnects, 1 gaps over 1 s without data, 25 posts withheld/u);

      // a window asked for, and a wrong one
      expect((await v.api('GET', '/api/events/Sandy/coverage?from=yesterday')).status).toBe(400);
      expect((await v.api('GET', '/api/events/Nobody/coverage')).status).toBe(404);

      // the dataset's manifest carries the report
      const res = await v.fetch(`/api/events/Sandy/export?format=bundle`);
      expect(res.status).toBe(200);
      const out = join(data, '..', 'bundle');
      await mkdir(out);
      await pipeline(Readable.fromWeb(res.body as never), extract({ cwd: out }));
      const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { coverage: Report };
      expect(manifest.coverage.sources[0]).toMatchObject({ source: 'twitter-v1', reconnects: 1, withheld: 25 });

      // the event page shows it as a timeline
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(v.signInLink()!);
        await page.goto(`${v.url}/#/events/Sandy`);
        const panel = page.getByTestId('coverage-twitter-v1');
        await expect.poll(() => panel.getByTestId('coverage-withheld').textContent(), { timeout: 15_000 }).toBe('25 posts withheld');
        expect(await panel.getByTestId('coverage-reconnects').textContent()).toBe('1 reconnects');
        expect(await panel.locator('svg rect').count()).toBeGreaterThanOrEqual(1 + 2 + 1 + 1);
        await page.getByTestId('coverage').screenshot({ path: join(process.cwd(), 'docs', 'coverage-timeline.png') });
      } finally {
        await browser.close();
      }
    } finally {
      expect(await v.stop()).toBe(0);
    }
  }, 120_000);

  it("counts as an event's rejects the unreadable lines that hold its keywords, beside the rejects of every source", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-rejects-'));
    const file = join(dir, 'cut.jsonl');
    await writeFile(
      file,
      [
        line(tweet({ id: '1', text: 'sandy flooding downtown' })),
        '{"created_at":"Mon Oct 29 20:00:00 +0000 2012","text":"Flooding on the FDR Drive #Sandy, new Yo',
        '{"created_at":"Mon Oct 29 20:01:00 +0000 2012","text":"Aftershock felt in the val',
        'this line is not JSON',
        line(tweet({ id: '2', text: 'aftershock near the coast' })),
        '',
      ].join('\n'),
    );
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy', 'new york city'] })).status).toBe(201);
      expect((await v.api('POST', '/api/events', { name: 'Quake', keywords: ['aftershock'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('3 rejects stored', async () => (await v.api<{ rejectsStored: number }>('GET', '/api/status')).body.rejectsStored === 3);
      const of = async (name: string) => (await v.api<Report & { eventRejects: number | null }>('GET', `/api/events/${name}/coverage`)).body;
      expect(await of('Sandy')).toMatchObject({ rejects: 3, eventRejects: 1 });
      expect(await of('Quake')).toMatchObject({ rejects: 3, eventRejects: 1 });
      expect((await of('Sandy')).summary).toContain("3 lines were rejected in that time (by any source), 1 of them holding one of this event's keywords");
      expect((await v.api('PATCH', '/api/events/Quake', { keywords: ['earthquake'] })).status).toBe(200);
      expect(await of('Quake')).toMatchObject({ rejects: 3, eventRejects: 0 });
    } finally {
      await v.stop();
    }
  });
});
