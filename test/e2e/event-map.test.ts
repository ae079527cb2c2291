// The event page's map in Chromium: geotagged posts on a basemap that ships with Vigil (no request leaves it), own
// coordinates drawn as dots and places as squares, posts close together counted in one circle that zooms in when
// clicked, and a clicked post shown with where it is.

import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

interface Geo {
  posts: { t_id: string; lon: number; lat: number; kind: string; place: string | null }[];
  scanned: number;
}

/** A v1.1 place as the platform sends it: a named area with its bounding box polygon. */
const BERLIN = {
  id: '3078869807f9dd36',
  place_type: 'city',
  name: 'Berlin',
  full_name: 'Berlin, Germany',
  country_code: 'DE',
  bounding_box: {
    type: 'Polygon',
    coordinates: [
      [
        [13.088304, 52.338079],
        [13.760909, 52.338079],
        [13.760909, 52.675323],
        [13.088304, 52.675323],
      ],
    ],
  },
};

describe('the event map', () => {
  it('shows geotagged posts on the shipped basemap: counted when close, zoomed in on click, each post shown when clicked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-map-'));
    const posts: string[] = [];
    // twelve posts around New York City, 0.3 degrees apart; one tagged with a place in Berlin; one with no position
    for (let i = 0; i < 12; i++)
      posts.push(
        line(tweet({ id: String(100 + i), text: `sandy flooding near the coast ${i}`, coordinates: [-74.5 + 0.3 * (i % 4), 40.7 + 0.3 * Math.floor(i / 4)] })),
      );
    posts.push(line({ ...tweet({ id: '200', text: 'sandy: thinking of New York from Berlin' }), place: BERLIN }));
    posts.push(line(tweet({ id: '300', text: 'sandy somewhere' })));
    const file = join(dir, 'posts.jsonl');
    writeFileSync(file, `${posts.join('\n')}\n`);
    const v = await startVigil(['--data', join(dir, 'data')]);
    const browser = await launchChromium();
    try {
      expect((await v.api('POST', '/api/events', { name: 'Sandy map', keywords: ['sandy'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('14 rows', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy%20map/stats')).body.count === 14);
      const geo = (await v.api<Geo>('GET', '/api/events/Sandy%20map/geo')).body;
      expect(geo.posts).toHaveLength(13);
      expect(geo.posts.filter((p) => p.kind === 'point')).toHaveLength(12);
      const berlin = geo.posts.find((p) => p.kind === 'place');
      expect(berlin).toMatchObject({ t_id: '200', place: 'Berlin, Germany' });
      expect(berlin?.lon).toBeCloseTo((13.088304 + 13.760909) / 2, 6);
      expect(berlin?.lat).toBeCloseTo((52.338079 + 52.675323) / 2, 6);
      expect((await v.api('GET', '/api/events/Sandy%20map/geo?limit=0')).status).toBe(400);
      expect((await v.api('GET', '/api/events/Nobody/geo')).status).toBe(404);

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const elsewhere: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(v.url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
      });
      await page.goto(v.signInLink()!);
      // while the posts are read (held back here), the map says so, not "0 geotagged posts"
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => {
        release = r;
      });
      await page.route('**/api/events/*/geo*', async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${v.url}/#/events/Sandy%20map`);
      const map = page.getByTestId('event-map');
      await expect.poll(() => map.getByTestId('map-count').textContent(), { timeout: 10_000 }).toBe('looking for posts with a position (newest first)…');
      release();
      await expect.poll(() => map.getByTestId('map-count').textContent(), { timeout: 10_000 }).toContain('13 geotagged posts');
      expect(((await map.getByTestId('map-land').getAttribute('d')) ?? '').length).toBeGreaterThan(10_000);
      // zoomed out: New York's twelve are one counted circle; Berlin's place is a square
      await expect.poll(() => map.getByTestId('map-cluster').count()).toBe(1);
      expect(await map.getByTestId('map-cluster').textContent()).toContain('12');
      expect(await map.getByTestId('map-place').count()).toBe(1);
      expect(await map.getByTestId('map-point').count()).toBe(0);
      await map.screenshot({ path: join(process.cwd(), 'docs', 'event-map.png') });

      // clicking the circle zooms in there; zooming in further parts the posts until each is a dot
      await map.getByTestId('map-cluster').click();
      expect(Number(await map.getByTestId('map-svg').getAttribute('data-zoom'))).toBe(4);
      for (let i = 0; i < 4 && (await map.getByTestId('map-point').count()) < 12; i++) await map.getByRole('button', { name: 'zoom in', exact: true }).click();
      expect(await map.getByTestId('map-point').count()).toBe(12);
      expect(await map.getByTestId('map-cluster').count()).toBe(0);
      await map.getByRole('button', { name: /sandy flooding near the coast 5$/u }).click();
      expect(await map.getByTestId('map-post').textContent()).toMatch(/sandy flooding near the coast 5.*own coordinates 41\.0000, -74\.2000/u);

      await map.getByRole('button', { name: 'whole world' }).click();
      await map.getByTestId('map-place').click();
      expect(await map.getByTestId('map-post').textContent()).toMatch(/thinking of New York from Berlin.*place Berlin, Germany \(its centre\)/u);
      expect(elsewhere, 'the map asks no server but Vigil').toEqual([]);
      await mkdir(join(process.cwd(), 'test-results'), { recursive: true });
      await page.screenshot({ path: join(process.cwd(), 'test-results', 'event-map-page.png'), fullPage: true });
    } finally {
      await browser.close();
      await v.stop();
    }
  }, 120_000);
});
