// Keyword feedback during a crisis: per keyword its posts, share and posts per hour; and terms rising in the latest
// posts that are not keywords yet, which the event page offers to add with one click.

import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { line, tweet } from '../helpers/tweets.js';
import { startVigil, waitFor } from '../helpers/vigil-process.js';

interface Feedback {
  posts: number;
  keywords: { keyword: string; posts: number; share: number; perHour: { hour: string; n: number }[] }[];
  suggestions: { kind: string; term: string; recent: number; before: number }[];
}

describe('keyword feedback', () => {
  it('counts each keyword per hour and suggests rising terms that are not keywords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-kwfb-'));
    const file = join(dir, 'posts.jsonl');
    const posts: string[] = [];
    let id = 1;
    // 10:00-15:00 quiet; in the last hour "levee" and #breach appear often
    for (let h = 10; h < 16; h++)
      for (let i = 0; i < 4; i++)
        posts.push(line(tweet({ id: String(id++), text: `flooding on main street ${h}`, createdAt: `2012-10-29T${h}:${10 + i}:00Z` })));
    for (let i = 0; i < 6; i++)
      posts.push(
        line(tweet({ id: String(id++), text: `sandy levee failing now #breach ${i}`, hashtags: ['breach'], createdAt: `2012-10-29T16:${10 + i}:00Z` })),
      );
    writeFileSync(file, `${posts.join('\n')}\n`);
    const v = await startVigil(['--data', join(dir, 'data')]);
    try {
      expect((await v.api('POST', '/api/events', { name: 'Sandy', keywords: ['sandy', 'flooding', 'storm surge'] })).status).toBe(201);
      expect((await v.replay(file)).status).toBe(202);
      await waitFor('30 rows', async () => (await v.api<{ count: number }>('GET', '/api/events/Sandy/stats')).body.count === 30);
      const fb = (await v.api<Feedback>('GET', '/api/events/Sandy/keywords')).body;
      expect(fb.posts).toBe(30);
      const kw = Object.fromEntries(fb.keywords.map((k) => [k.keyword, k]));
      expect(kw.flooding).toMatchObject({ posts: 24, share: 0.8 });
      expect(kw.flooding.perHour).toHaveLength(6);
      expect(kw.sandy).toMatchObject({ posts: 6, share: 0.2, perHour: [{ hour: '2012-10-29T16:00:00.000Z', n: 6 }] });
      expect(kw['storm surge']).toMatchObject({ posts: 0, share: 0 });
      const terms = fb.suggestions.map((s) => s.term);
      expect(terms).toContain('levee');
      expect(terms).toContain('#breach');
      expect(terms).not.toContain('sandy');
      expect(terms).not.toContain('main');
      expect(fb.suggestions.find((s) => s.term === 'levee')).toMatchObject({ kind: 'word', recent: 6, before: 0 });
      expect((await v.api('GET', '/api/events/Nope/keywords')).status).toBe(404);

      // the event page shows the keywords and adds a suggestion with one click
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(v.signInLink()!);
        await page.goto(`${v.url}/#/events/Sandy`);
        await page.getByTestId('keyword-table').getByText('flooding').waitFor();
        await page.getByRole('button', { name: 'add levee as a keyword' }).click();
        await page.getByText('added "levee"').waitFor();
        // the table shows the new keyword at once (not at the next 10 s refresh), and the page offers to apply it to
        // the posts already collected: a re-classification whose progress shows in its panel
        await page.getByTestId('keyword-table').getByText('levee', { exact: true }).waitFor({ timeout: 3000 });
        await page.getByTestId('apply-keyword').click();
        const panel = page.getByTestId('reclassify');
        await expect.poll(() => panel.getByTestId('reclassify-state').textContent(), { timeout: 20_000 }).toBe('done');
        // the whole event is applied again: every post written, none new (each levee post was stored already for "sandy")
        expect(await panel.getByTestId('reclassify-rows').textContent()).toBe('30');
        expect(await panel.getByTestId('reclassify-added').textContent()).toBe('0');
        expect(await page.getByTestId('keyword-added').textContent()).toContain('applying "levee" to the posts already collected');
        await page.screenshot({ path: 'test-results/keyword-feedback.png', fullPage: true });
      } finally {
        await browser.close();
      }
      expect((await v.api<{ keywords: string[] }>('GET', '/api/events/Sandy')).body.keywords).toEqual(['sandy', 'flooding', 'storm surge', 'levee']);
    } finally {
      await v.stop();
    }
  });
});
