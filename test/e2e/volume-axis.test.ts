// The event page's volume over time in Chromium: silent buckets between posts drawn as zeros, and, where the chosen
// bucket would make an axis too long to fill (minutes over more than a week), a note that says so and what to choose
// instead, where before the silent minutes vanished without a word.

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

describe('the volume over time', () => {
  it('fills silent hours with zeros, and says why silent minutes do not show over ten days', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-volume-'));
    const file = join(dir, 'posts.jsonl');
    const posts = ['2012-10-20T12:00:00Z', '2012-10-20T12:00:30Z', '2012-10-30T12:00:00Z'].map((at, i) =>
      line(tweet({ id: String(1 + i), text: `sandy ${i}`, createdAt: at })),
    );
    writeFileSync(file, `${posts.join('\n')}\n`);
    const v = await startVigil(['--data', join(dir, 'data')]);
    const browser = await launchChromium();
    try {
      expect((await v.api('POST', '/api/events', { name: 'Ten days', keywords: ['sandy'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('3 rows', async () => (await v.api<{ count: number }>('GET', '/api/events/Ten%20days/stats')).body.count === 3);
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(v.signInLink() ?? '');
      await page.goto(`${v.url}/#/events/Ten%20days`);
      const values = async () => JSON.parse((await page.getByTestId('volume-chart').getAttribute('data-values')) ?? '[]') as number[];
      // per hour (the default): ten days and one hour of hours, the 239 between the posts' hours zeros
      await expect.poll(async () => (await values()).length, { timeout: 10_000 }).toBe(241);
      expect((await values()).filter((n) => n > 0)).toEqual([2, 1]);
      expect(await page.getByTestId('volume-note').count()).toBe(0);
      // per minute: 14,401 minutes, more than the axis holds; the two minutes with posts, and why
      await page.getByTestId('bucket').selectOption('minute');
      await expect.poll(values).toEqual([2, 1]);
      expect(await page.getByTestId('volume-note').textContent()).toBe(
        'per minute, the posts span 14,401 minutes, more than the 10,000 the chart fills: only the minutes with posts are drawn, side by side, and silent ones do not show; choose a longer bucket',
      );
    } finally {
      await browser.close();
      await v.stop();
    }
  }, 120_000);
});
